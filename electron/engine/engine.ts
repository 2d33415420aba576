// The workstation engine: one database, the handlers of every contract call, the
// job runner, the signed-in sessions and the event bus. Hosts (Electron IPC, HTTP,
// CLI) only translate; every call is validated and authorised here.
import type { Database } from 'better-sqlite3';
import { callSchemas, type CallArgs, type CallContext, type Caller, type CallName, type CallResults } from '../../shared/contract';
import { EngineError } from '../../shared/errors';
import { CALL_PERMISSIONS, JOB_PERMISSIONS, mayReveal, REVEAL_ROLES, ROLE_LABELS, type Permission, type Role } from '../../shared/roles';
import { EventBus } from './event-bus';
import { CALL_TITLES } from '../../shared/call-titles';
import { makeHandlers } from './handlers';
import type { JobRunner } from './jobs/job-types';
import { InlineJobRunner } from './jobs/inline-runner';
import { openStore, schemaVersion } from './store/open-store';
import { Sessions } from './users/sessions';
import { recoverStatements } from './statements/prepare-statement';
import { isWrite, WriteQueue } from './write-queue';

export interface EngineOptions {
  dbPath: string;
  nativeBinding?: string;
  host: CallContext['host'];
  /** Build the job runner (the worker runner in the app and browser hosts); inline when omitted. */
  runner?: (db: Database, bus: EventBus) => JobRunner;
  now?: () => number;
  /** See OpenOptions.busyTimeoutMs. */
  busyTimeoutMs?: number;
}

export interface Engine {
  /** The open database (replaced by a restore: read it at the time of use). */
  readonly db: Database;
  readonly dbPath: string;
  readonly bus: EventBus;
  readonly jobs: JobRunner;
  readonly sessions: Sessions;
  readonly options: EngineOptions;
  /** Validates the argument against the contract, authorises the caller, then runs the handler. */
  call<K extends CallName>(name: K, args: unknown, caller: Caller): Promise<CallResults[K]>;
  schemaVersion(): number;
  /** Closes and reopens the database file (after a restore). */
  reopen(): void;
  close(): Promise<void>;
}

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(callSchemas, name);
}

function allowed(p: Permission, roles: Role[]): boolean {
  if (p === 'public' || p === 'any') return true;
  return p.some((r) => roles.includes(r));
}

function refuse(what: string, p: readonly Role[], ctx: CallContext): EngineError {
  const need = p.map((r) => ROLE_LABELS[r]).join('或');
  return new EngineError('FORBIDDEN', `${ctx.user} 没有“${need}”角色，不能${what}`);
}

export function createEngine(opts: EngineOptions): Engine {
  let db = openStore(opts.dbPath, { nativeBinding: opts.nativeBinding, busyTimeoutMs: opts.busyTimeoutMs });
  // A statement preparation killed after its commit is finished before anything else.
  recoverStatements(db);
  const bus = new EventBus();
  // Subscribed before any runner, so it hears each job's end first.
  const writes = new WriteQueue(bus);

  const jobs = opts.runner ? opts.runner(db, bus) : new InlineJobRunner(() => db, bus);
  const sessions = new Sessions(() => db, opts.now);

  const resolve = (name: CallName, caller: Caller): CallContext => {
    const base = { host: caller.host, session: caller.session ?? null };
    if (CALL_PERMISSIONS[name] === 'public') {
      const peek = sessions.peek(caller.session);
      return { ...base, user: peek?.user ?? '', roles: [] };
    }
    const who = sessions.resolve(caller.session);
    return { ...base, ...who };
  };

  const engine: Engine = {
    get db() {
      return db;
    },
    dbPath: opts.dbPath,
    bus,
    jobs,
    sessions,
    options: opts,
    async call(name, args, caller) {
      if (!isCallName(name)) throw new EngineError('UNKNOWN_CALL', `未知的调用：${String(name)}`);
      const parsed = callSchemas[name].safeParse(args ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '参数'}：${i.message}`);
        throw new EngineError('BAD_REQUEST', `“${CALL_TITLES[name]}”的参数不对：${issues.join('；')}`, issues);
      }
      const ctx = resolve(name, caller);
      const p = CALL_PERMISSIONS[name];
      if (!allowed(p, ctx.roles)) throw refuse(CALL_TITLES[name], p as readonly Role[], ctx);
      // Permissions that follow the argument are checked here too, before anything runs.
      if (name === 'breaks/list' && (parsed.data as CallArgs<'breaks/list'>).reveal && !mayReveal(ctx.roles)) throw refuse('查看完整的证件号码和姓名', REVEAL_ROLES, ctx);
      if (name === 'jobs/start') {
        const type = (parsed.data as CallArgs<'jobs/start'>).type;
        if (!allowed(JOB_PERMISSIONS[type], ctx.roles)) throw refuse(type === 'import' ? '导入' : '对账', JOB_PERMISSIONS[type], ctx);
      }
      if (name === 'system/restore') {
        // A restore never replaces the file under a running job's connection: it refuses rather than waits.
        const refuseIfBusy = () => {
          if (writes.busy() > 0) throw new EngineError('CONFLICT', `有 ${writes.busy()} 个任务正在进行（导入、对账或导出）：请等它们结束后再恢复`);
        };
        refuseIfBusy();
        // An ended job's thread may still be copying its log into the file (a second or so): waited for.
        await jobs.quiet();
        // A job started meanwhile is refused as well.
        refuseIfBusy();
      }
      // Authorised: a write now waits for any running import or reconcile to end.
      if (isWrite(name, parsed.data)) await writes.turn();
      const handler = handlers[name] as (a: CallArgs<typeof name>, c: CallContext) => Promise<CallResults[typeof name]> | CallResults[typeof name];
      const result = await handler(parsed.data as CallArgs<typeof name>, ctx);
      if (name === 'jobs/start') {
        const jobId = (result as CallResults['jobs/start']).jobId;
        writes.started(jobId, (parsed.data as CallArgs<'jobs/start'>).type, jobs.wait(jobId));
      }
      return result;
    },
    schemaVersion: () => schemaVersion(db),
    reopen() {
      db.close();
      db = openStore(opts.dbPath, { nativeBinding: opts.nativeBinding, busyTimeoutMs: opts.busyTimeoutMs });
    },
    async close() {
      await jobs.close();
      db.close();
    },
  };
  const handlers = makeHandlers(engine);
  return engine;
}
