// The ranges a run names its unchanged open breaks by (recon_run_unchanged) must
// hold exactly the ids given: one missing and a break's latest run is wrong, one
// extra and another break's is.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { idRanges } from '../../electron/engine/match/id-ranges';

describe('break ids as ranges', () => {
  it('hold exactly the ids given, in sorted ranges that neither touch nor overlap', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 300 }), (ids) => {
        const ranges = idRanges(ids);
        const held: number[] = [];
        for (const [a, b] of ranges) for (let i = a; i <= b; i++) held.push(i);
        expect(held).toEqual([...new Set(ids)].sort((a, b) => a - b));
        for (let r = 1; r < ranges.length; r++) expect(ranges[r]![0]).toBeGreaterThan(ranges[r - 1]![1] + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('sorts numerically (10 after 9), not as text', () => {
    expect(idRanges([10, 9, 11, 2])).toEqual([
      [2, 2],
      [9, 11],
    ]);
  });
});
