// Match keys to small integers without making a string of each: an
// open-addressing hash table over the keys' UTF-8 bytes where they lie in the
// blocks' buffers. A row's key is hashed once, with the 53-bit hash that block
// summaries store (key-hash): the run's pass over this period's blocks computes
// it per row for the block's summary and hands it in (lookupHashed), so no key is
// hashed twice. A key is compared byte for byte with the first row that had it;
// only the keys a run reports (its breaks) are ever decoded. Everything after
// (aggregates, the join) works on typed arrays indexed by key id.
import type { KeyFilter } from './key-filter';
import { keyHash } from './key-hash';

const EMPTY = new Uint8Array(0);
/** A hash's high bits mixed, for its slot (sequential keys' FNV hashes differ mostly in their low bits). */
const spread = (hi: number): number => {
  const a = Math.imul(hi ^ (hi >>> 16), 0x85ebca6b);
  return a ^ (a >>> 13);
};
/** Ints per id in `meta`. */
const META = 5;

export class KeyTable {
  /** Per slot: the hash's high 32 bits and id + 1 (0: empty), side by side, so a probe touches one cache line. */
  private slots: Int32Array;
  private mask: number;
  private count = 0;
  /** Per id (META ints): the hash's low 21 bits, the length, the buffer and the offset of its first occurrence, the high 32 bits. */
  private meta: Int32Array;
  private readonly buffers: Uint8Array[] = [];
  /** Buffers some key's bytes live in (they must stay). */
  private readonly holding = new Set<number>();
  private lastHeld = -1;

  /**
   * `room`: zeroed buffers for the slots and the ids' entries (sizes: KeyTable.bytes),
   * their memory touched already (a run's reading thread made them ready:
   * period-blocks.ts); where one is missing or too small it is made here.
   */
  constructor(expected = 1024, room: { slots: ArrayBuffer | null; meta: ArrayBuffer | null } = { slots: null, meta: null }) {
    const want = KeyTable.bytes(expected);
    const cap = want.slots / 8;
    this.slots = room.slots && room.slots.byteLength >= want.slots ? new Int32Array(room.slots, 0, cap * 2) : new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.meta = room.meta && room.meta.byteLength >= want.meta ? new Int32Array(room.meta, 0, want.meta / 4) : new Int32Array(want.meta / 4);
  }

  /** The bytes of a table for `expected` keys: its slots (two ints each, a power of two of them, at least twice the keys) and its ids' entries. */
  static bytes(expected: number): { slots: number; meta: number } {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    return { slots: cap * 2 * 4, meta: Math.max(16, expected) * META * 4 };
  }

  get size(): number {
    return this.count;
  }

  /** Registers a buffer keys are read from; returns its number for lookup. */
  addBuffer(buf: Uint8Array): number {
    this.buffers.push(buf);
    return this.buffers.length - 1;
  }

  /** The id of the key in bytes [start, start + len) of buffer `b`, adding it if new (add = false: -1 if absent); `near` as for lookupHashed. */
  lookup(b: number, start: number, len: number, add: boolean, near = -1): number {
    return this.lookupHashed(b, start, len, keyHash(this.buffers[b]!, start, len), add, near);
  }

  /**
   * As lookup, with the key's keyHash already known (`h` must be it: a wrong one
   * finds no key). `near`: the id the key likely has, tried first (-1: none). Two
   * files of one system list their orders in the same order, so the other side's
   * rows meet their keys in the order they were added: the id after the last one
   * found is checked where it lies, next to the last, instead of a probe into a
   * table of a million slots (a cache miss or three per row). The id before `near`
   * (the last found) is tried next: the rows of one key follow each other.
   */
  lookupHashed(b: number, start: number, len: number, h: number, add: boolean, near = -1): number {
    const buf = this.buffers[b]!;
    // keyHash is (32 bits) · 2^21 + (21 bits): exact in a double, split without rounding.
    const hi = (h / 2097152) | 0;
    const lo = h % 2097152;
    if (this.isKey(near, lo, hi, buf, start, len)) return near;
    // Or the last one found again: a split payment's or a refund's rows follow each other.
    if (this.isKey(near - 1, lo, hi, buf, start, len)) return near - 1;
    const meta = this.meta;
    const slots = this.slots;
    let i = spread(hi) & this.mask;
    for (;;) {
      const id = slots[2 * i + 1]! - 1;
      if (id < 0) break;
      if (slots[2 * i] === hi && meta[META * id] === lo && meta[META * id + 1] === len && this.same(id, buf, start, len)) return id;
      i = (i + 1) & this.mask;
    }
    if (!add) return -1;
    const id = this.count++;
    if (META * id >= this.meta.length) {
      const grown = new Int32Array(this.meta.length * 2);
      grown.set(this.meta);
      this.meta = grown;
    }
    const m = this.meta;
    m[META * id] = lo;
    m[META * id + 1] = len;
    m[META * id + 2] = b;
    m[META * id + 3] = start;
    m[META * id + 4] = hi;
    // Keys come block by block: the set is asked only when the buffer changes.
    if (b !== this.lastHeld) {
      this.holding.add(b);
      this.lastHeld = b;
    }
    slots[2 * i] = hi;
    slots[2 * i + 1] = id + 1;
    if (this.count * 2 > this.mask + 1) this.rehash();
    return id;
  }

