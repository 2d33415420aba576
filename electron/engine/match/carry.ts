// What a run leaves for the next one of its kind. Every open break's key is in
// the next run's universe, and its rows lie all over history: each week's
// unresolved breaks are spread over every block of that week, so a run had to
// open every old block again to take a few rows from each, and grew with the
// weeks kept. Instead each run stores the rows of the keys it leaves open
// (recon_carry and its parts, in the block format), and the next run takes them
// from there.
//
// What a carry holds, exactly: for each of its keys, every row of that key with a
// date before `end` in the batches up to `maxBatch` that were active when it was
// written (a run's own rows of the key). So the next run, for a carried key:
//   · takes the carry's rows still in an active batch and dated before its own end;
//   · takes from stored blocks only rows of later batches (> maxBatch) or dated
//     on or after `end`, and skips the rest (they are the carry's);
// and a key not carried (new this period, or an open break the carrying run did not
// look at) is looked for in history as before (block-keys). The external side is
// not carried when keys were lent by voucher (the loan depends on the ledger rows
// of the day): that side is then read from history whole.
//
// Parts: most open keys of a week are still open, exactly as they were, the week
// after (at week ten, 130,000 of 148,000), and their rows are then exactly the
// carried ones. Writing them again each week was most of what a run spent on its
// carry, so a carry is kept in parts: a run writes a part with the rows of the keys
// it newly leaves open (new, or changed), and marks in the older parts which of
// their keys are still carried from there (`live`, a byte per key). When the parts
// are mostly dead, the run writes the whole carry as one part again; when they are
// many, it writes the keys of all but the largest part into its own.
//
// Held keys: a part also keeps what each key's break came to, and a run holds a
// carried key none of whose rows changed instead of reading its rows again
// (held-keys.ts). A held key is never written again: a run that holds keys keeps
// them in their parts (it holds none when the carry is to be written whole, and
// only the kept part's when parts are merged).
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import { DecodedColumns } from '../rowstore/column-decode';
import { encodeColumns, type ColumnData } from '../rowstore/column-encode';
import { dateTimeNumber, I32_NONE } from '../rowstore/column-format';
import { byteValues, packText, textOfRows } from '../rowstore/row-subset';
import type { KeyTable } from './key-table';
import type { RunRows, RunTexts, SideRows } from './side-rows';
import { HOLD_COLUMNS, holdColumns, type HeldKeys } from './held-keys';
import type { KeyedBreaks } from './keyed-breaks';
import type { CarriedBreakIds } from './apply-breaks';

/**
 * The matcher's version as far as carries go: raised whenever the same rows would
 * give a break written differently (its type, fields, amounts, names or origins).
 * A carry of another version is not used (history is read, every break rewritten).
 */
export const CARRY_VERSION = 4;

/** A run that finds this many parts merges all but the largest into the part it writes (a run reads every part). */
export const MAX_CARRY_PARTS = 8;
/** MAX_CARRY_PARTS, or GONGJI_CARRY_PARTS (≥ 2) where set: tests set it low so that merging is exercised in a few runs. */
export const maxCarryParts = (): number => {
  const v = Number(process.env.GONGJI_CARRY_PARTS);
  return Number.isInteger(v) && v >= 2 ? v : MAX_CARRY_PARTS;
};

/** Rows of some carried keys, as one run wrote them. */
export interface CarryPart {
  runId: number;
  /** The part's keys (column `gk`), one per key, with what their breaks came to (held-keys.ts). */
  keys: DecodedColumns;
  /** Per key: 1 while the key is carried from this part (0: closed since, or carried from a later part). */
  live: Uint8Array;
  l: DecodedColumns;
  /** Null: the external side is not carried. */
  x: DecodedColumns | null;
}

export interface Carry {
  /** The carrying run's closing window start, YYYYMMDDHHmmss. */
  windowStart: number;
  /** The carrying run's period end, YYYYMMDDHHmmss, and as written. */
  end: number;
  endText: string;
  maxBatch: number;
  /** In the order written; a key is live in one part at most. */
  parts: CarryPart[];
  /** Whether the external side is carried (by every part). */
  external: boolean;
}

