// The bitmap of the period's keys a run asks before holding a carried key apart
// (key-filter.ts): a key put in is always found (a key with a row this period must
// never be held apart), whatever the hashes; one not put in mostly is not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../electron/engine/match/key-filter';
import { keyHash } from '../../electron/engine/match/key-hash';

/** A keyHash split as the key table keeps it: its upper 32 bits as an int, its lower 21 bits. */
const halves = (h: number): [number, number] => [(h / 2097152) | 0, h % 2097152];

describe('KeyFilter', () => {
  it('finds every key put in, by its halves and by its hash, at any size', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 30 }), { maxLength: 300 }), fc.nat({ max: 5000 }), (keys, room) => {
        const f = new KeyFilter(room);
        const hashes = keys.map((k) => keyHash(Buffer.from(k, 'utf8'), 0, Buffer.byteLength(k, 'utf8')));
        for (const h of hashes) f.add(...halves(h));
        for (const h of hashes) {
          expect(f.mayHave(...halves(h))).toBe(true);
          expect(f.mayHaveHash(h)).toBe(true);
        }
      }),
    );
  });

  it('passes by most keys not put in (about one in sixteen found at the room given)', () => {
    const n = 50_000;
    const f = new KeyFilter(n);
    const key = (i: number) => Buffer.from(`JF20251117${String(i).padStart(8, '0')}`);
    for (let i = 0; i < n; i++) f.add(...halves(keyHash(key(i), 0, 18)));
    let found = 0;
    for (let i = n; i < 2 * n; i++) if (f.mayHaveHash(keyHash(key(i), 0, 18))) found++;
    expect(found / n).toBeLessThan(0.1);
  });
});
