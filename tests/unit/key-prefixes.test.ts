// An old block is passed by, unread, when none of its keys' prefixes begins a key
// the run looks for (key-prefixes.ts). It must never pass by a block holding one
// of those keys (a refund would lose the payment it nets against), and should pass
// by the others. Checked against plain sets of prefix strings, on keys in sequence
// (as files have them), random keys, keys of several lengths, keyless rows,
// repeated keys and non-ASCII keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockPrefixes, PREFIX_LIMIT, PREFIX_MAX_BYTES, RunPrefixes, type KeyRefs } from '../../electron/engine/match/key-prefixes';
import { KeyTable } from '../../electron/engine/match/key-table';
import { keyHash } from '../../electron/engine/match/key-hash';

/** A block's keys (null: a row without one) as the byte references a decoded block gives. */
function refsOf(keys: (string | null)[]): KeyRefs {
  const parts = keys.map((k) => (k === null ? null : Buffer.from(k, 'utf8')));
  const bytes = Buffer.concat(parts.flatMap((p) => (p ? [p] : [])));
  const start = new Int32Array(keys.length);
  const len = new Int32Array(keys.length);
  let at = 0;
  parts.forEach((p, i) => {
    start[i] = p ? at : -1;
    len[i] = p ? p.length : 0;
    at += p ? p.length : 0;
  });
  return { bytes, start, len };
}

/** A prefix as the module means it: the key's first `len` bytes, or the whole key when shorter. */
const prefix = (key: string, len: number) => {
  const b = Buffer.from(key, 'utf8');
  return b.subarray(0, Math.min(len, b.length)).toString('latin1');
};
const distinct = (keys: string[], len: number) => new Set(keys.map((k) => prefix(k, len)));

/** Keys in sequence, as a file has them: a tag, a day, a running number; now and then a key from another series. */
const sequenceKeys = fc
  .record({ tag: fc.constantFrom('JF', 'HK', '33040020', '缴费'), day: fc.integer({ min: 1, max: 28 }), first: fc.nat({ max: 99_999_000 }), n: fc.integer({ min: 0, max: 400 }), odd: fc.array(fc.nat({ max: 400 }), { maxLength: 5 }) })
  .map(({ tag, day, first, n, odd }) => {
    const keys: (string | null)[] = Array.from({ length: n }, (_, i) => `${tag}202511${String(day).padStart(2, '0')}${String(first + i).padStart(8, '0')}`);
    for (const o of odd) keys.splice(o % (keys.length + 1), 0, o % 3 === 0 ? null : `JF20240101${String(o).padStart(8, '0')}`);
    return keys;
  });
const randomKeys = fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 24 }), fc.constant(null)), { maxLength: 300 });
/** Long keys (a hostile file) sharing most of their length, out of order: prefixes stop at PREFIX_MAX_BYTES. */
const longKeys = fc
  .record({ stem: fc.integer({ min: 40, max: 150 }), tails: fc.array(fc.string({ minLength: 0, maxLength: 40 }), { maxLength: 200 }) })
  .map(({ stem, tails }): (string | null)[] => tails.map((t, i) => `${"K".repeat(stem - (i % 3) * 10)}${t}`));
const anyKeys = fc.oneof(sequenceKeys, randomKeys, longKeys);

describe('blockPrefixes', () => {
  it('gives every key of the block its prefix, no more than the limit, at the longest length that allows it', () => {
    fc.assert(
      fc.property(anyKeys, (keys) => {
        const present = keys.filter((k): k is string => k !== null);
        const p = blockPrefixes(refsOf(keys), keys.length);
        const want = distinct(present, p.len);
        expect(p.hashes.length).toBe(want.size);
        expect(p.hashes.length).toBeLessThanOrEqual(PREFIX_LIMIT);
        const hashes = new Set(p.hashes);
        // A prefix may cut a character of a non-ASCII key in two: prefixes are of bytes.
        for (const k of present) {
          const b = Buffer.from(k, 'utf8');
          expect(hashes.has(keyHash(b, 0, Math.min(p.len, b.length)))).toBe(true);
        }
        // Longest: one byte more and there would be too many (unless no key is longer, or the cap is reached).
        const longest = Math.min(PREFIX_MAX_BYTES, Math.max(0, ...present.map((k) => Buffer.byteLength(k))));
        if (p.len < longest) expect(distinct(present, p.len + 1).size).toBeGreaterThan(PREFIX_LIMIT);
        else expect(p.len).toBe(longest);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a block of a week in sequence to a handful of prefixes, however many rows', () => {
    const keys = Array.from({ length: 16_384 }, (_, i) => `JF20251117${String(400_000 + i).padStart(8, '0')}`);
    const p = blockPrefixes(refsOf(keys), keys.length);
    expect(p.len).toBeGreaterThanOrEqual(14);
    expect(p.hashes.length).toBeLessThanOrEqual(PREFIX_LIMIT);
  });
});

describe('RunPrefixes.mayHold', () => {
  it('answers whether a key looked for begins with one of a block’s prefixes, exactly', () => {
    fc.assert(
      fc.property(anyKeys, anyKeys, fc.array(fc.nat(), { maxLength: 5 }), (blockKeys, runKeys, shared) => {
        const present = blockKeys.filter((k): k is string => k !== null);
        // Some of the block's keys are also looked for (a refund of an old order).
        const looked = [...new Set([...runKeys.filter((k): k is string => k !== null), ...shared.filter(() => present.length).map((s) => present[s % present.length]!)])];
        const table = new KeyTable(16);
        const ref = table.addTexts(looked);
        const kids = Int32Array.from(looked.map((_, i) => table.lookup(ref.b, ref.start[i]!, ref.len[i]!, true)));
        const run = new RunPrefixes(table, kids);
        const p = blockPrefixes(refsOf(blockKeys), blockKeys.length);
        const blockSet = distinct(present, p.len);
        const expected = looked.some((k) => blockSet.has(prefix(k, p.len)));
        expect(run.mayHold(p)).toBe(expected);
        // Never passes by a block holding a key looked for.
        if (looked.some((k) => present.includes(k))) expect(run.mayHold(p)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
