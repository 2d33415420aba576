// The lines a text file had above its header (an extract's title such as
// "税务对账中间库共济代缴明细 2025年第47周"), read back from the batch's stored copy:
// the tax feedback repeats them, so the bureau recognises its own file.
import type { Database } from 'better-sqlite3';
import type { TextEncoding } from './detect-text';
import { blobId, unpackPiece } from './source-copy';
import { decoderFor } from './text-decoding';
import { cellsOf } from './text-reader';

/** How far down a header is looked for (as the import does). */
const HEAD_LINES = 30;

export function titleLines(db: Database, batchId: number): string[] {
  const b = db.prepare('SELECT encoding, delimiter, header, blob_piece, blob_codec FROM import_batch WHERE id = ?').get(batchId) as
    | { encoding: string; delimiter: string | null; header: string | null; blob_piece: number | null; blob_codec: string | null }
    | undefined;
  // A workbook or JSON document has no title lines to repeat; a headerless file has no header to find.
  if (!b?.delimiter || !b.header || !b.blob_piece) return [];
  const data = db.prepare('SELECT data FROM source_blob WHERE id = ?').pluck().get(blobId(batchId, 0)) as Buffer | undefined;
  if (!data) return [];
  const text = decoderFor(b.encoding as TextEncoding)(unpackPiece(data, b.blob_codec).subarray(0, 64 * 1024)).replace(/^\uFEFF/, '');
  const header = JSON.parse(b.header) as string[];
  const lines = text.split('\n').slice(0, HEAD_LINES).map((l) => l.replace(/\r$/, ''));
  const at = lines.findIndex((l) => {
    const cells = cellsOf(l, b.delimiter!).map((c) => c.trim());
    return cells.length >= header.length && header.every((h, i) => cells[i] === h.trim());
  });
  return at > 0 ? lines.slice(0, at).filter((l) => l.trim() !== '') : [];
}
