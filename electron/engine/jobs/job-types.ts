import type { JobType, JobArgs, JobFinished } from '../../../shared/contract';

/** What a running task can tell and ask its host. */
export interface TaskContext {
  user: string;
  progress(done: number, total: number, unit: 'rows' | 'bytes' | 'keys', stage: string): void;
  /** True once the user pressed cancel; the task then stops and rolls back. */
  cancelled(): boolean;
}

export interface JobRunner {
  start<T extends JobType>(type: T, args: JobArgs<T>, user: string): string;
  cancel(jobId: string): boolean;
  /** Resolves when the job ends, however it ends (tests and the CLI wait on it). */
  wait(jobId: string): Promise<JobFinished>;
  /**
   * Resolves once no ended job still holds the store's file open: a job's thread may
   * still be copying its write-ahead log into the file after its end was announced.
   * Jobs still running are not waited for.
   */
  quiet(): Promise<void>;
  close(): Promise<void>;
}
