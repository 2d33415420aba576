// The likely other half of a one-sided break: the same payment recorded by the
// ledger under one order number and by the tax bureau under another shows as two
// one-sided breaks; the detail of each names the other (breaks/counterparts.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, reconcile, signIn, tempEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';

describe('likely counterparts of a one-sided break', () => {
  it('names the other side’s open one-sided break of the same person and amount, both ways, and no other', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 4, LEDGER_ONLY: 2, EXTERNAL_ONLY: 2 } });
    const [a, b] = [...g.expected].filter(([, c]) => c === 'MATCHED').map(([k]) => k);
    // Order a reached the tax bureau under a mistyped number; order b too, and with another amount.
    const taxA = g.tax.find((r) => r[0] === a)!;
    taxA[0] = `${a!.slice(0, -1)}9`;
    const taxB = g.tax.find((r) => r[0] === b)!;
    taxB[0] = `${b!.slice(0, -1)}8`;
    taxB[7] = (Number(taxB[7]) + 1).toFixed(2);
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const officer = await signIn(e, 'officer-b', ['officer']);
    const all = (await e.call('breaks/list', { kind: 'premium', period: '2025-W47' }, officer)).rows;
    const idOf = (key: string) => all.find((r) => r.key === key)!.id;
    const ledgerA = idOf(a!);
    const taxSideA = idOf(taxA[0]!);
    expect(all.find((r) => r.id === ledgerA)!.type).toBe('LEDGER_ONLY');
    expect(all.find((r) => r.id === taxSideA)!.type).toBe('EXTERNAL_ONLY');

    const detailA = await e.call('breaks/detail', { id: ledgerA }, officer);
    expect(detailA.counterparts.map((c) => c.key)).toEqual([taxA[0]]);
    // Masked as every row the officer sees.
    expect(detailA.counterparts[0]!.certno).toMatch(/\*{8}/);
    expect((await e.call('breaks/detail', { id: taxSideA }, officer)).counterparts.map((c) => c.key)).toEqual([a]);
    // b's halves differ by a yuan: not named; nor are the other one-sided breaks (other people).
    expect((await e.call('breaks/detail', { id: idOf(b!) }, officer)).counterparts).toEqual([]);
    for (const r of all.filter((x) => ![ledgerA, taxSideA].includes(x.id))) {
      expect((await e.call('breaks/detail', { id: r.id }, officer)).counterparts, r.key).toEqual([]);
    }

    // The workbench's rows say which have a likely other half, and a filter shows just those.
    expect(all.filter((r) => r.paired).map((r) => r.key).sort()).toEqual([a, taxA[0]].sort());
    expect(all.every((r) => typeof r.paired === 'boolean')).toBe(true);
    const pairs = await e.call('breaks/list', { kind: 'premium', period: '2025-W47', paired: true }, officer);
    expect([pairs.total, pairs.rows.map((r) => r.key).sort()]).toEqual([2, [a, taxA[0]].sort()]);
    const facets = await e.call('breaks/facets', { kind: 'premium', period: '2025-W47', paired: true }, officer);
    expect(facets.filter((f) => f.count > 0).map((f) => [f.type, f.count]).sort()).toEqual([['EXTERNAL_ONLY', 1], ['LEDGER_ONLY', 1]]);

    // Disposed of together, the pair is settled: neither names the other any more.
    await e.call('breaks/dispose', { ids: [ledgerA, taxSideA], reason: '误报', note: `同一笔扣款，单号不同：${a} ↔ ${taxA[0]}` }, officer);
    expect((await e.call('breaks/detail', { id: ledgerA }, officer)).counterparts).toEqual([]);
    expect((await e.call('breaks/list', { kind: 'premium', period: '2025-W47', status: 'all', paired: true }, officer)).total).toBe(0);
    await e.call('breaks/undo', {}, officer);
    expect((await e.call('breaks/detail', { id: ledgerA }, officer)).counterparts.map((c) => c.key)).toEqual([taxA[0]]);

    // Found through the open breaks' index by ID number, not by reading every open break.
    const plan = e.db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM recon_break WHERE kind = 'premium' AND certno = 'x' AND status = 'open' AND id <> 1 AND type IN ('EXTERNAL_ONLY') AND amount_external = 1")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('recon_break_open_cert');
    await e.close();
  });
});
