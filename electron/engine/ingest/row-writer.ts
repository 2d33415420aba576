// Writes an import's rows: many rows per INSERT statement (one call into SQLite
// per BATCH rows instead of one per row, which at a million rows is most of the
// cost of binding), in rowid order, so the table only ever appends.
import type { Database, Statement } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { unpack, type PackedBatch } from './packed-rows';
import { rowId } from './raw-record';

const COLUMNS = ['id', 'batch_id', 'line', 'kind', 'gk', 'key', 'sub_key', 'ref_key', 'amount_fen', 'status', 'certno', 'insutype', 'pay_year', 'event_at', 'norm', 'raw', 'raw_off'];
const WIDTH = COLUMNS.length;
const BATCH = 64;

export interface RowWriter {
  addBatch(batch: PackedBatch): void;
  /** Writes what is held; call before commit. */
  flush(): void;
}

export function makeRowWriter(db: Database, batchId: number, kind: ImportKind): RowWriter {
  const statement = (rows: number): Statement =>
    db.prepare(`INSERT INTO source_row (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ')}`);
  const many = statement(BATCH);
  const one = statement(1);
  const values: unknown[] = new Array(BATCH * WIDTH);
  let held = 0;
  return {
    addBatch(batch) {
      unpack(batch, (r) => {
        let k = held * WIDTH;
        values[k++] = rowId(batchId, r.line);
        values[k++] = batchId;
        values[k++] = r.line;
        values[k++] = kind;
        values[k++] = r.gk;
        for (let i = 0; i < 9; i++) values[k++] = r.cols[i];
        values[k++] = r.extra;
        values[k++] = r.raw;
        values[k++] = r.offset;
        if (++held === BATCH) {
          many.run(values);
          held = 0;
        }
      });
    },
    flush() {
      for (let i = 0; i < held; i++) one.run(values.slice(i * WIDTH, (i + 1) * WIDTH));
      held = 0;
    },
  };
}
