// An old block is read only for the rows whose key hash is one of the run's
// (block-keys.ts, key-hashes.ts). The check must never miss a key (a refund would lose the
// payment it nets against) and must find exactly the rows that hold one: checked
// against a plain Set on random hashes, with keys sharing table slots, keys given
// twice, rows without a key (NaN) and hashes at the ends of the 53-bit range.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyHashes } from '../../electron/engine/match/key-hashes';
import { keyHash, textHash } from '../../electron/engine/match/key-hash';

const summaryOf = (hashes: number[]): Buffer => Buffer.from(Float64Array.from(hashes).buffer);

const hash53 = fc.oneof(
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER, 2 ** 52, 2 ** 21, 2 ** 21 - 1),
  // Few distinct low bits: many keys share a slot of the table.
  fc.integer({ min: 0, max: 2 ** 21 - 1 }).map((h) => h * 2 ** 32),
);

describe('KeyHashes.matches', () => {
  it('finds exactly the rows whose hash is a key of the run', () => {
    fc.assert(
      fc.property(fc.array(hash53, { maxLength: 3000 }), fc.array(fc.oneof(hash53, fc.constant(NaN)), { maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 200 }), (keys, others, picks) => {
        // Rows: some hashes of the run's keys (picked), the rest random or keyless.
        const rows = [...others];
        for (const p of picks) if (keys.length) rows.splice(p % (rows.length + 1), 0, keys[p % keys.length]!);
        const set = new Set(keys);
        const { mask, count } = new KeyHashes(Float64Array.from(keys)).matches(summaryOf(rows));
        const want = rows.map((h) => (set.has(h) ? 1 : 0));
        expect(mask === null).toBe(count === 0);
        expect(mask ? [...mask] : rows.map(() => 0)).toEqual(want);
        expect(count).toBe(want.reduce<number>((a, b) => a + b, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('checks many summaries of different sizes against one set of a hundred thousand keys, from an unaligned buffer', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => textHash(`JF${String(i).padStart(16, '0')}`));
    const k = new KeyHashes(Float64Array.from(keys));
    for (let b = 0; b < 20; b++) {
      // Blocks of several sizes, a long one after a short one and back (one array is reused for them).
      const rows = Array.from({ length: b % 2 ? 16_384 : 3000 + b }, (_, i) => (i % 997 === b ? keys[(i * 31 + b) % keys.length]! : textHash(`X${b}:${i}`)));
      // A blob from SQLite need not start at a multiple of eight.
      const raw = summaryOf(rows);
      const unaligned = Buffer.alloc(raw.length + 3).subarray(3);
      raw.copy(unaligned);
      const { mask, count } = k.matches(unaligned);
      const expected = rows.map((_, i) => (i % 997 === b ? 1 : 0));
      expect(count).toBe(expected.reduce<number>((a, c) => a + c, 0));
      expect(mask ? [...mask] : rows.map(() => 0)).toEqual(expected);
    }
  });

  it('hashes the same bytes the same way wherever they lie', () => {
    const bytes = Buffer.from('xxJF2025111700000001yy');
    expect(keyHash(bytes, 2, 18)).toBe(textHash('JF2025111700000001'));
    expect(keyHash(bytes, 2, 18)).not.toBe(textHash('JF2025111700000002'));
  });
});

// The run's prefixes (key-prefixes.ts) are asked of the same table one hash at a time.
describe('KeyHashes.has', () => {
  it('holds exactly the keys it was given, as a Set does, repeats among them', () => {
    fc.assert(
      fc.property(fc.array(hash53, { maxLength: 3000 }), fc.array(hash53, { maxLength: 200 }), (added, asked) => {
        const given = [...added, ...added.slice(0, 50)];
        const set = new KeyHashes(Float64Array.from(given));
        const plain = new Set<number>(given);
        for (const h of [...added, ...asked]) expect(set.has(h)).toBe(plain.has(h));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a hundred thousand keys’ hashes in sequence apart', () => {
    const key = (i: number) => Buffer.from(`JF20251117${String(i).padStart(8, '0')}`);
    const set = new KeyHashes(Float64Array.from({ length: 50_000 }, (_, i) => keyHash(key(2 * i), 0, 18)));
    for (let i = 0; i < 100_000; i++) expect(set.has(keyHash(key(i), 0, 18))).toBe(i % 2 === 0);
  });
});
