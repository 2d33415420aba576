// One stored row as people read it: every canonical field (the JSON plus the
// typed columns) and the raw cells as the file had them, with the file it came from.
import type { Database } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { RowLookup, type RowRef } from '../rowstore/block-store';
import { otherFields } from '../rowstore/other-fields';
import { makeRawReader, type StoredRaw } from './raw-record';
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

/** What the raw reader needs of a stored row: its cells (XLSX) or its byte offset (text). */
export function storedRaw(r: RowRef): StoredRaw {
  return { batch_id: r.batchId, raw: r.extra().strAt('raw', r.index), raw_off: r.cols.value('raw_off', r.index) as number | null };
}

/** A reader of stored rows by (batch, line); null for a row that is not (or no longer) stored. */
export function makeRecordReader(db: Database): (batchId: number, line: number) => StoredRecord | null {
  const lookup = new RowLookup(db);
  const batchQ = db.prepare('SELECT file_name, header FROM import_batch WHERE id = ?');
  const rawOf = makeRawReader(db);
  return (batchId, line) => {
    const r = lookup.get(batchId, line);
    if (!r) return null;
    const b = batchQ.get(batchId) as { file_name: string; header: string | null };
    const columns = Object.fromEntries(STORED_COLUMNS.map((c) => [c, r.cols.value(c, r.index)]));
    return { kind: r.kind, batchId, line, norm: fullRecord(r.kind, columns, otherFields(r.extra(), r.index)), raw: rawOf(storedRaw(r)), fileName: b.file_name, header: b.header ? (JSON.parse(b.header) as string[]) : null };
  };
}

export function readStoredRecord(db: Database, batchId: number, line: number): StoredRecord | null {
  return makeRecordReader(db)(batchId, line);
}
