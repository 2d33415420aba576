// Match keys to small integers without making a string of each: an
// open-addressing hash table over the keys' UTF-8 bytes where they lie in the
// blocks' buffers. A row's key is hashed (two independent 32-bit hashes) and
// compared byte for byte with the first row that had it; only the keys a run
// reports (its breaks) are ever decoded. Everything after (aggregates, the
// join) works on typed arrays indexed by key id.

const EMPTY = new Uint8Array(0);

export class KeyTable {
  /** Per slot: the first hash and id + 1 (0: empty), side by side, so a probe touches one cache line. */
  private slots: Int32Array;
  private mask: number;
  private count = 0;
  /** Per id: the second hash, the length, the buffer and the offset of its first occurrence. */
  private meta: Int32Array;
  private readonly buffers: Uint8Array[] = [];
  /** Buffers some key's bytes live in (they must stay). */
  private readonly holding = new Set<number>();

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.meta = new Int32Array(Math.max(16, expected) * 4);
  }

  get size(): number {
    return this.count;
  }

  /** Registers a buffer keys are read from; returns its number for lookup. */
  addBuffer(buf: Uint8Array): number {
    this.buffers.push(buf);
    return this.buffers.length - 1;
  }

  /** The id of the key in bytes [start, start + len) of buffer `b`, adding it if new (add = false: -1 if absent). */
  lookup(b: number, start: number, len: number, add: boolean): number {
    const buf = this.buffers[b]!;
    let a = 0x811c9dc5;
    let c = 0x9747b28c;
    for (let i = start, end = start + len; i < end; i++) {
      const x = buf[i]!;
      a = Math.imul(a ^ x, 0x01000193);
      c = Math.imul(c + x, 0x5bd1e995) ^ (c >>> 15);
    }
    a ^= a >>> 16;
    a = Math.imul(a, 0x85ebca6b);
    a ^= a >>> 13;
    const slots = this.slots;
    const meta = this.meta;
    let i = a & this.mask;
    for (;;) {
      const id = slots[2 * i + 1]! - 1;
      if (id < 0) break;
      if (slots[2 * i] === a && meta[4 * id] === c && meta[4 * id + 1] === len && this.same(id, buf, start, len)) return id;
      i = (i + 1) & this.mask;
    }
    if (!add) return -1;
    const id = this.count++;
    if (4 * id >= this.meta.length) {
      const grown = new Int32Array(this.meta.length * 2);
      grown.set(this.meta);
      this.meta = grown;
    }
    const m = this.meta;
    m[4 * id] = c;
    m[4 * id + 1] = len;
    m[4 * id + 2] = b;
    m[4 * id + 3] = start;
    this.holding.add(b);
    slots[2 * i] = a;
    slots[2 * i + 1] = id + 1;
    if (this.count * 2 > this.mask + 1) this.rehash();
    return id;
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
    const buf = this.buffers[this.meta[4 * id + 2]!]!;
    const from = this.meta[4 * id + 3]!;
    return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', from, from + this.meta[4 * id + 1]!);
  }

  /** Where the key of an id lies: its bytes are [start, start + length) of this buffer. */
  bufferOf(id: number): Uint8Array {
    return this.buffers[this.meta[4 * id + 2]!]!;
  }

  startOf(id: number): number {
    return this.meta[4 * id + 3]!;
  }

  lengthOf(id: number): number {
    return this.meta[4 * id + 1]!;
  }

  private same(id: number, buf: Uint8Array, start: number, len: number): boolean {
    const other = this.buffers[this.meta[4 * id + 2]!]!;
    const o = this.meta[4 * id + 3]!;
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
      let i = old[j]! & this.mask;
      while (this.slots[2 * i + 1] !== 0) i = (i + 1) & this.mask;
      this.slots[2 * i] = old[j]!;
      this.slots[2 * i + 1] = old[j + 1]!;
    }
  }
}
