// Which old blocks a run must read. A run needs this period's rows and every
// earlier row of the keys it decides (a refund this week of last week's payment);
// reading every block of history for those few made a run's time and memory grow
// with the weeks kept. Each block's match keys are summarised as 32-bit hashes
// (block_keys, written the first time a run reads the block), and an old block is
// read again only if one of its hashes is a key of this run. A hash can collide (a
// block is then read for nothing), never miss: a key's rows are always found.
import type { Database } from 'better-sqlite3';
import type { DecodedColumns } from '../rowstore/column-decode';

/** FNV-1a over a key's UTF-8 bytes. */
export function keyHash(bytes: Uint8Array, start: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = start, end = start + len; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export function textHash(key: string): number {
  const b = Buffer.from(key, 'utf8');
  return keyHash(b, 0, b.length);
}

/** The run's keys as a bitmap of their hashes (2^24 bits, 2 MB): membership in one step. */
export class KeyHashSet {
  private readonly bits = new Uint32Array(1 << 19);
  add(h: number): void {
    const i = h & 0xffffff;
    this.bits[i >>> 5]! |= 1 << (i & 31);
  }
  has(h: number): boolean {
    const i = h & 0xffffff;
    return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
}

/** The hashes of a block's match keys (rows without one have none). */
export function hashesOf(c: DecodedColumns): Uint32Array {
  const refs = c.byteRefs('gk');
  const out = new Uint32Array(c.n);
  let k = 0;
  for (let i = 0; i < c.n; i++) if (refs.start[i]! >= 0) out[k++] = keyHash(refs.bytes, refs.start[i]!, refs.len[i]!);
  return out.slice(0, k);
}

export class BlockKeys {
  private readonly getQ;
  private readonly putQ;
  constructor(db: Database) {
    this.getQ = db.prepare('SELECT hashes FROM block_keys WHERE block_id = ?').pluck();
    this.putQ = db.prepare('INSERT OR REPLACE INTO block_keys (block_id, hashes) VALUES (?, ?)');
  }

  /** Whether the block may hold one of the run's keys; undefined when it has no summary yet (read it). */
  mayHold(blockId: number, keys: KeyHashSet): boolean | undefined {
    const b = this.getQ.get(blockId) as Buffer | undefined;
    if (!b) return undefined;
    for (let i = 0; i + 4 <= b.length; i += 4) if (keys.has(b.readUInt32LE(i))) return true;
    return false;
  }

  /** Records the block's summary, once. */
  remember(blockId: number, c: DecodedColumns): void {
    if (this.getQ.get(blockId)) return;
    const h = hashesOf(c);
    this.putQ.run(blockId, Buffer.from(h.buffer, h.byteOffset, h.byteLength));
  }
}
