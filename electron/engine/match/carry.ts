// What a run leaves for the next one of its kind. Every open break's key is in
// the next run's universe, and its rows lie all over history: each week's
// unresolved breaks are spread over every block of that week, so a run had to
// open every old block again to take a few rows from each, and grew with the
// weeks kept. Instead each run stores the rows of the keys it leaves open
// (recon_carry, one per kind, in the block format), and the next run takes them
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
// not carried when external rows borrowed a key by voucher (the loan depends on
// the ledger rows of the day): that side is then read from history whole.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import { DecodedColumns } from '../rowstore/column-decode';
import { encodeColumns, type ColumnData } from '../rowstore/column-encode';
import { dateTimeNumber } from '../rowstore/column-format';
import { byteValues, packText, textOfRows } from '../rowstore/row-subset';
import type { KeyTable } from './key-table';
import type { RunTexts, SideRows } from './side-rows';

/**
 * The matcher's version as far as carries go: raised whenever the same rows would
 * give a break written differently (its type, fields, amounts, names or origins).
 * A carry of another version is not used (history is read, every break rewritten).
 */
export const CARRY_VERSION = 1;

export interface Carry {
  /** The carrying run's closing window start, YYYYMMDDHHmmss. */
  windowStart: number;
  /** The carrying run's period end, YYYYMMDDHHmmss, and as written. */
  end: number;
  endText: string;
  maxBatch: number;
  /** The carried keys (column `gk`): covered on a side whose rows are carried. */
  keys: DecodedColumns;
  l: DecodedColumns;
  /** Null: the external side is not carried. */
  x: DecodedColumns | null;
}

/** The kind's carry, or null (none yet, or one this build cannot read: history is then read as it is). */
export function loadCarry(db: Database, kind: ReconKind): Carry | null {
  const r = db.prepare('SELECT version, period_end, window_start, max_batch, keys, ledger, external FROM recon_carry WHERE kind = ?').get(kind) as
    | { version: number; period_end: string; window_start: string; max_batch: number; keys: Buffer; ledger: Buffer; external: Buffer | null }
    | undefined;
  if (!r || r.version !== CARRY_VERSION) return null;
  try {
    const end = dateTimeNumber(r.period_end);
    const windowStart = dateTimeNumber(r.window_start);
    if (Number.isNaN(end) || Number.isNaN(windowStart)) return null;
    return {
      windowStart,
      end,
      endText: r.period_end,
      maxBatch: r.max_batch,
      keys: new DecodedColumns(r.keys),
      l: new DecodedColumns(r.ledger),
      x: r.external ? new DecodedColumns(r.external) : null,
    };
  } catch {
    return null;
  }
}

/**
 * Replaces the kind's carry with the rows of this run's keys that are open breaks
 * now (`openKids`: 1 per key id with a break open after the run applied its breaks).
 * `carryExternal` false: the external side borrowed keys by voucher and is not carried.
 */
export function saveCarry(
  db: Database,
  kind: ReconKind,
  run: { runId: number; end: string; windowStart: string; keys: KeyTable; texts: RunTexts; l: SideRows; x: SideRows },
  openKids: Uint8Array,
  carryExternal: boolean,
): void {
  const openIds: number[] = [];
  for (let k = 0; k < openKids.length; k++) if (openKids[k]) openIds.push(k);
  const maxBatch = db.prepare('SELECT coalesce(max(id), 0) FROM import_batch').pluck().get() as number;
  const keys = encodeColumns(openIds.length, { gk: keyColumn(run.keys, openIds.length, (r) => openIds[r]!) });
  const side = (s: SideRows) => {
    let n = 0;
    for (let i = 0; i < s.n; i++) if (openKids[s.kid[i]!]) n++;
    const take = new Int32Array(n);
    for (let i = 0, r = 0; i < s.n; i++) if (openKids[s.kid[i]!]) take[r++] = i;
    return carryBlock(s, take, run.keys, run.texts);
  };
  const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  db.prepare('INSERT OR REPLACE INTO recon_carry (kind, run_id, version, period_end, window_start, max_batch, keys, ledger, external) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    kind,
    run.runId,
    CARRY_VERSION,
    run.end,
    run.windowStart,
    maxBatch,
    buf(keys),
    buf(side(run.l)),
    carryExternal ? buf(side(run.x)) : null,
  );
}

/** Rows of a side as a block: the columns the run reads from its rows, and each row's batch. */
function carryBlock(s: SideRows, take: Int32Array, keys: KeyTable, texts: RunTexts): Uint8Array {
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
    gk: keyColumn(keys, n, (r) => s.kid[take[r]!]!),
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
