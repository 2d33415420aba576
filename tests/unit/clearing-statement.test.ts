import { regionLabel } from '../../shared/regions';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { balanceProblems, computeClearing } from '../../electron/engine/clearing/balance-table';
import { importFile, PASSWORD, reconcile, refusal, signIn, tempEngine, type TestEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { cli } from '../support/cli';
import { LEDGER_SETTLEMENT_HEADER, SETTLEMENT_HEADER, settlementFiles, type Bill } from '../support/settlement-generator';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';

const A = '330100';
const B = '330200';
const C = '330300';
const D = '340100';

// A month of cross-region care among four regions. Each bill: the beneficiary's
// region advanced the money; each payer's region owes its part.
const BILLS: Bill[] = [
  { setlId: 'S1', region: A, payers: [{ region: B, amount: '100.00' }], at: '2025-11-03 10:00:00' },
  { setlId: 'S2', region: B, payers: [{ region: A, amount: '30.00' }], at: '2025-11-04 10:00:00' },
  { setlId: 'S3', region: C, payers: [{ region: A, amount: '50.00' }], at: '2025-11-05 10:00:00' },
  // Two payers: the local one is not cleared, the other region's part is.
  { setlId: 'S4', region: D, payers: [{ region: D, amount: '15.00' }, { region: C, amount: '20.00' }], at: '2025-11-06 10:00:00' },
  { setlId: 'S5', region: A, payers: [{ region: D, amount: '45.50' }], at: '2025-11-07 10:00:00' },
  // Cancelled on both sides: nets to nothing.
  { setlId: 'S6', region: A, payers: [{ region: B, amount: '10.00' }], at: '2025-11-08 10:00:00', cancelled: { setlId: 'S6C', at: '2025-11-09 10:00:00' } },
  // Same region: nothing to clear.
  { setlId: 'S7', region: B, payers: [{ region: B, amount: '66.00' }], at: '2025-11-10 10:00:00' },
  // Only on the 医保 side: an open break at month end, listed and not cleared.
  { setlId: 'S8', region: C, payers: [{ region: D, amount: '99.00' }], at: '2025-11-11 10:00:00', ledgerOnly: true },
];

const EXPECTED_CARE = {
  regions: [
    { region: A, receivable: '145.50', payable: '80.00', net: '65.50' },
    { region: B, receivable: '30.00', payable: '100.00', net: '-70.00' },
    { region: C, receivable: '50.00', payable: '20.00', net: '30.00' },
    { region: D, receivable: '20.00', payable: '45.50', net: '-25.50' },
  ],
  pairs: [
    { from: B, to: A, amount: '70.00' },
    { from: A, to: C, amount: '50.00' },
    { from: D, to: A, amount: '45.50' },
    { from: C, to: D, amount: '20.00' },
  ],
};

async function month(): Promise<{ e: TestEngine; premiumPairs: Map<string, number> }> {
  const e = await tempEngine();
  const f = settlementFiles(BILLS);
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'care.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger, { encoding: 'gb18030' }) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'setl.txt'), SETTLEMENT_HEADER, f.external, { delimiter: '\t' }) });
  const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 4, MATCHED_SPLIT: 1 } });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'lp.csv'), LEDGER_HEADER, g.ledger) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'tp.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
  await reconcile(e, { kind: 'settlement', period: '2025-11' });
  await reconcile(e, { kind: 'premium', period: '2025-W47' });
  // What the premium table must say, summed here straight from the generated rows.
  const premiumPairs = new Map<string, number>();
  for (const r of g.ledger) if (r[4] !== r[7]) premiumPairs.set(`${r[4]}>${r[7]}`, (premiumPairs.get(`${r[4]}>${r[7]}`) ?? 0) + Math.round(Number(r[11]) * 100));
  return { e, premiumPairs };
}

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

