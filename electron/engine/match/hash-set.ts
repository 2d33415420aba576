// A set of 53-bit key hashes (key-hash.ts) kept in one typed array.

/**
 * A set of keyHash values (whole numbers, 0 ≤ h < 2^53) in one array, open
 * addressing: a run's prefixes at a length near its keys' own may be a hundred
 * thousand, and a Set keeps each such number as an object of its own on the heap.
 */
export class HashSet {
  /** -1: empty (hashes are ≥ 0). At most half full. */
  private table: Float64Array;
  private count = 0;

  /** `expected`: how many are likely to be added (room made for them at once). */
  constructor(expected = 0) {
    let size = 1024;
    while (size < 2 * expected) size *= 2;
    this.table = new Float64Array(size).fill(-1);
  }

  add(h: number): void {
    if (2 * (this.count + 1) > this.table.length) this.grow();
    if (this.place(this.table, h)) this.count++;
  }

  has(h: number): boolean {
    const t = this.table;
    const last = t.length - 1;
    for (let s = slot(h) & last; ; s = (s + 1) & last) {
      const v = t[s]!;
      if (v === h) return true;
      if (v === -1) return false;
    }
  }

  /** Puts h in its place in t; false if it was there. */
  private place(t: Float64Array, h: number): boolean {
    const last = t.length - 1;
    for (let s = slot(h) & last; ; s = (s + 1) & last) {
      const v = t[s]!;
      if (v === h) return false;
      if (v === -1) {
        t[s] = h;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    const t = new Float64Array(old.length * 2).fill(-1);
    for (let i = 0; i < old.length; i++) if (old[i] !== -1) this.place(t, old[i]!);
    this.table = t;
  }
}

/** A hash's slot: its two parts (32 and 21 bits, as keyHash makes it) mixed. */
const slot = (h: number): number => Math.imul(((h / 2097152) | 0) ^ Math.imul(h % 2097152, 0x85ebca6b), 0x9e3779b1) >>> 0;

