// Starts `npm run web`'s host (the built renderer + the contract on 127.0.0.1) as
// a child process on a fresh database, and reads the tokened address it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { readSse } from './sse';
import { tempDir } from './temp-engine';

export interface WebHost {
  url: string;
  openUrl: string;
  token: string;
  dbPath: string;
  dir: string;
  pid: number;
  /** Ends the host at once (SIGKILL), as a crash or a killed process would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

export async function startWebHost(opts: { dbPath?: string } = {}): Promise<WebHost> {
  const dir = tempDir('gongji-e2e-');
  const dbPath = opts.dbPath ?? path.join(dir, 'workstation.sqlite');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'electron/host/web-main.ts'), '--db', dbPath],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const openUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('http://127.0.0.1:'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.on('exit', (code) => reject(new Error(`web host exited ${code}: ${stderr}`)));
  });
  const u = new URL(openUrl);
  return {
    url: u.origin,
    openUrl,
    token: u.searchParams.get('token')!,
    dbPath,
    dir,
    pid: child.pid!,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await done;
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
    },
  };
}

/** A signed-in browser-mode session as a script sees it: its cookie, calls, and the jobs it has seen end. */
export interface HttpSession {
  raw(name: string, args: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }>;
  /** A call that must succeed; its result. */
  call<T = any>(name: string, args: unknown): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Starts a job and resolves with its end (from the host's event stream). */
  job(type: string, args: unknown): Promise<{ jobId: string; outcome: string; result?: unknown }>;
  /** Ids of the jobs whose end the event stream has announced. */
  finished: Set<string>;
}

/** Creates the first administrator through the HTTP host and keeps its session cookie and event stream. */
export async function firstAdminOverHttp(h: WebHost, name = 'admin', password = 'Passw0rd-2025'): Promise<HttpSession> {
  const base = { 'x-gongji-token': h.token, 'content-type': 'application/json' };
  const setup = await fetch(`${h.url}/api/call/auth/setup`, { method: 'POST', headers: base, body: JSON.stringify({ name, displayName: name, password }) });
  if (!setup.ok) throw new Error(`setup failed: ${await setup.text()}`);
  const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
  const headers = { ...base, cookie };
  const ends = new Map<string, { jobId: string; outcome: string; result?: unknown }>();
  const waiting = new Map<string, (f: { jobId: string; outcome: string; result?: unknown }) => void>();
  const events = await fetch(`${h.url}/api/events`, { headers });
  void readSse(events.body!, (name, data) => {
    if (name !== 'job/finished') return;
    const f = data as { jobId: string; outcome: string; result?: unknown };
    ends.set(f.jobId, f);
    waiting.get(f.jobId)?.(f);
  }).catch(() => undefined); // the stream ends when the host stops
  const raw = async (n: string, args: unknown) => (await fetch(`${h.url}/api/call/${n}`, { method: 'POST', headers, body: JSON.stringify(args) })).json();
  const call = async (n: string, args: unknown) => {
    const r = await raw(n, args);
    if (!r.ok) throw new Error(`${n}: ${JSON.stringify(r.error)}`);
    return r.result;
  };
  return {
    raw,
    call,
    async job(type, args) {
      const { jobId } = await call('jobs/start', { type, args });
      return ends.get(jobId) ?? new Promise((resolve) => waiting.set(jobId, resolve));
    },
    finished: { has: (id: string) => ends.has(id) } as Set<string>,
  };
}
