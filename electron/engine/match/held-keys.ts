// Keys a run holds instead of deciding again. At week ten some 130,000 breaks are
// still open exactly as they were a week before: no row of their keys arrived,
// none was withdrawn. Reading their rows from the carry, summing and classifying
// them again gave the break the run already had, and was most of what made week
// ten slower than week one. So a carry part also keeps, per key, what its break
// came to (type, each side's amount and row count, and for a one-sided break the
// time of its latest record), and a run holds a carried key none of whose rows
// changed: its rows are not read, its break is the one written, its amounts count
// in the run's totals as they did.
//
// What a key must be to be held (otherwise it is decided from its rows, as ever):
//   · carried and live in a part that may hold (holdPlan), with nothing fresh: no row
//     from a block, every carried row still in an active batch and before the end;
//   · its keyed break open now (an officer has not closed it);
//   · without duplicate copies (their breaks are apart from the key's), and if its
//     break is one-sided, its latest record before both this run's closing window
//     and the carrying run's: neither run's window makes it 在途 (a 在途 break is
//     kept as the one-sided break it becomes), and the carrying run's break, the
//     one open now, is the same.
// The classes themselves need no window and no other key: the same rows give the
// same type and amounts. Runs with platform verdicts (read afresh each run) hold nothing.
import { BREAK_TYPES } from '../../../shared/domain';
import type { ColumnData } from '../rowstore/column-encode';
import type { Carry } from './carry';
import type { KeyedBreaks } from './keyed-breaks';
import type { SideRows } from './side-rows';

/**
 * The key-level columns of a carry part (beside `gk`), one value per key: `bt` the
 * break's type as its place in BREAK_TYPES (NaN: never to be held; reordering that
 * list must raise CARRY_VERSION), `al`/`ax` each side's amount (NaN: no rows there),
 * `rl`/`rx` each side's rows, `lat` a one-sided break's latest record's time, `bid`
 * the id of the key's own break, open after the run (NaN: none), by which the next
 * run takes the break's key from here instead of reading it (readOpenBreaks).
 */
export const HOLD_COLUMNS = ['bt', 'al', 'ax', 'rl', 'rx', 'lat', 'bid'] as const;

const IN_TRANSIT = BREAK_TYPES.indexOf('IN_TRANSIT');
const LEDGER_ONLY = BREAK_TYPES.indexOf('LEDGER_ONLY');
const EXTERNAL_ONLY = BREAK_TYPES.indexOf('EXTERNAL_ONLY');

export interface HeldKeys {
  /** How many keys are held. */
  n: number;
  /** Per key id: its place among the held keys, or -1. */
  at: Int32Array;
  type: Uint8Array;
  /** NaN: no rows on that side. */
  amountLedger: Float64Array;
  amountExternal: Float64Array;
  rowsLedger: Int32Array;
  rowsExternal: Int32Array;
}

/**
 * Which parts may hold keys this run, or null for none. A run that will write the
 * carry whole (its parts mostly dead) holds nothing; one that will merge parts
 * (as many as allowed) holds only the keys of the part it keeps, `largest`, the
 * part with the most live keys, which saveCarry then keeps. A held key's rows are
 * never in the run, so never written again.
 */
export function holdPlan(carry: Carry, maxParts: number): { parts: Uint8Array; largest: number } | null {
  let places = 0;
  let live = 0;
  const liveIn = carry.parts.map((p) => p.live.reduce((n, v) => n + v, 0));
  for (let i = 0; i < carry.parts.length; i++) {
    places += carry.parts[i]!.keys.n;
    live += liveIn[i]!;
  }
  if (live === 0 || live * 2 < places) return null;
  const largest = liveIn.indexOf(Math.max(...liveIn));
  const parts = new Uint8Array(carry.parts.length);
  if (carry.parts.length >= maxParts) parts[largest] = 1;
  else parts.fill(1);
  return { parts, largest };
}

/**
 * Whether a key's kept break may be held, by its type code (`bt`) and for a one-sided
 * break its latest record (`lat`, NaN for a two-sided break): a type kept (not NaN, as
 * for a duplicate copy's key; not 在途, kept as the 单边 it becomes) and the latest record
 * before `before`, both closing windows' start. The rule holdKeys and holdApart share.
 */
export function mayHoldBreak(bt: number, lat: number, before: number): boolean {
  if (!Number.isInteger(bt) || bt < 0 || bt >= BREAK_TYPES.length || bt === IN_TRANSIT) return false;
  return Number.isNaN(lat) || lat < before;
}

