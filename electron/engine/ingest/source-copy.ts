// The imported file itself, kept in the store: cut into fixed pieces, each
// raw-deflated (on libuv's thread pool, beside the import's own work) and stored
// in source_blob with the batch. A row keeps the byte offset of its record, so
// the raw record can be read back exactly as the file had it, in its own encoding,
// for the price of some 10 % of the file's size.
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';

export const BLOB_PIECE = 1 << 20;
const deflate = promisify(zlib.deflateRaw);

export class SourceCopy {
  private readonly pieces: Promise<Buffer>[] = [];
  private held: Buffer[] = [];
  private heldBytes = 0;

  /** Every byte of the file, in order. */
  tap = (chunk: Buffer): void => {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    while (this.heldBytes >= BLOB_PIECE) {
      const all = Buffer.concat(this.held);
      this.pieces.push(deflate(all.subarray(0, BLOB_PIECE), { level: 1 }));
      this.held = [all.subarray(BLOB_PIECE)];
      this.heldBytes = all.length - BLOB_PIECE;
    }
  };

  /** Stores the pieces with the batch (inside the import's transaction). */
  async store(db: Database, batchId: number): Promise<void> {
    if (this.heldBytes > 0) this.pieces.push(deflate(Buffer.concat(this.held), { level: 1 }));
    this.held = [];
    const insert = db.prepare('INSERT INTO source_blob (id, batch_id, seq, data) VALUES (?, ?, ?, ?)');
    for (let seq = 0; seq < this.pieces.length; seq++) insert.run(blobId(batchId, seq), batchId, seq, await this.pieces[seq]!);
    db.prepare('UPDATE import_batch SET blob_piece = ? WHERE id = ?').run(BLOB_PIECE, batchId);
  }
}

export const blobId = (batchId: number, seq: number): number => batchId * 1048576 + seq;
