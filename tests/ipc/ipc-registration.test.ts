// main's IPC wiring, tested with a fake ipc object in place of Electron's ipcMain.
import { afterEach, describe, expect, it } from 'vitest';
import { forwardEvents, registerIpc, type IpcInvokeEvent, type IpcLike, type IpcReply } from '../../electron/main/ipc';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/call-names';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { PASSWORD, tempDir, tempEngine, type TestEngine } from '../support/temp-engine';
import { startEngineThread } from '../../electron/host/engine-thread/remote-engine';
import { writeTextFile } from '../support/files';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';

class FakeIpc implements IpcLike {
  handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** Like ipcRenderer.invoke: an unregistered channel has no handler and is refused. */
  async invoke(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<IpcReply> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return (await h({ senderFrame: frameUrl === null ? null : { url: frameUrl }, sender: { id: 1 } }, ...args)) as IpcReply;
  }
}

const APP = 'file:///opt/gongji/out/renderer/index.html';
const engines: TestEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function setup() {
  const e = await tempEngine();
  engines.push(e);
  const ipc = new FakeIpc();
  const unregister = registerIpc(ipc, e, { isTrustedUrl: (u) => u === APP });
  return { e, ipc, unregister, session: e.caller.session };
}

describe('Electron IPC registration', () => {
  it('registers exactly one invoke channel and serves contract calls on it', async () => {
    const { ipc, session } = await setup();
    expect([...ipc.handlers.keys()]).toEqual([IPC_CALL_CHANNEL]);
    const r = await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'workstation/info', args: {}, session });
    expect(r).toMatchObject({ ok: true, result: { host: 'electron', user: 'officer-a', schemaVersion: expect.any(Number) } });
  });

  it('rejects an unknown channel', async () => {
    const { ipc, session } = await setup();
    await expect(ipc.invoke('gongji:shell-exec', APP, { cmd: 'rm -rf /', session })).rejects.toThrow(/No handler/);
  });

  it('rejects an unknown call name', async () => {
    const { ipc, session } = await setup();
    const r = await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'db/exec', args: { sql: 'DROP TABLE audit_log' }, session });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
  });

  it('rejects a bad argument, saying which', async () => {
    const { ipc, session } = await setup();
    const r = await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'imports/withdraw', args: { batchId: 'one', reason: '' }, session });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('batchId') } });
    const extra = await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'imports/list', args: { kind: 'tax-premium', sql: '1=1' }, session });
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('rejects calls from any frame but the app’s own page', async () => {
    const { ipc, session } = await setup();
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', null]) {
      const r = await ipc.invoke(IPC_CALL_CHANNEL, url, { name: 'workstation/info', args: {}, session });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('refuses a call without a signed-in session', async () => {
    const { ipc } = await setup();
    const r = await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'imports/list', args: {} });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('unregisters cleanly', async () => {
    const { ipc, unregister } = await setup();
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('forwards engine events to the window as plain {name, payload}', async () => {
    const { e } = await setup();
    const sent: [string, unknown][] = [];
    const off = forwardEvents(e, { send: (c, p) => sent.push([c, p]), isDestroyed: () => false });
    const progress = { jobId: 'j', type: 'import' as const, done: 1, total: 2, rate: 1, unit: 'rows' as const, stage: 's' };
    e.bus.emit('job/progress', progress);
    off();
    e.bus.emit('job/progress', progress);
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, { name: 'job/progress', payload: progress }]]);
  });

  it('serves the window through the engine thread: main relays calls and events, the database lives in another thread', async () => {
    const dir = tempDir();
    const remote = await startEngineThread({ dbPath: path.join(dir, 'w.sqlite'), host: 'electron' });
    try {
      expect(remote.threadId).not.toBe(threadId);
      const ipc = new FakeIpc();
      registerIpc(ipc, remote, { isTrustedUrl: (u) => u === APP });
      const sent: { name: string; payload: { outcome?: string } }[] = [];
      forwardEvents(remote, { send: (_c, p) => sent.push(p as never), isDestroyed: () => false });
      const setupReply = await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'auth/setup', args: { name: 'admin', displayName: '管理员', password: PASSWORD } });
      expect(setupReply).toMatchObject({ ok: true });
      const session = (setupReply as { result: { session: string } }).result.session;
      expect(await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'workstation/info', args: {}, session })).toMatchObject({ ok: true, result: { host: 'electron', user: 'admin' } });
      // Engine errors come back as the same data.
      expect(await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'imports/withdraw', args: { batchId: 99, reason: 'x' }, session })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      // A job started through it runs in a job thread of the engine thread; its events reach the window.
      const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 5 } });
      const file = writeTextFile(path.join(dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
      expect(await ipc.invoke(IPC_CALL_CHANNEL, APP, { name: 'jobs/start', args: { type: 'import', args: { path: file } }, session })).toMatchObject({ ok: true });
      for (let i = 0; i < 200 && !sent.some((x) => x.name === 'job/finished'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(sent.find((x) => x.name === 'job/finished')?.payload).toMatchObject({ outcome: 'result' });
    } finally {
      await remote.close();
    }
  });
});