/**
 * The keys held (see above). `partKids`: per part, per key, its key id where it is
 * live there and in the run; `fresh`, `carried` per key id; `keyedOpen` per key id:
 * 1 where the key's own break is open; `windowStart` this run's closing window.
 */
export function holdKeys(
  carry: Carry,
  plan: { parts: Uint8Array },
  partKids: Int32Array[],
  state: { carried: Uint8Array; fresh: Uint8Array; keyedOpen: Uint8Array },
  windowStart: number,
): HeldKeys {
  const K = state.carried.length;
  const before = Math.min(windowStart, carry.windowStart);
  // Filled in one pass, room for every key of the parts (no object per held key: some 130,000).
  const room = carry.parts.reduce((n, p, pi) => n + (plan.parts[pi] ? p.keys.n : 0), 0);
  const h: HeldKeys = {
    n: 0,
    at: new Int32Array(K).fill(-1),
    type: new Uint8Array(room),
    amountLedger: new Float64Array(room),
    amountExternal: new Float64Array(room),
    rowsLedger: new Int32Array(room),
    rowsExternal: new Int32Array(room),
  };
  carry.parts.forEach((p, pi) => {
    if (!plan.parts[pi]) return;
    const kids = partKids[pi]!;
    const [bt, al, ax, rl, rx, lat] = HOLD_COLUMNS.map((c) => p.keys.num(c)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k < 0 || !state.carried[k] || state.fresh[k] || !state.keyedOpen[k]) continue;
      const t = bt[i]!;
      if (!mayHoldBreak(t, lat[i]!, before)) continue;
      const j = h.n++;
      h.at[k] = j;
      h.type[j] = t;
      h.amountLedger[j] = al[i]!;
      h.amountExternal[j] = ax[i]!;
      h.rowsLedger[j] = rl[i]!;
      h.rowsExternal[j] = rx[i]!;
    }
    // What it decoded is copied out; its key bytes are what a part keeps.
    p.keys.forgetDecoded();
  });
  return h;
}

/**
 * The key-level columns for the keys a part is written with (`keys.ids`, ascending;
 * `write` 1 and `place` its place among them, per key id), from the run's keyed
 * breaks (in key-id order) and its rows. A key without a keyed break or with a
 * duplicate copy gets `bt` NaN: it is decided again every run.
 */
export function holdColumns(
  keys: { ids: number[]; write: Uint8Array; place: Int32Array },
  breaks: KeyedBreaks,
  /** Per keyed break (its index), its id where it is open after the run, else NaN. */
  breakIds: Float64Array,
  duplicateKids: number[],
  l: SideRows,
  x: SideRows,
): Record<(typeof HOLD_COLUMNS)[number], ColumnData> {
  const n = keys.ids.length;
  const rows = (s: SideRows) => {
    const out = new Float64Array(n);
    for (let i = 0; i < s.n; i++) if (keys.write[s.kid[i]!]) out[keys.place[s.kid[i]!]!]!++;
    return out;
  };
  const copied = new Set(duplicateKids);
  const bt = new Float64Array(n).fill(NaN);
  const al = new Float64Array(n).fill(NaN);
  const ax = new Float64Array(n).fill(NaN);
  const lat = new Float64Array(n).fill(NaN);
  const bid = new Float64Array(n).fill(NaN);
  // Both in key-id order: each key's break found walking the two together (no array per key id).
  for (let r = 0, p = 0; r < n; r++) {
    const k = keys.ids[r]!;
    while (p < breaks.length && breaks.kid(p) < k) p++;
    if (p === breaks.length || breaks.kid(p) !== k) continue;
    bid[r] = breakIds[p]!;
    if (copied.has(k)) continue;
    const a = breaks.amountLedger(p);
    const b = breaks.amountExternal(p);
    // 在途 is kept as the one-sided break it becomes once its record is before the
    // window (held only then: `lat` below).
    const t = BREAK_TYPES.indexOf(breaks.type(p));
    bt[r] = t !== IN_TRANSIT ? t : a === null ? EXTERNAL_ONLY : LEDGER_ONLY;
    al[r] = a ?? NaN;
    ax[r] = b ?? NaN;
    // A one-sided break's latest record (on its side), whose time decides 在途.
    if (a === null) lat[r] = x.at[breaks.latestRow(p)]!;
    else if (b === null) lat[r] = l.at[breaks.latestRow(p)]!;
  }
  const f = (values: Float64Array): ColumnData => ({ t: 'f64', values });
  return { bt: f(bt), al: f(al), ax: f(ax), rl: f(rows(l)), rx: f(rows(x)), lat: f(lat), bid: f(bid) };
}
