// A stored row's canonical fields without a column of their own: each kept in
// a column of the block's `extra` blob, named `.` + field (rows stored before
// blocks keep theirs as one JSON text, column `extra`).
import type { DecodedColumns } from './column-decode';

/** The `extra` column of a field. */
export const extraColumn = (field: string) => '.' + field;

/** A stored row's fields without a column, from its block's `extra` columns. */
export function otherFields(extra: DecodedColumns, i: number): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const name of extra.names()) {
    if (name === 'extra') {
      const json = extra.strAt('extra', i);
      if (json) Object.assign(out, JSON.parse(json));
    } else if (name.startsWith('.')) {
      const v = extra.value(name, i);
      if (v !== null) out[name.slice(1)] = v;
    }
  }
  return out;
}
