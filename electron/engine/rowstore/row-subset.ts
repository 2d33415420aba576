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
 * a new block, its values' bytes copied as they lie where the column is ASCII (no
 * string per value), decoded and sliced where it is not. A block without the
 * column (a kind's file may lack it) gives none.
 */
export function textOfRows(blocks: DecodedColumns[], block: Int32Array, index: Int32Array, col: string): ColumnData {
  const n = block.length;
  const lens = new Int32Array(n);
  // Where each value lies (bytes, start, length); a value read as a string is kept as bytes of its own.
  const from: (Uint8Array | null)[] = new Array(n).fill(null);
  const start = new Int32Array(n);
  const len = new Int32Array(n);
  let total = 0;
  // Each block's references once (rows of different blocks may alternate).
  const refsOf = new Map<number, ReturnType<DecodedColumns['asciiRefs']>>();
  let last = -1;
  let b: DecodedColumns | null = null;
  let refs: ReturnType<DecodedColumns['asciiRefs']> = null;
  for (let r = 0; r < n; r++) {
    const bn = block[r]!;
    if (bn !== last) {
      last = bn;
      const c = blocks[bn]!;
      b = c.has(col) ? c : null;
      if (!refsOf.has(bn)) refsOf.set(bn, b ? b.asciiRefs(col) : null);
      refs = refsOf.get(bn)!;
    }
    lens[r] = -1;
    if (!b) continue;
    const j = index[r]!;
    if (refs) {
      if (refs.start[j]! < 0) continue;
      from[r] = refs.bytes;
      start[r] = refs.start[j]!;
      len[r] = lens[r] = refs.len[j]!;
    } else {
      const v = b.strAt(col, j);
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
