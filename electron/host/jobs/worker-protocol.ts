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

/** What a job thread is started with: its job, or `spare` — it loads its code and waits for a `JobMessage`. */
export type WorkerStart = WorkerRequest | { spare: true };
/** The job given to a spare thread. */
export interface JobMessage {
  t: 'job';
  req: WorkerRequest;
}

export type WorkerMessage =
  | { t: 'progress'; p: JobProgress }
  | { t: 'result'; result: unknown }
  | { t: 'error'; error: ErrorData }
  | { t: 'cancelled' };
