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

export type WorkerMessage =
  | { t: 'progress'; p: JobProgress }
  | { t: 'result'; result: unknown }
  | { t: 'error'; error: ErrorData }
  | { t: 'cancelled' };
