// The rows a run decides, read from the column blocks into typed arrays.
// The universe is every key with a row of either side dated in the period, and
// every key of a break still open; a key's rows are then taken from all of
// history up to the period's end (an earlier week's record still open matches a
// later one). Blocks dated wholly after the period are never read; blocks dated
// inside it are decoded once for both passes. Dates are compared as numbers
// (YYYYMMDDHHmmss); texts that only a few rows need (the key and sub-key, for
// duplicates) are read from their block one value at a time. A carried key's
// earlier rows come from the carry instead (carried-rows.ts), merged in.
import type { Database } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { batchOfBlock, blockSpans, loadBlock, type StoredBlock } from '../rowstore/block-store';
import { dateTimeNumber, formatDateTime } from '../rowstore/column-format';
import type { DecodedColumns } from '../rowstore/column-decode';
import { KeyTable } from './key-table';
import { WARM_LATER, type PeriodRead } from './period-read';
import { AGGREGATE_KEY_BYTES } from './aggregate-side';
import { subsetColumns } from '../rowstore/row-subset';
import { KeyHashes } from './key-hashes';
import { oldBlockChecks, TableHashes } from './old-block-probe';
import { RunPrefixes, type PeriodRows } from './key-prefixes';
import { maxCarryParts, type Carry } from './carry';
import { holdKeys, holdPlan, type HeldKeys } from './held-keys';
import { apartCandidates, holdApart, mayHoldApart, type HeldApart } from './held-apart';
import { CarriedRows } from './carried-rows';
import { fillCodes, sideArrays, sideBytes, sideView } from './side-arrays';
import type { Window } from './window';
import type { SparseTexts } from './sparse-texts';

/** One side's rows of the universe, row i across the arrays, in batch and line order. */
export interface SideRows {
  n: number;
  /** The key id in the run's KeyTable. */
  kid: Int32Array;
  batch: Int32Array;
  line: Int32Array;
  amount: Float64Array;
  /** NaN for none. */
  payYear: Float64Array;
  /** YYYYMMDDHHmmss. */
  at: Float64Array;
  /** Ids into `texts` (-1 for none): few distinct values, compared as numbers. */
  status: Int32Array;
  insutype: Int32Array;
  /** The row's block and its index there, for the texts read one at a time. */
  block: Int32Array;
  index: Int32Array;
  blocks: DecodedColumns[];
  /**
   * Where these arrays are a view into larger ones (`full`) from `offset` on, the
   * room before them: carried rows of earlier batches go there (mergeCarried)
   * instead of every row read moving up to make room (side-arrays.ts sideView).
   */
  room?: { full: SideRows; offset: number };
}

/** The run's numbering of status and 险种 texts (both sides share it). */
export interface RunTexts {
  ids: Map<string, number>;
  /** id → text. */
  of(id: number): string | null;
}

/** A row without a key, dated in the period: for the fallback match. */
export interface KeylessRow {
  side: 'l' | 'x';
  batch_id: number;
  line: number;
  amount_fen: number;
  certno: string | null;
  insutype: string | null;
  pay_year: number | null;
  event_at: string;
}

export interface RunRows {
  keys: KeyTable;
  /** The key id of each of the open keys the run was given, in their order. */
  openKids: Int32Array;
  texts: RunTexts;
  l: SideRows;
  x: SideRows;
  keyless: { l: KeylessRow[]; x: KeylessRow[] };
  /** Per batch read: its rows dated in the period, and rows that could be placed in no period (no date or amount). */
  perBatch: Map<number, { inPeriod: number; unplaced: number }>;
  /**
   * With a carry covering both sides: per key id, carried (1: its earlier rows came
   * from the carry) and fresh (1: a row came from a block, or a carried row was not
   * taken); and the carrying run's closing window start (YYYYMMDDHHmmss).
   */
  history: { carried: Uint8Array; fresh: Uint8Array; windowStart: number } | null;
  /** Per part of the carry read, per key of the part: its key id where it was carried from that part, else -1 (saveCarry keeps parts by it). */
  partKids: Int32Array[];
  /** The carried keys the run holds (held-keys.ts): none of their rows are in `l` or `x`. */
  held: HeldKeys | null;
  /** The carried keys held apart (held-apart.ts): not in `keys` at all. */
  heldApart: HeldApart | null;
  /** Where parts are merged in a run that holds keys: the part kept (the one whose keys may be held), else -1. */
  largest: number;
  /** How many of this period's blocks the reading thread read, and how many the run's own thread (period-blocks.ts). */
  blockReads: { reader: number; own: number };
  /** Per side, a buffer made ready for the per-key sums (aggregateSide's room), or null. */
  aggregateRoom: [ArrayBuffer | null, ArrayBuffer | null];
}

