// The imported file itself, kept in the store: cut into fixed pieces, each
// raw-deflated (on libuv's thread pool, beside the import's own work) and stored
// in source_blob with the batch. A row keeps the byte offset of its record, so
// the raw record can be read back exactly as the file had it, in its own encoding,
// for the price of some 10 % of the file's size. The SHA-256 of the file is taken
// on the way, so a new file is read once.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';

export const BLOB_PIECE = 1 << 20;
const MAX_PENDING = 3;
const deflate = promisify(zlib.deflateRaw);

export class SourceCopy {
  private readonly pieces: Promise<Buffer>[] = [];
  private held: Buffer[] = [];
  private heldBytes = 0;
  private pending = 0;
  private readonly hash = createHash('sha256');

  /** `level` 0 stores without compressing: for a workbook, already a zip. */
  constructor(private readonly level = 1) {}

  /** Every byte of the file, in order. */
  tap = (chunk: Buffer): void => {
    this.hash.update(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    while (this.heldBytes >= BLOB_PIECE) {
      const all = Buffer.concat(this.held);
      this.pieces.push(this.compress(all.subarray(0, BLOB_PIECE)));
      this.held = [all.subarray(BLOB_PIECE)];
      this.heldBytes = all.length - BLOB_PIECE;
    }
  };

  /**
   * On the thread pool while it keeps up; when pieces queue up behind it (reading
   * is faster than deflating), in this thread, so memory stays bounded.
   */
  private compress(bytes: Buffer): Promise<Buffer> {
    if (this.pending >= MAX_PENDING) return Promise.resolve(zlib.deflateRawSync(bytes, { level: this.level }));
    this.pending++;
    return deflate(bytes, { level: this.level }).finally(() => this.pending--);
  }

  /** The compressed pieces, in order, and the file's SHA-256, once the whole file has been seen. */
  async finish(): Promise<{ pieces: Buffer[]; sha256: string }> {
    if (this.heldBytes > 0) this.pieces.push(this.compress(Buffer.concat(this.held)));
    this.held = [];
    return { pieces: await Promise.all(this.pieces), sha256: this.hash.digest('hex') };
  }
}

/** A whole file's copy and SHA-256, read here (while other threads parse it). */
export async function copySourceFile(file: string): Promise<{ pieces: Buffer[]; sha256: string }> {
  const copy = new SourceCopy(1);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: BLOB_PIECE }) as AsyncIterable<Buffer>) copy.tap(chunk);
  return copy.finish();
}

/** Stores a file's pieces with its batch (inside the import's transaction). */
export function storePieces(db: Database, batchId: number, pieces: Buffer[]): void {
  const insert = db.prepare('INSERT INTO source_blob (id, batch_id, seq, data) VALUES (?, ?, ?, ?)');
  pieces.forEach((data, seq) => insert.run(blobId(batchId, seq), batchId, seq, data));
  db.prepare('UPDATE import_batch SET blob_piece = ? WHERE id = ?').run(BLOB_PIECE, batchId);
}

export const blobId = (batchId: number, seq: number): number => batchId * 1048576 + seq;
