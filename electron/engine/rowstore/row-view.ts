// Stored rows as a temporary SQL table, for the work that reads few rows and is
// clearest in SQL (the policy checks, the clearing lines): the rows asked for are
// copied out of their blocks into temp.source_row, with the columns and the JSON
// of the other fields (`norm`) as they were before rows moved into blocks.
import type { Database } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { STORED_COLUMNS } from '../ingest/row-normalizer';
import { blockIds, loadBlock } from './block-store';
import { DecodedColumns } from './column-decode';
import { otherFields } from './other-fields';
import { batchedInsert } from '../store/batched-insert';

export interface RowSelection {
  kinds: readonly ImportKind[];
  /** Only rows dated in [from, to). */
  from?: string;
  to?: string;
  /** Only rows whose match key passes. */
  keep?: (gk: string | null) => boolean;
}

const COLUMNS = ['batch_id', 'line', 'kind', 'gk', ...STORED_COLUMNS, 'norm'];
// Numbers cross from JavaScript as doubles: INTEGER affinity keeps 5 from reading as 5.0.
const INTEGERS = new Set(['batch_id', 'line', 'amount_fen', 'pay_year']);

/** (Re)creates temp.source_row holding the selected rows; returns how many. */
export function materializeRows(db: Database, selections: RowSelection[]): number {
  db.exec('DROP TABLE IF EXISTS temp.source_row');
  db.exec(`CREATE TEMP TABLE source_row (${COLUMNS.map((c) => (INTEGERS.has(c) ? `${c} INTEGER` : c)).join(', ')})`);
  const insert = batchedInsert(db, 'INSERT INTO temp.source_row', `(${COLUMNS.map(() => '?').join(', ')})`, COLUMNS.length);
  const extraQ = db.prepare('SELECT extra FROM row_block WHERE id = ?').pluck();
  let n = 0;
  for (const sel of selections) {
    for (const id of blockIds(db, sel.kinds, { from: sel.from, to: sel.to })) {
      const b = loadBlock(db, id);
      const c = b.cols;
      const at = c.str('event_at');
      const gk = c.str('gk');
      let extra: DecodedColumns | null = null;
      for (let i = 0; i < c.n; i++) {
        const t = at[i] ?? null;
        if (sel.from !== undefined && (t === null || t < sel.from)) continue;
        if (sel.to !== undefined && (t === null || t >= sel.to)) continue;
        if (sel.keep && !sel.keep(gk[i] ?? null)) continue;
        extra ??= new DecodedColumns(extraQ.get(id) as Buffer);
        insert.add([b.batchId, c.value('line', i), b.kind, gk[i] ?? null, ...STORED_COLUMNS.map((col) => c.value(col, i)), JSON.stringify(otherFields(extra, i))]);
        n++;
      }
    }
  }
  insert.flush();
  return n;
}

export function dropRowView(db: Database): void {
  db.exec('DROP TABLE IF EXISTS temp.source_row');
}