/** The kind's carry, or null (none yet, or one this build cannot read: history is then read as it is). */
export function loadCarry(db: Database, kind: ReconKind): Carry | null {
  const r = db.prepare('SELECT version, period_end, window_start, max_batch FROM recon_carry WHERE kind = ?').get(kind) as
    | { version: number; period_end: string; window_start: string; max_batch: number }
    | undefined;
  if (!r || r.version !== CARRY_VERSION) return null;
  try {
    const end = dateTimeNumber(r.period_end);
    const windowStart = dateTimeNumber(r.window_start);
    if (Number.isNaN(end) || Number.isNaN(windowStart)) return null;
    // A part without its marks is no carry this build wrote (its length check below fails).
    const rows = db
      .prepare('SELECT p.run_id, p.keys, l.live, p.ledger, p.external FROM recon_carry_part p LEFT JOIN recon_carry_live l ON l.kind = p.kind AND l.run_id = p.run_id WHERE p.kind = ? ORDER BY p.run_id')
      .all(kind) as {
      run_id: number;
      keys: Buffer;
      live: Buffer | null;
      ledger: Buffer;
      external: Buffer | null;
    }[];
    const parts = rows.map((p) => ({
      runId: p.run_id,
      keys: new DecodedColumns(p.keys),
      live: p.live ? new Uint8Array(p.live) : new Uint8Array(0),
      l: new DecodedColumns(p.ledger),
      x: p.external ? new DecodedColumns(p.external) : null,
    }));
    // A part whose liveness does not cover its keys is not a carry this build wrote.
    if (parts.some((p) => p.live.length !== p.keys.n || HOLD_COLUMNS.some((c) => !p.keys.has(c)) || !p.l.has('ki') || (p.x && !p.x.has('ki')))) return null;
    return { windowStart, end, endText: r.period_end, maxBatch: r.max_batch, parts, external: parts.every((p) => p.x !== null) };
  } catch {
    return null;
  }
}

/**
 * The open breaks the carry names, with where each one's key lies: part `part[c]`,
 * its key `place[c]` there (a live key's own break, as the carrying run left it).
 */
export function carriedBreakIds(carry: Carry): CarriedBreakIds & { part: Int32Array; place: Int32Array } {
  const room = carry.parts.reduce((n, p) => n + p.keys.n, 0);
  const out = { n: 0, bid: new Float64Array(room), part: new Int32Array(room), place: new Int32Array(room) };
  carry.parts.forEach((p, pi) => {
    // As stored (none: NaN, or I32_NONE where stored as ints).
    const bid = p.keys.wholes('bid');
    for (let i = 0; i < p.keys.n; i++) {
      if (!p.live[i] || !Number.isInteger(bid[i]!) || bid[i] === I32_NONE) continue;
      out.bid[out.n] = bid[i]!;
      out.part[out.n] = pi;
      out.place[out.n++] = i;
    }
  });
  return out;
}

/**
 * Leaves the kind's carry holding the rows of this run's keys that are open breaks
 * now (`openKids`: 1 per key id with a break open after the run applied its breaks).
 * `carryExternal` false: the external side borrowed keys by voucher and is not carried.
 * `from`: the carry the run read and, per part and key, the key's id in the run
 * where it was taken from that part (-1 otherwise); with `history` (the run's
 * rows of both sides covered by that carry), a key still open whose rows were all
 * carried, none fresh, stays in its part and only the other open keys are written.
 */