  /**
   * Whether an id not `skip`ped (1 per id) has this keyHash: a block summary's row
   * (a hash without its key's bytes) asked of the run's keys as they are, with no set
   * of their hashes made (old-block-probe.ts). Equal hashes of two keys count as the
   * key's: a summary's test may pass a row for nothing, never miss one.
   */
  hasHash(h: number, skip: Uint8Array | null): boolean {
    // As lookupHashed splits it; a hash that is no keyHash (NaN: a row without a key) has no equal halves.
    const hi = (h / 2097152) | 0;
    const lo = h % 2097152;
    const meta = this.meta;
    const slots = this.slots;
    for (let i = spread(hi) & this.mask; ; i = (i + 1) & this.mask) {
      const id = slots[2 * i + 1]! - 1;
      if (id < 0) return false;
      if (slots[2 * i] === hi && meta[META * id] === lo && (skip === null || skip[id] !== 1)) return true;
    }
  }

  /**
   * Calls `met` with each of ids [0, n) whose hash the filter may have: the table's
   * keys met against a few others' (holdApart), read in order, no number made per key.
   */
  metIn(filter: KeyFilter, n: number, met: (id: number) => void): void {
    const m = this.meta;
    for (let id = 0; id < n; id++) if (filter.mayHave(m[META * id + 4]!, m[META * id]!)) met(id);
  }

  /** Whether an id's key is these bytes. */
  isBytes(id: number, buf: Uint8Array, start: number, len: number): boolean {
    return this.meta[META * id + 1] === len && this.same(id, buf, start, len);
  }

  /** The keyHash of an id's key (what block summaries hold). */
  hashOf(id: number): number {
    return (this.meta[META * id + 4]! >>> 0) * 2097152 + this.meta[META * id]!;
  }

  /** Lets go of a buffer no key lives in (one only looked up in): a run over old blocks does not keep them all. */
  release(b: number): void {
    if (!this.holding.has(b)) this.buffers[b] = EMPTY;
  }

  /**
   * Keys given as text (the open breaks'), written into one buffer registered for
   * lookup: where each lies in it, for `lookup` and hashing. One buffer for all (not
   * one per key: a hundred thousand open breaks made as many buffers, kept while the run lasts).
   */
  addTexts(texts: readonly string[]): { b: number; bytes: Uint8Array; start: Int32Array; len: Int32Array } {
    let room = 0;
    for (const t of texts) room += t.length * 3;
    const bytes = Buffer.allocUnsafeSlow(room);
    const start = new Int32Array(texts.length);
    const len = new Int32Array(texts.length);
    let at = 0;
    texts.forEach((t, i) => {
      start[i] = at;
      len[i] = bytes.write(t, at, 'utf8');
      at += len[i]!;
    });
    const used = bytes.subarray(0, at);
    return { b: this.addBuffer(used), bytes: used, start, len };
  }

  /** A key given as text (an open break's). */
  lookupText(key: string, add: boolean): number {
    const b = this.addBuffer(Buffer.from(key, 'utf8'));
    const id = this.lookup(b, 0, this.buffers[b]!.length, add);
    // Kept only if the key was added from it.
    this.release(b);
    return id;
  }

  /** The key of an id, as text. */
  text(id: number): string {
    const buf = this.buffers[this.meta[META * id + 2]!]!;
    const from = this.meta[META * id + 3]!;
    return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', from, from + this.meta[META * id + 1]!);
  }

  /** Where the key of an id lies: its bytes are [start, start + length) of this buffer. */
  bufferOf(id: number): Uint8Array {
    return this.buffers[this.meta[META * id + 2]!]!;
  }

  startOf(id: number): number {
    return this.meta[META * id + 3]!;
  }

  lengthOf(id: number): number {
    return this.meta[META * id + 1]!;
  }

  /** Whether id (any number: -1 and ids not given are not) is the key of these hash halves and bytes. */
  private isKey(id: number, lo: number, hi: number, buf: Uint8Array, start: number, len: number): boolean {
    const meta = this.meta;
    return id >= 0 && id < this.count && meta[META * id] === lo && meta[META * id + 4] === hi && meta[META * id + 1] === len && this.same(id, buf, start, len);
  }

  private same(id: number, buf: Uint8Array, start: number, len: number): boolean {
    const other = this.buffers[this.meta[META * id + 2]!]!;
    const o = this.meta[META * id + 3]!;
    for (let i = 0; i < len; i++) if (other[o + i] !== buf[start + i]) return false;
    return true;
  }

  private rehash(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = spread(old[j]!) & this.mask;
      while (this.slots[2 * i + 1] !== 0) i = (i + 1) & this.mask;
      this.slots[2 * i] = old[j]!;
      this.slots[2 * i + 1] = old[j + 1]!;
    }
  }
}
