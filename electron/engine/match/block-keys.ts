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
import type { SummaryTest } from './key-hashes';

/** The hash of each row's match key, in row order (NaN for a row without one). */
export function hashesOf(c: DecodedColumns): Float64Array {
  const refs = c.byteRefs('gk');
  const out = new Float64Array(c.n);
  for (let i = 0; i < c.n; i++) out[i] = refs.start[i]! < 0 ? NaN : keyHash(refs.bytes, refs.start[i]!, refs.len[i]!);
  return out;
}

/** A blob of 8-byte hashes as numbers (copied: the blob's bytes need not be aligned). */
function hashesFrom(b: Buffer): Float64Array {
  const h = new Float64Array(b.length >>> 3);
  new Uint8Array(h.buffer).set(b.subarray(0, h.length * 8));
  return h;
}

export class BlockKeys {
  private readonly getQ;
  private readonly hasQ;
  private readonly putQ;
  private readonly prefixQ;
  private readonly hasPrefixQ;
  private readonly putPrefixQ;
  private readonly allPrefixQ;
  /**
   * The prefixes of every block the run may ask about (of its kinds, dated before its
   * end), read in one query when it first asks: a query per old block had cost some
   * 15 µs apiece, 20–40 ms a run at ten weeks (1,200 blocks and more, growing with the
   * weeks kept). Blocks given prefixes since are added as they are (putPrefixes).
   */
  private all: Map<number, BlockPrefixes> | null = null;
  constructor(
    db: Database,
    private readonly scope: { kinds: readonly string[]; to: string },
  ) {
    this.allPrefixQ = db
      .prepare(
        `SELECT p.block_id, p.len, p.hashes FROM row_block b JOIN block_prefixes p ON p.block_id = b.id
         WHERE b.kind IN (${scope.kinds.map(() => '?').join(', ')}) AND (b.min_at IS NULL OR b.min_at < ?)`,
      )
      .raw();
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
  candidates(blockId: number, keys: SummaryTest): { mask: Uint8Array | null; count: number } | undefined {
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
    const known = this.scoped().get(blockId);
    if (known) return known;
    // Outside the scope, or without prefixes yet: asked alone.
    const r = this.prefixQ.get(blockId) as { len: number; hashes: Buffer } | undefined;
    return r && { len: r.len, hashes: hashesFrom(r.hashes) };
  }

  /**
   * The prefix length of a block in the run's scope (its kinds, dated before its end), or
   * undefined for one without prefixes: from the scope's prefixes read at once, no
   * query of its own (a block of the scope without prefixes has none to find).
   */
  prefixLength(blockId: number): number | undefined {
    return this.scoped().get(blockId)?.len;
  }

  /** The prefixes of the scope's blocks, read in one query the first time they are asked for. */
  private scoped(): Map<number, BlockPrefixes> {
    if (!this.all) {
      this.all = new Map();
      const rows = this.allPrefixQ.iterate(...this.scope.kinds, this.scope.to) as IterableIterator<[number, number, Buffer]>;
      for (const [id, len, hashes] of rows) this.all.set(id, { len, hashes: hashesFrom(hashes) });
    }
    return this.all;
  }

  /** Records the prefixes of a block's keys (read for them, or read whole) unless it has them; `common`: its keys' commons, where made already. */
  rememberPrefixes(blockId: number, c: DecodedColumns, common?: KeyCommons): BlockPrefixes {
    const p = blockPrefixes(c.byteRefs('gk'), c.n, common);
    this.putPrefixes(blockId, p);
    return p;
  }

  /** Whether the block's prefixes are recorded (a block without is given them as it is read). */
  hasPrefixes(blockId: number): boolean {
    return this.hasPrefixQ.get(blockId) !== undefined;
  }

  private putPrefixes(blockId: number, p: BlockPrefixes): void {
    if (this.all && !this.all.has(blockId)) this.all.set(blockId, p);
    this.putPrefixQ.run(blockId, p.len, Buffer.from(p.hashes.buffer, p.hashes.byteOffset, p.hashes.byteLength));
  }

  /**
   * Records the summary and prefixes of a block read whole, unless it has them (this
   * period's blocks are read whole either way). `summary`: its rows' hashes, where the
   * run has made them already (hashesOf's result); `made`: its keys' commons and
   * prefixes, where made as it was read (period-block.ts). Returns its keys' commons where
   * they were made for its prefixes (a block new to the run), else null.
   */
  remember(blockId: number, c: DecodedColumns, summary?: Float64Array, made?: { common: KeyCommons; prefixes: BlockPrefixes } | null): KeyCommons | null {
    let common: KeyCommons | null = null;
    if (!this.hasPrefixes(blockId)) {
      if (made) {
        this.putPrefixes(blockId, made.prefixes);
        common = made.common;
      } else this.rememberPrefixes(blockId, c, (common = keyCommons(c.byteRefs('gk'), c.n)));
    }
    if (this.has(blockId)) return common;
    const h = summary ?? hashesOf(c);
    this.putQ.run(blockId, Buffer.from(h.buffer, h.byteOffset, h.byteLength));
    return common;
  }
}
