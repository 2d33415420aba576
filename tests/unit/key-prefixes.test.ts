// An old block is passed by, unread, when none of its keys' prefixes begins a key
// the run looks for (key-prefixes.ts). It must never pass by a block holding one
// of those keys (a refund would lose the payment it nets against), and should pass
// by the others. Checked against plain sets of prefix strings, on keys in sequence
// (as files have them), random keys, keys of several lengths, keyless rows,
// repeated keys and non-ASCII keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockPrefixes, keyCommons, PREFIX_LIMIT, PREFIX_MAX_BYTES, RunPrefixes, type KeyRefs, type PeriodRows } from '../../electron/engine/match/key-prefixes';
import { KeyTable } from '../../electron/engine/match/key-table';
import { keyHash } from '../../electron/engine/match/key-hash';

/** A block's keys (null: a row without one; text as UTF-8) as the byte references a decoded block gives. */
function refsOf(keys: (string | Uint8Array | null)[]): KeyRefs {
  const parts = keys.map((k) => (k === null ? null : typeof k === 'string' ? Buffer.from(k, 'utf8') : Buffer.from(k)));
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

describe('keyCommons', () => {
  it('gives each key the bytes it begins with in common with the keyed row before it, wherever they differ', () => {
    // Each key is the one before it cut at some byte and continued otherwise (or the same, or none):
    // differences at every position, across the four-byte steps the comparison takes.
    const step = fc.record({ cut: fc.nat({ max: 80 }), tail: fc.uint8Array({ maxLength: 12 }), kind: fc.constantFrom('cut', 'cut', 'cut', 'same', 'none', 'fresh') });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.array(step, { maxLength: 40 }), (first, steps) => {
        const keys: (Buffer | null)[] = [Buffer.from(first)];
        let last = keys[0]!;
        for (const st of steps) {
          if (st.kind === 'none') {
            keys.push(null);
            continue;
          }
          last = st.kind === 'same' ? last : Buffer.concat([st.kind === 'fresh' ? Buffer.alloc(0) : last.subarray(0, st.cut), st.tail]);
          keys.push(last);
        }
        const common = keyCommons(refsOf(keys), keys.length);
        let prev: Buffer | null = null;
        keys.forEach((k, i) => {
          if (!k) return expect(common[i]).toBe(0);
          if (!prev) expect(common[i]).toBe(1);
          else {
            let m = 0;
            while (m < Math.min(k.length, prev.length, PREFIX_MAX_BYTES) && k[m] === prev[m]) m++;
            expect(common[i]).toBe((m === k.length && m === prev.length) || m === PREFIX_MAX_BYTES ? 255 : m + 2);
          }
          prev = k;
        });
      }),
      { numRuns: 500 },
    );
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

  it('finds a prefix whose first row in the period is of a key not looked for (a carried key) from the rows after it', () => {
    // Keys in sequence: the rows of one prefix after its first are passed by while every
    // length has its prefix in; a row beginning a prefix whose key is skipped must not
    // leave the others of that prefix passed by too.
    const keys = ['AAAA0001', 'AAAA0002', 'AAAA0003', 'BBBB0001', 'BBBB0002', 'BBBB0003', 'CCCC0001'];
    // An old block of keys that begin with BBBB, too many at five bytes: its prefix is the four.
    const old = Array.from({ length: PREFIX_LIMIT + 1 }, (_, i) => `BBBB${String.fromCharCode(48 + i)}x`);
    const p = blockPrefixes(refsOf(old), old.length);
    expect(p.len).toBe(4);
    for (const skipped of [[3], [3, 4, 5]]) {
      const table = new KeyTable(16);
      const refs = refsOf(keys);
      const b = table.addBuffer(refs.bytes);
      const kid = Int32Array.from(keys, (_, i) => table.lookup(b, refs.start[i]!, refs.len[i]!, true));
      const skip = Uint8Array.from(keys, (_, i) => (skipped.includes(i) ? 1 : 0));
      const run = new RunPrefixes(table, new Int32Array(0), { rows: [{ kid, common: keyCommons(refs, keys.length), refs: () => refs }], skip, lengths: [4] });
      // BBBB0002 and BBBB0003 are looked for unless skipped too.
      expect(run.mayHold(p)).toBe(skipped.length === 1);
    }
  });

  it('finds from the period blocks’ rows exactly the prefixes of the keys looked for, whatever rows lie outside the period, borrow a key or are of keys not looked for', () => {
    fc.assert(
      fc.property(fc.array(anyKeys, { maxLength: 3 }), anyKeys, fc.array(fc.string({ minLength: 1, maxLength: 24 }), { maxLength: 20 }), fc.array(fc.string({ minLength: 1, maxLength: 24 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 8 }), fc.integer(), (period, oldKeys, laterKeys, vouchers, shared, seed) => {
        // A small deterministic stream of choices, so a failing case replays.
        let x = seed | 0;
        const pick = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) | 0) >>> 8) % n;
        const table = new KeyTable(16);
        const present = period.flat().filter((k): k is string => k !== null);
        // The run's first pass: a row dated in the period gets its key's id (added); a row
        // outside it none; a row without a key sometimes borrows one (a voucher's).
        const rows: PeriodRows[] = period.map((keys) => {
          const refs = refsOf(keys);
          const b = table.addBuffer(refs.bytes);
          const kid = new Int32Array(keys.length).fill(-1);
          keys.forEach((k, i) => {
            if (k === null) {
              if (pick(3) === 0) kid[i] = table.lookupText(pick(2) && present.length ? present[pick(present.length)]! : vouchers[pick(vouchers.length)]!, true);
            } else if (pick(5) !== 0) kid[i] = table.lookup(b, refs.start[i]!, refs.len[i]!, true);
          });
          return { kid, common: pick(2) ? keyCommons(refs, keys.length) : null, refs: () => refs };
        });
        const periodKeys = table.size;
        const later = table.addTexts(laterKeys);
        laterKeys.forEach((_, i) => table.lookup(later.b, later.start[i]!, later.len[i]!, true));
        const skip = pick(3) === 0 ? null : Uint8Array.from({ length: table.size }, () => (pick(3) === 0 ? 1 : 0));
        const sought = Array.from({ length: table.size }, (_, k) => k).filter((k) => !skip || !skip[k]);
        // Sometimes the lengths old blocks have are given, and made together with the first asked.
        const lengths = pick(2) ? [pick(20), pick(30), 16] : undefined;
        const run = new RunPrefixes(table, Int32Array.from(sought.filter((k) => k >= periodKeys)), { rows, skip, lengths });
        // Old blocks with some of the period's keys (or borrowed ones) in them now and then.
        const known = [...present, ...vouchers];
        const old = [...oldKeys, ...shared.map((s) => known[s % known.length]!)];
        for (const keys of [old, old.slice(pick(old.length + 1)), [...known].reverse().slice(0, 3)]) {
          const p = blockPrefixes(refsOf(keys), keys.length);
          const oldSet = distinct(keys.filter((k): k is string => k !== null), p.len);
          expect(run.mayHold(p)).toBe(sought.some((k) => oldSet.has(prefix(table.text(k), p.len))));
        }
      }),
      { numRuns: 400 },
    );
  });
});

