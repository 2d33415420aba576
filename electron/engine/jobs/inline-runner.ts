// Runs a job in the calling thread. The CLI uses it (a batch run has no UI thread
// to protect) and so do engine tests; the app and browser hosts use the worker runner.
import type { Database } from 'better-sqlite3';
import type { JobArgs, JobFinished, JobType } from '../../../shared/contract';
import { EngineError, toErrorData } from '../../../shared/errors';
import type { EventBus } from '../event-bus';
import type { JobRunner } from './job-types';
import { newJobId, throttledProgress } from './progress';
import { runTask } from './run-task';

export class InlineJobRunner implements JobRunner {
  private readonly running = new Map<string, { cancel: boolean; finished: boolean; done: Promise<JobFinished> }>();
  constructor(private readonly db: () => Database, private readonly bus: EventBus) {}

  start<T extends JobType>(type: T, args: JobArgs<T>, user: string): string {
    const jobId = newJobId();
    const state = { cancel: false, finished: false, done: Promise.resolve(null as unknown as JobFinished) };
    const progress = throttledProgress(jobId, type, (p) => this.bus.emit('job/progress', p));
    state.done = (async (): Promise<JobFinished> => {
      await Promise.resolve(); // let the caller receive the job id first
      let fin: JobFinished;
      try {
        const result = await runTask(this.db(), type, args, { user, progress, cancelled: () => state.cancel });
        fin = { jobId, type, outcome: 'result', result };
      } catch (e) {
        fin = e instanceof EngineError && e.code === 'CANCELLED'
          ? { jobId, type, outcome: 'cancelled' }
          : { jobId, type, outcome: 'error', error: toErrorData(e) };
      }
      state.finished = true;
      this.bus.emit('job/finished', fin);
      return fin;
    })();
    this.running.set(jobId, state);
    return jobId;
  }

  cancel(jobId: string): boolean {
    const s = this.running.get(jobId);
    if (!s || s.finished) return false;
    s.cancel = true;
    return true;
  }

  wait(jobId: string): Promise<JobFinished> {
    const s = this.running.get(jobId);
    if (!s) return Promise.reject(new EngineError('NOT_FOUND', `没有这个任务：${jobId}`));
    return s.done;
  }

  /** Jobs here use the caller's own connection: none holds the file once it has ended. */
  async quiet(): Promise<void> {}

  async close(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((s) => s.done));
  }
}
