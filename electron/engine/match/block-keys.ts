// Which old blocks a run must read. A run needs this period's rows and every
// earlier row of the keys it decides (a refund this week of last week's payment);
// reading every block of history for those few made a run's time and memory grow
// with the weeks kept. Each block's match keys are summarised as 53-bit hashes
// (block_keys, written the first time a run reads the block), and an old block is
// read again only if one of its hashes is a key of this run. A hash can collide (a
// block is then read for nothing), never miss: a key's rows are always found.
import type { Database } from 'better-sqlite3';
import type { DecodedColumns } from '../rowstore/column-decode';

/**
 * A key's 53-bit hash (two independent 32-bit FNV-style hashes, one cut to 21
 * bits): exact as a JS number, and with a run's hundreds of thousands of keys a
 * block of 16,384 other keys is taken for a holder about once in a hundred
 * thousand blocks. (32 bits would send every other old block to be read.)
 */
export function keyHash(bytes: Uint8Array, start: number, len: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = start, end = start + len; i < end; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 2097152 + ((b >>> 0) >>> 11);
}

export function textHash(key: string): number {
  const b = Buffer.from(key, 'utf8');
  return keyHash(b, 0, b.length);
}

/** The hash of each row's match key, in row order (NaN for a row without one). */
export function hashesOf(c: DecodedColumns): Float64Array {
  const refs = c.byteRefs('gk');
  const out = new Float64Array(c.n);
  for (let i = 0; i < c.n; i++) out[i] = refs.start[i]! >= 0 ? keyHash(refs.bytes, refs.start[i]!, refs.len[i]!) : NaN;
  return out;
}

export class BlockKeys {
  private readonly getQ;
  private readonly hasQ;
  private readonly putQ;
  constructor(db: Database) {
    this.getQ = db.prepare('SELECT hashes FROM block_keys WHERE block_id = ?').pluck();
    this.hasQ = db.prepare('SELECT 1 FROM block_keys WHERE block_id = ?').pluck();
    this.putQ = db.prepare('INSERT INTO block_keys (block_id, hashes) VALUES (?, ?)');
  }

  /**
   * The block's rows that may hold one of the run's keys (1 in the mask) and how
   * many; undefined when the block has no summary yet (read it whole).
   */
  candidates(blockId: number, keys: Set<number>): { mask: Uint8Array; count: number } | undefined {
    const b = this.getQ.get(blockId) as Buffer | undefined;
    if (!b) return undefined;
    const mask = new Uint8Array(b.length >>> 3);
    let count = 0;
    for (let i = 0; i < mask.length; i++) {
      if (keys.has(b.readDoubleLE(i * 8))) {
        mask[i] = 1;
        count++;
      }
    }
    return { mask, count };
  }

  /** Records the summary of a block read whole, unless it has one (this period's blocks are read whole either way). */
  remember(blockId: number, c: DecodedColumns): void {
    if (this.hasQ.get(blockId)) return;
    const h = hashesOf(c);
    this.putQ.run(blockId, Buffer.from(h.buffer, h.byteOffset, h.byteLength));
  }
}
