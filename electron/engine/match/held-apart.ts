// Keys held apart: held (held-keys.ts) without ever entering the run. A held key
// still took a place in the run's key table, a probe of it, a place in every
// per-key array (sums, flags, breaks) and a pass of the classifier and of
// applyBreaks: at week ten some 132,000 keys, most of what a run spent beyond
// week one's. A key the carry names for an open break can be seen to be held from
// the carry alone, before any key of it goes into the table — its break, each
// side's amount and rows, its latest record, and its carried rows' batches and
// dates are all in its part — but for one thing: whether a row of it came this
// period. That is one probe of the table (the period's keys, put in by the first
// pass), where inserting it had been one too, and the run's other stores of rows
// must hold none of its rows that are not carried (`mayHoldApart` below): older
// blocks the carry covers (their rows of a carried key are the carry's), and the
// period's blocks, whose rows dated in the period are all in the table.
//
// A key held apart is then not in the run at all: its carried rows are not
// taken, its break is the one open (applyBreaks names it unchanged), its amounts
// count in the run's totals and summary as they did, and it stays live in its part
// (saveCarry). A carried key that cannot be held apart goes into the run as before,
// where it may still be held (held-keys.ts) or decided from its rows.
import { BREAK_TYPES } from '../../../shared/domain';
import { batchOfBlock, type BlockSpan } from '../rowstore/block-store';
import type { Carry } from './carry';
import { HOLD_COLUMNS, mayHoldBreak } from './held-keys';
import { TakenRows } from './carried-rows';
import { KeyFilter } from './key-filter';
import { keyHash } from './key-hash';
import type { KeyTable } from './key-table';
import type { OpenKeys } from './side-rows';

export interface SideTotalsApart {
  keys: number;
  rows: number;
  totalFen: number;
}

export interface HeldApart {
  /** How many keys are held apart. */
  n: number;
  /** Per part of the carry, per key of the part: 1 where held apart (an empty array for a part that holds none). */
  places: Uint8Array[];
  /** Per open key the run was given (their order): 1 where held apart (it has no key id in the run). */
  open: Uint8Array;
  /** What they add to each side's totals (the summary's rows, keys and total). */
  totals: { l: SideTotalsApart; x: SideTotalsApart };
  /** Per break type (its place in BREAK_TYPES): how many are held apart, and each side's amount. */
  byType: { count: Float64Array; l: Float64Array; x: Float64Array };
}

/**
 * Whether the run's blocks can hold no row of a carried key that is neither in the
 * key table after the first pass nor the carry's: every older block is covered by
 * the carry (a batch it saw, dated wholly before its end), and every block of the
 * period has no row dated before the period — or only rows the carry has (a batch
 * it saw, and the carry's end no earlier than the period's start). Otherwise nothing
 * is held apart (a late file of an earlier week, a run of a week the carry skipped).
 */
export function mayHoldApart(carry: Carry, spans: BlockSpan[], isPeriodBlock: (id: number) => boolean, periodStart: string): boolean {
  for (const b of spans) {
    const seen = batchOfBlock(b.id) <= carry.maxBatch;
    if (isPeriodBlock(b.id)) {
      if (b.minAt !== null && b.minAt < periodStart && !(seen && carry.endText >= periodStart)) return false;
    } else if (!(seen && b.maxAt !== null && b.maxAt < carry.endText)) return false;
  }
  return true;
}

/**
 * The carried keys held apart: a key the carry names for an open keyed break
 * (`open`: the run's open keys, `keyed` per open key), live in a part that may hold
 * (`parts`, holdPlan), held by the rules of held-keys.ts — a break kept (not a
 * duplicate copy's, not 在途), a one-sided break's latest record before both this
 * run's closing window and the carrying run's, every carried row in an active batch
 * and before the period's end — and with no row dated in the period (`inPeriod`:
 * whether the key table has the part's key, as the first pass left it).
 */
