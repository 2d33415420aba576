import path from 'node:path';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFile, reconcile, signIn, tempEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { linesIn } from '../../electron/engine/system/printed-list';
import { listBreaks } from '../../electron/engine/breaks/break-query';

async function week() {
  const e = await tempEngine();
  const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 5, LEDGER_ONLY: 4, EXTERNAL_ONLY: 2, AMOUNT_MISMATCH: 1 } });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
  await reconcile(e, { kind: 'premium', period: '2025-W47' });
  const officer = await signIn(e, 'officer-b', ['officer']);
  const finance = await signIn(e, 'finance-d', ['finance', 'officer']);
  const finance2 = await signIn(e, 'finance-e', ['finance']);
  const open = async (types?: ('LEDGER_ONLY' | 'AMOUNT_MISMATCH')[]) => (await e.call('breaks/list', { kind: 'premium', period: '2025-W47', ...(types ? { types } : {}) }, officer)).rows;
  return { e, officer, finance, finance2, open };
}

describe('working breaks', () => {
  it('disposes a break: it leaves the open list, stays findable, and the action is audited', async () => {
    const { e, officer, open } = await week();
    const [b] = await open(['LEDGER_ONLY']);
    await e.call('breaks/dispose', { ids: [b!.id], reason: '补记', note: '税务补录' }, officer);
    expect((await open(['LEDGER_ONLY'])).map((x) => x.id)).not.toContain(b!.id);
    const closed = await e.call('breaks/list', { kind: 'premium', status: 'closed' }, officer);
    expect(closed.rows).toEqual([expect.objectContaining({ id: b!.id, resolution: '补记', note: '税务补录', disposed_by: 'officer-b', closed_period: '2025-W47' })]);
    const found = await e.call('breaks/list', { kind: 'premium', status: 'all', search: b!.key }, officer);
    expect(found.rows.map((x) => x.id)).toEqual([b!.id]);
    const audit = e.db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'break.dispose'").get() as { actor: string; detail: string };
    expect(audit.actor).toBe('officer-b');
    expect(JSON.parse(audit.detail)).toMatchObject({ reason: '补记', keys: [b!.key] });
    await e.close();
  });

  it('disposes several at once and undoes them together', async () => {
    const { e, officer, open } = await week();
    const ids = (await open(['LEDGER_ONLY'])).slice(0, 3).map((b) => b.id);
    expect(await e.call('breaks/dispose', { ids, reason: '误报', note: '' }, officer)).toEqual({ count: 3 });
    expect(await open(['LEDGER_ONLY'])).toHaveLength(1);
    expect(await e.call('breaks/undo', {}, officer)).toEqual({ undone: 3, action: 'dispose' });
    expect(await open(['LEDGER_ONLY'])).toHaveLength(4);
    await expect(e.call('breaks/undo', {}, officer)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await e.close();
  });

  it('makes a write-off wait for finance, and refuses the proposer as approver', async () => {
    const { e, finance, finance2, open } = await week();
    const [b] = await open(['AMOUNT_MISMATCH']);
    // finance-d is also an officer: they may propose, but then not approve.
    await e.call('breaks/dispose', { ids: [b!.id], reason: '核销', note: '差额无法追回' }, finance);
    const pending = await e.call('breaks/list', { kind: 'premium', pending: true }, finance);
    expect(pending.rows).toEqual([expect.objectContaining({ id: b!.id, status: 'open', pending: '核销', pending_by: 'finance-d' })]);
    await expect(e.call('breaks/approve', { ids: [b!.id], approve: true }, finance)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('不能审批自己提出的核销') });
    await e.call('breaks/approve', { ids: [b!.id], approve: true, note: '同意' }, finance2);
    const closed = await e.call('breaks/list', { kind: 'premium', status: 'closed' }, finance2);
    expect(closed.rows).toEqual([expect.objectContaining({ id: b!.id, resolution: '核销', disposed_by: 'finance-d' })]);
    await e.close();
  });

  it('refuses an auditor’s disposition in the engine', async () => {
    const { e, open } = await week();
    const auditor = await signIn(e, 'auditor-c', ['auditor']);
    const [b] = await open(['LEDGER_ONLY']);
    await expect(e.call('breaks/dispose', { ids: [b!.id], reason: '补记', note: '' }, auditor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await e.close();
  });

  it('assigns, comments, and keeps the history', async () => {
    const { e, officer, open } = await week();
    const [b] = await open(['AMOUNT_MISMATCH']);
    // Only to an officer: an auditor could not work it.
    await signIn(e, 'auditor-x', ['auditor']);
    await expect(e.call('breaks/assign', { ids: [b!.id], to: 'auditor-x' }, officer)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('不是对账员') });
    await e.call('breaks/assign', { ids: [b!.id], to: 'officer-b' }, officer);
    await e.call('breaks/comment', { id: b!.id, text: '已电话联系税务' }, officer);
    const mine = await e.call('breaks/list', { kind: 'premium', assignee: 'officer-b' }, officer);
    expect(mine.rows.map((x) => x.id)).toEqual([b!.id]);
    const d = await e.call('breaks/detail', { id: b!.id }, officer);
    expect(d.history.map((h) => h.action)).toEqual(['open', 'assign', 'comment']);
    expect(d.history[2]!.detail).toEqual({ text: '已电话联系税务' });
    await e.close();
  });

  it('shows both records side by side with origin and raw row, masked until revealed (audited)', async () => {
    const { e, officer, open } = await week();
    const [b] = await open(['AMOUNT_MISMATCH']);
    const d = await e.call('breaks/detail', { id: b!.id }, officer);
    expect(d.ledger).toHaveLength(1);
    expect(d.external).toHaveLength(1);
    expect(d.ledger[0]).toMatchObject({ file: 'l.csv', line: expect.any(Number), header: expect.arrayContaining(['缴费单号']) });
    expect(d.external[0]!.norm.amount).toBe(38000);
    expect(d.ledger[0]!.norm.amount).toBe(40000);
    expect(String(d.external[0]!.norm.certno)).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(d.row.certno).toMatch(/\*{8}/);
    expect(d.external[0]!.raw.filter((c) => /^\d{17}[\dXx]$/.test(c))).toEqual([]);
    expect(d.external[0]!.raw[2]).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const before = (e.db.prepare("SELECT count(*) n FROM audit_log WHERE action = 'pii.reveal'").get() as { n: number }).n;
    const r = await e.call('pii/reveal', { breakId: b!.id }, officer);
    expect(r.certno).toMatch(/^\d{17}[\dX]$/);
    expect(r.name).toBe('李四');
    expect((e.db.prepare("SELECT count(*) n FROM audit_log WHERE action = 'pii.reveal'").get() as { n: number }).n).toBe(before + 1);
    await e.close();
  });

  it('exports the current view to XLSX with filters in the header and amounts as numbers', async () => {
    const { e, officer } = await week();
    const r = await e.call('breaks/export', { query: { kind: 'premium', period: '2025-W47', types: ['LEDGER_ONLY', 'AMOUNT_MISMATCH'] }, format: 'xlsx' }, officer);
    expect(r.rows).toBe(5);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.path);
    const ws = wb.getWorksheet('单边账')!;
    expect(String(ws.getCell('A2').value)).toContain('差异 医保单边、金额不符');
    expect(ws.getRow(3).getCell(1).value).toBe('差异类型');
    const amounts = [4, 5, 6, 7, 8].map((r) => ws.getRow(r).getCell(5).value).filter((v) => v !== null);
    expect(amounts.every((v) => typeof v === 'number')).toBe(true);
    expect(ws.getColumn(5).numFmt).toBe('#,##0.00');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(String(ws.getRow(4).getCell(3).value)).toMatch(/\*{8}/);
    const csv = await e.call('breaks/export', { query: { kind: 'premium' }, format: 'csv' }, officer);
    expect(fs.readFileSync(csv.path, 'utf8').charCodeAt(0)).toBe(0xfeff);
    await e.close();
  });

  it('gives per-type counts and amounts, aging buckets and a dashboard', async () => {
    const { e, officer } = await week();
    const facets = await e.call('breaks/facets', { kind: 'premium', period: '2025-W47' }, officer);
    expect(facets.find((f) => f.type === 'LEDGER_ONLY')).toMatchObject({ count: 4 });
    expect(facets.find((f) => f.type === 'AMOUNT_MISMATCH')).toMatchObject({ count: 1, amountLedger: '400.00', amountExternal: '380.00' });
    const old = await e.call('breaks/list', { kind: 'premium', aging: ['90+'] }, officer);
    expect(old.total).toBe(12 - 5); // everything from November 2025 is well past 90 days now
    const dash = await e.call('recon/dashboard', { kind: 'premium', period: '2025-W47' }, officer);
    expect(dash.summary?.matched.count).toBe(5);
    expect(dash.trend).toEqual([expect.objectContaining({ period: '2025-W47', breaks: 7, open: 7 })]);
    expect(dash.aging.find((a) => a.bucket === '90+')!.counts.LEDGER_ONLY).toBe(4);
    await e.close();
  });

  it('counts a break\'s age in Beijing days: past midnight in Beijing it is a day older, while UTC still says yesterday', async () => {
    const { e } = await week();
    // 1 December 2025 00:30 in Beijing: 30 November 16:30 in UTC.
    const { rows } = listBreaks(e.db, { kind: 'premium', period: '2025-W47' }, { now: new Date('2025-11-30T16:30:00Z') });
    expect(rows.length).toBeGreaterThan(0);
    for (const b of rows) {
      const recorded = Date.parse(`${b.event_at!.slice(0, 10)}T00:00:00Z`);
      expect(b.aging_days).toBe((Date.UTC(2025, 11, 1) - recorded) / 86400_000);
    }
    // And the buckets filter by the same days: a record of 23 November is 8 days old, in 8-30, not 0-7.
    const young = listBreaks(e.db, { kind: 'premium', period: '2025-W47', aging: ['0-7'] }, { now: new Date('2025-11-30T16:30:00Z') }).rows;
    for (const b of young) expect(b.aging_days).toBeLessThanOrEqual(7);
    await e.close();
  });

  it('refuses to sort by a column outside the allow-list', async () => {
    const { e, officer } = await week();
    await expect(e.call('breaks/list', { kind: 'premium', sort: [{ col: 'id; DROP TABLE recon_break', dir: 'asc' }] }, officer)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await e.close();
  });
});

describe('exporting a view as a job', () => {
  it('reports progress and writes the file in the exports folder, where the engine names it', async () => {
    const { e, officer } = await week();
    const progress: number[] = [];
    const off = e.bus.on('job/progress', (p) => p.type === 'export' && progress.push(p.done));
    const { jobId } = await e.call('jobs/start', { type: 'export', args: { query: { kind: 'premium', status: 'all' }, format: 'xlsx' } }, officer);
    const fin = await e.jobs.wait(jobId);
    off();
    expect(fin).toMatchObject({ outcome: 'result', result: { rows: 7, download: expect.stringMatching(/^差异清单-缴费共济-全部-\d{14}\.xlsx$/) } });
    const r = (fin as { result: { path: string; download: string } }).result;
    // Stamped in Beijing time (the machine's clock runs in UTC here): within a minute of now + 8 h.
    const [, y, mo, d, h, mi, sec] = /-(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.xlsx$/.exec(r.download)!.map(Number);
    expect(Math.abs(Date.UTC(y!, mo! - 1, d!, h!, mi!, sec!) - (Date.now() + 8 * 3600_000))).toBeLessThan(60_000);
    expect(path.dirname(r.path)).toBe(path.join(e.dir, 'exports'));
    expect(fs.existsSync(r.path)).toBe(true);
    // As it prints: A4 landscape one page wide, the header on every page, numbered pages;
    // long texts wrapped in rows tall enough for them, origins in words.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.path);
    const ws = wb.worksheets[0]!;
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' });
    expect(ws.headerFooter.oddFooter).toContain('第 &P 页，共 &N 页');
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    for (let i = 4; i <= ws.rowCount; i++) {
      const row = ws.getRow(i);
      expect(row.getCell(col('差异字段')).alignment).toMatchObject({ wrapText: true, vertical: 'top' });
      const origin = String(row.getCell(col('医保来源')).value || row.getCell(col('对方来源')).value);
      expect(origin).toMatch(/^批次 \d+ 第 \d+ 行/);
    }
    expect(progress.length).toBeGreaterThan(0);
    // A caller cannot choose where the file goes.
    await expect(e.call('jobs/start', { type: 'export', args: { query: { kind: 'premium' }, format: 'csv', out: '/etc/passwd' } as never }, officer)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await e.close();
  });
});

describe('a printed list\'s wrapped rows', () => {
  // Measured on LibreOffice's PDF of the exported list: these fit their columns in one line, or wrap to three.
  it('are as tall as their longest text, as it prints', () => {
    expect(linesIn('金额: 医保 1,040.00 / 对方 1,020.00', 30)).toBe(1);
    expect(linesIn('状态: 医保 已缴费 / 对方 已退费', 30)).toBe(1);
    expect(linesIn('批次 4 第 147 行', 14)).toBe(1);
    expect(linesIn('险种: 医保 城乡居民基本医疗保险（390）/ 对方 城乡居民大病医疗保险（392）', 30)).toBe(3);
    expect(linesIn('批次 1 第 2 行；批次 1 第 3 行', 14)).toBe(2);
    expect(linesIn(null, 30)).toBe(1);
    // The audit trail's stored JSON, in its 36-wide column: printed in three lines (broken after `{"after":`, not
    // where the line is full), and the row had been made two lines tall, cutting the third off.
    expect(linesIn('{"after":{"name":"root","displayName":"root","roles":["admin"]}}', 36)).toBe(3);
    // A word that does not fit the rest of a line starts the next one.
    expect(linesIn('aaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbb', 31)).toBe(2);
  });
});
