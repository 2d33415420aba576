// The bitmap of keys' hashes a run meets the period's keys against before holding a
// carried key apart (key-filter.ts, held-apart.ts): a key put in is always found (a
// key with a row this period must never be held apart), whatever the hashes; one not
// put in mostly is not. And the candidates by hash, and the key table's keys met.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../electron/engine/match/key-filter';
import { keyHash } from '../../electron/engine/match/key-hash';
import { HashPlaces } from '../../electron/engine/match/hash-places';
import { KeyTable } from '../../electron/engine/match/key-table';

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

describe('HashPlaces', () => {
  it('gives every item of a hash, and only those, however many share it', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { maxLength: 400 }), fc.array(fc.nat({ max: 60 }), { maxLength: 50 }), (picks, asked) => {
        // Few distinct hashes, so that many items share one and runs of slots collide.
        const hashOf = (p: number) => keyHash(Buffer.from(`K${p}`), 0, `K${p}`.length);
        const t = new HashPlaces(picks.length);
        picks.forEach((p, c) => t.set(hashOf(p), c));
        for (const a of asked) {
          const got: number[] = [];
          t.forEach(hashOf(a), (c) => got.push(c));
          expect(got.sort((x, y) => x - y)).toEqual(picks.flatMap((p, c) => (p === a ? [c] : [])));
        }
      }),
    );
  });
});

describe('KeyTable.metIn', () => {
  it('meets every key of the table whose hash is in the bitmap (so a candidate with a row this period is always found), and isBytes tells the key', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 24 }), { maxLength: 300 }), fc.array(fc.string({ minLength: 1, maxLength: 24 }), { maxLength: 100 }), fc.integer({ min: 1, max: 32 }), (tableKeys, candidates, bits) => {
        const keys = new KeyTable(16);
        const buf = keys.addTexts(tableKeys);
        tableKeys.forEach((_, i) => keys.lookup(buf.b, buf.start[i]!, buf.len[i]!, true));
        const f = new KeyFilter(candidates.length, bits);
        for (const c of candidates) f.addHash(keyHash(Buffer.from(c, 'utf8'), 0, Buffer.byteLength(c, 'utf8')));
        const met = new Set<number>();
        keys.metIn(f, keys.size, (id) => met.add(id));
        for (const c of candidates) {
          const b = Buffer.from(c, 'utf8');
          const id = keys.lookup(keys.addBuffer(b), 0, b.length, false);
          if (id < 0) continue;
          expect(met.has(id)).toBe(true);
          expect(keys.isBytes(id, b, 0, b.length)).toBe(true);
          expect(keys.isBytes(id, Buffer.concat([b, Buffer.from('x')]), 0, b.length + 1)).toBe(false);
        }
      }),
    );
  });
});
