import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allBreaks } from '../../electron/engine/breaks/break-export';
import { CLOSED_AS_SQL, readOpenBreaks } from '../../electron/engine/match/apply-breaks';
import { carriedBreakIds, loadCarry } from '../../electron/engine/match/carry';
import { loadOpenList } from '../../electron/engine/match/open-list';
import { disposeBreaks, undoLast } from '../../electron/engine/breaks/break-work';
import type { BreakRow } from '../../shared/recon-types';
import { importFile, reconcile, tempEngine, type TestEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { makeCertNo } from '../support/ids';
import { generatePremium, LEDGER_HEADER, TAX_HEADER, type PremiumClass } from '../support/premium-generator';

async function loadWeek(counts: Partial<Record<PremiumClass, number>>, given?: TestEngine, monday = '2025-11-17', tag = 'w47') {
  const e = given ?? (await tempEngine());
  const g = generatePremium({ monday, counts, prefix: `JF${tag}` });
  if (g.ledger.length) await importFile(e, { path: writeTextFile(path.join(e.dir, `ledger-${tag}.csv`), LEDGER_HEADER, g.ledger, { bom: true }) });
  if (g.tax.length) await importFile(e, { path: writeTextFile(path.join(e.dir, `tax-${tag}.txt`), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030' }) });
  return { e, g };
}

const byKey = (rows: BreakRow[]) => new Map(rows.map((b) => [b.key, b]));

describe('premium reconciliation (ledger-premium ↔ tax-premium)', () => {
  it('puts every generated order in its known class, and ties out', async () => {
    const counts = { MATCHED: 30, MATCHED_SPLIT: 5, MATCHED_REFUNDED: 4, LEDGER_ONLY: 3, EXTERNAL_ONLY: 3, IN_TRANSIT: 2, AMOUNT_MISMATCH: 2, STATUS_MISMATCH: 2, FIELD_MISMATCH: 2, DUPLICATE: 2 };
    const { e, g } = await loadWeek(counts);
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const breaks = allBreaks(e.db, { kind: 'premium', status: 'open' });
    const found = new Map<string, string[]>();
    for (const b of breaks) found.set(b.key, [...(found.get(b.key) ?? []), b.type]);
    for (const [order, cls] of g.expected) {
      if (cls.startsWith('MATCHED')) expect(found.get(order), order).toBeUndefined();
      else expect(found.get(order), order).toEqual([cls]);
    }
    expect(s.matched.count).toBe(30 + 5 + 4 + 2); // duplicates' orders match once
    expect(Object.fromEntries(s.breaks.map((b) => [b.type, b.count]))).toEqual({
      LEDGER_ONLY: 3, EXTERNAL_ONLY: 3, AMOUNT_MISMATCH: 2, STATUS_MISMATCH: 2, FIELD_MISMATCH: 2, DUPLICATE: 2, IN_TRANSIT: 2,
    });
    expect(s.tieOut).toEqual({ ledger: '0.00', external: '0.00', ok: true });
    await e.close();
  });

  it('finds every copy among many rows of one order, in time linear in the rows (a file repeating one key)', async () => {
    const e = await tempEngine();
    // One order paid by 30 family accounts, each deduction sent twice, and 400 more copies of one of them.
    const row = (p: number) => ['JFMANY', `HK-${p}`, makeCertNo('330200', '19700101', 1), '张三', '330200', makeCertNo('330100', '20100101', 1), '李四', '330100', '父母', '390', '2026', '10.00', '划扣成功', '2025-11-18 10:00:00', ''];
    const rows = [...Array.from({ length: 30 }, (_, p) => row(p)), ...Array.from({ length: 30 }, (_, p) => row(p)), ...Array.from({ length: 400 }, () => row(7))];
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, rows) });
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const dups = allBreaks(e.db, { kind: 'premium', status: 'open' }).filter((b) => b.type === 'DUPLICATE');
    expect(dups).toHaveLength(430);
    // The 30 first copies stand: the order is 300.00 on the ledger, one-sided.
    expect(s.breaks.find((b) => b.type === 'LEDGER_ONLY')).toMatchObject({ count: 1, amountLedger: '300.00' });
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });

  it('finds a copy of an order\'s first deduction that comes after its second (a copy of any earlier row, not only the last)', async () => {
    const e = await tempEngine();
    const row = (p: number) => ['JFTWICE', `HK-${p}`, makeCertNo('330200', '19700101', 1), '张三', '330200', makeCertNo('330100', '20100101', 1), '李四', '330100', '父母', '390', '2026', '10.00', '划扣成功', '2025-11-18 10:00:00', ''];
    // Lines 2, 3, 4 of the file: HK-1, HK-2, HK-1 again.
    const file = writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, [row(1), row(2), row(1)]);
    const batch = (await importFile(e, { path: file })).batchId;
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const dups = allBreaks(e.db, { kind: 'premium', status: 'open' }).filter((b) => b.type === 'DUPLICATE');
    expect(dups.map((d) => d.ledger_origin)).toEqual([[`${batch}:4`]]);
    expect(s.breaks.find((b) => b.type === 'LEDGER_ONLY')).toMatchObject({ count: 1, amountLedger: '20.00' });
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });

  it.each([
    ['the second of three', [1, 2, 3, 2], 5],
    ['the third of four', [1, 2, 3, 4, 3], 6],
  ])('finds a copy of %s deductions of an order, coming after them all', async (_what, hk, dupLine) => {
    const e = await tempEngine();
    const row = (p: number) => ['JFTHREE', `HK-${p}`, makeCertNo('330200', '19700101', 1), '张三', '330200', makeCertNo('330100', '20100101', 1), '李四', '330100', '父母', '390', '2026', '10.00', '划扣成功', '2025-11-18 10:00:00', ''];
    const batch = (await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, hk.map(row)) })).batchId;
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const dups = allBreaks(e.db, { kind: 'premium', status: 'open' }).filter((b) => b.type === 'DUPLICATE');
    expect(dups.map((d) => d.ledger_origin)).toEqual([[`${batch}:${dupLine}`]]);
    expect(s.breaks.find((b) => b.type === 'LEDGER_ONLY')).toMatchObject({ count: 1, amountLedger: `${(hk.length - 1) * 10}.00` });
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });

  it('records which fields differ, with both values', async () => {
    const { e } = await loadWeek({ AMOUNT_MISMATCH: 1, STATUS_MISMATCH: 1, FIELD_MISMATCH: 1 });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const bs = allBreaks(e.db, { kind: 'premium' });
    const amount = bs.find((b) => b.type === 'AMOUNT_MISMATCH')!;
    expect(amount.fields).toContainEqual({ field: 'amount', ledger: '400.00', external: '380.00' });
    expect(amount).toMatchObject({ amount_ledger: '400.00', amount_external: '380.00', difference: '20.00' });
    expect(bs.find((b) => b.type === 'STATUS_MISMATCH')!.fields).toEqual([{ field: 'status', ledger: 'paid', external: 'refunded' }]);
    expect(bs.find((b) => b.type === 'FIELD_MISMATCH')!.fields).toEqual([{ field: 'insutype', ledger: '390', external: '392' }]);
    // Each side's origin: batch and line in the source file.
    expect(amount.ledger_origin).toHaveLength(1);
    expect(amount.external_origin[0]).toMatch(/^\d+:\d+$/);
    await e.close();
  });

  it('sums several deductions of one order (many-to-one) and nets a refund against its deduction', async () => {
    const { e } = await loadWeek({ MATCHED_SPLIT: 3, MATCHED_REFUNDED: 3 });
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(s.matched.count).toBe(6);
    expect(s.breaks).toEqual([]);
    expect(s.ledger.rows).toBe(12);
    await e.close();
  });

  it('flags a refund that reached one side only as a status mismatch, whichever side', async () => {
    // Tax refunded, ledger still paid: the generator's STATUS_MISMATCH.
    const { e } = await loadWeek({ STATUS_MISMATCH: 1 });
    // Ledger refunded, tax still paid.
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED_REFUNDED: 1 }, prefix: 'JFR' });
    g.tax[0]![8] = '已缴费';
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l2.csv'), LEDGER_HEADER, g.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't2.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const bs = allBreaks(e.db, { kind: 'premium' });
    expect(bs.map((b) => b.type)).toEqual(['STATUS_MISMATCH', 'STATUS_MISMATCH']);
    expect(bs.map((b) => b.fields[0])).toContainEqual({ field: 'status', ledger: 'refunded', external: 'paid' });
    await e.close();
  });

  it('calls a one-sided record inside the closing window 在途, outside it 单边, and the window is configurable', async () => {
    const { e } = await loadWeek({ IN_TRANSIT: 1, LEDGER_ONLY: 1 });
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(s.breaks.map((b) => b.type).sort()).toEqual(['IN_TRANSIT', 'LEDGER_ONLY']);
    const wide = await reconcile(e, { kind: 'premium', period: '2025-W47', windowHours: 24 * 7 });
    expect(wide.breaks.map((b) => [b.type, b.count])).toEqual([['IN_TRANSIT', 2]]);
    await e.close();
  });

  it('closes a 在途 deduction when next week’s extract carries it (自动核销, with the closing period)', async () => {
    const { e, g } = await loadWeek({ IN_TRANSIT: 1, MATCHED: 2 });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const order = [...g.expected].find(([, c]) => c === 'IN_TRANSIT')![0];
    const ledgerRow = g.ledger.find((r) => r[0] === order)!;
    // Week 48: the tax bureau confirms on Monday.
    const taxRow = [order, '39999', ledgerRow[5]!, '李四', ledgerRow[7]!, '城乡居民基本医疗保险', '2026', ledgerRow[11]!, '已缴费', '20251124', '共济账户代缴'];
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'tax-w48.txt'), TAX_HEADER, [taxRow], { delimiter: '|' }) });
    const s2 = await reconcile(e, { kind: 'premium', period: '2025-W48' });
    expect(s2.autoClosed).toBe(1);
    expect(s2.matched.count).toBe(1);
    const closed = allBreaks(e.db, { kind: 'premium', status: 'closed' });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ key: order, type: 'IN_TRANSIT', opened_period: '2025-W47', closed_period: '2025-W48', resolution: '自动核销' });
    expect(allBreaks(e.db, { kind: 'premium', status: 'open' })).toHaveLength(0);
    await e.close();
  });

  it('records each reclassification with the type the break had: 在途 become 单边 by the window alone, a new record that changes the type or only the amount, none for a break found as it was', async () => {
    const { e, g } = await loadWeek({ IN_TRANSIT: 1, LEDGER_ONLY: 2, MATCHED: 1 });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const [transit, grows, paired] = ['IN_TRANSIT', 'LEDGER_ONLY', 'LEDGER_ONLY'].map((c, i) => [...g.expected].filter(([, x]) => x === c)[c === 'LEDGER_ONLY' ? i - 1 : 0]![0]);
    const row = (order: string) => g.ledger.find((r) => r[0] === order)!;
    // Week 48: a second deduction of one 单边 order (its amount grows, still 单边), and the tax record of the other at another amount (金额不符).
    const second = [...row(grows!)];
    second[1] = `${second[1]}b`;
    second[13] = '2025-11-25 10:00:00';
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'ledger-w48.csv'), LEDGER_HEADER, [second], { bom: true }) });
    const p = row(paired!);
    const taxRow = [paired!, '39998', p[5]!, '李四', p[7]!, '城乡居民基本医疗保险', '2026', '1.00', '已缴费', '20251125', '共济账户代缴'];
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'tax-w48.txt'), TAX_HEADER, [taxRow], { delimiter: '|' }) });
    const before = e.db.prepare('SELECT max(id) FROM break_event').pluck().get() as number;
    const w48 = await reconcile(e, { kind: 'premium', period: '2025-W48' });
    const events = e.db
      .prepare("SELECT b.key, ev.detail, ev.actor FROM break_event ev JOIN recon_break b ON b.id = ev.break_id WHERE ev.id > ? AND ev.action = 'reclassify' ORDER BY b.key")
      .all(before) as { key: string; detail: string; actor: string }[];
    expect(events.map((x) => [x.key, JSON.parse(x.detail)])).toEqual(
      [
        [transit, { period: '2025-W48', from: 'IN_TRANSIT', to: 'LEDGER_ONLY' }],
        [grows, { period: '2025-W48', from: 'LEDGER_ONLY', to: 'LEDGER_ONLY' }],
        [paired, { period: '2025-W48', from: 'LEDGER_ONLY', to: 'AMOUNT_MISMATCH' }],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // Each break now says what its events say, its amounts included.
    const now = byKey(allBreaks(e.db, { kind: 'premium' }));
    expect(now.get(transit!)!.type).toBe('LEDGER_ONLY');
    const lastRun = e.db.prepare("SELECT key, last_run FROM recon_break WHERE status = 'open'").all() as { key: string; last_run: number }[];
    expect(lastRun.filter((b) => [transit, grows, paired].includes(b.key)).map((b) => b.last_run)).toEqual([w48.runId, w48.runId, w48.runId]);
    expect(now.get(grows!)!.amount_ledger).toBe((2 * Number(row(grows!)[11])).toFixed(2));
    expect(now.get(paired!)).toMatchObject({ type: 'AMOUNT_MISMATCH', amount_external: '1.00' });
    // Run again: every break is found as it was, and no event is written.
    const again = e.db.prepare('SELECT max(id) FROM break_event').pluck().get() as number;
    await reconcile(e, { kind: 'premium', period: '2025-W48' });
    expect(e.db.prepare("SELECT count(*) FROM break_event WHERE id > ? AND action = 'reclassify'").pluck().get(again)).toBe(0);
    await e.close();
  });

  it('carries an unmatched record forward: a 单边 from week 47 stays one open break in week 48', async () => {
    const { e } = await loadWeek({ LEDGER_ONLY: 1, EXTERNAL_ONLY: 1 });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    await loadWeek({ MATCHED: 2 }, e, '2025-11-24', 'w48');
    const s2 = await reconcile(e, { kind: 'premium', period: '2025-W48' });
    expect(s2.breaks.map((b) => [b.type, b.count]).sort()).toEqual([['EXTERNAL_ONLY', 1], ['LEDGER_ONLY', 1]]);
    const open = allBreaks(e.db, { kind: 'premium' });
    expect(open).toHaveLength(2);
    expect(open.every((b) => b.opened_period === '2025-W47')).toBe(true);
    // One record never has two open breaks.
    expect(new Set(open.map((b) => b.key)).size).toBe(2);
    await e.close();
  });

  it('holds apart, week after week, the open breaks none of whose records changed: out of the run, counted as they were, still open and carried', async () => {
    const { e } = await loadWeek({ LEDGER_ONLY: 2, EXTERNAL_ONLY: 1, AMOUNT_MISMATCH: 1, MATCHED: 3 });
    const s1 = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const runDetail = () => JSON.parse(e.db.prepare("SELECT detail FROM audit_log WHERE action = 'reconcile' ORDER BY seq DESC LIMIT 1").pluck().get() as string) as { held: number; heldApart: number };
    const open1 = allBreaks(e.db, { kind: 'premium' });
    expect(open1).toHaveLength(4);
    const counts = (s: typeof s1) => Object.fromEntries(s.breaks.map((b) => [b.type, [b.count, b.amountLedger, b.amountExternal]]));
    for (const [week, monday] of [['2025-W48', '2025-11-24'], ['2025-W49', '2025-12-01'], ['2025-W50', '2025-12-08']] as const) {
      await loadWeek({ MATCHED: 2 }, e, monday, week.slice(-3));
      const s = await reconcile(e, { kind: 'premium', period: week });
      // All four kept apart, each week (a key dropped from the carry would be read again, not held apart, the week after).
      expect(runDetail()).toMatchObject({ held: 4, heldApart: 4 });
      expect(counts(s)).toEqual(counts(s1));
      expect(s.tieOut.ok).toBe(true);
      // The ledger's keys: the three still open (two 单边, one 金额不符) and the week's two matched.
      expect(s.ledger.keys).toBe(3 + 2);
      expect(allBreaks(e.db, { kind: 'premium' }).map((b) => [b.id, b.type, b.status])).toEqual(open1.map((b) => [b.id, b.type, b.status]));
      // Each found by this run, as it was: its latest run is this one.
      expect(e.db.prepare('SELECT DISTINCT last_run FROM recon_break_latest').pluck().all()).toEqual([s.runId]);
    }
    await e.close();
  });

  it('gives the same result when a period is run again', async () => {
    const { e } = await loadWeek({ MATCHED: 5, LEDGER_ONLY: 2, AMOUNT_MISMATCH: 1, DUPLICATE: 1, IN_TRANSIT: 1 });
    const a = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const before = allBreaks(e.db, { kind: 'premium', status: 'all' });
    const b = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const after = allBreaks(e.db, { kind: 'premium', status: 'all' });
    const strip = (s: typeof a) => ({ ...s, runId: 0, ranAt: '' });
    expect(strip(b)).toEqual(strip(a));
    expect(after.map((x) => ({ ...x, aging_days: 0 }))).toEqual(before.map((x) => ({ ...x, aging_days: 0 })));
    expect(byKey(after).size).toBe(after.length - 0);
    await e.close();
  });

  it('leaves the open breaks of a later week alone when an earlier week is run again, and updates its own', async () => {
    const { e } = await loadWeek({ MATCHED: 5, LEDGER_ONLY: 2 });
    await loadWeek({ MATCHED: 5, LEDGER_ONLY: 2, EXTERNAL_ONLY: 1 }, e, '2025-11-24', 'w48');
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    await reconcile(e, { kind: 'premium', period: '2025-W48' });
    const shape = (rows: BreakRow[]) => rows.map((b) => [b.id, b.key, b.type, b.status, b.opened_period, b.amount_ledger, b.amount_external]).sort((x, y) => Number(x[0]) - Number(y[0]));
    const before = allBreaks(e.db, { kind: 'premium', status: 'all' });
    expect(before.filter((b) => b.opened_period === '2025-W48' && b.status === 'open')).toHaveLength(3);
    // What a run of week 47 reads of the open breaks: each one's id, key and whether it opened after week 47.
    const read = readOpenBreaks(e.db, 'premium', '2025-W47');
    const plain = e.db.prepare("SELECT id, key, opened_period > '2025-W47' AS later FROM recon_break WHERE kind = 'premium' AND status = 'open' ORDER BY id").all() as { id: number; key: string; later: number }[];
    expect(Array.from(read.id, (id, i) => ({ id, key: read.key.at(i), later: read.later[i] }))).toEqual(plain);
    // Week 47 again: its two 单边 are found as they were; week 48's three are outside it, not closed.
    const again = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(again.autoClosed).toBe(0);
    const after = allBreaks(e.db, { kind: 'premium', status: 'all' });
    expect(shape(after)).toEqual(shape(before));
    // The run names its own two breaks as its latest, and not week 48's.
    const latest = e.db.prepare('SELECT b.opened_period, l.last_run FROM recon_break_latest l JOIN recon_break b ON b.id = l.break_id ORDER BY b.id').all() as { opened_period: string; last_run: number }[];
    expect(latest.filter((r) => r.opened_period === '2025-W47').every((r) => r.last_run === again.runId)).toBe(true);
    expect(latest.filter((r) => r.opened_period === '2025-W48').every((r) => r.last_run !== again.runId)).toBe(true);
    await e.close();
  });

  it('reads each open break’s match key where it is not its key (a duplicate copy, a row without an order number), as a plain query does, and a keyed break’s key from the carry that names it', async () => {
    const { e } = await loadWeek({ MATCHED: 3, LEDGER_ONLY: 20, DUPLICATE: 2 });
    const g = generatePremium({ monday: '2025-11-17', counts: { LEDGER_ONLY: 2 }, prefix: 'JFX' });
    for (const r of g.ledger) r[0] = '';
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'keyless.csv'), LEDGER_HEADER, g.ledger) });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const read = readOpenBreaks(e.db, 'premium', '2025-W47');
    const plain = e.db.prepare("SELECT id, key, CASE WHEN match_key = key THEN NULL ELSE match_key END AS matchKey FROM recon_break WHERE kind = 'premium' AND status = 'open' ORDER BY id").all() as { id: number; key: string; matchKey: string | null }[];
    expect(Array.from(read.id, (id, i) => ({ id, key: read.key.at(i), matchKey: read.matchKey.at(i) }))).toEqual(plain);
    // Both kinds of break whose match key is not its key are there, between keyed ones.
    expect(plain.filter((b) => b.key.startsWith('DUP:') && b.matchKey !== null)).toHaveLength(2);
    expect(plain.filter((b) => b.key.startsWith('ROW:') && b.matchKey !== null)).toHaveLength(2);
    expect(plain.filter((b) => b.matchKey === null).length).toBeGreaterThanOrEqual(20);
    // The next run takes the keys of the keyed breaks its carry names from the carry (not read):
    // each one's key where the carry says is the key the plain query reads; the others are read.
    const carry = loadCarry(e.db, 'premium')!;
    const named = carriedBreakIds(carry);
    const fromCarry = readOpenBreaks(e.db, 'premium', '2025-W47', named);
    const keyAt = (c: number) => carry.parts[named.part[c]!]!.keys.strAt('gk', named.place[c]!);
    expect(Array.from(fromCarry.id, (id, i) => ({ id, key: fromCarry.carried[i]! >= 0 ? keyAt(fromCarry.carried[i]!) : fromCarry.key.at(i), matchKey: fromCarry.matchKey.at(i) }))).toEqual(plain);
    expect(plain.map((_, i) => (fromCarry.carried[i]! >= 0 ? 'carry' : 'read'))).toEqual(plain.map((b) => (b.matchKey === null ? 'carry' : 'read')));
    expect(fromCarry.key.length - fromCarry.key.count).toBe(plain.filter((b) => b.matchKey === null).length);
    // And from the open breaks as the run left them (open-list.ts): exactly what reading them gives, the others' keys included.
    const list = loadOpenList(e.db, 'premium', '2025-W47');
    expect(list).not.toBeNull();
    expect(list!.others).toHaveLength(4);
    expect(fromCarry.listed).toBe(false);
    expect(readOpenBreaks(e.db, 'premium', '2025-W47', named, list)).toEqual({ ...fromCarry, listed: true });
    await e.close();
  });

  it('uses the open breaks its last run left only while certainly still so: not after a disposal or its undo, a break added or changed by another program, for an earlier week, or from a list not as written', async () => {
    const { e } = await loadWeek({ MATCHED: 3, LEDGER_ONLY: 6 });
    const run = async () => (await reconcile(e, { kind: 'premium', period: '2025-W47' }), loadOpenList(e.db, 'premium', '2025-W47'));
    const plainIds = () => e.db.prepare("SELECT id FROM recon_break WHERE kind = 'premium' AND status = 'open' ORDER BY id").pluck().all() as number[];
    const listed = await run();
    expect(listed && Array.from(listed.ids)).toEqual(plainIds());
    // An earlier week's run reads them (it must tell later breaks apart).
    expect(loadOpenList(e.db, 'premium', '2025-W46')).toBeNull();
    expect(loadOpenList(e.db, 'premium', '2025-W48')).not.toBeNull();
    // A disposal closes one; its undo opens it again: both are changes.
    const [first] = plainIds();
    disposeBreaks(e.db, [first!], '补记', '', 'officer-b');
    expect(loadOpenList(e.db, 'premium', '2025-W47')).toBeNull();
    undoLast(e.db, 'officer-b');
    expect(loadOpenList(e.db, 'premium', '2025-W47')).toBeNull();
    // The next run writes the list again, with the break open again among them.
    expect((await run()) && plainIds()).toContain(first);
    expect(Array.from((await run())!.ids)).toEqual(plainIds());
    // Another program closes a break in the file, or adds one (of any kind), or changes a key.
    e.db.prepare("UPDATE recon_break SET status = 'closed' WHERE id = ?").run(first);
    expect(loadOpenList(e.db, 'premium', '2025-W47')).toBeNull();
    expect(Array.from((await run())!.ids)).toEqual(plainIds());
    e.db.prepare("INSERT INTO recon_break (kind, key, match_key, type, status, fields, ledger_origin, external_origin, opened_period, opened_run, last_run) SELECT 'settlement', 'S1', 'S1', type, 'open', '[]', '[]', '[]', '2025-11', opened_run, last_run FROM recon_break LIMIT 1").run();
    expect(loadOpenList(e.db, 'premium', '2025-W47')).toBeNull();
    expect(Array.from((await run())!.ids)).toEqual(plainIds());
    e.db.prepare("UPDATE recon_break SET key = key || 'x', match_key = match_key || 'x' WHERE id = ?").run(plainIds()[0]);
    expect(loadOpenList(e.db, 'premium', '2025-W47')).toBeNull();
    // A list not as a run writes it is not used.
    await run();
    for (const bad of ["ids = X'0001'", "others = 'not json'", "others = '[[1, null, \"k\"]]'", "others = '[[999999, \"k\", \"k\"]]'", 'ids = (SELECT ids FROM recon_open_list) || (SELECT ids FROM recon_open_list)']) {
      const saved = e.db.prepare("SELECT ids, others FROM recon_open_list WHERE kind = 'premium'").get() as { ids: Buffer; others: string };
      e.db.exec(`UPDATE recon_open_list SET ${bad} WHERE kind = 'premium'`);
      expect(loadOpenList(e.db, 'premium', '2025-W47')).toBeNull();
      e.db.prepare("UPDATE recon_open_list SET ids = ?, others = ? WHERE kind = 'premium'").run(saved.ids, saved.others);
      expect(loadOpenList(e.db, 'premium', '2025-W47')).not.toBeNull();
    }
    await e.close();
  });

  it('does not open again a break closed as it is now, asked of an index of closed breaks that no new break enters', async () => {
    const { e } = await loadWeek({ MATCHED: 2, LEDGER_ONLY: 4, AMOUNT_MISMATCH: 2 });
    const inIndex = () => e.db.prepare("SELECT key FROM recon_break INDEXED BY recon_break_closed_key WHERE kind = 'premium' AND status = 'closed' ORDER BY key").pluck().all();
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    // Six breaks opened; none is in the index.
    expect(e.db.prepare("SELECT count(*) FROM recon_break WHERE status = 'open'").pluck().get()).toBe(6);
    expect(inIndex()).toEqual([]);
    const open = allBreaks(e.db, { kind: 'premium', status: 'open' });
    const disposed = open.find((b) => b.type === 'LEDGER_ONLY')!;
    disposeBreaks(e.db, [disposed.id], '补记', '', 'officer-b');
    expect(inIndex()).toEqual([disposed.key]);
    // Run again: the disposed break is found closed as it is now, and not opened again.
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const again = allBreaks(e.db, { kind: 'premium', status: 'all' }).filter((b) => b.key === disposed.key);
    expect(again.map((b) => [b.id, b.status])).toEqual([[disposed.id, 'closed']]);
    // Another program changes its amount: it is no longer closed as the run finds it, so it opens again.
    e.db.prepare('UPDATE recon_break SET amount_ledger = amount_ledger + 1 WHERE id = ?').run(disposed.id);
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(allBreaks(e.db, { kind: 'premium', status: 'open' }).filter((b) => b.key === disposed.key)).toHaveLength(1);
    // The question reads that index alone, and no other index of breaks by key holds every break.
    const plan = (e.db.prepare(`EXPLAIN QUERY PLAN ${CLOSED_AS_SQL}`).all('premium', 'k', 'LEDGER_ONLY', 1, null) as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('USING COVERING INDEX recon_break_closed_key');
    const byKey = e.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recon_break' AND sql LIKE '%(kind, key%'").all() as { name: string; sql: string }[];
    expect(byKey.every((i) => /WHERE status = '(open|closed)'/.test(i.sql)), JSON.stringify(byKey)).toBe(true);
    await e.close();
  });

  it('matches rows without an order number by ID, 险种, year and amount in a date window', async () => {
    const { e } = await loadWeek({});
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2, LEDGER_ONLY: 1 }, prefix: 'JFX' });
    for (const r of g.ledger) r[0] = '';
    for (const r of g.tax) r[0] = '';
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(s.matched).toMatchObject({ count: 2, byFallback: 2 });
    expect(s.breaks).toEqual([expect.objectContaining({ type: 'LEDGER_ONLY', count: 1 })]);
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });

  it('compares the 电子税票号码 where the ledger carries it too', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3 }, prefix: 'JFV' });
    // The ledger records each order's voucher; the second one disagrees with the tax side.
    const ledger = g.ledger.map((r, i) => [...r, i === 1 ? '39999999999999999999' : g.tax[i]![1]!]);
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), [...LEDGER_HEADER, '电子税票号码'], ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(s.matched.count).toBe(2);
    const [b] = allBreaks(e.db, { kind: 'premium' });
    expect(b).toMatchObject({ type: 'FIELD_MISMATCH', key: g.ledger[1]![0], fields: [{ field: 'tax_voucher_no', ledger: '39999999999999999999', external: g.tax[1]![1] }] });
    await e.close();
  });

  it('refuses a month for the weekly kind, saying which form it wants', async () => {
    const { e } = await loadWeek({ MATCHED: 1 });
    await expect(reconcile(e, { kind: 'premium', period: '2025-11' })).rejects.toThrow(/按周对账/);
    await e.close();
  });
});

