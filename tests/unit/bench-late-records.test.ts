// The bench's realistic weeks (tests/bench/gen-realistic.ts) carry timing differences
// that clear: a late order's ledger record opens an in-transit break, and its tax
// record, in the next week's extract, closes it. The history figures time that work;
// this checks, through the real engine on real files, that the data does what the
// bench says it does (a generator that made no late record, or records that closed
// nothing, would leave the bench timing weeks without it).
import { describe, expect, it } from 'vitest';
import { writeRealisticWeek } from '../bench/gen-realistic';
import { allBreaks } from '../../electron/engine/breaks/break-export';
import { importFile, reconcile, tempEngine } from '../support/temp-engine';

const ORDERS = 12_000;

describe('the bench data: late tax records clear the week after', () => {
  it('opens each late order as in transit, and the next week closes exactly those', async () => {
    const e = await tempEngine();
    const w1 = writeRealisticWeek(`${e.dir}/w1`, ORDERS, '2025-11-17', 1);
    const w2 = writeRealisticWeek(`${e.dir}/w2`, ORDERS, '2025-11-24', 2, w1.late);
    // ~1 % of the last day's plain orders (about a sixth of a week's): some tens here.
    expect(w1.late.length).toBeGreaterThan(5);
    const lateKeys = new Set(w1.late.map((l) => l.line.split('|')[0]!));
    // Dated the next Monday, in week 2's period.
    for (const l of w1.late) expect(l.line.split('|')[9]).toBe('20251124');

    await importFile(e, { path: w1.tax });
    await importFile(e, { path: w1.ledger });
    const s1 = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(s1.tieOut.ok).toBe(true);
    const transit = allBreaks(e.db, { kind: 'premium', status: 'open' }).filter((b) => b.type === 'IN_TRANSIT');
    for (const k of lateKeys) expect(transit.some((b) => b.key === k), k).toBe(true);

    const w2Tax = await importFile(e, { path: w2.tax });
    // The extract's rows and its 合计 count the late records too.
    expect(w2Tax.rows).toBe(w2.taxRows);
    expect(w2Tax.rejected).toBe(0);
    expect(w2Tax.totalCheck?.ok).toBe(true);
    await importFile(e, { path: w2.ledger });
    const s2 = await reconcile(e, { kind: 'premium', period: '2025-W48' });
    expect(s2.tieOut.ok).toBe(true);
    expect(s2.autoClosed).toBe(lateKeys.size);
    const closed = allBreaks(e.db, { kind: 'premium', status: 'closed' });
    expect(new Set(closed.map((b) => b.key))).toEqual(lateKeys);
    for (const b of closed) expect(b.resolution).toBe('自动核销');
    await e.close();
  }, 60_000);
});