export function saveCarry(
  db: Database,
  kind: ReconKind,
  run: { runId: number; end: string; windowStart: string; keys: KeyTable; texts: RunTexts; l: SideRows; x: SideRows; history: RunRows['history']; breaks: KeyedBreaks; breakIds: Float64Array; duplicateKids: number[] },
  openKids: Uint8Array,
  carryExternal: boolean,
  from: {
    carry: Carry;
    partKids: Int32Array[];
    held: HeldKeys | null;
    /** Per part, per key: 1 where held apart (held-apart.ts: no key id in the run, kept where it is); null: none. */
    apart?: Uint8Array[] | null;
    largest: number;
  } | null,
): void {
  const maxBatch = db.prepare('SELECT coalesce(max(id), 0) FROM import_batch').pluck().get() as number;
  const h = run.history;
  // Kept where it lies: open, and its rows exactly the carried ones (so exactly what a part would hold again).
  const keep = new Uint8Array(openKids.length);
  let kept = 0;
  if (from && h && carryExternal && from.carry.external) {
    for (let k = 0; k < openKids.length; k++) {
      if (openKids[k] && h.carried[k] && !h.fresh[k]) {
        keep[k] = 1;
        kept++;
      }
    }
  }
  // Keys held apart stay where they are, live (they have no key id here).
  const apart = from?.apart ?? null;
  const apartIn = apart ? apart.map((places) => places.reduce((n, v) => n + v, 0)) : [];
  if (apart) {
    if (!(h && carryExternal && from!.carry.external)) throw new Error('saveCarry: keys held apart without a carry of both sides');
    kept += apartIn.reduce((a, b) => a + b, 0);
  }
  // Per older part, how many of its keys stay there; and how many places the parts have.
  const liveIn = kept ? from!.partKids.map((kids, pi) => kids.reduce((n, kid) => n + (kid >= 0 && keep[kid] ? 1 : 0), apartIn[pi] ?? 0)) : [];
  const livePlaces = liveIn.reduce((a, b) => a + b, 0);
  const places = kept ? from!.partKids.reduce((n, kids) => n + kids.length, 0) : 0;
  // A run that held keys has not their rows: they stay where they are (its plan,
  // holdPlan, held none where the carry was to be written whole, and only the
  // largest part's where parts were to be merged).
  const held = from?.held && from.held.n > 0 ? from.held : null;
  const holding = held !== null || apart !== null;
  // Written whole: no carry to keep from, or more dead places than live ones.
  const whole = !holding && (kept === 0 || livePlaces * 2 < places);
  if (whole) keep.fill(0);
  else if (from!.carry.parts.length >= maxCarryParts()) {
    // Too many parts: the keys of all but the largest go into the part written now
    // (the large one, usually weeks of open breaks, is not written again for the few
    // weeks' worth of keys piled up beside it).
    const largest = holding ? from!.largest : liveIn.indexOf(Math.max(...liveIn));
    from!.partKids.forEach((kids, pi) => {
      if (pi === largest) return;
      for (const kid of kids) if (kid >= 0) keep[kid] = 0;
      // Its rows were never read: it cannot be written into the new part.
      if (apartIn[pi]) throw new Error('saveCarry: a key held apart is in a part not kept');
    });
  }
  const write = new Uint8Array(openKids.length);
  const writeIds: number[] = [];
  for (let k = 0; k < openKids.length; k++) {
    if (openKids[k] && !keep[k]) {
      // A held key's rows were never read: written here, it would be written without them.
      if (held && held.at[k]! >= 0) throw new Error('saveCarry: a held key is not kept where it is');
      write[k] = 1;
      writeIds.push(k);
    }
  }
  const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  if (whole) db.prepare('DELETE FROM recon_carry_part WHERE kind = ?').run(kind);
  else {
    // The older parts: each key still live only where it is kept; a part with none left goes.
    // The marks live apart from the part's rows (recon_carry_live): updating them rewrites only them.
    const setLive = db.prepare('UPDATE recon_carry_live SET live = ? WHERE kind = ? AND run_id = ?');
    const drop = db.prepare('DELETE FROM recon_carry_part WHERE kind = ? AND run_id = ?');
    from!.carry.parts.forEach((p, pi) => {
      const kids = from!.partKids[pi]!;
      const live = new Uint8Array(kids.length);
      let any = false;
      const apartHere = apart?.[pi];
      for (let i = 0; i < kids.length; i++) {
        if ((kids[i]! >= 0 && keep[kids[i]!]) || apartHere?.[i]) {
          live[i] = 1;
          any = true;
        }
      }
      if (!any) drop.run(kind, p.runId);
      else setLive.run(buf(live), kind, p.runId);
    });
  }
  if (writeIds.length) {
    // Each row's key by its place among the part's keys.
    const place = new Int32Array(openKids.length);
    writeIds.forEach((k, r) => (place[k] = r));
    const side = (s: SideRows) => {
      let n = 0;
      for (let i = 0; i < s.n; i++) if (write[s.kid[i]!]) n++;
      const take = new Int32Array(n);
      for (let i = 0, r = 0; i < s.n; i++) if (write[s.kid[i]!]) take[r++] = i;
      return carryBlock(s, take, run.texts, place);
    };
    const kidOf = (r: number) => writeIds[r]!;
    const keys = encodeColumns(writeIds.length, {
      gk: keyColumn(run.keys, writeIds.length, kidOf),
      ...holdColumns({ ids: writeIds, write, place }, run.breaks, run.breakIds, run.duplicateKids, run.l, run.x),
    });
    db.prepare('INSERT INTO recon_carry_part (kind, run_id, keys, ledger, external) VALUES (?, ?, ?, ?, ?)').run(kind, run.runId, buf(keys), buf(side(run.l)), carryExternal ? buf(side(run.x)) : null);
    db.prepare('INSERT INTO recon_carry_live (kind, run_id, live) VALUES (?, ?, ?)').run(kind, run.runId, buf(new Uint8Array(writeIds.length).fill(1)));
  }
  db.prepare(
    `INSERT INTO recon_carry (kind, run_id, version, period_end, window_start, max_batch) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET run_id = excluded.run_id, version = excluded.version, period_end = excluded.period_end,
       window_start = excluded.window_start, max_batch = excluded.max_batch`,
  ).run(kind, run.runId, CARRY_VERSION, run.end, run.windowStart, maxBatch);
}