export function holdApart(
  carry: Carry,
  parts: Uint8Array,
  open: OpenKeys,
  keyed: Uint8Array,
  rules: { windowStart: number; end: number; activeBatches: Set<number> },
  inPeriod: (part: number, place: number) => boolean,
): HeldApart {
  const n = open.text.length;
  const out: HeldApart = {
    n: 0,
    places: carry.parts.map((p, pi) => new Uint8Array(parts[pi] ? p.keys.n : 0)),
    open: new Uint8Array(n),
    totals: { l: { keys: 0, rows: 0, totalFen: 0 }, x: { keys: 0, rows: 0, totalFen: 0 } },
    byType: { count: new Float64Array(BREAK_TYPES.length), l: new Float64Array(BREAK_TYPES.length), x: new Float64Array(BREAK_TYPES.length) },
  };
  if (!open.part || !open.place) return out;
  // Per part, per key: the open key naming it (its place in `open`), or -1.
  const openAt = carry.parts.map((p, pi) => (parts[pi] ? new Int32Array(p.keys.n).fill(-1) : null));
  for (let j = 0; j < n; j++) {
    if (open.text.at(j) !== null || !keyed[j]) continue;
    const at = openAt[open.part[j]!];
    if (at) at[open.place[j]!] = j;
  }
  const before = Math.min(rules.windowStart, carry.windowStart);
  carry.parts.forEach((p, pi) => {
    const at = openAt[pi];
    if (!at) return;
    const held = out.places[pi]!;
    const [bt, al, ax, rl, rx, lat] = HOLD_COLUMNS.map((c) => p.keys.num(c)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    for (let i = 0; i < p.keys.n; i++) {
      if (at[i]! < 0 || !p.live[i]) continue;
      if (mayHoldBreak(bt[i]!, lat[i]!, before)) held[i] = 1;
    }
    // A key with a carried row not taken (its batch withdrawn, dated at or after the end) has changed.
    for (const side of carry.external ? [p.l, p.x!] : [p.l]) {
      const ki = side.num('ki');
      const batch = side.num('batch');
      const when = side.num('event_at');
      const rows = new TakenRows(rules.end, rules.activeBatches);
      for (let r = 0; r < side.n; r++) {
        const k = ki[r]!;
        if (held[k] === 1 && !rows.taken(when[r]!, batch[r]!)) held[k] = 0;
      }
    }
    for (let i = 0; i < held.length; i++) {
      if (!held[i]) continue;
      // A row dated in the period: decided in the run.
      if (inPeriod(pi, i)) {
        held[i] = 0;
        continue;
      }
      out.n++;
      out.open[at[i]!] = 1;
      const t = bt[i]!;
      out.byType.count[t]!++;
      if (!Number.isNaN(al[i]!)) {
        out.totals.l.keys++;
        out.totals.l.rows += rl[i]!;
        out.totals.l.totalFen += al[i]!;
        out.byType.l[t]! += al[i]!;
      }
      if (!Number.isNaN(ax[i]!)) {
        out.totals.x.keys++;
        out.totals.x.rows += rx[i]!;
        out.totals.x.totalFen += ax[i]!;
        out.byType.x[t]! += ax[i]!;
      }
    }
  });
  return out;
}

/**
 * The question holdApart asks of each candidate (`part`, `place`): whether the period
 * has a row of its key — whether the key table, as the first pass left it (its first
 * `periodKeys` ids), has the key. Asked of a bitmap of those keys' hashes first
 * (key-filter.ts), and of the table only where the key's bit is set. `partRefs`: per
 * part, its keys' bytes and their buffer's number in the table.
 */
export function periodHas(keys: KeyTable, periodKeys: number, partRefs: { r: { bytes: Uint8Array; start: Int32Array; len: Int32Array }; b: number }[]): (part: number, place: number) => boolean {
  const filter = new KeyFilter(periodKeys);
  keys.fill(filter, periodKeys);
  return (pi, at) => {
    const { r, b } = partRefs[pi]!;
    const s = r.start[at]!;
    // A place without a key is never held apart.
    if (!(s >= 0)) return true;
    const h = keyHash(r.bytes, s, r.len[at]!);
    return filter.mayHaveHash(h) && keys.lookupHashed(b, s, r.len[at]!, h, false) >= 0;
  };
}