/**
 * The keys of the open breaks a run is given, in the order they opened: each one's
 * text, or (null) where the carry has it: part `part[i]`, its key `place[i]` there.
 */
export interface OpenKeys {
  text: SparseTexts;
  part?: Int32Array;
  place?: Int32Array;
}

export const sideText = (s: SideRows, column: 'key' | 'sub_key' | 'name' | 'certno', i: number): string | null => s.blocks[s.block[i]!]!.strAt(column, s.index[i]!);
/**
 * Whether row i of one side and row j of another hold the same text in a column,
 * compared as bytes where they lie (no strings made). With one or both without a
 * value: null, or with `noneIsSame`, whether both are without one. A block
 * without the column holds none in it.
 */
export function sameSideText(a: SideRows, i: number, b: SideRows, j: number, column: 'certno' | 'key' | 'sub_key', noneIsSame = false): boolean | null {
  const ba = a.blocks[a.block[i]!]!;
  const bb = b.blocks[b.block[j]!]!;
  const ra = ba.byteRefsIfAny(column);
  const rb = bb.byteRefsIfAny(column);
  const ia = a.index[i]!;
  const ib = b.index[j]!;
  const sa = ra ? ra.start[ia]! : -1;
  const sb = rb ? rb.start[ib]! : -1;
  if (sa < 0 || sb < 0) return noneIsSame ? sa < 0 && sb < 0 : null;
  const len = ra!.len[ia]!;
  if (len !== rb!.len[ib]) return false;
  for (let k = 0; k < len; k++) if (ra!.bytes[sa + k] !== rb!.bytes[sb + k]) return false;
  return true;
}
export const eventAtText = (s: SideRows, i: number): string => formatDateTime(s.at[i]!);

/**
 * `borrow`: 电子税票号码 → the ledger's key, for external rows without a key of
 * their own (they are matched under the ledger's key of the same voucher).
 * `carry`: what the kind's last run left (carry.ts): its keys' rows are taken
 * from it instead of from the old blocks they lie in.
 */
