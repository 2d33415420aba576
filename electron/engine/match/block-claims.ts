// Who reads which of a run's period blocks: one Int32 per block in memory shared by
// the run's thread and its reading thread (period-blocks.ts, block-reader.ts), one
// more after them that tells the reading thread to stop, then one per buffer the
// run asked to have made ready (warmSlot): claimed the same way, so each is made once;
// and a last one the run counts up each time it gives a buffer's size (sizesSlot),
// which a reading thread waiting for a size sleeps on.
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
/** In the slot after the blocks': the reading thread claims no more blocks. */
export const STOP = 1;

/** The slot of the run's k-th ready buffer, in a list of n blocks. */
export const warmSlot = (n: number, k: number): number => n + 1 + k;
/** The slot counting the sizes given, in a list of n blocks and `warm` buffers. */
export const sizesSlot = (n: number, warm: number): number => n + 1 + warm;
/** How many Int32s the shared state holds. */
export const stateInts = (n: number, warm: number): number => n + 2 + warm;

export interface ReaderInput {
  dbPath: string;
  nativeBinding?: string;
  ids: number[];
  /** Per block, 1 where its keys' prefixes are to be made too. */
  prefixes: Uint8Array;
  /**
   * Float64s: the size in bytes of each buffer the run will need, to be made and
   * touched here first (period-blocks.ts); NaN for one whose size the run gives later
   * (it writes it here and counts it in the sizes slot).
   */
  sizes: SharedArrayBuffer;
  /** stateInts(ids.length, buffers) Int32s: each block's claim, the stop flag, each buffer's claim, the sizes given. */
  state: SharedArrayBuffer;
  port: MessagePort;
}
