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
import type { KeyTable } from './key-table';
import type { RunTexts, SideRows } from './side-rows';

/**
 * The matcher's version as far as carries go: raised whenever the same rows would
 * give a break written differently (its type, fields, amounts, names or origins).
 * A carry of another version is not used (history is read, every break rewritten).
 */
export const CARRY_VERSION = 1;

export interface Carry {
  runId: number;
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
  const r = db.prepare('SELECT run_id, version, period_end, window_start, max_batch, keys, ledger, external FROM recon_carry WHERE kind = ?').get(kind) as
    | { run_id: number; version: number; period_end: string; window_start: string; max_batch: number; keys: Buffer; ledger: Buffer; external: Buffer | null }
    | undefined;
  if (!r || r.version !== CARRY_VERSION) return null;
  try {
    const end = dateTimeNumber(r.period_end);
    const windowStart = dateTimeNumber(r.window_start);
    if (Number.isNaN(end) || Number.isNaN(windowStart)) return null;
    return {
      runId: r.run_id,
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
  const keyTexts: string[] = [];
  for (let k = 0; k < openKids.length; k++) if (openKids[k]) keyTexts.push(run.keys.text(k));
  const maxBatch = db.prepare('SELECT coalesce(max(id), 0) FROM import_batch').pluck().get() as number;
  const keys = encodeColumns(keyTexts.length, { gk: { t: 'str', values: keyTexts } });
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
  return encodeColumns(n, {
    batch: num(s.batch),
    line: num(s.line),
    event_at: num(s.at),
    amount_fen: num(s.amount),
    pay_year: num(s.payYear),
    gk: strings((i) => keys.text(s.kid[i]!)),
    key: copiedText(s, take, 'key'),
    sub_key: copiedText(s, take, 'sub_key'),
    name: copiedText(s, take, 'name'),
    certno: copiedText(s, take, 'certno'),
    status: strings((i) => texts.of(s.status[i]!)),
    insutype: strings((i) => texts.of(s.insutype[i]!)),
  });
}

/**
 * A text column of the rows taken, its values' bytes copied from their blocks as
 * they lie (no string per value where the column is ASCII: the rows come from
 * every block of the period). A block without the column (a kind's file may lack
 * it) gives none.
 */
function copiedText(s: SideRows, take: Int32Array, col: 'key' | 'sub_key' | 'name' | 'certno'): ColumnData {
  const n = take.length;
  const lens = new Int32Array(n);
  // Where each value lies (its block's bytes, start, length); a value read as a string (a column of names) is kept as bytes of its own.
  const from: (Uint8Array | null)[] = new Array(n).fill(null);
  const start = new Int32Array(n);
  const len = new Int32Array(n);
  let total = 0;
  // Each block's byte form once (carried rows and a block's rows alternate in file order).
  const formOf = new Map<number, { block: DecodedColumns | null; refs: ReturnType<DecodedColumns['utf8Refs']> }>();
  let lastBlock = -1;
  let block: DecodedColumns | null = null;
  let refs: ReturnType<DecodedColumns['utf8Refs']> = null;
  for (let r = 0; r < n; r++) {
    const i = take[r]!;
    const bn = s.block[i]!;
    if (bn !== lastBlock) {
      lastBlock = bn;
      let f = formOf.get(bn);
      if (!f) {
        const b = s.blocks[bn]!;
        const has = b.has(col) ? b : null;
        formOf.set(bn, (f = { block: has, refs: has ? has.utf8Refs(col, { asciiOnly: true }) : null }));
      }
      block = f.block;
      refs = f.refs;
    }
    lens[r] = -1;
    if (!block) continue;
    const j = s.index[i]!;
    if (refs) {
      if (refs.start[j]! < 0) continue;
      from[r] = refs.bytes;
      start[r] = refs.start[j]!;
      len[r] = refs.len[j]!;
      lens[r] = refs.units[j]!;
    } else {
      const v = block.strAt(col, j);
      if (v === null) continue;
      const bytes = Buffer.from(v, 'utf8');
      from[r] = bytes;
      len[r] = bytes.length;
      lens[r] = v.length;
    }
    total += len[r]!;
  }
  const text = new Uint8Array(total);
  let at = 0;
  for (let r = 0; r < n; r++) {
    const bytes = from[r];
    if (!bytes) continue;
    const st = start[r]!;
    const l = len[r]!;
    // Values are short (keys, ID numbers): a loop beats making a view of each.
    for (let k = 0; k < l; k++) text[at + k] = bytes[st + k]!;
    at += l;
  }
  return { t: 'text', lens, text };
}
