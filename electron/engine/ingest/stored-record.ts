// One stored row as people read it: every canonical field (the JSON plus the
// typed columns) and the raw cells as the file had them, with the file it came from.
import type { Database } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { makeRawReader, rowId, type StoredRaw } from './raw-record';
import { fullRecord, STORED_COLUMNS } from './row-normalizer';

export interface StoredRecord {
  kind: ImportKind;
  batchId: number;
  line: number;
  norm: Record<string, string | number | null>;
  raw: string[];
  fileName: string;
  header: string[] | null;
}

type Row = StoredRaw & Record<(typeof STORED_COLUMNS)[number], string | number | null> & { kind: ImportKind; norm: string; file_name: string; header: string | null };

/** A reader of stored rows by (batch, line); null for a row that is not (or no longer) stored. */
export function makeRecordReader(db: Database): (batchId: number, line: number) => StoredRecord | null {
  const q = db.prepare(
    `SELECT s.kind, s.norm, s.raw, s.raw_off, s.batch_id, ${STORED_COLUMNS.map((c) => 's.' + c).join(', ')}, b.file_name, b.header
     FROM source_row s JOIN import_batch b ON b.id = s.batch_id WHERE s.id = ?`,
  );
  const rawOf = makeRawReader(db);
  return (batchId, line) => {
    const r = q.get(rowId(batchId, line)) as Row | undefined;
    if (!r) return null;
    return { kind: r.kind, batchId, line, norm: fullRecord(r.kind, r, r.norm), raw: rawOf(r), fileName: r.file_name, header: r.header ? (JSON.parse(r.header) as string[]) : null };
  };
}

export function readStoredRecord(db: Database, batchId: number, line: number): StoredRecord | null {
  return makeRecordReader(db)(batchId, line);
}
