// Writes an import's rows: many rows per INSERT statement (one call into SQLite
// per BATCH rows instead of one per row, which at a million rows is most of the
// cost of binding), in rowid order, so the table only ever appends.
import type { Database, Statement } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { rowId } from './raw-record';
import type { NormalizedRow } from './row-normalizer';
import type { SourceRow } from './table-source';

const COLUMNS = ['id', 'batch_id', 'line', 'kind', 'gk', 'key', 'sub_key', 'ref_key', 'amount_fen', 'status', 'certno', 'insutype', 'pay_year', 'event_at', 'norm', 'raw', 'raw_off'];
const WIDTH = COLUMNS.length;
const BATCH = 64;

export interface RowWriter {
  add(row: SourceRow, n: NormalizedRow): void;
  /** Writes what is held; call before commit. */
  flush(): void;
}

export function makeRowWriter(db: Database, batchId: number, kind: ImportKind, keepCells: boolean): RowWriter {
  const statement = (rows: number): Statement =>
    db.prepare(`INSERT INTO source_row (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ')}`);
  const many = statement(BATCH);
  const one = statement(1);
  const values: unknown[] = new Array(BATCH * WIDTH);
  let held = 0;
  return {
    add(row, n) {
      let k = held * WIDTH;
      values[k++] = rowId(batchId, row.line);
      values[k++] = batchId;
      values[k++] = row.line;
      values[k++] = kind;
      values[k++] = n.gk;
      for (let i = 0; i < n.cols.length; i++) values[k++] = n.cols[i];
      values[k++] = n.extra;
      // Text rows are read back from the stored file at their offset.
      values[k++] = keepCells || row.offset === undefined ? JSON.stringify(row.cells) : null;
      values[k++] = row.offset ?? null;
      if (++held === BATCH) {
        many.run(values);
        held = 0;
      }
    },
    flush() {
      for (let i = 0; i < held; i++) one.run(values.slice(i * WIDTH, (i + 1) * WIDTH));
      held = 0;
    },
  };
}
