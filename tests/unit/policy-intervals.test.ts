// Policy checks judged at the moment (issue 16): only bindings live at the same
// instant count together; relations outside the code table arrive as written and
// are flagged; premiums paid by several accounts follow the province's order.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, tempEngine, type TestEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { makeCertNo } from '../support/ids';
import { LEDGER_SETTLEMENT_HEADER } from '../support/settlement-generator';
import { LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';

const HF = '340100'; // 合肥
const WH = '340200'; // 芜湖
const AQ = '340800'; // 安庆
const BINDING_HEADER = ['授权人证件号码', '授权人参保地', '被授权人证件号码', '被授权人参保地', '关系', '绑定时间', '解绑时间'];

let n = 500;
const person = (region: string) => makeCertNo(region, '19800101', ++n);
const bind = (payer: string, pr: string, ben: string, br: string, rel: string, at: string, until = '') => [payer, pr, ben, br, rel, at, until];

async function check(bindings: string[][], profile: string, extra: (e: TestEngine) => Promise<void> = async () => {}) {
  const e = await tempEngine();
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'binding.csv'), BINDING_HEADER, bindings) });
  await extra(e);
  const r = await e.call('policy/check', { period: '2025-11', profile }, e.caller);
  const lines = new Map<number, number>(); // binding line → index in `bindings` (header is line 1)
  bindings.forEach((_b, i) => lines.set(i + 2, i));
  await e.close();
  return { findings: r.findings, bindingIndex: (origin: string) => lines.get(Number(origin.split(':')[1])) };
}