describe('monthly clearing', () => {
  it('nets care between pairs of regions and clears premiums in full, to the fen', async () => {
    const { e, premiumPairs } = await month();
    const json = await e.call('clearing/compute', { period: '2025-11' }, e.caller);
    expect(json.care).toEqual(EXPECTED_CARE);
    const want = [...premiumPairs].map(([k, fen]) => ({ from: k.split('>')[0], to: k.split('>')[1], amount: (fen / 100).toFixed(2) })).sort((x, y) => x.from!.localeCompare(y.from!) || x.to!.localeCompare(y.to!));
    expect(json.premium.pairs).toEqual(want);
    expect(json.openBreaks).toBe(1);
    await e.close();
  });

  it('refuses a table that does not balance, saying where', async () => {
    const { e } = await month();
    const r = computeClearing(e.db, '2025-11');
    expect(balanceProblems(r)).toEqual([]);
    r.care.regions[2]!.receivableFen += 1;
    const problems = balanceProblems(r);
    expect(problems.join('；')).toContain('应收合计 245.51 与应付合计 245.50 不等');
    expect(problems.join('；')).toContain(`${C} 的应收 50.01 与明细之和 50.00 不符`);
    await e.close();
  });

  it('prints the tables from the CLI as strings with two decimals', async () => {
    const { e } = await month();
    await e.close();
    const r = cli(['--db', e.dbPath, '--user', 'officer-a', 'clearing', '--period', '2025-11', '--format', 'json'], { RECON_PASSWORD: PASSWORD });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ care: unknown }>().care).toEqual(EXPECTED_CARE);
  });
});