/** The ledger's refund of a paid deduction, on 2025-11-18 (its own deduction number; the original's as 原划扣流水号). */
function ledgerRefund(paid: string[]): string[] {
  const refund = [...paid];
  refund[1] = `${paid[1]}R`;
  refund[11] = `-${paid[11]}`;
  refund[12] = '已退费';
  refund[13] = '2025-11-18 10:00:00';
  refund[14] = paid[1]!;
  return refund;
}

describe('runs that read only the history they need', () => {
  it('skips old blocks by their key summaries and gives exactly the result of reading all history, a refund of an earlier week included', async () => {
    const e = await tempEngine();
    // Week 45 and 46: matched orders; week 47 refunds one order of week 45 on both sides.
    const w45 = generatePremium({ monday: '2025-11-03', counts: { MATCHED: 40, LEDGER_ONLY: 2 }, prefix: 'JFA' });
    const w46 = generatePremium({ monday: '2025-11-10', counts: { MATCHED: 40 }, prefix: 'JFB' });
    const w47 = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 40, EXTERNAL_ONLY: 1 }, prefix: 'JFC' });
    const refunded = w45.ledger[0]!;
    const refundLedger = ledgerRefund(refunded);
    const refundTax = [...w45.tax.find((t) => t[0] === refunded[0])!];
    refundTax[8] = '已退费';
    refundTax[9] = '20251118';
    refundTax[1] = `${refundTax[1]}9`;
    refundTax[7] = `-${refundTax[7]}`;
    for (const [w, g] of [['45', w45], ['46', w46]] as const) {
      await importFile(e, { path: writeTextFile(path.join(e.dir, `l${w}.csv`), LEDGER_HEADER, g.ledger) });
      await importFile(e, { path: writeTextFile(path.join(e.dir, `t${w}.txt`), TAX_HEADER, g.tax, { delimiter: '|' }) });
      await reconcile(e, { kind: 'premium', period: `2025-W${w}` });
    }
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l47.csv'), LEDGER_HEADER, [...w47.ledger, refundLedger]) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't47.txt'), TAX_HEADER, [...w47.tax, refundTax], { delimiter: '|' }) });
    // The earlier runs left a summary of every block they read.
    expect(e.db.prepare('SELECT count(*) FROM block_keys').pluck().get()).toBeGreaterThanOrEqual(4);
    const shape = (s: Awaited<ReturnType<typeof reconcile>>) => ({ matched: s.matched, breaks: s.breaks, ledger: s.ledger, external: s.external, tieOut: s.tieOut });
    const skipping = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const breaksSkipping = allBreaks(e.db, { kind: 'premium', status: 'all' }).map((b) => [b.key, b.type, b.amount_ledger, b.amount_external]);
    // Without summaries and prefixes every block of history is read: the same result.
    e.db.exec('DELETE FROM block_keys; DELETE FROM block_prefixes');
    const full = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(shape(skipping)).toEqual(shape(full));
    expect(allBreaks(e.db, { kind: 'premium', status: 'all' }).map((b) => [b.key, b.type, b.amount_ledger, b.amount_external])).toEqual(breaksSkipping);
    // The refunded week-45 order's payment was read from its old block: the ledger nets to 0.00 (the refund alone would be negative).
    const old = breaksSkipping.find((b) => b[0] === refunded[0])!;
    expect(old[2]).toBe('0.00');
    // This week's rows, the refund and the old payment it nets against, and the two week-45 单边 still open (read from their old block too).
    expect(skipping.ledger.rows).toBe(w47.ledger.length + 2 + 2);
    // A withdrawn batch's summaries leave with its blocks.
    const before = e.db.prepare('SELECT count(*) FROM block_keys').pluck().get() as number;
    const batch = (await e.call('imports/list', {}, e.caller)).find((b) => b.fileName === 'l46.csv')!;
    await e.call('imports/withdraw', { batchId: batch.id, reason: '测试' }, e.caller);
    expect(e.db.prepare('SELECT count(*) FROM block_keys').pluck().get()).toBeLessThan(before);
    await e.close();
  });

  it('passes by, unread, an old block none of whose key prefixes begins a key the run looks for, and reads the one holding an old key', async () => {
    // Every block here is small: asked by their prefixes as full blocks are, not by their summaries (old-block-probe.ts, next test).
    await withEnv('GONGJI_PROBE_BLOCK_ROWS', '0', async () => {
      const e = await tempEngine();
      const { w45, w47, refunded } = await refundAfterTwoWeeks(e);
      // Every block a run read has its prefixes.
      for (const f of ['l45.csv', 't45.txt', 'l46.csv', 't46.txt']) for (const id of blocksOf(e, f)) expect(e.db.prepare('SELECT len FROM block_prefixes WHERE block_id = ?').pluck().get(id), f).toBeTypeOf('number');
      // Week 46's blocks are made unreadable and lose their key summaries (so only their
      // prefixes can pass them by): a run that opened one would fail.
      const restore = hideWeek46(e, 'block_keys');
      const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
      // Both of the refunded order's old blocks were read: the ledger's payment and refund net to zero, the tax side's payment stands.
      expectRefundedOrder(e, w45, refunded);
      expect(s.ledger.rows).toBe(w47.ledger.length + 2);
      restore();
      // A store from before prefixes were kept (summaries only): its blocks are read for their
      // keys' prefixes once, and the run gives the same result.
      e.db.exec('DELETE FROM block_prefixes');
      const again = await reconcile(e, { kind: 'premium', period: '2025-W47' });
      expect({ matched: again.matched, breaks: again.breaks, ledger: again.ledger, tieOut: again.tieOut }).toEqual({ matched: s.matched, breaks: s.breaks, ledger: s.ledger, tieOut: s.tieOut });
      for (const f of ['l45.csv', 'l46.csv']) expect(blocksOf(e, f).every((id) => e.db.prepare('SELECT 1 FROM block_prefixes WHERE block_id = ?').get(id)), f).toBe(true);
      await e.close();
    });
  });

  it('asks a small old block by its key summary of the run’s keys: passes it by unread when no row of it is a key the run looks for, reads just the rows of an old key', async () => {
    const e = await tempEngine();
    const { w45, w47, refunded } = await refundAfterTwoWeeks(e);
    for (const f of ['l46.csv', 't46.txt']) for (const id of blocksOf(e, f)) expect(e.db.prepare('SELECT 1 FROM block_keys WHERE block_id = ?').get(id), f).toBeDefined();
    // Week 46's blocks are made unreadable and lose their prefixes: only their summaries can pass them by.
    const restore = hideWeek46(e, 'block_prefixes');
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    // The week-45 payment was read from its old block, and only its row: the ledger nets to zero for that order.
    expectRefundedOrder(e, w45, refunded);
    expect(s.ledger.rows).toBe(w47.ledger.length + 2);
    // Week 46's blocks were not read, not even for their prefixes.
    for (const f of ['l46.csv', 't46.txt']) for (const id of blocksOf(e, f)) expect(e.db.prepare('SELECT 1 FROM block_prefixes WHERE block_id = ?').get(id)).toBeUndefined();
    restore();
    await e.close();
    // Asked by their prefixes instead (a workstation set so), the same result.
    const again = await withEnv('GONGJI_PROBE_BLOCK_ROWS', '0', async () => {
      const f = await tempEngine();
      await refundAfterTwoWeeks(f);
      const r = await reconcile(f, { kind: 'premium', period: '2025-W47' });
      await f.close();
      return r;
    });
    expect({ matched: again.matched, breaks: again.breaks, ledger: again.ledger, tieOut: again.tieOut }).toEqual({ matched: s.matched, breaks: s.breaks, ledger: s.ledger, tieOut: s.tieOut });
  });
});

