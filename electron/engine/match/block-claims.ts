// Who reads which of a run's period blocks: one Int32 per block in memory shared by
// the run's thread and its reading thread (period-blocks.ts, block-reader.ts), and
// one more after them that tells the reading thread to stop.
import type { MessagePort } from 'node:worker_threads';

/** Nobody has it yet. */
export const FREE = 0;
/** The reading thread is reading it. */
export const CLAIMED = 1;
/** The reading thread has posted it. */
export const DONE = 2;
/** The reading thread could not read it: the run's thread reads it, and reports why. */
export const FAILED = 3;
/** The run's thread reads it (or has). */
export const MINE = 4;
/** In the last slot: the reading thread claims nothing more. */
export const STOP = 1;

export interface ReaderInput {
  dbPath: string;
  nativeBinding?: string;
  ids: number[];
  /** Per block, 1 where its keys' prefixes are to be made too. */
  prefixes: Uint8Array;
  /** ids.length + 1 Int32s: each block's claim, then the stop flag. */
  state: SharedArrayBuffer;
  port: MessagePort;
}
