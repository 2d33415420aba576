// A run's key hashes as a set: asked of a block's summary row by row (the history
// scan, block-keys.ts) or of one hash at a time (the run's prefixes, key-prefixes.ts).

/** What a block's summary is asked (BlockKeys.candidates): which of its rows' hashes are a key the run looks for. */
export interface SummaryTest {
  /** The rows of a summary (hashes in row order) that hold one of the keys (mask null when none does, as for most blocks). */
  matches(summary: Buffer): { mask: Uint8Array | null; count: number };
}

/** A summary's hashes (8 bytes each) as numbers, in `scratch` where it has room (else a new array): a buffer from SQLite need not be aligned. */
export function summaryHashes(summary: Buffer, scratch: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const n = summary.length >>> 3;
  const f = scratch.length >= n ? scratch : new Float64Array(n);
  new Uint8Array(f.buffer, 0, n * 8).set(summary.subarray(0, n * 8));
  return f;
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
export class KeyHashes implements SummaryTest {
  private table: Float64Array | null = null;
  private scratch = new Float64Array(0);
  private bits: Uint32Array = new Uint32Array(0);
  private shift = 0;
  /** One hash and its two words, for `has`. */
  private readonly one = new Float64Array(1);
  private readonly oneWords = new Uint32Array(this.one.buffer);

  constructor(private readonly hashes: Float64Array) {}

  /** Whether `h` (a keyHash) is one of these keys. */
  has(h: number): boolean {
    const table = this.prepare();
    this.one[0] = h;
    const m = mix(this.oneWords[0]!, this.oneWords[1]!);
    const b = m >>> this.shift;
    return (this.bits[b >>> 5]! & (1 << (b & 31))) !== 0 && holds(table, m, h);
  }

  get size(): number {
    return this.hashes.length;
  }

  /** The rows of a summary (hashes in row order) that hold one of these keys (mask null when none does, as for most blocks). */
  matches(summary: Buffer): { mask: Uint8Array | null; count: number } {
    const n = summary.length >>> 3;
    // Copied out into one array kept for every block: a scan of history would otherwise
    // make and drop as many bytes again as the summaries hold, and each drop of that
    // much memory outside the heap asks for a full garbage collection.
    const f = (this.scratch = summaryHashes(summary, this.scratch));
    const words = new Uint32Array(f.buffer);
    const table = this.prepare();
    const bits = this.bits;
    const shift = this.shift;
    let mask: Uint8Array | null = null;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const m = mix(words[2 * i]!, words[2 * i + 1]!);
      const b = m >>> shift;
      if ((bits[b >>> 5]! & (1 << (b & 31))) === 0 || !holds(table, m, f[i]!)) continue;
      mask ??= new Uint8Array(n);
      mask[i] = 1;
      count++;
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

/** Whether the table holds `h` (whose words mix to `m`): linear probing from its slot; an empty slot (-1: hashes are ≥ 0) ends it. */
function holds(table: Float64Array, m: number, h: number): boolean {
  const last = table.length - 1;
  for (let s = m & last; ; s = (s + 1) & last) {
    const v = table[s]!;
    if (v === h) return true;
    if (v === -1) return false;
  }
}

/** A hash's two words as stored, mixed (any fixed mix of its bits will do): its bitmap slot from the high bits, its table slot from the low. */
const mix = (lo: number, hi: number) => Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0;