describe('signed statements: prepared, confirmed, verified', () => {
  it('prepares, verifies with the CLI and OpenSSL, refuses the preparer as confirmer, confirms and locks the month', async () => {
    const { e } = await month();
    await signIn(e, 'chief', ['officer', 'finance']);
    await signIn(e, 'finance-d', ['finance']);
    await e.close();
    const env = { RECON_PASSWORD: PASSWORD, KEY_PW: 'Key-pass-2025' };
    const keys = path.join(e.dir, 'keys');
    expect(cli(['--db', e.dbPath, '--user', 'chief', 'keygen', '--out', path.join(keys, 'chief'), '--passphrase-env', 'KEY_PW'], env).code).toBe(0);
    expect(cli(['--db', e.dbPath, '--user', 'finance-d', 'keygen', '--out', path.join(keys, 'fin'), '--passphrase-env', 'KEY_PW'], env).code).toBe(0);

    const out = path.join(e.dir, 'out');
    const prep = cli(['--db', e.dbPath, '--user', 'chief', 'statement', '--period', '2025-11', '--region', A, '--out', out, '--key', path.join(keys, 'chief'), '--passphrase-env', 'KEY_PW'], env);
    expect(prep.code, prep.stderr).toBe(0);
    const bundle = path.join(out, `清算_${A}_2025-11_家庭共济`);
    expect(fs.existsSync(`${bundle}.zip`)).toBe(true);

    const v1 = cli(['--db', e.dbPath, '--user', 'chief', 'verify', bundle], env);
    expect(v1.code, v1.stdout).toBe(0);
    expect(v1.json()).toMatchObject({ ok: true, confirmed: false, signatures: [{ role: 'preparer', ok: true, signer: 'chief' }] });

    // Plain OpenSSL, without the workstation.
    const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8'));
    expect(openssl(['dgst', '-sm3', path.join(bundle, 'statement.xlsx')])).toContain(manifest.files[0].sm3);
    expect(openssl(['pkeyutl', '-verify', '-pubin', '-inkey', path.join(bundle, 'signatures/preparer.pem'), '-rawin', '-digest', 'sm3', '-in', path.join(bundle, 'manifest.json'), '-sigfile', path.join(bundle, 'signatures/preparer.sig'), '-pkeyopt', 'distid:1234567812345678'])).toContain('Signature Verified Successfully');

    const self = cli(['--db', e.dbPath, '--user', 'chief', 'statement', 'confirm', '--bundle', bundle, '--key', path.join(keys, 'chief'), '--passphrase-env', 'KEY_PW'], env);
    expect(self.code).not.toBe(0);
    expect(self.stderr).toContain('chief 是这份报表的编制人，不能自己复核');

    // S8 is still open in the month: confirming would lock past it, so finance must resolve it or carry it with a reason.
    const blocked = cli(['--db', e.dbPath, '--user', 'finance-d', 'statement', 'confirm', '--bundle', bundle, '--key', path.join(keys, 'fin'), '--passphrase-env', 'KEY_PW'], env);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/就医共济 1 笔差异未处理.*结转理由/);
    const conf = cli(['--db', e.dbPath, '--user', 'finance-d', 'statement', 'confirm', '--bundle', bundle, '--key', path.join(keys, 'fin'), '--passphrase-env', 'KEY_PW', '--carry', 'S8 待医院补传，结转12月'], env);
    expect(conf.code, conf.stderr).toBe(0);
    expect(conf.json<{ locked: string[] }>().locked).toEqual(expect.arrayContaining(['settlement:2025-11', 'premium:2025-W47']));

    const v2 = cli(['--db', e.dbPath, '--user', 'finance-d', 'verify', `${bundle}.zip`], env);
    expect(v2.code, v2.stdout).toBe(0);
    expect(v2.json()).toMatchObject({ ok: true, confirmed: true, source: 'zip', signatures: [{ role: 'preparer', signer: 'chief' }, { role: 'finance', ok: true, signer: 'finance-d' }] });
    expect(openssl(['pkeyutl', '-verify', '-pubin', '-inkey', path.join(bundle, 'signatures/finance.pem'), '-rawin', '-digest', 'sm3', '-in', path.join(bundle, 'manifest.json'), '-sigfile', path.join(bundle, 'signatures/finance.sig'), '-pkeyopt', 'distid:1234567812345678'])).toContain('Signature Verified Successfully');

    // One flipped byte in each file is caught, and the file is named.
    const flip = (name: string) => {
      const copy = path.join(e.dir, `tampered-${name.replace('.', '-')}`);
      fs.cpSync(bundle, copy, { recursive: true });
      const f = path.join(copy, name);
      const bytes = fs.readFileSync(f);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      fs.writeFileSync(f, bytes);
      return cli(['--db', e.dbPath, '--user', 'chief', 'verify', copy], env);
    };
    const x = flip('statement.xlsx');
    expect(x.code).toBe(1);
    expect(x.json<{ problems: string[] }>().problems.join('；')).toContain('statement.xlsx：大小或摘要与清单不符');
    const m = flip('manifest.json');
    expect(m.code).toBe(1);
    expect(m.json<{ problems: string[] }>().problems.join('；')).toMatch(/manifest\.json/);

    // The statement workbook, read back.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(bundle, 'statement.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['封面', '清算平衡表', '就医两两差额', '缴费共济清算表', '清算明细表', '单边账清单', '签章信息']);
    const bal = wb.getWorksheet('清算平衡表')!;
    const rows = bal.getSheetValues().filter(Boolean) as unknown[][];
    // Regions by name with their code.
    const regionRows = rows.filter((r) => [A, B, C, D].map(regionLabel).includes(String(r[1])) && typeof r[4] === 'number');
    expect(regionRows.map((r) => [r[1], r[2], r[3], r[4]])).toEqual([[regionLabel(A), 145.5, 80, 65.5], [regionLabel(B), 30, 100, -70], [regionLabel(C), 50, 20, 30], [regionLabel(D), 20, 45.5, -25.5]]);
    expect(regionLabel(A)).toMatch(/市（\d{6}）$/);
    const totalRow = rows.find((r) => r[1] === '合计')!;
    expect([totalRow[2], totalRow[3], totalRow[4]]).toEqual([245.5, 245.5, 0]);
    expect(bal.getRow(4).getCell(2).numFmt).toBe('#,##0.00');
    expect(bal.views[0]).toMatchObject({ state: 'frozen' });
    expect(bal.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9 });
    const det = wb.getWorksheet('清算明细表')!;
    const detRows = det.getSheetValues().filter(Boolean) as unknown[][];
    const detTotal = detRows.find((r) => r[1] === '就医合计')!;
    const careLines = detRows.filter((r) => r[1] === '就医');
    // Region A's lines: S1, S2, S3, S5 (S6 and its cancellation net to zero, both listed).
    expect(careLines.map((r) => r[2])).toEqual(expect.arrayContaining(['S1', 'S2', 'S3', 'S5', 'S6']));
    expect(String(careLines[0]![7])).toMatch(/\*{8}/);
    expect(typeof detTotal[9]).toBe('number');
    expect((wb.getWorksheet('单边账清单')!.getSheetValues().filter(Boolean) as unknown[][]).some((r) => r[2] === 'S8')).toBe(true);
  });

  it('refuses an import and a re-run in a locked period; an open break carried past the lock is worked in the next open period', async () => {
    const { e } = await month();
    e.db.prepare("INSERT INTO period_lock (kind, period, locked_at, locked_by, reason) VALUES ('settlement', '2025-11', '2025-12-31T00:00:00Z', 'finance-d', 'test')").run();
    const f = settlementFiles([{ setlId: 'S99', region: A, payers: [{ region: B, amount: '1.00' }], at: '2025-11-20 10:00:00' }]);
    const file = writeTextFile(path.join(e.dir, 'late.txt'), SETTLEMENT_HEADER, f.external, { delimiter: '\t' });
    await expect(importFile(e, { path: file })).rejects.toMatchObject({ code: 'PERIOD_LOCKED', message: expect.stringContaining('2025-11 已经复核锁定') });
    const [b] = (await e.call('breaks/list', { kind: 'settlement', period: '2025-11' }, e.caller)).rows;
    await expect(reconcile(e, { kind: 'settlement', period: '2025-11' })).rejects.toMatchObject({ code: 'PERIOD_LOCKED' });
    // Looking from the locked month or from any other, the disposition is recorded in the first open period.
    await expect(e.call('breaks/dispose', { ids: [b!.id], reason: '补记', note: '记入12月', period: '2025-11' }, e.caller)).resolves.toEqual({ count: 1 });
    const after = (await e.call('breaks/list', { kind: 'settlement', status: 'all' }, e.caller)).rows.find((x) => x.id === b!.id)!;
    expect(after).toMatchObject({ status: 'closed', closed_period: '2025-12' });
    await e.close();
  });
});

