// The imported file itself, kept in the store: cut into fixed pieces, each
// compressed (on libuv's thread pool, beside the import's own work) and stored
// in source_blob with the batch. A row keeps the byte offset of its record, so
// the raw record can be read back exactly as the file had it, in its own encoding,
// for the price of some 10–30 % of the file's size. The SHA-256 of the file is
// taken on the way, so a new file is read once.
//
// A text file's pieces are Brotli at quality 0 (import_batch.blob_codec 'br'): as
// small as deflate's fastest level on these files, in under half its time (a
// million-row ledger: 0.5 s of a core instead of 1.3 s, on a two-core machine that
// is also parsing). A workbook, already a zip, is stored (deflate level 0). Batches
// imported before the codec was recorded (NULL) are raw deflate.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { Database, Statement } from 'better-sqlite3';

export const BLOB_PIECE = 1 << 20;
const MAX_PENDING = 3;
const deflate = promisify(zlib.deflateRaw);
const brotli = promisify(zlib.brotliCompress);

/** How a batch's pieces are compressed: 'br' Brotli; null raw deflate (a workbook, and batches from before). */
export type BlobCodec = 'br' | null;

/** One stored piece back as the file's bytes. */
export function unpackPiece(data: Buffer, codec: BlobCodec | string | null): Buffer {
  return codec === 'br' ? zlib.brotliDecompressSync(data) : zlib.inflateRawSync(data);
}

// A piece's output in one buffer: zlib's default of 16 KB made a piece some twenty
// trips to the thread pool and back, each a callback and a buffer in this thread,
// then joined — 100 MB of a ledger took 1.05 s of CPU (0.43 s of it in this thread,
// which also writes the blocks) instead of 0.46 s (0.12 s). Room to spare for a
// piece that does not shrink (a workbook, stored at level 0: a few bytes more).
const OUT = { chunkSize: BLOB_PIECE + (64 << 10) };
const BROTLI_FAST = { ...OUT, params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 0, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: BLOB_PIECE } };
const STORED = { ...OUT, level: 0 };
const pack = (bytes: Buffer, codec: BlobCodec) => (codec === 'br' ? brotli(bytes, BROTLI_FAST) : deflate(bytes, STORED));
const packSync = (bytes: Buffer, codec: BlobCodec) => (codec === 'br' ? zlib.brotliCompressSync(bytes, BROTLI_FAST) : zlib.deflateRawSync(bytes, STORED));

export class SourceCopy {
  /** Pieces being compressed, in order; each settles into `done`. */
  private readonly pending: Promise<void>[] = [];
  private readonly done = new Map<number, Buffer>();
  private next = 0;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private readonly running = new Set<Promise<void>>();
  private count = 0;
  private readonly hash = createHash('sha256');

  /** null stores without compressing (deflate level 0): for a workbook, already a zip. */
  constructor(readonly codec: BlobCodec) {}

  /** Every byte of the file, in order. */
  tap = (chunk: Buffer): void => {
    this.hash.update(chunk);
    if (this.heldBytes === 0 && chunk.length === BLOB_PIECE) {
      // A whole piece as read (the copy of a split file reads exactly pieces): compressed
      // as it is, not first joined into a new megabyte.
      this.compress(chunk);
      return;
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    while (this.heldBytes >= BLOB_PIECE) {
      const all = Buffer.concat(this.held);
      this.compress(all.subarray(0, BLOB_PIECE));
      this.held = [all.subarray(BLOB_PIECE)];
      this.heldBytes = all.length - BLOB_PIECE;
    }
  };

  /**
   * On the thread pool while it keeps up; when pieces queue up behind it (reading
   * is faster than deflating), in this thread, so memory stays bounded.
   */
  private compress(bytes: Buffer): void {
    const seq = this.count++;
    if (this.running.size >= MAX_PENDING) {
      this.done.set(seq, packSync(bytes, this.codec));
      return;
    }
    const job: Promise<void> = pack(bytes, this.codec).then((d) => {
      this.done.set(seq, d);
      this.running.delete(job);
    });
    this.running.add(job);
    this.pending.push(job);
  }

  /** Resolves once fewer than MAX_PENDING pieces are being compressed (a reader that can wait, waits here). */
  async room(): Promise<void> {
    while (this.running.size >= MAX_PENDING) await Promise.race(this.running);
  }

  /** The pieces finished so far, in order from the last taken: the caller stores them and lets them go. */
  take(): { seq: number; data: Buffer }[] {
    const out: { seq: number; data: Buffer }[] = [];
    for (let d = this.done.get(this.next); d; d = this.done.get(this.next)) {
      this.done.delete(this.next);
      out.push({ seq: this.next++, data: d });
    }
    return out;
  }

  /** Once the whole file has been seen: the last pieces, and the file's SHA-256. */
  async finish(): Promise<{ pieces: { seq: number; data: Buffer }[]; sha256: string }> {
    if (this.heldBytes > 0) this.compress(Buffer.concat(this.held));
    this.held = [];
    await Promise.all(this.pending);
    return { pieces: this.take(), sha256: this.hash.digest('hex') };
  }
}

/** A whole file's copy and SHA-256, read here (while other threads parse it); finished pieces go to `piece` as they come. */
export async function copySourceFile(file: string, piece: (seq: number, data: Buffer) => void, signal?: AbortSignal): Promise<string> {
  const copy = new SourceCopy('br');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: BLOB_PIECE, signal }) as AsyncIterable<Buffer>) {
    // Read no faster than the thread pool compresses: this thread stays free for the parsing threads' blocks.
    await copy.room();
    copy.tap(chunk);
    for (const p of copy.take()) piece(p.seq, p.data);
  }
  const end = await copy.finish();
  for (const p of end.pieces) piece(p.seq, p.data);
  return end.sha256;
}

/** Stores one piece of a file with its batch (inside the import's transaction). */
export function storePiece(db: Database, batchId: number, seq: number, data: Uint8Array): void {
  let insert = inserts.get(db);
  if (!insert) inserts.set(db, (insert = db.prepare('INSERT INTO source_blob (id, batch_id, seq, data) VALUES (?, ?, ?, ?)')));
  insert.run(blobId(batchId, seq), batchId, seq, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/** The statement, prepared once per connection: prepared for each piece, it measured some 0.1 s of a 150 MB file's import in the profile. */
const inserts = new WeakMap<Database, Statement>();

export const blobId = (batchId: number, seq: number): number => batchId * 1048576 + seq;
