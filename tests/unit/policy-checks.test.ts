import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { importFile, tempEngine, type TestEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { makeCertNo } from '../support/ids';
import { LEDGER_SETTLEMENT_HEADER } from '../support/settlement-generator';
import { LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { cli } from '../support/cli';

const HF = '340100'; // 合肥
const WH = '340200'; // 芜湖
const SZ = '340000'; // 省直
const BINDING_HEADER = ['授权人证件号码', '授权人参保地', '被授权人证件号码', '被授权人参保地', '关系', '绑定时间', '解绑时间'];

let n = 0;
const person = (region: string) => makeCertNo(region, '19700101', ++n);

// People
const P1 = person(HF), B1 = person(HF), B2 = person(HF); // a clean family
const P3 = person(HF), B3 = person(HF); // a sibling binding
const P4 = person(HF), P4kids = Array.from({ length: 7 }, () => person(HF)); // 8 people with the authorizer
const B5 = person(HF), P5a = person(WH), P5b = person('340300'); // two cross-region authorizers
const B6 = person(HF), P6a = person(HF), P6b = person(HF); // two local families
const B7 = person(HF), P7x = person(WH), P7l = person(HF); // order broken
const P8 = person(HF), B8 = person(HF); // partial premium
const P9 = person(HF), B9 = person(HF); // no binding
const P10 = person(SZ), B10 = person(HF); // 省直

const bind = (payer: string, pr: string, ben: string, br: string, rel: string, at: string) => [payer, pr, ben, br, rel, at, ''];
const BINDINGS = [
  bind(P1, HF, B1, HF, '配偶', '2024-03-01'),
  bind(P1, HF, B2, HF, '子女', '2024-06-01'),
  bind(P3, HF, B3, HF, '兄弟姐妹', '2024-03-01'),
  ...P4kids.map((k) => bind(P4, HF, k, HF, '子女', '2024-03-01')),
  bind(P5a, WH, B5, HF, '父母', '2024-03-01'),
  bind(P5b, '340300', B5, HF, '子女', '2024-04-01'),
  bind(P6a, HF, B6, HF, '配偶', '2024-03-01'),
  bind(P6b, HF, B6, HF, '子女', '2024-04-01'),
  bind(P7x, WH, B7, HF, '子女', '2024-01-01'),
  bind(P7l, HF, B7, HF, '配偶', '2024-05-01'),
  bind(P8, HF, B8, HF, '父母', '2024-03-01'),
  bind(P10, SZ, B10, HF, '子女', '2024-03-01'),
];

const care = (setl: string, payer: string, pr: string, ben: string, br: string, amt: string, at: string, seq: number) => [setl, '', `A${seq}`, payer, pr, `P-${setl}`, ben, br, br, amt, at, String(seq)];
const CARE = [
  care('S1', P1, HF, B1, HF, '50.00', '2025-11-03 10:00:00', 1),
  care('S7', P7x, WH, B7, HF, '30.00', '2025-11-04 10:00:00', 1), // the other region paid first
  care('S7', P7l, HF, B7, HF, '20.00', '2025-11-04 10:00:00', 2),
  care('S9', P9, HF, B9, HF, '40.00', '2025-11-05 10:00:00', 1),
  care('S10', P10, SZ, B10, HF, '60.00', '2025-11-06 10:00:00', 1),
];
const PREMIUM_LEDGER = [
  ['O1', 'D1', P1, '张', HF, B2, '李', HF, '子女', '390', '2026', '380.00', '划扣成功', '2025-11-10 09:00:00', ''],
  ['O8', 'D8', P8, '王', HF, B8, '赵', HF, '父母', '390', '2026', '300.00', '划扣成功', '2025-11-11 09:00:00', ''],
];
const PREMIUM_TAX = [
  ['O1', 'T1', B2, '李', HF, '城乡居民基本医疗保险', '2026', '380.00', '已缴费', '20251110', '共济账户代缴'],
  ['O8', 'T8', B8, '赵', HF, '城乡居民基本医疗保险', '2026', '400.00', '已缴费', '20251111', '共济账户代缴'],
];

async function month(): Promise<TestEngine> {
  const e = await tempEngine();
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'binding.csv'), BINDING_HEADER, BINDINGS) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'care.csv'), LEDGER_SETTLEMENT_HEADER, CARE) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'lp.csv'), LEDGER_HEADER, PREMIUM_LEDGER) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'tp.txt'), TAX_HEADER, PREMIUM_TAX, { delimiter: '|' }) });
  return e;
}

async function findings(e: TestEngine, profile: string) {
  await e.call('policy/select', { id: profile }, e.caller);
  const r = await e.call('policy/check', { period: '2025-11' }, e.caller);
  return r.findings;
}

const summary = (fs: { rule: string; explanation: string }[]) => fs.map((f) => f.rule).sort();