describe('the lock workflow', () => {
  it('lists what confirming would lock past, refuses without a reason, carries with one, and the carried write-off is approved afterwards', async () => {
    const { e } = await month();
    const off = await signIn(e, 'off-l', ['officer']);
    const fin = await signIn(e, 'fin-l', ['finance']);
    const fin2 = await signIn(e, 'fin-m', ['finance']);
    // The officer proposes writing off S8; nobody has approved it yet.
    const [s8] = (await e.call('breaks/list', { kind: 'settlement', period: '2025-11' }, off)).rows;
    await e.call('breaks/dispose', { ids: [s8!.id], reason: '核销', note: '无法追回' }, off);
    const pending = await e.call('statements/pending', { period: '2025-11' }, fin);
    expect(pending.writeOffs).toEqual([expect.objectContaining({ key: 'S8', proposedBy: 'off-l' })]);
    expect(pending.periods).toEqual(expect.arrayContaining(['settlement:2025-11', 'premium:2025-W47']));

    await e.call('keys/generate', { password: PASSWORD }, off);
    await e.call('keys/generate', { password: PASSWORD }, fin);
    const st = await e.call('statements/prepare', { period: '2025-11', region: A, password: PASSWORD }, off);
    const refused = await refusal(() => e.call('statements/confirm', { id: st.id, password: PASSWORD }, fin));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/1 笔核销待审批（S8）.*结转理由/);
    expect(e.db.prepare('SELECT count(*) FROM period_lock').pluck().get()).toBe(0);

    const ok = await e.call('statements/confirm', { id: st.id, password: PASSWORD, carry: 'S8 核销待下月审批' }, fin);
    expect(ok.locked).toContain('settlement:2025-11');
    const carry = e.db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'period.carry'").get() as { actor: string; detail: string };
    expect(carry.actor).toBe('fin-l');
    expect(JSON.parse(carry.detail)).toMatchObject({ reason: 'S8 核销待下月审批', writeOffs: [s8!.id] });

    // Approved afterwards, from whichever period: recorded in December, the first open month.
    await e.call('breaks/approve', { ids: [s8!.id], approve: true }, fin2);
    const done = (await e.call('breaks/list', { kind: 'settlement', status: 'all' }, fin2)).rows.find((x) => x.id === s8!.id)!;
    expect(done).toMatchObject({ status: 'closed', resolution: '核销', closed_period: '2025-12' });
    await e.close();
  });
});
