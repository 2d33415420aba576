// The run's prefix sets (key-prefixes.ts) keep 53-bit key hashes in one array
// (hash-set.ts): checked against a plain Set, through several growths, with hashes
// at both ends of the range, repeats, and numbers never added.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashSet } from '../../electron/engine/match/hash-set';
import { keyHash } from '../../electron/engine/match/key-hash';

const hash53 = fc.oneof(fc.constantFrom(0, 1, 2 ** 53 - 1, 2 ** 21, 2 ** 21 - 1), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

describe('HashSet', () => {
  it('holds exactly what was added, as a Set does, however many', () => {
    fc.assert(
      fc.property(fc.array(hash53, { maxLength: 3000 }), fc.array(hash53, { maxLength: 200 }), (added, asked) => {
        const set = new HashSet();
        const plain = new Set<number>();
        for (const h of [...added, ...added.slice(0, 50)]) {
          set.add(h);
          plain.add(h);
        }
        for (const h of [...added, ...asked]) expect(set.has(h)).toBe(plain.has(h));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a hundred thousand keys’ hashes in sequence apart', () => {
    const set = new HashSet();
    const key = (i: number) => Buffer.from(`JF20251117${String(i).padStart(8, '0')}`);
    for (let i = 0; i < 100_000; i += 2) set.add(keyHash(key(i), 0, 18));
    for (let i = 0; i < 100_000; i++) expect(set.has(keyHash(key(i), 0, 18))).toBe(i % 2 === 0);
  });
});
