// The open breaks' keys as a run keeps them (sparse-texts.ts): by place where few
// have one, or a column read whole; either way what a plain array of texts says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SparseTexts } from '../../electron/engine/match/sparse-texts';

describe('SparseTexts', () => {
  it('gives what a plain array gives, set in any order or read whole', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string(), { nil: null }), { maxLength: 40 }), fc.integer(), (plain, seed) => {
        const sparse = new SparseTexts(plain.length);
        // Set in a shuffled order: entries still come in the items' order.
        const order = plain.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 97) - ((b * 7919 + seed) % 97));
        for (const i of order) if (plain[i] !== null) sparse.set(i, plain[i]!);
        const whole = SparseTexts.of(plain);
        const expected = plain.flatMap((t, i) => (t === null ? [] : [[i, t]]));
        for (const s of [sparse, whole]) {
          expect(Array.from({ length: plain.length }, (_, i) => s.at(i))).toEqual(plain);
          expect([...s.entries()]).toEqual(expected);
          expect(s.count).toBe(expected.length);
          expect(s.at(plain.length)).toBeNull();
        }
      }),
    );
  });

  it('refuses a place outside it, and a write into a column read whole', () => {
    const s = new SparseTexts(2);
    expect(() => s.set(2, 'x')).toThrow();
    expect(() => s.set(-1, 'x')).toThrow();
    expect(() => SparseTexts.of(['a']).set(0, 'b')).toThrow();
  });
});