export function loadRunRows(
  db: Database,
  kinds: { l: ImportKind; x: ImportKind },
  openKeys: OpenKeys,
  w: Window,
  borrow: Map<string, string>,
  carry: Carry | null,
  /** Whether the run may hold carried keys (held-keys.ts), and per open key whether it is a keyed break's (not a duplicate copy's). */
  hold: { keyed: Uint8Array } | null,
  /** The period's reading, started by the caller before it read the carry and the open breaks (period-read.ts). */
  started: PeriodRead,
): RunRows {
  /** The ledger key an external keyless row borrows by its voucher (sub_key), or null. */
  const borrowed = (kind: ImportKind, c: DecodedColumns, i: number): string | null => {
    if (kind !== kinds.x || !borrow.size) return null;
    const v = c.strAt('sub_key', i);
    return v === null ? null : (borrow.get(v) ?? null);
  };
  const start = dateTimeNumber(w.start);
  const end = dateTimeNumber(w.end);
  const { periodSpans, periodBlocks, expectedKeys, summaries, source } = started;
  const ids = new Map<string, number>();
  let names: string[] = [];
  const texts: RunTexts = {
    ids,
    of: (id) => {
      if (id < 0) return null;
      if (names.length !== ids.size) names = [...ids.keys()];
      return names[id]!;
    },
  };
  const kept = new Map<number, { block: StoredBlock; kid: Int32Array }>();
  // The period's blocks' rows, for the prefixes of the keys first met there (key-prefixes).
  const periodKeyRows: PeriodRows[] = [];
  const perBatch = new Map<number, { inPeriod: number; unplaced: number }>();
  // Pass 1: the universe, from the blocks with a row dated in the period. Each
  // row's key id is kept for pass 2 (-1: no key, or a key not in the universe yet),
  // and its key's hash for the block's summary (block-keys; NaN: no key). The blocks
  // are read, hashed and (where new) given prefixes ahead of this loop, partly in a
  // thread of their own (period-blocks.ts), started before the carry and the open
  // breaks were read (period-read.ts). The sizes of the buffers that thread makes
  // ready for the second pass and the sums depend on them, so are given here: each
  // side's row arrays (room for the period's rows, the carry's and a few from older
  // blocks — a refund's payment) and each side's per-key sums (classify-keys'
  // aggregateSide: the keys expected and a few more). A buffer too small for what
  // comes is not used: the run makes its own.
  const covers = { l: carry !== null, x: carry !== null && carry.external && borrow.size === 0 };
  // What needs none of the period's keys is worked out while its blocks are still
  // being read (period-read.ts): the run's thread would otherwise wait for them.
  // The period's blocks (pass 2 lets go of each in `kept` as it reads it).
  const periodIds = new Set(periodBlocks.flat());
  const activeBatches = carry ? new Set(db.prepare("SELECT id FROM import_batch WHERE status = 'active'").pluck().all() as number[]) : new Set<number>();
  // Every block a side may read (the period's, and older ones dated before its end).
  const spans = { l: blockSpans(db, [kinds.l], { to: w.end }), x: blockSpans(db, [kinds.x], { to: w.end }) };
  const plan = carry && hold && covers.l && covers.x ? holdPlan(carry, maxCarryParts()) : null;
  // The carried keys that may be held apart, but for whether the period has a row of theirs (held-apart.ts).
  const apart =
    plan && mayHoldApart(carry!, [...spans.l, ...spans.x], (id) => periodIds.has(id), w.start)
      ? apartCandidates(carry!, plan.parts, openKeys, hold!.keyed, { windowStart: dateTimeNumber(w.windowStart), end, activeBatches })
      : null;
  // The rows and keys held apart (nearly all of the carry's, at week ten) never reach
  // the arrays below: room is made for the others' (a candidate whose key has a row this
  // period after all has its rows in the margin; beyond it, the run makes its own).
  const sideRoom = (side: 0 | 1): number => {
    const rows = periodSpans[side]!.reduce((sum, b) => sum + b.n, 0);
    const carried = (carry?.parts ?? []).reduce((sum, p) => sum + (side === 0 ? (covers.l ? p.l.n : 0) : covers.x ? (p.x?.n ?? 0) : 0), 0) - (apart?.rows[side] ?? 0);
    return rows + carried + Math.max(16_384, Math.ceil((rows + carried) / 50));
  };
  const sumsKeys = expectedKeys - (apart?.n ?? 0);
  const sumsRoom = (sumsKeys + Math.max(16_384, Math.ceil(sumsKeys / 50))) * AGGREGATE_KEY_BYTES;
  let rowsReady: (ArrayBuffer | null)[];
  let sumsReady: (ArrayBuffer | null)[];
  let keys: KeyTable;
  try {
    [sideBytes(sideRoom(0)), sideBytes(sideRoom(1)), sumsRoom, sumsRoom].forEach((bytes, i) => source.setWarmSize(WARM_LATER + i, bytes));
    keys = new KeyTable(expectedKeys, { slots: source.warmBuffer(0, true), meta: source.warmBuffer(1, true) });
    let taken = 0;
    for (const [side, kind] of [kinds.l, kinds.x].entries()) {
      // The id after the last key found: where the next row's key likely is (KeyTable.lookupHashed).
      let near = -1;
      for (const id of periodBlocks[side]!) {
        const { block: b, hashes, made } = source.take(taken++);
        const refs = b.cols.byteRefs('gk');
        const buf = keys.addBuffer(refs.bytes);
        const at = b.cols.num('event_at');
        const kid = new Int32Array(b.cols.n).fill(-1);
        for (let i = 0; i < b.cols.n; i++) {
          const t = at[i]!;
          if (!(t >= start && t < end)) continue;
          const s = refs.start[i]!;
          if (s >= 0) near = (kid[i] = keys.lookupHashed(buf, s, refs.len[i]!, hashes[i]!, true, near)) + 1;
          else {
            const g = borrowed(kind, b.cols, i);
            if (g !== null) kid[i] = keys.lookupText(g, true);
          }
        }
        const common = summaries.remember(id, b.cols, hashes, made);
        kept.set(id, { block: b, kid });
        periodKeyRows.push({ kid, common, refs: () => b.cols.byteRefs('gk') });
      }
    }
    rowsReady = [source.warmBuffer(2), source.warmBuffer(3)];
    sumsReady = [source.warmBuffer(4), source.warmBuffer(5)];
  } finally {
    source.close();
  }
  // The carry's keys where the key table reads them: an open break the carry names
  // has its key there (its text was not read), and the carried keys are found by them.
  const partRefs = (carry?.parts ?? []).map((p) => {
    const r = p.keys.byteRefs('gk');
    return { r, b: keys.addBuffer(r.bytes) };
  });
  // Keys from here on (open breaks' keys) were not met in the period's rows.
  const periodKeys = keys.size;
  // Carried keys held apart, decided before any open key goes into the table (held-apart.ts).
  const heldApart = apart ? holdApart(carry!, apart, openKeys.text.length, keys, periodKeys) : null;
  const openTexts: string[] = [];
  for (const [, t] of openKeys.text.entries()) openTexts.push(t);
  const open = keys.addTexts(openTexts);
  const openKids = new Int32Array(openKeys.text.length);
  // Per part, per key of the part: its key id where found (-1: not yet). A key the
  // carry names for an open break is found here, and not looked up again below.
  const partKids = (carry?.parts ?? []).map((p) => new Int32Array(p.keys.n).fill(-1));
  // Open breaks are read in the order they opened, so their keys that are new to the table come in sequence too.
  for (let i = 0, t = 0, near = -1; i < openKids.length; i++) {
    let kid: number;
    if (heldApart?.open[i]) {
      // Held apart: no key id.
      openKids[i] = -1;
      continue;
    }
    if (openKeys.text.at(i) !== null) {
      kid = keys.lookup(open.b, open.start[t]!, open.len[t]!, true, near);
      t++;
    } else {
      const pr = partRefs[openKeys.part![i]!];
      const at = openKeys.place![i]!;
      if (!pr || !(pr.r.start[at]! >= 0)) throw new Error('loadRunRows: an open break the carry names has no key there');
      kid = partKids[openKeys.part![i]!]![at] = keys.lookup(pr.b, pr.r.start[at]!, pr.r.len[at]!, true, near);
    }
    near = (openKids[i] = kid) + 1;
  }
  keys.release(open.b);

  // The carried keys of the universe, and what each side must still look for in old blocks (covers, above).
  const carried = new Uint8Array(keys.size);
  // Per part, its live keys' ids: a key's rows are taken from the part it is live in
  // only (a key written again into a later part is dead in the earlier one).
  (carry?.parts ?? []).forEach((p, pi) => {
    const { r, b } = partRefs[pi]!;
    const kids = partKids[pi]!;
    // A part's keys were written in key-id order, mostly the order the open breaks were read in (above).
    let near = -1;
    const apart = heldApart?.places[pi];
    for (let i = 0; i < p.keys.n; i++) {
      if (!p.live[i] || apart?.[i]) continue;
      const kid = kids[i]! >= 0 ? kids[i]! : keys.lookup(b, r.start[i]!, r.len[i]!, false, near);
      if (kid < 0) continue;
      near = kid + 1;
      kids[i] = kid;
      carried[kid] = 1;
    }
    keys.release(b);
    p.keys.forgetDecoded();
  });
  // Small old blocks are asked by their summaries of the key table, the others by their
  // prefixes (old-block-probe.ts); worked out when a block is first asked.
  let oldChecks: ReturnType<typeof oldBlockChecks> | null = null;
  const checks = () => (oldChecks ??= oldBlockChecks([...spans.l, ...(borrow.size > 0 ? [] : spans.x)], (id) => periodIds.has(id), (id) => summaries.prefixLength(id)));
  // The keys looked for in old blocks: all of the universe's, or (in a block the carry
  // covers) those not carried; by prefix for the block, by hash for a block's summary.
  // Each is made when a block first asks for it (at week ten every old block is
  // covered, and the ~30 MB of all keys' hashes and ids were made for nothing), and
  // the hashes only when a block's prefixes let it through: at week ten none does, and
  // hashing the million keys not carried had cost 40–55 ms.
  // The ids of every key sought are listed only for their hashes, where a block's
  // prefixes let it through (at week ten none does: listing a million ids had cost
  // 8–17 ms); the prefixes need only the keys met after the period's rows.
  const soughtOf = (skip: Uint8Array | null) => {
    const sought = (from: number) => {
      let m = 0;
      for (let k = from; k < keys.size; k++) if (!skip || !skip[k]) m++;
      const kids = new Int32Array(m);
      for (let k = from, j = 0; k < keys.size; k++) if (!skip || !skip[k]) kids[j++] = k;
      return kids;
    };
    let size = 0;
    for (let k = 0; k < keys.size; k++) if (!skip || !skip[k]) size++;
    let hashes: KeyHashes | null = null;
    const hashed = () => {
      const kids = sought(0);
      const h = new Float64Array(kids.length);
      for (let j = 0; j < kids.length; j++) h[j] = keys.hashOf(kids[j]!);
      return new KeyHashes(h);
    };
    return { size, hashes: () => (hashes ??= hashed()), table: new TableHashes(keys, skip), prefixes: new RunPrefixes(keys, sought(periodKeys), { rows: periodKeyRows, skip, lengths: checks().lengths }) };
  };
  let allSought: ReturnType<typeof soughtOf> | null = null;
  let notCarriedSought: ReturnType<typeof soughtOf> | null = null;
  const all = () => (allSought ??= soughtOf(null));
  const notCarried = () => (carry ? (notCarriedSought ??= soughtOf(carried)) : all());
  const fresh = new Uint8Array(keys.size);
  const carriedRows = carry ? new CarriedRows(carry, covers, partKids, fresh, end, activeBatches, ids) : null;

  // Pass 2: every row of those keys up to the period's end, and the period's keyless rows.
  const read = (kind: ImportKind, side: 'l' | 'x', keyless: KeylessRow[]): SideRows => {
    const cover = covers[side] ? carry! : null;
    // The carry's rows of this side (what the rows below are merged with).
    const carriedRoom = (carriedRows?.rows(side) ?? 0) - (heldApart?.rows[side === 'l' ? 0 : 1] ?? 0);
    // This period's blocks, and the older ones that may hold one of the run's keys. With
    // vouchers lent to keyless external rows, the external side's old blocks are all read
    // (a keyless row has no key of its own in the summary). An old block the carry
    // covers (an earlier batch, dated before the carry's end) is looked at only for the
    // keys not carried. An old block read for a few keys has only those rows looked
    // at (`mask`); the arrays hold just the rows read.
    const plan: { id: number; mask: Uint8Array | null }[] = [];
    let capacity = 0;
    for (const info of spans[side]) {
      const id = info.id;
      let c: { mask: Uint8Array | null; count: number } | undefined;
      if (!kept.has(id) && !(side === 'x' && borrow.size > 0)) {
        const coveredBlock = cover !== null && batchOfBlock(id) <= cover.maxBatch && info.maxAt !== null && info.maxAt < cover.endText;
        const want = coveredBlock ? notCarried() : all();
        if (want.size === 0) continue;
        // Passed by, unread, when no key looked for begins with one of its keys' prefixes. A
        // block summarised before prefixes were kept is read for its keys' prefixes once.
        // A small block is asked by its summary (old-block-probe.ts); without one, as the others.
        if (checks().probed.has(id)) c = summaries.candidates(id, want.table);
        if (c === undefined) {
          const p = summaries.prefixes(id) ?? (summaries.has(id) ? summaries.rememberPrefixes(id, loadBlock(db, id).cols) : undefined);
          if (p && !want.prefixes.mayHold(p)) continue;
          c = summaries.candidates(id, want.hashes());
        }
        if (c && c.count === 0) continue;
      }
      plan.push({ id, mask: c ? c.mask : null });
      capacity += c ? c.count : info.n;
    }
    // Room for the carried rows too, before the rows read: they are merged in place
    // (carried-rows.ts), and those of earlier batches (as nearly all are) go before.
    const full = sideArrays(capacity + carriedRoom, rowsReady[side === 'l' ? 0 : 1] ?? null);
    const s = carriedRoom > 0 ? sideView(full, carriedRoom) : full;
    let n = 0;
    for (const { id, mask } of plan) {
      const k1 = kept.get(id);
      kept.delete(id);
      const b = k1?.block ?? loadBlock(db, id);
      const c = b.cols;
      // A block read with a mask has its summary already, and this period's blocks got theirs in pass 1.
      const refs = c.byteRefs('gk');
      const known = k1?.kid;
      if (!mask && !k1) summaries.remember(id, c);
      const buf = keys.addBuffer(refs.bytes);
      const at = c.num('event_at');
      const amount = c.num('amount_fen');
      const line = c.num('line');
      const blockNo = s.blocks.length;
      s.blocks.push(c);
      const first = n;
      // Rows the carry holds: of a carried key, in a batch it saw, dated before its end.
      const carriedBefore = cover !== null && b.batchId <= cover.maxBatch ? cover.end : -Infinity;
      let counts = perBatch.get(b.batchId);
      if (!counts) perBatch.set(b.batchId, (counts = { inPeriod: 0, unplaced: 0 }));
      for (let i = 0; i < c.n; i++) {
        if (mask && !mask[i]) continue;
        const t = at[i]!;
        const a = amount[i]!;
        // NaN fails both comparisons: rows without a date or an amount are not matched,
        // but counted (by the run of the period their block is dated in).
        if (Number.isNaN(t) || Number.isNaN(a)) {
          if (k1) counts.unplaced++;
          continue;
        }
        if (!(t < end)) continue;
        if (t >= start) counts.inPeriod++;
        let kid: number;
        if (refs.start[i]! >= 0) {
          // A row dated in the period got its id in pass 1; an older row's key may be an open one.
          kid = known && known[i]! >= 0 ? known[i]! : keys.lookup(buf, refs.start[i]!, refs.len[i]!, false);
        } else {
          const g = borrowed(kind, c, i);
          if (g === null) {
            if (t >= start && c.strAt('key', i) === null) {
              const y = c.num('pay_year')[i]!;
              keyless.push({ side, batch_id: b.batchId, line: line[i]!, amount_fen: a, certno: c.strAt('certno', i), insutype: c.strAt('insutype', i), pay_year: Number.isNaN(y) ? null : y, event_at: formatDateTime(t) });
            }
            continue;
          }
          kid = known && known[i]! >= 0 ? known[i]! : keys.lookupText(g, false);
        }
        if (kid < 0) continue;
        if (t < carriedBefore && carried[kid]) continue;
        fresh[kid] = 1;
        s.kid[n] = kid;
        s.batch[n] = b.batchId;
        s.line[n] = line[i]!;
        s.amount[n] = a;
        s.at[n] = t;
        s.block[n] = blockNo;
        s.index[n] = i;
        n++;
      }
      fillCodes(s, first, n, c, ids);
      if (mask) {
        // An old block read for a few keys: keep just their rows, let the block and its key bytes go.
        if (n === first) s.blocks.pop();
        else {
          s.blocks[blockNo] = subsetColumns(c, s.index.slice(first, n));
          for (let r = first; r < n; r++) s.index[r] = r - first;
        }
        keys.release(buf);
      }
      // The block's rows are in the side's arrays now: it is kept for the texts of
      // breaks (their bytes, which the key table points into too) and lets go of all
      // it decoded, at once, so the next block's reading reuses that memory (at a
      // million rows a side, 30–50 MB less at the run's peak than letting go per side).
      c.forgetDecoded();
    }
    s.n = n;
    return s;
  };
  const keyless = { l: [] as KeylessRow[], x: [] as KeylessRow[] };
  const l = read(kinds.l, 'l', keyless.l);
  const x = read(kinds.x, 'x', keyless.x);
  // Both sides' blocks are read, so every key with a fresh row is known: what is
  // held is decided before any carried row is taken.
  carriedRows?.markUntaken('l');
  carriedRows?.markUntaken('x');
  let held: HeldKeys | null = null;
  // Where keys were held apart, every key the run could hold was (the same rules, with
  // its rows' batches and dates and the period's keys asked of it first): the run holds
  // no more, and spends nothing on asking (some 15–20 ms at week ten, the part's
  // columns decoded again and a flag per key id made, to hold none).
  if (plan && !heldApart) {
    const keyedOpen = new Uint8Array(keys.size);
    for (let i = 0; i < openKids.length; i++) if (hold!.keyed[i] && openKids[i]! >= 0) keyedOpen[openKids[i]!] = 1;
    held = holdKeys(carry!, plan, partKids, { carried, fresh, keyedOpen }, dateTimeNumber(w.windowStart));
  }
  carriedRows?.take('l', l, held);
  carriedRows?.take('x', x, held);
  // The fallback pairs the earliest first, as the records were made.
  const byTime = (a: KeylessRow, b: KeylessRow) => (a.event_at < b.event_at ? -1 : a.event_at > b.event_at ? 1 : 0);
  keyless.l.sort(byTime);
  keyless.x.sort(byTime);
  const history = carry && covers.l && covers.x ? { carried, fresh, windowStart: carry.windowStart } : null;
  return { keys, openKids, texts, l, x, keyless, perBatch, history, partKids, held, heldApart, largest: plan?.largest ?? -1, blockReads: source.counts, aggregateRoom: [sumsReady[0] ?? null, sumsReady[1] ?? null] };
}