/**
 * Week 45 (JFA…) and week 46 (JFB…) imported, matched and closed; week 47's files
 * (JFC…) imported, with a ledger refund of a week-45 order (`refunded`), not yet run.
 */
async function refundAfterTwoWeeks(e: TestEngine) {
  const w45 = generatePremium({ monday: '2025-11-03', counts: { MATCHED: 30 }, prefix: 'JFA' });
  const w46 = generatePremium({ monday: '2025-11-10', counts: { MATCHED: 30 }, prefix: 'JFB' });
  const w47 = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 30 }, prefix: 'JFC' });
  const refunded = w45.ledger[3]!;
  for (const [w, g] of [['45', w45], ['46', w46]] as const) {
    await importFile(e, { path: writeTextFile(path.join(e.dir, `l${w}.csv`), LEDGER_HEADER, g.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, `t${w}.txt`), TAX_HEADER, g.tax, { delimiter: '|' }) });
    await reconcile(e, { kind: 'premium', period: `2025-W${w}` });
  }
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'l47.csv'), LEDGER_HEADER, [...w47.ledger, ledgerRefund(refunded)]) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 't47.txt'), TAX_HEADER, w47.tax, { delimiter: '|' }) });
  return { w45, w47, refunded };
}

/** The stored blocks of an imported file. */
function blocksOf(e: TestEngine, file: string): number[] {
  return e.db.prepare('SELECT r.id FROM row_block r JOIN import_batch b ON b.id = r.batch_id WHERE b.file_name = ?').pluck().all(file) as number[];
}

