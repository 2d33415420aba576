// Keys held apart: held (held-keys.ts) without ever entering the run. A held key
// still took a place in the run's key table, a probe of it, a place in every
// per-key array (sums, flags, breaks) and a pass of the classifier and of
// applyBreaks: at week ten some 132,000 keys, most of what a run spent beyond
// week one's. A key the carry names for an open break can be seen to be held from
// the carry alone, before any key of it goes into the table — its break, each
// side's amount and rows, its latest record, and its carried rows' batches and
// dates are all in its part — but for one thing: whether a row of it came this
// period. So the candidates are worked out from the carry while the period's
// blocks are still being read (apartCandidates: the run's thread would otherwise
// share that reading), and once the first pass has put the period's keys in the
// table, they are met in order against the candidates' hashes (holdApart); the
// run's other stores of rows must hold none of a candidate's rows that are not
// carried (`mayHoldApart` below): older blocks the carry covers (their rows of a
// carried key are the carry's), and the period's blocks, whose rows dated in the
// period are all in the table.
//
// A key held apart is then not in the run at all: its carried rows are not
// taken, its break is the one open (applyBreaks names it unchanged), its amounts
// count in the run's totals and summary as they did, and it stays live in its part
// (saveCarry). A carried key that cannot be held apart goes into the run as before,
// where it may still be held (held-keys.ts) or decided from its rows.
import { BREAK_TYPES } from '../../../shared/domain';
import { batchOfBlock, type BlockSpan } from '../rowstore/block-store';
import type { Carry } from './carry';
import { mayHoldBreak } from './held-keys';
import { TakenRows } from './carried-rows';
import { KeyFilter } from './key-filter';
import { HashPlaces } from './hash-places';
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
  /** Their carried rows, ledger side and external side (none of which the run takes). */
  rows: [number, number];
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
 * The carried keys that may be held apart, as far as the carry alone tells: a key
 * the carry names for an open keyed break (`open`: the run's open keys, `keyed` per
 * open key), live in a part that may hold (`parts`, holdPlan), held by the rules of
 * held-keys.ts — a break kept (not a duplicate copy's, not 在途), a one-sided
 * break's latest record before both this run's closing window and the carrying
 * run's, every carried row in an active batch and before the period's end. Worked
 * out before the period's keys are known (while its blocks are still being read,
 * period-read.ts), each with its key's hash, so that what is left once they are
 * known is one question a key (holdApart).
 */
export interface ApartCandidates {
  n: number;
  /** Per candidate: its part, its key's place there, and the open key naming it (its place in `open`). */
  part: Int32Array;
  place: Int32Array;
  open: Int32Array;
  /** The candidates' key hashes (keyHash): a bitmap of them, and each one's candidates. */
  filter: KeyFilter;
  byHash: HashPlaces;
  /** Per candidate, its carried rows on the ledger side and on the external side; and their sums. */
  rowsL: Int32Array;
  rowsX: Int32Array;
  rows: [number, number];
}

