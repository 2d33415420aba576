// Which old blocks a run must read. A run needs this period's rows and every
// earlier row of the keys it decides (a refund this week of last week's payment);
// reading every block of history for those few made a run's time and memory grow
// with the weeks kept. Each block's match keys are summarised as 53-bit hashes
// (block_keys, written the first time a run reads the block), and an old block is
// read again only if one of its hashes is a key of this run. A hash can collide (a
// block is then read for nothing), never miss: a key's rows are always found.
import type { Database } from 'better-sqlite3';
import type { DecodedColumns } from '../rowstore/column-decode';
import { blockPrefixes, keyCommons, type BlockPrefixes, type KeyCommons } from './key-prefixes';
import { keyHash } from './key-hash';

/** The hash of each row's match key, in row order (NaN for a row without one). */
export function hashesOf(c: DecodedColumns): Float64Array {
  const refs = c.byteRefs('gk');
  const out = new Float64Array(c.n);
  for (let i = 0; i < c.n; i++) out[i] = refs.start[i]! < 0 ? NaN : keyHash(refs.bytes, refs.start[i]!, refs.len[i]!);
  return out;
}

/**
 * A run's key hashes, with a bitmap of them in front: checking an old block's
 * summary against the run's keys is one bit test per row, and only the rare row
 * whose bit is set is looked up exactly, in an open-addressing table of the
 * hashes (one probe or two; a binary search of a million sorted hashes cost
 * twenty cache misses a row and was most of a history scan's time). A summary
 * scan covers every row of history, so it must cost next to nothing per row; the
 * bitmap and the table are built only when a block is first checked.
 */
export class KeyHashes {
  private table: Float64Array | null = null;
  private scratch = new Float64Array(0);
  private bits: Uint32Array = new Uint32Array(0);
  private shift = 0;

  constructor(private readonly hashes: Float64Array) {}

  get size(): number {
    return this.hashes.length;
  }

  /** The rows of a summary (hashes in row order) that hold one of these keys (mask null when none does, as for most blocks). */
  matches(summary: Buffer): { mask: Uint8Array | null; count: number } {
    const n = summary.length >>> 3;
    // Copied out (a buffer from SQLite need not be aligned for a Float64Array) into
    // one array kept for every block: a scan of history would otherwise make and drop
    // as many bytes again as the summaries hold, and each drop of that much memory
    // outside the heap asks for a full garbage collection.
    if (this.scratch.length < n) this.scratch = new Float64Array(n);
    const f = this.scratch;
    new Uint8Array(f.buffer, 0, n * 8).set(summary.subarray(0, n * 8));
    const words = new Uint32Array(f.buffer);
    const table = this.prepare();
    const bits = this.bits;
    const shift = this.shift;
    const last = table.length - 1;
    let mask: Uint8Array | null = null;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const m = mix(words[2 * i]!, words[2 * i + 1]!);
      const b = m >>> shift;
      if ((bits[b >>> 5]! & (1 << (b & 31))) === 0) continue;
      // Linear probing from the slot of the hash's mix; an empty slot (-1: hashes are ≥ 0) ends it.
      const h = f[i]!;
      for (let s = m & last; ; s = (s + 1) & last) {
        const v = table[s]!;
        if (v === h) {
          mask ??= new Uint8Array(n);
          mask[i] = 1;
          count++;
          break;
        }
        if (v === -1) break;
      }
    }
    return { mask, count };
  }

  /** The bitmap (about 32 bits per key: a row of another key passes it about once in 32) and the table (at most half full). */
  private prepare(): Float64Array {
    if (this.table) return this.table;
    const hashes = this.hashes;
    let log = 16;
    while (log < 30 && 1 << log < hashes.length * 32) log++;
    this.shift = 32 - log;
    const bits = new Uint32Array(1 << (log - 5));
    let slots = 1 << 10;
    while (slots < hashes.length * 2) slots <<= 1;
    const table = new Float64Array(slots).fill(-1);
    const last = slots - 1;
    const w = new Uint32Array(hashes.buffer, hashes.byteOffset, hashes.length * 2);
    for (let i = 0; i < hashes.length; i++) {
      const m = mix(w[2 * i]!, w[2 * i + 1]!);
      const b = m >>> this.shift;
      bits[b >>> 5]! |= 1 << (b & 31);
      let s = m & last;
      while (table[s] !== -1 && table[s] !== hashes[i]) s = (s + 1) & last;
      table[s] = hashes[i]!;
    }
    this.bits = bits;
    return (this.table = table);
  }
}