describe('policy checks', () => {
  it('Zhejiang: only the payment without a binding (siblings are 近亲属 there; no size limit)', async () => {
    const e = await month();
    const f = await findings(e, 'zhejiang-2024');
    expect(summary(f)).toEqual(['binding_required']);
    expect(f[0]!.explanation).toContain('S9');
    expect(f[0]!.explanation).toContain('浙医保联发〔2024〕5号 三、');
    await e.close();
  });

  it('Anhui: each broken rule exactly once, each citing 皖医保中心〔2024〕39号 and its clause', async () => {
    const e = await month();
    const f = await findings(e, 'anhui-2024');
    expect(summary(f)).toEqual(['binding_required', 'cross_region_single_authorizer', 'excluded_regions', 'family_size', 'payment_order', 'premium_no_partial', 'relations']);
    const by = Object.fromEntries(f.map((x) => [x.rule, x]));
    expect(by.binding_required!.explanation).toContain('S9');
    expect(by.relations!.explanation).toContain('兄弟姐妹');
    expect(by.family_size!.explanation).toContain('共 8 人，超过上限 7 人');
    expect(by.cross_region_single_authorizer!.explanation).toContain('2 位省内跨统筹区的授权人');
    expect(by.payment_order!.explanation).toContain('结算 S7');
    expect(by.payment_order!.explanation).toContain('异地授权人先于本地家庭成员扣款');
    expect(by.premium_no_partial!.explanation).toContain('应缴 400.00 元，家庭共济只划扣了 300.00 元');
    expect(by.excluded_regions!.explanation).toContain('S10');
    for (const x of f) {
      expect(x.citation).toMatch(/^皖医保中心〔2024〕39号 二、（[一二三四五]）/);
      expect(x.explanation).toContain(x.citation);
      expect(x.rows.length).toBeGreaterThan(0);
      expect(x.explanation).not.toMatch(/\d{17}[\dX]/); // people masked
    }
    await e.close();
  });

  it('Jiangsu: the binding, the relation outside spouse/parents/children, and each person in two families', async () => {
    const e = await month();
    const f = await findings(e, 'jiangsu-2022');
    expect(summary(f)).toEqual(['binding_required', 'one_family', 'one_family', 'one_family', 'relations']);
    for (const x of f) expect(x.explanation).toContain('江苏 2022 通知');
    await e.close();
  });

  it('exports the findings as a list that prints: explanations wrapped in rows tall enough, records named in words', async () => {
    const e = await month();
    const f = await findings(e, 'anhui-2024');
    const r = await e.call('policy/export', { period: '2025-11' }, e.caller);
    expect(r.rows).toBe(f.length);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.path);
    const ws = wb.getWorksheet('政策检查')!;
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, printTitlesRow: '2:2' });
    expect(ws.headerFooter.oddFooter).toContain('第 &P 页，共 &N 页');
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    const at = (name: string) => header.indexOf(name) + 1;
    for (let i = 3; i <= ws.rowCount; i++) {
      const row = ws.getRow(i);
      const said = row.getCell(at('说明'));
      expect(said.alignment).toMatchObject({ wrapText: true, vertical: 'top' });
      // An explanation runs to a hundred characters and more: never a one-line row.
      expect(String(said.value).length).toBeGreaterThan(40);
      expect(row.height).toBeGreaterThanOrEqual(30);
      expect(String(row.getCell(at('涉及记录')).value)).toMatch(/^批次 \d+ 第 \d+ 行/);
      expect(row.getCell(at('方案')).value).toMatch(/^安徽省.* v\d+$/);
    }
    await e.close();
  });

  it('finds nothing where every rule is kept, under every profile', async () => {
    const e = await tempEngine();
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'binding.csv'), BINDING_HEADER, BINDINGS.slice(0, 2)) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'care.csv'), LEDGER_SETTLEMENT_HEADER, CARE.slice(0, 1)) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'lp.csv'), LEDGER_HEADER, PREMIUM_LEDGER.slice(0, 1)) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'tp.txt'), TAX_HEADER, PREMIUM_TAX.slice(0, 1), { delimiter: '|' }) });
    for (const p of ['zhejiang-2024', 'anhui-2024', 'jiangsu-2022']) expect(await findings(e, p)).toEqual([]);
    await e.close();
  });

  it('runs from the CLI with a profile and prints rule, profile, citation, rows and explanation', async () => {
    const e = await month();
    await e.close();
    const r = cli(['--db', e.dbPath, '--user', 'officer-a', 'check', '--period', '2025-11', '--profile', 'anhui-2024', '--format', 'json'], { RECON_PASSWORD: 'Passw0rd-2025' });
    expect(r.code, r.stderr).toBe(0);
    const list = r.json<{ rule: string; profile: string; citation: string; rows: string[]; explanation: string }[]>();
    expect(list).toHaveLength(7);
    for (const f of list) {
      expect(f.profile).toBe('anhui-2024');
      expect(f.citation).toContain('皖医保中心〔2024〕39号');
      expect(f.rows[0]).toMatch(/^\d+:\d+$/);
    }
  });
});