/** Rows of a side as a block: the columns the run reads from its rows, each row's batch, and its key as its place among the part's keys (`ki`; `place` by key id). */
function carryBlock(s: SideRows, take: Int32Array, texts: RunTexts, place: Int32Array): Uint8Array {
  const n = take.length;
  const num = (a: Float64Array | Int32Array): ColumnData => {
    const values = new Float64Array(n);
    for (let r = 0; r < n; r++) values[r] = a[take[r]!]!;
    return { t: 'f64', values };
  };
  const strings = (of: (i: number) => string | null): ColumnData => {
    const values = new Array<string | null>(n);
    for (let r = 0; r < n; r++) values[r] = of(take[r]!);
    return { t: 'str', values };
  };
  // Each taken row's block and index there, for its texts.
  const block = new Int32Array(n);
  const index = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    block[r] = s.block[take[r]!]!;
    index[r] = s.index[take[r]!]!;
  }
  const copied = (col: string) => textOfRows(s.blocks, block, index, col);
  return encodeColumns(n, {
    batch: num(s.batch),
    line: num(s.line),
    event_at: num(s.at),
    amount_fen: num(s.amount),
    pay_year: num(s.payYear),
    ki: { t: 'f64', values: Float64Array.from(take, (i) => place[s.kid[i]!]!) },
    key: copied('key'),
    sub_key: copied('sub_key'),
    name: copied('name'),
    certno: copied('certno'),
    status: strings((i) => texts.of(s.status[i]!)),
    insutype: strings((i) => texts.of(s.insutype[i]!)),
  });
}

/** The keys of n key ids (row r: key id `kidOf(r)`) as a text column, their bytes copied from where the key table has them. */
function keyColumn(keys: KeyTable, n: number, kidOf: (r: number) => number): ColumnData {
  const v = byteValues(n);
  for (let r = 0; r < n; r++) {
    const kid = kidOf(r);
    v.from[r] = keys.bufferOf(kid);
    v.start[r] = keys.startOf(kid);
    v.len[r] = keys.lengthOf(kid);
  }
  return packText(v);
}
