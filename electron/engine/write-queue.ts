// One writer at a time. An import or a reconcile holds the database's write lock
// for its whole run (one transaction: nothing half-imported); a user's write made
// meanwhile (a comment, a disposition) waits here, without blocking the host's
// thread, until those jobs end, and then succeeds — it never fails with
// SQLITE_BUSY. Reads never wait: WAL lets them read beside the writer.
import type { CallArgs, CallName, JobType } from '../../shared/contract';
import type { EventBus } from './event-bus';

/** Calls that only read (and write nothing, not even an audit entry). */
const READ_CALLS = new Set<CallName>([
  'auth/status', 'workstation/info', 'users/list', 'imports/list', 'imports/preview', 'profiles/list', 'jobs/start', 'jobs/cancel',
  'recon/runs', 'breaks/facets', 'breaks/queue', 'breaks/detail', 'recon/dashboard', 'clearing/compute', 'clearing/deadlines', 'keys/status',
  'statements/list', 'statements/pending', 'periods/list', 'statements/verify', 'policy/list', 'policy/findings', 'audit/list', 'audit/verify', 'signers/list',
]);

/** The jobs that hold the write lock while they run. */
const WRITING_JOBS = new Set<JobType>(['import', 'reconcile']);

export function isWrite(name: CallName, args: unknown): boolean {
  if (name === 'breaks/list') return (args as CallArgs<'breaks/list'>).reveal === true; // a reveal is audited
  return !READ_CALLS.has(name);
}

export class WriteQueue {
  private readonly writing = new Map<string, Promise<void>>();
  private readonly all = new Set<string>();
  /** Jobs that ended before their start call returned (an inline job failing at once). */
  private readonly endedEarly = new Set<string>();

  /** A job counts as running until its end is announced (the event comes before anyone awaiting it resumes). */
  constructor(bus: EventBus) {
    bus.on('job/finished', (f) => {
      if (!this.all.delete(f.jobId)) this.endedEarly.add(f.jobId);
      this.writing.delete(f.jobId);
    });
  }

  /** A job started: a writing one makes later writes wait for its end. */
  started(jobId: string, type: JobType, done: Promise<unknown>): void {
    if (this.endedEarly.delete(jobId)) return;
    this.all.add(jobId);
    const end = done.then(
      () => undefined,
      () => undefined,
    );
    if (WRITING_JOBS.has(type)) this.writing.set(jobId, end);
  }

  /** Resolves once no writing job is running (jobs started meanwhile are waited for too). */
  async turn(): Promise<void> {
    while (this.writing.size) await Promise.all([...this.writing.values()]);
  }

  /** Any job at all still running (a restore waits for none: it refuses). */
  busy(): number {
    return this.all.size;
  }
}
