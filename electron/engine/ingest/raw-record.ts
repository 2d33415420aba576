// A stored row's raw record as the file had it: the cells of an XLSX row (kept as
// JSON), or a text record read back from the batch's copy of the file at the
// row's byte offset, decoded in the file's encoding and split as the import did.
import type { Database } from 'better-sqlite3';
import type { TextEncoding } from './detect-text';
import { blobId, unpackPiece } from './source-copy';
import { decoderFor, type Decode } from './text-decoding';
import { cellsOf } from './text-reader';

/** (batch_id << 32) | line: one number that orders stored rows as their files do. */
export const rowId = (batchId: number, line: number): number => batchId * 4294967296 + line;

/** An origin as breaks keep it, `batch:line`. */
export const parseOrigin = (origin: string): { batchId: number; line: number } => {
  const [batchId, line] = origin.split(':').map(Number);
  return { batchId: batchId!, line: line! };
};

/** The row order of an origin as breaks keep it, `batch:line`. */
export const originRowId = (origin: string): number => {
  const o = parseOrigin(origin);
  return rowId(o.batchId, o.line);
};

export interface StoredRaw {
  batch_id: number;
  raw: string | null;
  raw_off: number | null;
}

/**
 * A reader for many rows at once (an export of breaks): the last few inflated
 * pieces are kept, as rows of a batch cluster in its pieces.
 */
export function makeRawReader(db: Database): (row: StoredRaw) => string[] {
  const batchQ = db.prepare('SELECT encoding, delimiter, blob_piece, blob_codec FROM import_batch WHERE id = ?');
  const pieceQ = db.prepare('SELECT data FROM source_blob WHERE id = ?').pluck();
  const batches = new Map<number, { decode: Decode; delimiter: string; piece: number; codec: string | null }>();
  const cache = new Map<number, Buffer | null>();
  const piece = (batchId: number, seq: number): Buffer | null => {
    const id = blobId(batchId, seq);
    let b = cache.get(id);
    if (b === undefined) {
      const data = pieceQ.get(id) as Buffer | undefined;
      b = data ? unpackPiece(data, batches.get(batchId)?.codec ?? null) : null;
      if (cache.size >= 4) cache.delete(cache.keys().next().value!);
      cache.set(id, b);
    }
    return b;
  };
  return (row) => {
    if (row.raw !== null) return JSON.parse(row.raw) as string[];
    if (row.raw_off === null) return [];
    let info = batches.get(row.batch_id);
    if (!info) {
      const b = batchQ.get(row.batch_id) as { encoding: string; delimiter: string; blob_piece: number; blob_codec: string | null } | undefined;
      if (!b?.blob_piece) return [];
      info = { decode: decoderFor(b.encoding as TextEncoding), delimiter: b.delimiter, piece: b.blob_piece, codec: b.blob_codec };
      batches.set(row.batch_id, info);
    }
    let seq = Math.floor(row.raw_off / info.piece);
    let bytes = piece(row.batch_id, seq)?.subarray(row.raw_off % info.piece);
    if (!bytes) return [];
    // Whole lines until the record's quotes balance (nearly always the first line).
    // Quotes are counted line by line as each line completes (the quote byte is never
    // part of a character in these encodings), and the record decoded once: counting
    // and decoding the whole record again for each line took time quadratic in its lines.
    let from = 0;
    let lineStart = 0;
    let quotes = 0;
    for (;;) {
      const nl = bytes.indexOf(10, from);
      if (nl < 0) {
        const next = piece(row.batch_id, ++seq);
        if (next) {
          from = bytes.length;
          bytes = Buffer.concat([bytes, next]);
          continue;
        }
      }
      const end = nl < 0 ? bytes.length : nl;
      for (let q = bytes.indexOf(0x22, lineStart); q >= 0 && q < end; q = bytes.indexOf(0x22, q + 1)) quotes++;
      if (nl < 0 || quotes % 2 === 0) {
        let text = info.decode(bytes.subarray(0, end)).replace(/\r(?=\n|$)/g, '');
        if (row.raw_off === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        return cellsOf(text, info.delimiter);
      }
      from = lineStart = nl + 1;
    }
  };
}
