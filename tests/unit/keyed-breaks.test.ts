// The run's keyed breaks kept as columns (keyed-breaks.ts): what goes in comes back
// out, through growth past the first arrays (whatever room they were made with), held keys' among them, with "none" kept apart from zero and a
// one-sided break's field made from its compared amount.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BREAK_TYPES } from '../../shared/domain';
import { KeyedBreaks, type KeyedBreakInput } from '../../electron/engine/match/keyed-breaks';

const fen = fc.integer({ min: -10_000_000, max: 10_000_000 });
const input: fc.Arbitrary<KeyedBreakInput> = fc.record({
  kid: fc.nat(),
  same: fc.boolean(),
  type: fc.constantFrom(...BREAK_TYPES),
  fields: fc.option(fc.array(fc.record({ field: fc.constantFrom('amount', 'status', 'certno'), ledger: fc.option(fc.string(), { nil: null }), external: fc.option(fc.string(), { nil: null }) }), { maxLength: 3 }), { nil: null }),
  shown: fen,
  amountLedger: fc.option(fen, { nil: null }),
  amountExternal: fc.option(fen, { nil: null }),
  latestRow: fc.nat(),
});

describe('keyed breaks as columns', () => {
  it('give back every break as it was put in, past the first arrays', () => {
    fc.assert(
      // Any room it is made with (none, less than the breaks, more), and held keys' breaks among the others.
      fc.property(fc.array(input, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 7 }), (some, n, room, heldEvery) => {
        const all = Array.from({ length: n }, (_, i) => some[i % some.length]!);
        const held = (i: number) => heldEvery > 0 && i % (heldEvery + 1) === heldEvery;
        const b = new KeyedBreaks(room);
        all.forEach((x, i) => expect(held(i) ? b.pushHeld(x.kid, BREAK_TYPES.indexOf(x.type), x.amountLedger ?? NaN, x.amountExternal ?? NaN) : b.push(x)).toBe(i));
        expect(b.length).toBe(n);
        all.forEach((x, i) => {
          if (held(i)) {
            expect([b.kid(i), b.same(i), b.rowsSame(i), b.type(i), b.amountLedger(i), b.amountExternal(i), b.latestRow(i)]).toEqual([x.kid, true, false, x.type, x.amountLedger, x.amountExternal, -1]);
            return;
          }
          expect([b.kid(i), b.same(i), b.type(i), b.amountLedger(i), b.amountExternal(i), b.latestRow(i)]).toEqual([x.kid, x.same, x.type, x.amountLedger, x.amountExternal, x.latestRow]);
          if (x.fields) expect(b.fieldsOf(i)).toBe(x.fields);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('makes a one-sided break’s field from its compared amount, on its side, and keeps a zero amount apart from none', () => {
    const b = new KeyedBreaks();
    const l = b.push({ kid: 1, same: false, type: 'LEDGER_ONLY', fields: null, shown: 38000, amountLedger: 0, amountExternal: null, latestRow: 0 });
    const x = b.push({ kid: 2, same: false, type: 'EXTERNAL_ONLY', fields: null, shown: 1999, amountLedger: null, amountExternal: 1999, latestRow: 5 });
    expect(b.fieldsOf(l)).toEqual([{ field: 'amount', ledger: '380.00', external: null }]);
    expect(b.fieldsOf(x)).toEqual([{ field: 'amount', ledger: null, external: '19.99' }]);
    expect([b.amountLedger(l), b.amountExternal(l)]).toEqual([0, null]);
  });
});
