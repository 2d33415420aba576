// The rows a run takes from the carry (carry.ts) instead of from old blocks: per
// side, the carried rows of the run's keys, merged into the rows read from blocks
// in batch and line order, as if all had come from the blocks. A carried row is
// taken while its batch is active and it is dated before the period's end; a key
// with a carried row not taken (its batch withdrawn, a run of an earlier period)
// has changed, as has one with a row from a block: it is fresh (never held).
import type { DecodedColumns } from '../rowstore/column-decode';
import type { Carry } from './carry';
import type { HeldKeys } from './held-keys';
import { fillCodes, moveView, sideArrays, SIDE_COLUMNS } from './side-arrays';
import type { SideRows } from './side-rows';

/**
 * Whether a carried row is taken: dated before the period's end (`end`), in a batch
 * still active. A part's rows come in batch order, so the set of batches is asked once
 * per run of rows of one batch, not per row (some 600,000 rows at week ten). The rule
 * CarriedRows takes rows by and holdApart (held-apart.ts) holds keys by.
 */
export class TakenRows {
  /** The batch last asked about, and whether it is active. */
  private lastBatch = NaN;
  private lastActive = false;

  constructor(
    private readonly end: number,
    private readonly activeBatches: Set<number>,
  ) {}

  taken(at: number, batch: number): boolean {
    if (batch !== this.lastBatch) {
      this.lastBatch = batch;
      this.lastActive = this.activeBatches.has(batch);
    }
    return at < this.end && this.lastActive;
  }
}

export class CarriedRows {
  private readonly rule: TakenRows;

  /**
   * `covers`: the sides the carry covers (the external side is not carried when keys
   * were lent by voucher); `partKids`: per part, per key of the part, its key id where
   * it is live there and in the run (-1 otherwise); `fresh`: per key id, marked here
   * for a key with a carried row not taken; `end`: the period's end (YYYYMMDDHHmmss);
   * `ids`: the run's numbering of status and 险种 texts.
   */
  constructor(
    private readonly carry: Carry,
    private readonly covers: { l: boolean; x: boolean },
    private readonly partKids: Int32Array[],
    private readonly fresh: Uint8Array,
    end: number,
    activeBatches: Set<number>,
    private readonly ids: Map<string, number>,
  ) {
    this.rule = new TakenRows(end, activeBatches);
  }

  /** The carry's parts of a side, where the carry covers it. */
  private parts(side: 'l' | 'x'): DecodedColumns[] | null {
    return this.covers[side] ? this.carry.parts.map((p) => (side === 'l' ? p.l : p.x!)) : null;
  }

  /** How many rows the side's parts hold (the room a side's arrays keep for them). */
  rows(side: 'l' | 'x'): number {
    return (this.parts(side) ?? []).reduce((sum, c) => sum + c.n, 0);
  }

  /** Whether a carried row is taken (TakenRows). */
  private taken(at: number, batch: number): boolean {
    return this.rule.taken(at, batch);
  }

  /** A key with a carried row not taken has changed: it is fresh. */
  markUntaken(side: 'l' | 'x'): void {
    this.parts(side)?.forEach((part, pi) => {
      const kids = this.partKids[pi]!;
      const ki = part.wholes('ki');
      const cb = part.wholes('batch');
      const ca = part.num('event_at');
      for (let i = 0; i < part.n; i++) {
        const kid = kids[ki[i]!] ?? -1;
        if (kid >= 0 && !this.taken(ca[i]!, cb[i]!)) this.fresh[kid] = 1;
      }
    });
  }

  /**
   * The carried rows of the run's keys still in an active batch, dated before the
   * period's end, from the part each key is live in (a held key's are not read),
   * merged into the side's rows `s` (which has room for them): each part's rows are
   * in batch and line order, merged into one list in that order, then into the side's.
   * Each part's rows are counted before any array is made, and the arrays made for
   * just those: at week ten most carried keys are held, and arrays for all the parts'
   * rows (two sets, some 30 MB a side, zeroed and touched for the first time) had cost
   * 60–80 ms of a run for the few thousand rows taken.
   */
  take(side: 'l' | 'x', s: SideRows, held: HeldKeys | null): void {
    const parts = this.parts(side);
    if (!parts) return;
    const picked = parts.map((part, pi) => this.pick(part, this.partKids[pi]!, held));
    const total = picked.reduce((sum, rows) => sum + rows.length, 0);
    const several = picked.filter((rows) => rows.length > 0).length > 1;
    // One part with rows is merged into the side's as it is; several into one list first.
    const from = several ? sideArrays(total) : null;
    parts.forEach((part, pi) => {
      const rows = picked[pi]!;
      if (rows.length > 0) {
        const one = sideArrays(rows.length);
        one.blocks.push(part);
        // Each row's key as its place in the part's keys (`ki`): its key id without hashing it again.
        const kids = this.partKids[pi]!;
        const ki = part.wholes('ki');
        const cb = part.wholes('batch');
        const cl = part.num('line');
        const ca = part.num('event_at');
        const cm = part.num('amount_fen');
        for (let m = 0; m < rows.length; m++) {
          const i = rows[m]!;
          one.kid[m] = kids[ki[i]!]!;
          one.batch[m] = cb[i]!;
          one.line[m] = cl[i]!;
          one.amount[m] = cm[i]!;
          one.at[m] = ca[i]!;
          one.block[m] = 0;
          one.index[m] = i;
        }
        one.n = rows.length;
        fillCodes(one, 0, one.n, part, this.ids);
        mergeCarried(from ?? s, one);
      }
      // Its rows' numbers are in the side's arrays now, as for the blocks read.
      part.forgetDecoded();
    });
    if (from) mergeCarried(s, from);
  }

