// Match keys to small integers without making a string of each: an
// open-addressing hash table over the keys' UTF-8 bytes where they lie in the
// blocks' buffers. A row's key is hashed (two independent 32-bit hashes) and
// compared byte for byte with the first row that had it; only the keys a run
// reports (its breaks) are ever decoded. Everything after (aggregates, the
// join) works on typed arrays indexed by key id.

export class KeyTable {
  private slots: Int32Array;
  private mask: number;
  private count = 0;
  private h1: Int32Array;
  private h2: Int32Array;
  private where: Int32Array;
  private from: Int32Array;
  private length: Int32Array;
  private readonly buffers: Uint8Array[] = [];

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    const n = Math.max(16, expected);
    this.h1 = new Int32Array(n);
    this.h2 = new Int32Array(n);
    this.where = new Int32Array(n);
    this.from = new Int32Array(n);
    this.length = new Int32Array(n);
  }

  get size(): number {
    return this.count;
  }

  /** Registers a buffer keys are read from; returns its number for intern/find. */
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
    let i = a & this.mask;
    for (;;) {
      const id = this.slots[i]! - 1;
      if (id < 0) break;
      if (this.h1[id] === a && this.h2[id] === c && this.length[id] === len && this.same(id, buf, start, len)) return id;
      i = (i + 1) & this.mask;
    }
    if (!add) return -1;
    const id = this.count++;
    if (id >= this.h1.length) this.grow();
    this.h1[id] = a;
    this.h2[id] = c;
    this.where[id] = b;
    this.from[id] = start;
    this.length[id] = len;
    this.slots[i] = id + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** A key given as text (an open break's). */
  lookupText(key: string, add: boolean): number {
    const b = this.addBuffer(Buffer.from(key, 'utf8'));
    return this.lookup(b, 0, this.buffers[b]!.length, add);
  }

  /** The key of an id, as text. */
  text(id: number): string {
    const buf = this.buffers[this.where[id]!]!;
    return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', this.from[id]!, this.from[id]! + this.length[id]!);
  }

  private same(id: number, buf: Uint8Array, start: number, len: number): boolean {
    const other = this.buffers[this.where[id]!]!;
    const o = this.from[id]!;
    for (let i = 0; i < len; i++) if (other[o + i] !== buf[start + i]) return false;
    return true;
  }

  private grow(): void {
    const widen = (a: Int32Array) => {
      const g = new Int32Array(a.length * 2);
      g.set(a);
      return g;
    };
    this.h1 = widen(this.h1);
    this.h2 = widen(this.h2);
    this.where = widen(this.where);
    this.from = widen(this.from);
    this.length = widen(this.length);
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    for (let id = 0; id < this.count; id++) {
      let i = this.h1[id]! & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = id + 1;
    }
  }
}
