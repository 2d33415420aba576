// The contract over Electron IPC. The ipc object is passed in (ipcMain in the app,
// a fake in tests), so the wiring is tested without Electron. One invoke channel
// carries {name, args, session}; unknown names and bad arguments are refused, and calls from
// any frame but our own page are refused.
import { CALL_NAMES, EVENT_NAMES } from '../../shared/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/call-names';
import { EngineError, toErrorData, type ErrorData } from '../../shared/errors';
import type { ContractEngine } from '../host/engine-thread/remote-engine';

export interface IpcInvokeEvent {
  senderFrame: { url: string } | null;
  sender: { id: number };
}

export interface IpcLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface EventTarget {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ErrorData };

export interface IpcOptions {
  /** True for the app's own page (file:// of the build, or the dev server). */
  isTrustedUrl(url: string): boolean;
}

export function registerIpc(ipc: IpcLike, engine: ContractEngine, opts: IpcOptions): () => void {
  ipc.handle(IPC_CALL_CHANNEL, async (event, request): Promise<IpcReply> => {
    try {
      const url = event.senderFrame?.url ?? '';
      if (!opts.isTrustedUrl(url)) throw new EngineError('FORBIDDEN', `拒绝来自未知页面的调用：${url || '（无来源）'}`);
      if (!request || typeof request !== 'object') throw new EngineError('BAD_REQUEST', '调用格式不对');
      const { name, args, session } = request as { name?: unknown; args?: unknown; session?: unknown };
      if (typeof name !== 'string' || !(CALL_NAMES as readonly string[]).includes(name)) {
        throw new EngineError('UNKNOWN_CALL', `未知的调用：${String(name)}`);
      }
      // Replies are plain data: never an Electron object, never the event.
      return { ok: true, result: await engine.call(name as never, args, { host: 'electron', session: typeof session === 'string' ? session : null }) };
    } catch (e) {
      return { ok: false, error: toErrorData(e) };
    }
  });
  return () => ipc.removeHandler(IPC_CALL_CHANNEL);
}

/** Forwards every engine event to the window as {name, payload}. */
export function forwardEvents(engine: ContractEngine, target: EventTarget): () => void {
  const offs = EVENT_NAMES.map((name) =>
    engine.bus.on(name, (payload) => {
      if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, { name, payload });
    }),
  );
  return () => offs.forEach((off) => off());
}
