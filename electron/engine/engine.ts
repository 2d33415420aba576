// The workstation engine: one database, the handlers of every contract call, the
// job runner and the event bus. Hosts (Electron IPC, HTTP, CLI) only translate.
import type { Database } from 'better-sqlite3';
import { callSchemas, type CallArgs, type CallContext, type CallName, type CallResults } from '../../shared/contract';
import { EngineError } from '../../shared/errors';
import { EventBus } from './event-bus';
import { makeHandlers } from './handlers';
import type { JobRunner } from './jobs/job-types';
import { InlineJobRunner } from './jobs/inline-runner';
import { openStore, schemaVersion } from './store/open-store';

export interface EngineOptions {
  dbPath: string;
  nativeBinding?: string;
  host: CallContext['host'];
  /** Build the job runner (the worker runner in the app and browser hosts); inline when omitted. */
  runner?: (db: Database, bus: EventBus) => JobRunner;
}

export interface Engine {
  readonly db: Database;
  readonly dbPath: string;
  readonly bus: EventBus;
  readonly jobs: JobRunner;
  /** Validates the argument against the contract, then runs the handler. */
  call<K extends CallName>(name: K, args: unknown, ctx: CallContext): Promise<CallResults[K]>;
  schemaVersion(): number;
  close(): Promise<void>;
}

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(callSchemas, name);
}

export function createEngine(opts: EngineOptions): Engine {
  const db = openStore(opts.dbPath, { nativeBinding: opts.nativeBinding });
  const bus = new EventBus();
  const jobs = opts.runner ? opts.runner(db, bus) : new InlineJobRunner(db, bus);
  const engine: Engine = {
    db,
    dbPath: opts.dbPath,
    bus,
    jobs,
    async call(name, args, ctx) {
      if (!isCallName(name)) throw new EngineError('UNKNOWN_CALL', `未知的调用：${String(name)}`);
      const parsed = callSchemas[name].safeParse(args ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '参数'}：${i.message}`);
        throw new EngineError('BAD_REQUEST', `调用 ${name} 的参数不对：${issues.join('；')}`, issues);
      }
      const handler = handlers[name] as (a: CallArgs<typeof name>, c: CallContext) => Promise<CallResults[typeof name]> | CallResults[typeof name];
      return handler(parsed.data as CallArgs<typeof name>, ctx);
    },
    schemaVersion: () => schemaVersion(db),
    async close() {
      await jobs.close();
      db.close();
    },
  };
  const handlers = makeHandlers(engine);
  return engine;
}
