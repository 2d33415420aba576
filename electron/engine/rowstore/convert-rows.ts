// Migration 10's conversion: the rows of source_row (one SQLite row each) into
// row_block blocks, batch by batch, in line order, with the same values.
import type { Database } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { NAME_FIELDS, STORED_COLUMNS } from '../ingest/row-normalizer';
import { BlockBuilder } from './block-builder';
import { writeBlock } from './block-store';

type OldRow = Record<string, string | number | null> & { batch_id: number; line: number; kind: ImportKind; gk: string | null; norm: string; raw: string | null; raw_off: number | null };

export function convertSourceRows(db: Database): number {
  let current: { batchId: number; kind: ImportKind; seq: number } | null = null;
  const builder = new BlockBuilder(STORED_COLUMNS);
  const flush = () => {
    if (current && builder.count) writeBlock(db, current.batchId, current.kind, current.seq++, builder.take());
  };
  let n = 0;
  for (const r of db.prepare('SELECT * FROM source_row ORDER BY batch_id, line').iterate() as IterableIterator<OldRow>) {
    if (!current || current.batchId !== r.batch_id) {
      flush();
      current = { batchId: r.batch_id, kind: r.kind, seq: 0 };
    }
    const norm = JSON.parse(r.norm) as Record<string, unknown>;
    const nameField = NAME_FIELDS.find((f) => typeof norm[f] === 'string');
    builder.add({
      line: r.line,
      offset: r.raw_off,
      gk: r.gk,
      cols: STORED_COLUMNS.map((c) => r[c] ?? null),
      name: nameField ? (norm[nameField] as string) : null,
      extra: r.norm,
      raw: r.raw,
    });
    if (builder.full) flush();
    n++;
  }
  flush();
  return n;
}
