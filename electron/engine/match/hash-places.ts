// Items by a 53-bit key hash (keyHash), several items to a hash allowed: an
// open-addressing table in typed arrays. The run meets the period's million keys
// against the ~130,000 carried keys it may hold apart (held-apart.ts) by their
// hashes; a Map keyed by 53-bit numbers boxes each one, and for that many keys had
// cost more than all else there.

export class HashPlaces {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly hashes: Float64Array;

  /** Room for items 0 … n-1. */
  constructor(n: number) {
    let cap = 16;
    while (cap < n * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.hashes = new Float64Array(n);
  }

  /** A hash's first slot, from its halves as the key table splits them (exact: a keyHash is 32 bits · 2^21 + 21 bits). */
  private static start(h: number, mask: number): number {
    return Math.imul((h % 2097152) ^ ((h / 2097152) | 0), 0x9e3779b1) & mask;
  }

  /** Item c (0 ≤ c < n) has hash h. */
  set(h: number, c: number): void {
    this.hashes[c] = h;
    let i = HashPlaces.start(h, this.mask);
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = c + 1;
  }

  /** Calls `each` with every item of hash h. */
  forEach(h: number, each: (c: number) => void): void {
    for (let i = HashPlaces.start(h, this.mask); this.slots[i] !== 0; i = (i + 1) & this.mask) {
      const c = this.slots[i]! - 1;
      if (this.hashes[c] === h) each(c);
    }
  }
}