  /** The rows of a part taken (their places in it, in order): of a key carried from it and not held, taken (above). */
  private pick(part: DecodedColumns, kids: Int32Array, held: HeldKeys | null): Int32Array {
    const ki = part.wholes('ki');
    const cb = part.wholes('batch');
    const ca = part.num('event_at');
    const rows = new Int32Array(part.n);
    let m = 0;
    for (let i = 0; i < part.n; i++) {
      // -1: the key is not carried from this part (closed since, or in a later part);
      // a place that is no key's (not a whole number in range) is none.
      const kid = kids[ki[i]!] ?? -1;
      if (kid < 0 || (held && held.at[kid]! >= 0) || !this.taken(ca[i]!, cb[i]!)) continue;
      rows[m++] = i;
    }
    return rows.subarray(0, m);
  }
}

/**
 * The carried rows `b` merged into `a` (both in batch and line order), in place:
 * what reads after what (the later of two records at one time, which copy is the
 * duplicate) is as if all had come from the blocks. `a` has room for `b`'s rows
 * before its own (a view: SideRows.room) or after them. Where all of `b` comes
 * before all of `a` (carried rows of earlier batches, as a run's nearly always are)
 * and fits before it, it goes there and no row of `a` moves; otherwise `a` is
 * filled from the end, each of its rows moving once. No second set of a side's
 * arrays is made either way (at week ten, some 80 MB a side).
 */
export function mergeCarried(a: SideRows, b: SideRows): void {
  if (b.n === 0) return;
  const before = a.room?.offset ?? 0;
  if (a.kid.length + before < a.n + b.n) throw new Error('mergeCarried: no room for the carried rows');
  const shift = a.blocks.length;
  a.blocks.push(...b.blocks);
  // Where a's first row reads after b's last (as usual: the carried rows are of earlier batches).
  const lb = b.batch[b.n - 1]!;
  const ll = b.line[b.n - 1]!;
  let lo = 0;
  let hi = a.n;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a.batch[m]! < lb || (a.batch[m] === lb && a.line[m]! < ll)) lo = m + 1;
    else hi = m;
  }
  if (lo === 0 && before >= b.n) {
    // All of b before all of a, and room for it there (sideView): b goes in before a's
    // first row and a's arrays start there; no row of a moves (at week ten a few
    // thousand carried rows had moved 1.2 million a side, some 15–20 ms a side).
    const full = a.room!.full;
    const at = before - b.n;
    for (const c of SIDE_COLUMNS) if (c !== 'block') full[c].set(b[c].subarray(0, b.n), at);
    for (let r = 0; r < b.n; r++) full.block[at + r] = b.block[r]! + shift;
    moveView(a, at);
    a.n += b.n;
    return;
  }
  // Otherwise a's rows go back to the start of its arrays (all the room after them), as if made there.
  if (before > 0) {
    const full = a.room!.full;
    for (const c of SIDE_COLUMNS) full[c].copyWithin(0, before, before + a.n);
    moveView(a, 0);
  }
  if (a.kid.length < a.n + b.n) throw new Error('mergeCarried: no room for the carried rows');
  // a's rows from b's last on (all of them when, as usual, the carried rows are of earlier
  // batches) move up in one copy per column; only the rows before interleave.
  if (lo < a.n) for (const c of SIDE_COLUMNS) a[c].copyWithin(lo + b.n, lo, a.n);
  let i = lo - 1;
  let j = b.n - 1;
  for (let k = lo + b.n - 1; j >= 0; k--) {
    // a's row i is the later one unless it comes before b's row j (origins do not tie,
    // a carried row is never also read from a block; if they did, the carried row would come first).
    const fromA = i >= 0 && !(a.batch[i]! < b.batch[j]! || (a.batch[i] === b.batch[j] && a.line[i]! < b.line[j]!));
    const s = fromA ? a : b;
    const r = fromA ? i-- : j--;
    a.kid[k] = s.kid[r]!;
    a.batch[k] = s.batch[r]!;
    a.line[k] = s.line[r]!;
    a.amount[k] = s.amount[r]!;
    a.payYear[k] = s.payYear[r]!;
    a.at[k] = s.at[r]!;
    a.status[k] = s.status[r]!;
    a.insutype[k] = s.insutype[r]!;
    a.block[k] = fromA ? a.block[r]! : b.block[r]! + shift;
    a.index[k] = s.index[r]!;
  }
  a.n += b.n;
}
