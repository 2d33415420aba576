// A bitmap of key hashes (keyHash): a key whose bit is clear is certainly not among
// the keys put in; one whose bit is set may be, and is then looked up for certain.
// At week ten a run asks of some 130,000 carried keys whether the period has a row
// of theirs, and nearly none has: a probe of the key table (a random place in some
// 55 MB) costs several times a bit of a bitmap of 2 MB.
export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /** Room for `n` keys, at about `bitsPerKey` bits a key (16: about one key in sixteen not put in finds its bit set). */
  constructor(n: number, bitsPerKey = 16) {
    let size = 1 << 16;
    while (size < n * bitsPerKey && size < 1 << 30) size *= 2;
    this.bits = new Uint32Array(size >>> 5);
    this.mask = size - 1;
  }

  /**
   * A hash by its halves as the key table keeps them (KeyTable.lookupHashed): `hi`
   * its upper 32 bits as an int, `lo` its lower 21 bits. Ints, not the 53-bit
   * number: splitting that costs a division and a remainder of doubles, which
   * was most of the time a million keys took to go in.
   */
  add(hi: number, lo: number): void {
    const p = this.place(hi, lo);
    this.bits[p >>> 5]! |= 1 << (p & 31);
  }

  /** False: certainly never added. */
  mayHave(hi: number, lo: number): boolean {
    const p = this.place(hi, lo);
    return (this.bits[p >>> 5]! & (1 << (p & 31))) !== 0;
  }

  /** mayHave for a keyHash, split as the key table splits it. */
  mayHaveHash(h: number): boolean {
    return this.mayHave((h / 2097152) | 0, h % 2097152);
  }

  /** add for a keyHash, split as the key table splits it. */
  addHash(h: number): void {
    this.add((h / 2097152) | 0, h % 2097152);
  }

  private place(hi: number, lo: number): number {
    return (Math.imul(hi ^ (lo << 11), 0x9e3779b1) ^ lo) & this.mask;
  }
}
