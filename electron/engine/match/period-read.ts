// The start of a run's reading of this period's blocks, before anything else the run
// reads: the blocks' list, the key table's size, and the reading thread
// (period-blocks.ts), which makes the key table's buffers and reads blocks while the
// run reads its carry and open breaks. loadRunRows (side-rows.ts) takes it from there.
import type { Database } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { blockSpans, type BlockSpan } from '../rowstore/block-store';
import { BlockKeys } from './block-keys';
import { KeyTable } from './key-table';
import { PeriodBlocks } from './period-blocks';
import type { Window } from './window';

/** The first two buffers the reading thread makes (the key table's), whose sizes are known when it starts; the others' come later. */
export const WARM_LATER = 2;

/** A run's reading of this period's blocks, under way (startPeriodRead). */
export interface PeriodRead {
  /** Per side, the period's blocks. */
  periodSpans: BlockSpan[][];
  periodBlocks: number[][];
  /** The keys the key table is sized for: about two rows a key, and the kind's open breaks. */
  expectedKeys: number;
  summaries: BlockKeys;
  /** Close it whatever happens (loadRunRows does once its first pass is over; closing twice does nothing). */
  source: PeriodBlocks;
}

/**
 * Starts reading this period's blocks (their reading thread, period-blocks.ts) before
 * the run reads its carry and its open breaks: the thread makes the key table's
 * buffers meanwhile (sized for the period's rows and `openBreaks`, the kind's open
 * breaks as far as cheaply known) and starts on the blocks, instead of waiting for
 * that reading (at week ten some 55–120 ms of the run's own thread before its first pass).
 */
export function startPeriodRead(db: Database, kinds: { l: ImportKind; x: ImportKind }, w: Window, openBreaks: number): PeriodRead {
  const periodSpans = [kinds.l, kinds.x].map((kind) => blockSpans(db, [kind], { from: w.start, to: w.end }));
  const periodBlocks = periodSpans.map((spans) => spans.map((b) => b.id));
  const periodRows = periodSpans.flat().reduce((sum, b) => sum + b.n, 0);
  // A key table sized for the period's rows (about two a key) and the open breaks' keys, so it need not grow.
  const expectedKeys = Math.max(1 << 16, (periodRows >>> 1) + openBreaks);
  const summaries = new BlockKeys(db, { kinds: [kinds.l, kinds.x], to: w.end });
  const passOne = periodBlocks.flat();
  const table = KeyTable.bytes(expectedKeys);
  // The key table's slots and ids first (at once: the run reads blocks while it waits);
  // each side's row arrays and per-key sums are sized once the carry is read (loadRunRows).
  const warm = [table.slots, table.meta, NaN, NaN, NaN, NaN];
  const source = new PeriodBlocks(db, passOne, Uint8Array.from(passOne, (id) => (summaries.hasPrefixes(id) ? 0 : 1)), { warm });
  return { periodSpans, periodBlocks, expectedKeys, summaries, source };
}
