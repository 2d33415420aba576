// A few rows of decoded blocks, kept on their own: a run that looks at three rows
// of an old block keeps those rows' texts and codes, not the whole block, for as
// long as it lasts (history would otherwise stay in memory whole); a run's carry
// (match/carry.ts) keeps the rows of its open keys from every block of the period.
import { DecodedColumns } from './column-decode';
import { encodeColumns, type ColumnData } from './column-encode';

/** The columns a run reads back from its rows after reading them (side-rows, classify-keys, collect-breaks). */
const TEXTS = ['key', 'sub_key', 'name', 'certno', 'status', 'insutype'] as const;
const NUMBERS = ['pay_year'] as const;

/** The rows `rows` (indices into `c`) as a block of their own, row r of the result being rows[r]. */
export function subsetColumns(c: DecodedColumns, rows: Int32Array): DecodedColumns {
  const cols: Record<string, ColumnData> = {};
  const inBlock = new Int32Array(rows.length);
  for (const name of TEXTS) if (c.has(name)) cols[name] = textOfRows([c], inBlock, rows, name);
  for (const name of NUMBERS) {
    if (!c.has(name)) continue;
    const all = c.num(name);
    cols[name] = { t: 'f64', values: Float64Array.from(rows, (i) => all[i]!) };
  }
  const bytes = encodeColumns(rows.length, cols);
  return new DecodedColumns(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * A text column of some rows (row r: index[r] of blocks[block[r]]) as a column of
 * a new block, its values' bytes copied as they lie: no string per value. A block
 * without the column (a kind's file may lack it) gives none.
 */
export function textOfRows(blocks: DecodedColumns[], block: Int32Array, index: Int32Array, col: string): ColumnData {
  const n = block.length;
  const v = byteValues(n);
  for (let r = 0; r < n; r++) {
    // Each block makes its references once and keeps them (rows of different blocks may alternate).
    const refs = blocks[block[r]!]!.byteRefsIfAny(col);
    const j = index[r]!;
    if (!refs || refs.start[j]! < 0) continue;
    v.from[r] = refs.bytes;
    v.start[r] = refs.start[j]!;
    v.len[r] = refs.len[j]!;
  }
  return packText(v);
}

/** Where each of n values lies as UTF-8 bytes (from[r] null: none). */
export interface ByteValues {
  n: number;
  from: (Uint8Array | null)[];
  start: Int32Array;
  len: Int32Array;
}

export const byteValues = (n: number): ByteValues => ({ n, from: new Array<Uint8Array | null>(n).fill(null), start: new Int32Array(n), len: new Int32Array(n) });

/** Values given as bytes, as a text column: the bytes copied, each value's length counted in UTF-16 units (the format's). */
export function packText(v: ByteValues): ColumnData {
  const { n, from, start, len } = v;
  const lens = new Int32Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) total += from[r] ? len[r]! : 0;
  const text = new Uint8Array(total);
  let at = 0;
  for (let r = 0; r < n; r++) {
    const bytes = from[r];
    if (!bytes) {
      lens[r] = -1;
      continue;
    }
    const st = start[r]!;
    const l = len[r]!;
    // Values are short (keys, ID numbers, names): a loop beats making a view of each.
    let units = 0;
    for (let k = 0; k < l; k++) {
      const b = bytes[st + k]!;
      text[at + k] = b;
      // A character's first byte counts (two units for one of four bytes); continuation bytes do not.
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    lens[r] = units;
    at += l;
  }
  return { t: 'text', lens, text };
}