/** The candidates (ApartCandidates, above), worked out from the carry alone. */
export function apartCandidates(carry: Carry, parts: Uint8Array, open: OpenKeys, keyed: Uint8Array, rules: { windowStart: number; end: number; activeBatches: Set<number> }): ApartCandidates {
  const none: ApartCandidates = { n: 0, part: new Int32Array(0), place: new Int32Array(0), open: new Int32Array(0), filter: new KeyFilter(0), byHash: new HashPlaces(0), rowsL: new Int32Array(0), rowsX: new Int32Array(0), rows: [0, 0] };
  if (!open.part || !open.place) return none;
  const n = open.text.length;
  const before = Math.min(rules.windowStart, carry.windowStart);
  // Per part that may hold, per key: the open key naming it (its place in `open`), or
  // -1; and 1 where its break may be held, by its own columns (held-keys.ts).
  const openAt = carry.parts.map((p, pi) => (parts[pi] ? new Int32Array(p.keys.n).fill(-1) : null));
  const maybe = carry.parts.map((p, pi) => (parts[pi] ? new Uint8Array(p.keys.n) : null));
  const cols = carry.parts.map((p, pi) => (parts[pi] ? { bt: p.keys.num('bt'), lat: p.keys.num('lat'), gk: p.keys.byteRefs('gk') } : null));
  for (let j = 0; j < n; j++) {
    if (!keyed[j] || open.text.at(j) !== null) continue;
    const pi = open.part[j]!;
    const at = openAt[pi];
    if (!at) continue;
    const i = open.place[j]!;
    at[i] = j;
    const c = cols[pi]!;
    // A place without a key is never held apart.
    if (carry.parts[pi]!.live[i] && c.gk.start[i]! >= 0 && mayHoldBreak(c.bt[i]!, c.lat[i]!, before)) maybe[pi]![i] = 1;
  }
  // A key with a carried row not taken (its batch withdrawn, dated at or after the end)
  // has changed; and each key's carried rows, per side, counted in the same pass (the
  // run makes no room for a key held apart's: side-rows.ts).
  const rowsOf = carry.parts.map((p, pi) => {
    const held = maybe[pi];
    if (!held) return null;
    return (carry.external ? [p.l, p.x!] : [p.l]).map((side) => {
      const per = new Int32Array(p.keys.n);
      const ki = side.wholes('ki');
      const batch = side.wholes('batch');
      const when = side.num('event_at');
      const rows = new TakenRows(rules.end, rules.activeBatches);
      for (let r = 0; r < side.n; r++) {
        const k = ki[r]!;
        if (held[k] !== 1) continue;
        per[k]!++;
        if (!rows.taken(when[r]!, batch[r]!)) held[k] = 0;
      }
      return per;
    });
  });
  const count = maybe.reduce((sum, held) => sum + (held ? held.reduce((a, v) => a + v, 0) : 0), 0);
  if (count === 0) return none;
  // The bitmap at some 32 bits a key: the million keys of a period met against it
  // (holdApart) find about one in thirty-two bits set that is no candidate's.
  const out: ApartCandidates = { n: count, part: new Int32Array(count), place: new Int32Array(count), open: new Int32Array(count), filter: new KeyFilter(count, 32), byHash: new HashPlaces(count), rowsL: new Int32Array(count), rowsX: new Int32Array(count), rows: [0, 0] };
  let c = 0;
  maybe.forEach((held, pi) => {
    if (!held) return;
    const at = openAt[pi]!;
    const gk = carry.parts[pi]!.keys.byteRefs('gk');
    for (let i = 0; i < held.length; i++) {
      if (!held[i]) continue;
      out.part[c] = pi;
      out.place[c] = i;
      out.open[c] = at[i]!;
      const [l, x] = rowsOf[pi]!;
      out.rows[0] += out.rowsL[c] = l![i]!;
      out.rows[1] += out.rowsX[c] = x?.[i] ?? 0;
      const h = keyHash(gk.bytes, gk.start[i]!, gk.len[i]!);
      out.filter.addHash(h);
      out.byHash.set(h, c++);
    }
  });
  return out;
}

/**
 * The carried keys held apart: the candidates (apartCandidates) with no row dated
 * in the period — whose key is none of the key table's first `periodKeys` ids (the
 * period's keys, as the first pass left them). The period's keys are met against
 * the candidates' bitmap in order, and only those whose bit is set are compared
 * (some 130,000 candidates asked of the table one by one had cost more: a bitmap of
 * a million keys made, then a random place in it and in the table per candidate).
 * `openCount`: how many open keys the run was given.
 */
export function holdApart(carry: Carry, cands: ApartCandidates, openCount: number, keys: KeyTable, periodKeys: number): HeldApart {
  const out: HeldApart = {
    n: 0,
    places: carry.parts.map((p) => new Uint8Array(cands.n > 0 ? p.keys.n : 0)),
    open: new Uint8Array(openCount),
    rows: [0, 0],
    totals: { l: { keys: 0, rows: 0, totalFen: 0 }, x: { keys: 0, rows: 0, totalFen: 0 } },
    byType: { count: new Float64Array(BREAK_TYPES.length), l: new Float64Array(BREAK_TYPES.length), x: new Float64Array(BREAK_TYPES.length) },
  };
  // A candidate with a row dated in the period (its key met): decided in the run.
  const met = new Uint8Array(cands.n);
  if (cands.n > 0) {
    const gk = carry.parts.map((p) => p.keys.byteRefs('gk'));
    keys.metIn(cands.filter, periodKeys, (id) =>
      cands.byHash.forEach(keys.hashOf(id), (c) => {
        const r = gk[cands.part[c]!]!;
        const i = cands.place[c]!;
        if (keys.isBytes(id, r.bytes, r.start[i]!, r.len[i]!)) met[c] = 1;
      }),
    );
  }
  // Each part's columns of what its keys' breaks came to, decoded where a candidate is (cached by the part).
  const cols = carry.parts.map(() => null as Float64Array[] | null);
  for (let c = 0; c < cands.n; c++) {
    if (met[c]) continue;
    const pi = cands.part[c]!;
    const i = cands.place[c]!;
    const p = carry.parts[pi]!;
    const [bt, al, ax, rl, rx] = (cols[pi] ??= (['bt', 'al', 'ax', 'rl', 'rx'] as const).map((name) => p.keys.num(name))) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    out.places[pi]![i] = 1;
    out.n++;
    out.open[cands.open[c]!] = 1;
    out.rows[0] += cands.rowsL[c]!;
    out.rows[1] += cands.rowsX[c]!;
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
  return out;
}
