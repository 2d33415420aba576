// A few rows of a decoded block, kept on their own: a run that looks at three rows
// of an old block keeps those rows' texts and codes, not the whole block, for as
// long as it lasts (history would otherwise stay in memory whole).
import { DecodedColumns } from './column-decode';
import { encodeColumns, type ColumnData } from './column-encode';

/** The columns a run reads back from its rows after reading them (side-rows, classify-keys, collect-breaks). */
const TEXTS = ['key', 'sub_key', 'name', 'certno', 'status', 'insutype'] as const;
const NUMBERS = ['pay_year'] as const;

/** The rows `rows` (indices into `c`) as a block of their own, row r of the result being rows[r]. */
export function subsetColumns(c: DecodedColumns, rows: Int32Array): DecodedColumns {
  const cols: Record<string, ColumnData> = {};
  for (const name of TEXTS) if (c.has(name)) cols[name] = { t: 'str', values: Array.from(rows, (i) => c.strAt(name, i)) };
  for (const name of NUMBERS) {
    if (!c.has(name)) continue;
    const all = c.num(name);
    cols[name] = { t: 'f64', values: Float64Array.from(rows, (i) => all[i]!) };
  }
  const bytes = encodeColumns(rows.length, cols);
  return new DecodedColumns(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