/** A hash's two words as stored, mixed (any fixed mix of its bits will do): its bitmap slot from the high bits, its table slot from the low. */
const mix = (lo: number, hi: number) => Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0;

export class BlockKeys {
  private readonly getQ;
  private readonly hasQ;
  private readonly putQ;
  private readonly prefixQ;
  private readonly hasPrefixQ;
  private readonly putPrefixQ;
  private readonly lengthsQ;
  constructor(db: Database) {
    this.lengthsQ = db.prepare('SELECT DISTINCT len FROM block_prefixes').pluck();
    this.getQ = db.prepare('SELECT hashes FROM block_keys WHERE block_id = ?').pluck();
    this.hasQ = db.prepare('SELECT 1 FROM block_keys WHERE block_id = ?').pluck();
    this.putQ = db.prepare('INSERT INTO block_keys (block_id, hashes) VALUES (?, ?)');
    this.prefixQ = db.prepare('SELECT len, hashes FROM block_prefixes WHERE block_id = ?');
    this.hasPrefixQ = db.prepare('SELECT 1 FROM block_prefixes WHERE block_id = ?').pluck();
    this.putPrefixQ = db.prepare('INSERT OR IGNORE INTO block_prefixes (block_id, len, hashes) VALUES (?, ?, ?)');
  }

  /**
   * The block's rows that may hold one of the run's keys (1 in the mask) and how
   * many (none: mask null); undefined when the block has no summary yet (read it whole).
   */
  candidates(blockId: number, keys: KeyHashes): { mask: Uint8Array | null; count: number } | undefined {
    const b = this.getQ.get(blockId) as Buffer | undefined;
    if (!b) return undefined;
    return keys.matches(b);
  }

  /** Whether the block has a summary (a run has read it). */
  has(blockId: number): boolean {
    return this.hasQ.get(blockId) !== undefined;
  }

  /** The prefixes of the block's keys (key-prefixes), or undefined when not yet known. */
  prefixes(blockId: number): BlockPrefixes | undefined {
    const r = this.prefixQ.get(blockId) as { len: number; hashes: Buffer } | undefined;
    if (!r) return undefined;
    const h = new Float64Array(r.hashes.length >>> 3);
    new Uint8Array(h.buffer).set(r.hashes.subarray(0, h.length * 8));
    return { len: r.len, hashes: h };
  }

  /** The lengths blocks' prefixes have (few: one or two per kind of key), for a run to make its own at all of them at once. */
  prefixLengths(): number[] {
    return this.lengthsQ.all() as number[];
  }

  /** Records the prefixes of a block's keys (read for them, or read whole) unless it has them; `common`: its keys' commons, where made already. */
  rememberPrefixes(blockId: number, c: DecodedColumns, common?: KeyCommons): BlockPrefixes {
    const p = blockPrefixes(c.byteRefs('gk'), c.n, common);
    this.putPrefixQ.run(blockId, p.len, Buffer.from(p.hashes.buffer, p.hashes.byteOffset, p.hashes.byteLength));
    return p;
  }

  /**
   * Records the summary and prefixes of a block read whole, unless it has them (this
   * period's blocks are read whole either way). `summary`: its rows' hashes, where the
   * run has made them already (hashesOf's result). Returns its keys' commons where
   * they were made for its prefixes (a block new to the run), else null.
   */
  remember(blockId: number, c: DecodedColumns, summary?: Float64Array): KeyCommons | null {
    let common: KeyCommons | null = null;
    if (this.hasPrefixQ.get(blockId) === undefined) this.rememberPrefixes(blockId, c, (common = keyCommons(c.byteRefs('gk'), c.n)));
    if (this.has(blockId)) return common;
    const h = summary ?? hashesOf(c);
    this.putQ.run(blockId, Buffer.from(h.buffer, h.byteOffset, h.byteLength));
    return common;
  }
}
