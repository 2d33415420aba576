// The likely other half of a one-sided break: the same payment recorded by the
// ledger under one order number and by the tax bureau under another shows as two
// one-sided breaks; the detail of each names the other (breaks/counterparts.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, reconcile, signIn, tempEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import Database from 'better-sqlite3';
import { BOTH_SIDES, BREAKS_OF, likelyPairs } from '../../electron/engine/breaks/likely-pairs';
import { listBreaks } from '../../electron/engine/breaks/break-query';
import { FEW_PAIRED } from '../../electron/engine/breaks/break-filter';

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

    // Found from the open one-sided breaks' own index, read in id order (a run's new
    // breaks go at its end); no index of recon_break leads with the ID number, which
    // took a run's every new break at a random place among the open ones.
    for (const [sql, args] of [[BOTH_SIDES, ['premium', 'premium']], [BREAKS_OF, ['premium', '[]']]] as const) {
      const plan = e.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX recon_break_open_sided \(kind=\?\)(?!.*SCAN recon_break)/);
    }
    const leading = e.db.prepare("SELECT il.name FROM sqlite_master m, pragma_index_info(m.name) il WHERE m.type = 'index' AND m.tbl_name = 'recon_break' AND il.seqno = 1").pluck().all();
    expect(leading).not.toContain('certno');
    await e.close();
  });

  it('are found again whenever another program changes what they depend on, and never kept from a transaction rolled back', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 4, LEDGER_ONLY: 1, EXTERNAL_ONLY: 1 } });
    const [a] = [...g.expected].filter(([, c]) => c === 'MATCHED').map(([k]) => k);
    const taxA = g.tax.find((r) => r[0] === a)!;
    taxA[0] = `${a!.slice(0, -1)}9`;
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const officer = await signIn(e, 'officer-b', ['officer']);
    const all = (await e.call('breaks/list', { kind: 'premium', period: '2025-W47' }, officer)).rows;
    const ledgerA = all.find((r) => r.key === a)!.id;
    const taxSideA = all.find((r) => r.key === taxA[0])!.id;
    const other = all.find((r) => ![ledgerA, taxSideA].includes(r.id))!.id;
    const named = async () => (await e.call('breaks/detail', { id: ledgerA }, officer)).counterparts.map((c) => c.key);
    const flagged = async () => (await e.call('breaks/list', { kind: 'premium', period: '2025-W47', paired: true }, officer)).rows.map((r) => r.key).sort();
    expect(await named()).toEqual([taxA[0]]);

    // Another program writes the file while the workstation keeps its pairs.
    const otherProgram = new Database(path.join(e.dir, 'workstation.sqlite'));
    const edit = (sql: string, ...args: unknown[]) => otherProgram.prepare(sql).run(...args);
    edit('UPDATE recon_break SET amount_external = amount_external + 100 WHERE id = ?', taxSideA);
    expect([await named(), await flagged()]).toEqual([[], []]);
    edit('UPDATE recon_break SET amount_external = amount_external - 100 WHERE id = ?', taxSideA);
    expect(await named()).toEqual([taxA[0]]);
    edit("UPDATE recon_break SET certno = '110101199001010000' WHERE id = ?", taxSideA);
    expect(await named()).toEqual([]);
    edit('UPDATE recon_break SET certno = (SELECT certno FROM recon_break WHERE id = ?) WHERE id = ?', ledgerA, taxSideA);
    expect(await named()).toEqual([taxA[0]]);
    edit("UPDATE recon_break SET type = 'AMOUNT_MISMATCH' WHERE id = ?", taxSideA);
    expect(await named()).toEqual([]);
    edit("UPDATE recon_break SET type = 'EXTERNAL_ONLY' WHERE id = ?", taxSideA);
    expect(await flagged()).toEqual([a, taxA[0]].sort());
    // A break added by another program pairs as one a run opens.
    const copy = edit(
      `INSERT INTO recon_break (kind, key, match_key, type, status, fields, amount_ledger, amount_external, certno, name, event_at, ledger_origin, external_origin, opened_period, opened_run, last_run)
       SELECT kind, key || 'X', match_key || 'X', type, status, fields, amount_ledger, amount_external, certno, name, event_at, ledger_origin, external_origin, opened_period, opened_run, last_run FROM recon_break WHERE id = ?`,
      taxSideA,
    );
    expect((await named()).sort()).toEqual([taxA[0], `${taxA[0]}X`].sort());
    edit('DELETE FROM recon_break WHERE id = ?', Number(copy.lastInsertRowid));
    expect(await named()).toEqual([taxA[0]]);

    // Pairs found inside a transaction that is rolled back are not kept: the change
    // count returns to where it was, and another change may bring it to the same
    // number with other breaks.
    e.db.exec('BEGIN');
    e.db.prepare("UPDATE recon_break SET certno = 'ZZ' WHERE id = ?").run(taxSideA);
    expect(likelyPairs(e.db, 'premium').has(ledgerA)).toBe(false);
    e.db.exec('ROLLBACK');
    edit('UPDATE recon_break SET note = ?, amount_ledger = amount_ledger + 1 WHERE id = ?', 'x', other);
    expect(likelyPairs(e.db, 'premium').has(ledgerA)).toBe(true);
    expect(await named()).toEqual([taxA[0]]);
    otherProgram.close();
    await e.close();
  });

  it('pairs exactly as the rule says, on random breaks: both open, one side each, the same kind, ID number and amount', async () => {
    const e = await tempEngine();
    const run = Number(e.db.prepare("INSERT INTO recon_run (kind, period, ran_at, ran_by, window_hours, summary) VALUES ('premium', '2025-W47', '', 't', 24, '{}')").run().lastInsertRowid);
    const insert = e.db.prepare(
      `INSERT INTO recon_break (kind, key, match_key, type, status, fields, amount_ledger, amount_external, certno, ledger_origin, external_origin, opened_period, opened_run, last_run)
       VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, '[]', '[]', '2025-W47', ?, ?)`,
    );
    // The rule as SQL, pair by pair (what the index by ID number used to serve).
    const reference = e.db.prepare(
      `SELECT b.id AS b, o.id AS o FROM recon_break b JOIN recon_break o ON o.kind = b.kind AND o.certno = b.certno AND o.certno <> ''
         AND o.status = 'open' AND b.status = 'open' AND o.id <> b.id AND (
           (b.type IN ('LEDGER_ONLY', 'IN_TRANSIT') AND o.type = 'EXTERNAL_ONLY' AND o.amount_external = b.amount_ledger)
           OR (b.type = 'EXTERNAL_ONLY' AND o.type IN ('LEDGER_ONLY', 'IN_TRANSIT') AND o.amount_ledger = b.amount_external))
       WHERE b.kind = ?`,
    );
    const sizes: number[] = [];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)]!;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 800; i++) {
        const kind = pick(['premium', 'premium', 'settlement'] as const);
        const type = pick(['LEDGER_ONLY', 'IN_TRANSIT', 'EXTERNAL_ONLY', 'EXTERNAL_ONLY', 'AMOUNT_MISMATCH'] as const);
        const amount = () => pick([100, 100, 200, 300, null]);
        insert.run(kind, `K${round}-${i}`, `K${round}-${i}`, type, pick(['open', 'open', 'closed']), type === 'EXTERNAL_ONLY' ? null : amount(), type === 'LEDGER_ONLY' || type === 'IN_TRANSIT' ? null : amount(), pick(['A', 'B', 'C', 'D', '', null]), run, run);
      }
      for (const kind of ['premium', 'settlement'] as const) {
        const want = new Map<number, number[]>();
        for (const { b, o } of reference.all(kind) as { b: number; o: number }[]) want.set(b, [...(want.get(b) ?? []), o]);
        const pairs = likelyPairs(e.db, kind);
        expect(pairs.ids, `round ${round} ${kind}`).toEqual([...want.keys()].sort((a, b) => a - b));
        for (const [b, os] of want) expect([...pairs.partners(b)].sort((x, y) => x - y)).toEqual(os.sort((x, y) => x - y));
        expect(pairs.ids.length).toBeGreaterThan(0);
        // The workbench's filter shows exactly them, bound one by one when few, as a list when many.
        const listed = listBreaks(e.db, { kind, status: 'all', paired: true, limit: 10_000 }).rows.map((r) => r.id);
        expect(listed.sort((a, b) => a - b)).toEqual(pairs.ids);
        sizes.push(pairs.ids.length);
      }
      // Some close, for the next round.
      e.db.prepare("UPDATE recon_break SET status = 'closed' WHERE id % 7 = ?").run(round);
    }
    // Both ways of giving the filter its breaks were taken.
    expect(Math.min(...sizes)).toBeLessThanOrEqual(FEW_PAIRED);
    expect(Math.max(...sizes)).toBeGreaterThan(FEW_PAIRED);
    await e.close();
  });
});
