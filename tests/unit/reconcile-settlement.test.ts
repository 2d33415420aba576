import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allBreaks } from '../../electron/engine/breaks/break-export';
import { RECON_SPECS } from '../../electron/engine/match/recon-specs';
import { BREAK_TYPES, BREAK_TYPES_OF, RECON_KINDS } from '../../shared/domain';
import { importFile, reconcile, tempEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { LEDGER_SETTLEMENT_HEADER, SETTLEMENT_HEADER, settlementFiles, type Bill } from '../support/settlement-generator';

async function load(bills: Bill[]) {
  const e = await tempEngine();
  const f = settlementFiles(bills);
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'ledger-settlement.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger, { encoding: 'gb18030' }) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'settlement.txt'), SETTLEMENT_HEADER, f.external, { delimiter: '\t' }) });
  return e;
}

describe('the break types each kind can give', () => {
  it('agree with the kinds’ specs: only a kind that reads the platform’s verdicts flags by them', () => {
    for (const kind of RECON_KINDS) expect(BREAK_TYPES_OF[kind].includes('PLATFORM_FLAGGED'), kind).toBe(RECON_SPECS[kind].platformVerdicts === true);
    expect(BREAK_TYPES_OF.premium).toHaveLength(BREAK_TYPES.length - 1);
  });
});

describe('settlement reconciliation (ledger-settlement ↔ settlement)', () => {
  it('sums several payers per settlement and nets a cancellation against its original on both sides', async () => {
    const e = await load([
      { setlId: 'S001', region: '330100', payers: [{ region: '330100', amount: '120.00' }, { region: '330200', amount: '80.50' }], at: '2025-11-03 10:00:00' },
      { setlId: 'S002', region: '330200', payers: [{ region: '330100', amount: '60.00' }], at: '2025-11-05 10:00:00', cancelled: { setlId: 'S002C', at: '2025-11-06 09:00:00' } },
      { setlId: 'S003', region: '330300', payers: [{ region: '330300', amount: '10.00' }, { region: '330300', amount: '20.00' }, { region: '330400', amount: '30.00' }], at: '2025-11-10 10:00:00' },
    ]);
    const s = await reconcile(e, { kind: 'settlement', period: '2025-11' });
    expect(s.breaks).toEqual([]);
    expect(s.matched.count).toBe(3);
    expect(s.ledger).toMatchObject({ rows: 7, keys: 3, total: '260.50' });
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });

  it('finds a cancellation that reached one side only, an amount difference, and both kinds of 单边', async () => {
    const e = await load([
      { setlId: 'S010', region: '330100', payers: [{ region: '330200', amount: '100.00' }], at: '2025-11-03 10:00:00', cancelled: { setlId: 'S010C', at: '2025-11-04 10:00:00', onLedger: false } },
      { setlId: 'S011', region: '330100', payers: [{ region: '330100', amount: '50.00' }, { region: '330200', amount: '50.00' }], at: '2025-11-05 10:00:00', externalAmount: '90.00' },
      { setlId: 'S012', region: '330100', payers: [{ region: '330100', amount: '33.00' }], at: '2025-11-06 10:00:00', ledgerOnly: true },
      { setlId: 'S013', region: '330100', payers: [{ region: '330100', amount: '44.00' }], at: '2025-11-07 10:00:00', externalOnly: true },
      { setlId: 'S014', region: '330100', payers: [{ region: '330100', amount: '55.00' }], at: '2025-11-30 20:00:00', ledgerOnly: true },
    ]);
    const s = await reconcile(e, { kind: 'settlement', period: '2025-11' });
    const types = Object.fromEntries(allBreaks(e.db, { kind: 'settlement' }).map((b) => [b.key, b.type]));
    expect(types).toEqual({ S010: 'AMOUNT_MISMATCH', S011: 'AMOUNT_MISMATCH', S012: 'LEDGER_ONLY', S013: 'EXTERNAL_ONLY', S014: 'IN_TRANSIT' });
    const s010 = allBreaks(e.db, { kind: 'settlement' }).find((b) => b.key === 'S010')!;
    expect(s010.fields).toEqual(expect.arrayContaining([{ field: 'amount', ledger: '100.00', external: '0.00' }, { field: 'status', ledger: 'normal', external: 'cancelled' }]));
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });

  it('finds the same settlement twice on the institution side as 重复', async () => {
    const e = await tempEngine();
    const f = settlementFiles([{ setlId: 'S020', region: '330100', payers: [{ region: '330100', amount: '70.00' }], at: '2025-11-03 10:00:00' }]);
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 's.txt'), SETTLEMENT_HEADER, [...f.external, f.external[0]!], { delimiter: '\t' }) });
    const s = await reconcile(e, { kind: 'settlement', period: '2025-11' });
    expect(s.breaks).toEqual([expect.objectContaining({ type: 'DUPLICATE', count: 1, amountExternal: '70.00' })]);
    expect(s.matched.count).toBe(1);
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });
});
