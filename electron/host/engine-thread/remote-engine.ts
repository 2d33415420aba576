// The engine as a host's thread sees it when the engine runs in a thread of its
// own: the same `call` and event bus as the engine itself, carried by messages.
// Electron's main process serves the window through this, so it never waits on
// SQLite; a failure in the engine comes back as the same error data.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startThread } from '../../engine/start-thread';
import type { Caller, CallName, CallResults, EventName, EventPayloads } from '../../../shared/contract';
import { EngineError, type ErrorData } from '../../../shared/errors';
import type { EngineThreadOptions, FromEngine, ToEngine } from './engine-protocol';

/** What a host needs of an engine: its calls and its events (the engine itself, or this). */
export interface ContractEngine {
  call<K extends CallName>(name: K, args: unknown, caller: Caller): Promise<CallResults[K]>;
  bus: { on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void };
}

export interface RemoteEngine extends ContractEngine {
  readonly threadId: number;
  close(): Promise<void>;
}

function defaultThreadFile(): string {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  for (const name of ['engine-thread.js', 'engine-thread-tsx.mjs']) {
    const f = path.join(dir, name);
    if (fs.existsSync(f)) return f;
  }
  throw new Error(`engine thread entry not found beside ${dir}`);
}

export async function startEngineThread(opts: EngineThreadOptions & { threadFile?: string }): Promise<RemoteEngine> {
  const { threadFile, ...data } = opts;
  const worker = startThread(threadFile ?? defaultThreadFile(), { workerData: data });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let next = 1;
  let closed: (() => void) | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: FromEngine) => {
      if (m.t === 'ready') resolve();
      else if (m.t === 'failed') reject(new EngineError(m.error.code, m.error.message, m.error.details));
      else if (m.t === 'reply') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new EngineError(m.error.code, m.error.message, m.error.details));
      } else if (m.t === 'event') listeners.get(m.name)?.forEach((l) => l(m.payload));
      else if (m.t === 'closed') closed?.();
    });
    worker.on('error', (e) => reject(e));
    worker.on('exit', (code) => {
      const err: ErrorData = { code: 'INTERNAL', message: `工作站引擎线程已退出（${code}）` };
      for (const p of pending.values()) p.reject(new EngineError(err.code, err.message));
      pending.clear();
      reject(new EngineError(err.code, err.message));
      closed?.();
    });
  });
  await ready;
  const send = (m: ToEngine) => worker.postMessage(m);
  return {
    threadId: worker.threadId,
    call(name, args, caller) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        send({ t: 'call', id, name, args, caller });
      });
    },
    bus: {
      on(name, listener) {
        if (!listeners.has(name)) listeners.set(name, new Set());
        const set = listeners.get(name)!;
        set.add(listener as (p: unknown) => void);
        return () => set.delete(listener as (p: unknown) => void);
      },
    },
    async close() {
      await new Promise<void>((resolve) => {
        closed = resolve;
        send({ t: 'close' });
      });
      await worker.terminate();
    },
  };
}
