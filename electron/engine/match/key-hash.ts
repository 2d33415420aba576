// The 53-bit hash of a match key's bytes, as block summaries store it (block-keys)
// and block prefixes are compared (key-prefixes): one function, since what a run
// computes must equal what was stored.

/**
 * A key's 53-bit hash (two independent 32-bit FNV-style hashes, one cut to 21
 * bits): exact as a JS number, and with a run's hundreds of thousands of keys a
 * block of 16,384 other keys is taken for a holder about once in a hundred
 * thousand blocks. (32 bits would send every other old block to be read.)
 */
export function keyHash(bytes: Uint8Array, start: number, len: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = start, end = start + len; i < end; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 2097152 + ((b >>> 0) >>> 11);
}

export function textHash(key: string): number {
  const b = Buffer.from(key, 'utf8');
  return keyHash(b, 0, b.length);
}