/** Makes week 46's blocks unreadable and takes away their summaries or their prefixes; returns what puts their bytes back. */
function hideWeek46(e: TestEngine, drop: 'block_keys' | 'block_prefixes'): () => void {
  const saved = new Map<number, Buffer>();
  for (const f of ['l46.csv', 't46.txt']) {
    for (const id of blocksOf(e, f)) {
      e.db.prepare(`DELETE FROM ${drop} WHERE block_id = ?`).run(id);
      saved.set(id, e.db.prepare('SELECT cols FROM row_block WHERE id = ?').pluck().get(id) as Buffer);
      e.db.prepare("UPDATE row_block SET cols = x'00' WHERE id = ?").run(id);
    }
  }
  return () => {
    for (const [id, cols] of saved) e.db.prepare('UPDATE row_block SET cols = ? WHERE id = ?').run(cols, id);
  };
}

/** The refunded week-45 order's break: its ledger payment (read from its old block) and refund net to zero, the tax side's payment stands. */
function expectRefundedOrder(e: TestEngine, w45: ReturnType<typeof generatePremium>, refunded: string[]): void {
  const order = allBreaks(e.db, { kind: 'premium', status: 'all' }).filter((b) => b.key === refunded[0]);
  const paidTax = Number(w45.tax.find((t) => t[0] === refunded[0])![7]!.replace(/,/g, '')).toFixed(2);
  expect(order.map((b) => [b.type, b.amount_ledger, b.amount_external])).toEqual([['STATUS_MISMATCH', '0.00', paidTax]]);
}

/** Runs `f` with an environment variable set (the engine's threads started meanwhile see it), then sets it back. */
async function withEnv<T>(name: string, value: string, f: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}
