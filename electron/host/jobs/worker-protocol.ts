import type { JobProgress, JobType } from '../../../shared/contract';
import type { ErrorData } from '../../../shared/errors';

export interface WorkerRequest {
  jobId: string;
  type: JobType;
  args: unknown;
  user: string;
  dbPath: string;
  nativeBinding?: string;
  /** One Int32: set to 1 to ask the task to stop. */
  cancelBuffer: SharedArrayBuffer;
}

/** A job thread's one job, given by message once the thread is started (it may have waited as a spare). */
export interface JobMessage {
  t: 'job';
  req: WorkerRequest;
}

export type WorkerMessage =
  | { t: 'progress'; p: JobProgress }
  | { t: 'result'; result: unknown }
  | { t: 'error'; error: ErrorData }
  | { t: 'cancelled' };