describe('bindings judged at the same instant', () => {
  it('Anhui family size: a member unbound on the 6th and another bound on the 20th never make 8 at once', async () => {
    const P = person(HF);
    const kids = Array.from({ length: 7 }, () => person(HF));
    const rows = [...kids.slice(0, 5).map((k) => bind(P, HF, k, HF, '子女', '2024-03-01')), bind(P, HF, kids[5]!, HF, '配偶', '2024-03-01', '2025-11-06'), bind(P, HF, kids[6]!, HF, '父母', '2025-11-20')];
    const { findings } = await check(rows, 'anhui-2024');
    expect(findings.filter((f) => f.rule === 'family_size')).toEqual([]);
  });

  it('Anhui family size: the 8th person bound on the 20th while the other 6 stay is one finding, naming the instant and the 7 live bindings', async () => {
    const P = person(HF);
    const kids = Array.from({ length: 7 }, () => person(HF));
    const rows = [...kids.slice(0, 6).map((k) => bind(P, HF, k, HF, '子女', '2024-03-01')), bind(P, HF, kids[6]!, HF, '父母', '2025-11-20 10:00:00'), bind(person(HF), HF, person(HF), HF, '配偶', '2024-01-01')];
    const { findings, bindingIndex } = await check(rows, 'anhui-2024');
    const f = findings.filter((x) => x.rule === 'family_size');
    expect(f).toHaveLength(1);
    expect(f[0]!.explanation).toContain('2025-11-20 10:00');
    expect(f[0]!.explanation).toContain('共 8 人，超过上限 7 人');
    expect(f[0]!.rows.map(bindingIndex).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('Anhui cross-region: an authorizer replaced on the 15th after the first was unbound on the 4th is not two at once', async () => {
    const B = person(HF);
    const { findings } = await check([bind(person(WH), WH, B, HF, '父母', '2024-03-01', '2025-11-04'), bind(person(AQ), AQ, B, HF, '子女', '2025-11-15')], 'anhui-2024');
    expect(findings.filter((f) => f.rule === 'cross_region_single_authorizer')).toEqual([]);
  });

  it('Anhui cross-region: two cross-region authorizers overlapping from the 10th is one finding with both bindings', async () => {
    const B = person(HF);
    const { findings, bindingIndex } = await check([bind(person(WH), WH, B, HF, '父母', '2024-03-01', '2025-11-25'), bind(person(AQ), AQ, B, HF, '子女', '2025-11-10'), bind(person(HF), HF, B, HF, '配偶', '2024-01-01')], 'anhui-2024');
    const f = findings.filter((x) => x.rule === 'cross_region_single_authorizer');
    expect(f).toHaveLength(1);
    expect(f[0]!.explanation).toContain('2025-11-10');
    expect(f[0]!.rows.map(bindingIndex).sort()).toEqual([0, 1]);
  });

  it('Jiangsu: leaving one family and joining another (退出后再加入) is allowed, also on the same instant', async () => {
    const X = person(HF);
    const Y = person(HF);
    const rows = [
      bind(person(HF), HF, X, HF, '子女', '2024-03-01', '2025-11-10'),
      bind(person(HF), HF, X, HF, '配偶', '2025-11-12'),
      // Y leaves a family and founds their own at the same minute.
      bind(person(HF), HF, Y, HF, '子女', '2024-03-01', '2025-11-08 09:00:00'),
      bind(Y, HF, person(HF), HF, '子女', '2025-11-08 09:00:00'),
    ];
    const { findings } = await check(rows, 'jiangsu-2022');
    expect(findings.filter((f) => f.rule === 'one_family')).toEqual([]);
  });

  it('Jiangsu: a member of two families at once, and an authorizer who is a member elsewhere at once, are each one finding', async () => {
    const X = person(HF);
    const Y = person(HF);
    const rows = [
      bind(person(HF), HF, X, HF, '子女', '2024-03-01', '2025-11-20'),
      bind(person(HF), HF, X, HF, '配偶', '2025-11-12'),
      bind(person(HF), HF, Y, HF, '子女', '2024-03-01', '2025-11-18'),
      bind(Y, HF, person(HF), HF, '子女', '2025-11-08'),
    ];
    const { findings, bindingIndex } = await check(rows, 'jiangsu-2022');
    const f = findings.filter((x) => x.rule === 'one_family');
    expect(f).toHaveLength(2);
    expect(f.map((x) => x.rows.map(bindingIndex).sort())).toEqual(expect.arrayContaining([[0, 1], [2, 3]]));
    expect(f.find((x) => x.rows.map(bindingIndex).includes(0))!.explanation).toContain('2025-11-12');
  });
});

describe('relations as written', () => {
  it('imports a relation outside the code table (儿媳) as written, and the Zhejiang relation rule flags exactly that binding', async () => {
    const rows = [bind(person(HF), HF, person(HF), HF, '儿媳', '2024-03-01'), bind(person(HF), HF, person(HF), HF, '配偶', '2024-03-01'), bind(person(HF), HF, person(HF), HF, '3', '2024-03-01')];
    const { findings, bindingIndex } = await check(rows, 'zhejiang-2024');
    const f = findings.filter((x) => x.rule === 'relations');
    expect(f).toHaveLength(1);
    expect(f[0]!.explanation).toContain('“儿媳”');
    expect(f[0]!.rows.map(bindingIndex)).toEqual([0]);
  });

  it('still refuses a relation that cannot be one (digits, symbols), naming the line and column', async () => {
    const e = await tempEngine();
    const file = writeTextFile(path.join(e.dir, 'binding.csv'), BINDING_HEADER, [bind(person(HF), HF, person(HF), HF, '=1+2', '2024-03-01')]);
    await expect(importFile(e, { path: file })).rejects.toMatchObject({ details: { problems: [expect.objectContaining({ line: 2, column: '关系' })] } });
    await e.close();
  });
});

describe('the order of premium payments', () => {
  const premium = (P: string, L: string, B: string) => async (e: TestEngine) => {
    const ledger = [
      ['O1', 'D1', P, '远', WH, B, '受', HF, '子女', '390', '2026', '200.00', '划扣成功', '2025-11-10 09:00:00', ''],
      ['O1', 'D2', L, '近', HF, B, '受', HF, '配偶', '390', '2026', '180.00', '划扣成功', '2025-11-10 09:00:01', ''],
    ];
    const tax = [['O1', 'T1', B, '受', HF, '城乡居民基本医疗保险', '2026', '380.00', '已缴费', '20251110', '共济账户代缴']];
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'lp.csv'), LEDGER_HEADER, ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'tp.txt'), TAX_HEADER, tax, { delimiter: '|' }) });
  };

  it('Anhui: a premium deducted from a remote account before a local one is one finding with both deductions', async () => {
    const [P, L, B] = [person(WH), person(HF), person(HF)];
    const { findings } = await check([bind(P, WH, B, HF, '子女', '2024-01-01'), bind(L, HF, B, HF, '配偶', '2024-05-01')], 'anhui-2024', premium(P, L, B));
    const f = findings.filter((x) => x.rule === 'payment_order');
    expect(f).toHaveLength(1);
    expect(f[0]!.explanation).toContain('缴费单 O1');
    expect(f[0]!.explanation).toContain('异地授权人先于本地家庭成员扣款');
    expect(f[0]!.rows).toHaveLength(2);
  });

  it('Anhui: local first, then remote, is in order', async () => {
    const [P, L, B] = [person(WH), person(HF), person(HF)];
    // The same deductions with the local member first.
    const { findings } = await check([bind(P, WH, B, HF, '子女', '2024-01-01'), bind(L, HF, B, HF, '配偶', '2024-05-01')], 'anhui-2024', async (e) => {
      const ledger = [
        ['O1', 'D1', L, '近', HF, B, '受', HF, '配偶', '390', '2026', '180.00', '划扣成功', '2025-11-10 09:00:00', ''],
        ['O1', 'D2', P, '远', WH, B, '受', HF, '子女', '390', '2026', '200.00', '划扣成功', '2025-11-10 09:00:01', ''],
      ];
      await importFile(e, { path: writeTextFile(path.join(e.dir, 'lp.csv'), LEDGER_HEADER, ledger) });
    });
    expect(findings.filter((x) => x.rule === 'payment_order')).toEqual([]);
  });

  it('Jiangsu: a family member paying a bill before the beneficiary’s own account breaks 先本人后共济', async () => {
    const [P, B] = [person(HF), person(HF)];
    const care = [
      ['S1', '', 'A1', P, HF, 'PB', B, HF, HF, '30.00', '2025-11-04 10:00:00', '1'],
      ['S1', '', 'A2', B, HF, 'PB', B, HF, HF, '20.00', '2025-11-04 10:00:00', '2'],
    ];
    const { findings } = await check([bind(P, HF, B, HF, '父母', '2024-01-01')], 'jiangsu-2022', async (e) => {
      await importFile(e, { path: writeTextFile(path.join(e.dir, 'care.csv'), LEDGER_SETTLEMENT_HEADER, care) });
    });
    const f = findings.filter((x) => x.rule === 'payment_order');
    expect(f).toHaveLength(1);
    expect(f[0]!.explanation).toContain('家庭成员的账户先于本人账户扣款');
    expect(f[0]!.citation).toContain('江苏 2022 通知');
  });
});
