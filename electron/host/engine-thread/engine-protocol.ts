// Messages between a host's thread and the engine thread that owns the database.
import type { Caller } from '../../../shared/contract';
import type { ErrorData } from '../../../shared/errors';

export interface EngineThreadOptions {
  dbPath: string;
  nativeBinding?: string;
  host: Caller['host'];
  /** The job worker entry (the engine thread starts job threads of its own). */
  jobWorkerFile?: string;
}

export type ToEngine = { t: 'call'; id: number; name: string; args: unknown; caller: Caller } | { t: 'close' };

export type FromEngine =
  | { t: 'ready' }
  | { t: 'failed'; error: ErrorData }
  | { t: 'reply'; id: number; ok: true; result: unknown }
  | { t: 'reply'; id: number; ok: false; error: ErrorData }
  | { t: 'event'; name: string; payload: unknown }
  | { t: 'closed' };
