// Platform files as they are delivered (issue 15): the 3202 result as the
// platform's verdict beside each 共济 settlement, zip deliveries (9102), JSON
// pages, an extract without 缴费单号 matched by 电子税票号码, the feedback file's
// title line, and every row of every batch a run used accounted for.
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { LEDGER_SETTLEMENT_HEADER, SETTLEMENT_HEADER, settlementFiles, type Bill } from '../support/settlement-generator';
import { importFile, reconcile, refusal, tempEngine, type TestEngine } from '../support/temp-engine';

const bills: Bill[] = [
  { setlId: 'S1', region: '330100', payers: [{ region: '330200', amount: '10.00' }], at: '2025-11-03 10:00:00' },
  { setlId: 'S2', region: '330100', payers: [{ region: '330200', amount: '20.00' }], at: '2025-11-04 10:00:00' },
  { setlId: 'S3', region: '330100', payers: [{ region: '330300', amount: '30.00' }], at: '2025-11-05 10:00:00', ledgerOnly: true },
];

/** A 3202 result.txt: headerless, tab-separated, a tab after every value (as integration code writes it). */
const result3202 = (rows: [string, string, string][]) =>
  rows.map(([setl, rslt, memo], i) => ['P' + i, 'MD' + setl, setl, 'MSG' + i, rslt, '0', memo, '500.00', '300.00', '0.00'].join('\t') + '\t').join('\n') + '\n';

async function settlementMonth(e: TestEngine) {
  const f = settlementFiles(bills);
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'ledger.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'settle.txt'), SETTLEMENT_HEADER, f.external, { delimiter: '\t' }) });
}

const breaksOf = async (e: TestEngine, kind: 'premium' | 'settlement', status: 'open' | 'all' = 'open') => (await e.call('breaks/list', { kind, status }, e.caller)).rows;

describe('the 3202 对明细账 result: the platform’s verdict beside each 共济 settlement', () => {
  it('flags a matched settlement the platform calls 中心多, shows the verdict beside a break, and never uses it as a side of the amount match', async () => {
    const e = await tempEngine();
    await settlementMonth(e);
    // Delivered as interface 9102 does: result.txt inside a zip.
    const zip = new AdmZip();
    zip.addFile('result.txt', Buffer.from(result3202([['S1', '1', '机构未上传'], ['S2', '0', ''], ['S3', '2', ''], ['S9', '0', '']])));
    const zipFile = path.join(e.dir, '9102-20251130.zip');
    zip.writeZip(zipFile);
    const imp = await importFile(e, { path: zipFile });
    expect(imp.parts).toEqual([expect.objectContaining({ kind: 'platform-result', rows: 4, file: '9102-20251130.zip/result.txt' })]);
    expect((await e.call('imports/list', {}, e.caller)).map((b) => b.fileName)).toContain('9102-20251130.zip/result.txt');

    const s = await reconcile(e, { kind: 'settlement', period: '2025-11' });
    // S2 matched (对平); S1 matched on the amount but flagged; S3 only on the 医保 side, with the platform's word beside it.
    expect(s.matched.count).toBe(1);
    expect(s.breaks.map((b) => [b.type, b.count])).toEqual(expect.arrayContaining([['PLATFORM_FLAGGED', 1], ['LEDGER_ONLY', 1]]));
    expect(s.platform).toEqual({ rows: 3, keys: 3, flagged: 1, annotated: 1 });
    expect(s.tieOut.ok).toBe(true);
    const rows = await breaksOf(e, 'settlement');
    const s1 = rows.find((b) => b.key === 'S1')!;
    expect(s1.type).toBe('PLATFORM_FLAGGED');
    expect(s1.fields).toEqual([{ field: 'platform_verdict', ledger: null, external: '1 中心多：机构未上传' }]);
    expect(rows.find((b) => b.key === 'S3')!.fields).toContainEqual({ field: 'platform_verdict', ledger: null, external: '2 医药机构多' });

    // The platform's next result (a GBK deployment's) says 对平 for S1: the flag clears itself on the next run.
    fs.writeFileSync(path.join(e.dir, 'result2.txt'), iconv.encode(result3202([['S1', '0', ''], ['S3', '2', '医药机构重复上传']]), 'gbk'));
    expect(await importFile(e, { path: path.join(e.dir, 'result2.txt') })).toMatchObject({ kind: 'platform-result', encoding: expect.stringMatching(/gb/) });
    const s2 = await reconcile(e, { kind: 'settlement', period: '2025-11' });
    expect(s2.matched.count).toBe(2);
    const left = await breaksOf(e, 'settlement');
    expect(left.map((b) => b.key)).toEqual(['S3']);
    expect(left[0]!.fields).toContainEqual({ field: 'platform_verdict', ledger: null, external: '2 医药机构多：医药机构重复上传' });
    await e.close();
  });

  it('still refuses a 3260 异地清分 page as JSON, naming the file kind and not echoing the document', async () => {
    const e = await tempEngine();
    const page = { infcode: 0, output: { data: Array.from({ length: 3 }, (_, i) => ({ seqno: i + 1, mdtrtarea: '330100', medins_no: 'H3301', certno: '340100198001010013', mdtrt_id: `MD${i}`, mdtrt_setl_time: '2025-11-05 10:30:00', setl_sn: `S000${i}`, fulamt_advpay_flag: '0', medfee_sumamt: 500.0, optins_pay_sumamt: 320.5 })) } };
    const file = path.join(e.dir, '3260-page1.json');
    fs.writeFileSync(file, JSON.stringify(page));
    const err = await refusal(() => importFile(e, { path: file }));
    expect(err.message).toContain('“3260 异地清分明细”，不含个人账户共济支付金额');
    expect(err.message).not.toContain('mdtrt_setl_time');
    expect(err.message.length).toBeLessThan(400);
    await e.close();
  });
});

describe('JSON arrays as the interfaces return them', () => {
  it('imports settlement records given as JSON, keeping every digit of an 18-digit setl_id written as a number', async () => {
    const e = await tempEngine();
    const f = settlementFiles([{ setlId: '330100202511030001', region: '330100', payers: [{ region: '330200', amount: '10.00' }], at: '2025-11-03 10:00:00' }]);
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'ledger.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger) });
    // The institution's record with setl_id as a bare JSON number (a double would make it 330100202511030000).
    const rec = Object.fromEntries(SETTLEMENT_HEADER.map((h, i) => [h, f.external[0]![i]]));
    const text = JSON.stringify({ code: 0, data: { list: [rec] } }).replace('"330100202511030001"', '330100202511030001').replace('"10.00"', '10.00');
    const file = path.join(e.dir, 'setlinfo.json');
    fs.writeFileSync(file, text);
    const imp = await importFile(e, { path: file });
    expect(imp).toMatchObject({ kind: 'settlement', rows: 1, encoding: 'utf-8' });
    const s = await reconcile(e, { kind: 'settlement', period: '2025-11' });
    expect(s.matched.count).toBe(1);
    expect(s.breaks).toEqual([]);
    await e.close();
  });

  it('refuses a record holding a nested object, and a document without rows, naming what', async () => {
    const e = await tempEngine();
    const a = path.join(e.dir, 'nested.json');
    fs.writeFileSync(a, JSON.stringify([{ setl_id: 'S1', detail: { x: 1 } }]));
    expect((await refusal(() => importFile(e, { path: a }))).message).toMatch(/nested\.json.*第 1 条记录的“detail”是嵌套的对象/);
    const b = path.join(e.dir, 'empty.json');
    fs.writeFileSync(b, JSON.stringify({ code: 0, data: [] }));
    expect((await refusal(() => importFile(e, { path: b }))).message).toContain('找不到数据行');
    await e.close();
  });
});

describe('zip deliveries', () => {
  it('imports each data file inside as its own batch, named zip/entry, and leaves an archiver’s own files out with a note', async () => {
    const e = await tempEngine();
    const f = settlementFiles(bills);
    const ledger = writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger);
    const ext = writeTextFile(path.join(e.dir, 's.txt'), SETTLEMENT_HEADER, f.external, { delimiter: '\t' });
    const zip = new AdmZip();
    zip.addFile('2025-11/医保共济支出.csv', fs.readFileSync(ledger));
    zip.addFile('2025-11/机构结算.txt', fs.readFileSync(ext));
    zip.addFile('__MACOSX/2025-11/._机构结算.txt', Buffer.from('junk'));
    const file = path.join(e.dir, '月度.zip');
    zip.writeZip(file);
    const preview = await e.call('imports/preview', { path: file }, e.caller);
    expect(preview).toMatchObject({ file: '月度.zip/2025-11/医保共济支出.csv', kind: 'ledger-settlement' });
    expect(preview.notes?.[0]).toContain('2 个数据文件');
    const imp = await importFile(e, { path: file });
    expect(imp.parts!.map((p) => [p.file, p.kind, p.rows])).toEqual([
      ['月度.zip/2025-11/医保共济支出.csv', 'ledger-settlement', 3],
      ['月度.zip/2025-11/机构结算.txt', 'settlement', 2],
    ]);
    expect(imp.rows).toBe(5);
    expect(imp.notes?.[0]).toContain('__MACOSX');
    // The batch keeps the entry's own bytes as its source.
    const out = path.join(e.dir, 'back.csv');
    await e.call('imports/source', { batchId: imp.parts![0]!.batchId!, path: out }, e.caller);
    expect(fs.readFileSync(out)).toEqual(fs.readFileSync(ledger));
    await e.close();
  });

  it('imports nothing when one entry is refused, and refuses traversal names, nested zips, other files and bombs', async () => {
    const e = await tempEngine();
    const f = settlementFiles(bills);
    const good = fs.readFileSync(writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger));
    const bad = Buffer.from(good.toString('utf8').replace('10.00', '10.0O'));
    const mk = (name: string, entries: [string, Buffer][]) => {
      const z = new AdmZip();
      for (const [n, b] of entries) z.addFile(n, b);
      const p = path.join(e.dir, name);
      z.writeZip(p);
      return p;
    };
    const half = await refusal(() => importFile(e, { path: mk('half.zip', [['a.csv', good], ['b.csv', bad]]) }));
    expect(half.message).toContain('half.zip/b.csv');
    expect(await e.call('imports/list', {}, e.caller)).toEqual([]);

    // Entry names written by hand: adm-zip would clean them.
    const raw = mk('trav.zip', [['aaaaaaaaaa.csv', good]]);
    const bytes = fs.readFileSync(raw);
    fs.writeFileSync(raw, Buffer.from(bytes.toString('latin1').replaceAll('aaaaaaaaaa.csv', '../../xxxx.csv'), 'latin1'));
    expect((await refusal(() => importFile(e, { path: raw }))).message).toMatch(/trav\.zip.*不予导入.*\.\.\/\.\.\/xxxx\.csv/);
    expect((await refusal(() => importFile(e, { path: mk('nested.zip', [['inner.zip', good]]) }))).message).toContain('本身又是 zip');
    expect((await refusal(() => importFile(e, { path: mk('other.zip', [['a.csv', good], ['run.exe', good]]) }))).message).toContain('不是可导入的数据文件');

    // 300 MB of one byte compresses to a few hundred KB: refused while inflating, not after.
    const bomb = path.join(e.dir, 'bomb.zip');
    const z = new AdmZip();
    z.addFile('big.csv', Buffer.alloc(300 * 1024 * 1024, 0x31));
    z.writeZip(bomb);
    expect(fs.statSync(bomb).size).toBeLessThan(2 * 1024 * 1024);
    expect((await refusal(() => importFile(e, { path: bomb }))).message).toContain('与 zip 的大小不相称');
    expect(await e.call('imports/list', {}, e.caller)).toEqual([]);
    await e.close();
  }, 60_000);
});

describe('an extract without 缴费单号', () => {
  it('is matched by 电子税票号码 where the ledger carries it, so a planted amount difference is found under the ledger’s order', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 4 } });
    const t = (h: string) => TAX_HEADER.indexOf(h);
    const voucherOf = new Map(g.tax.map((r) => [r[t('缴费单号')]!, r[t('电子税票号码')]!]));
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), [...LEDGER_HEADER, '电子税票号码'], g.ledger.map((r) => [...r, voucherOf.get(r[0]!)!])) });
    // 金税三期 入库 list: no 缴费单号, no 缴费状态.
    const codes = ['dzsphm', 'jfrsbh', 'jfrmc', 'zsdq', 'zspm', 'skssqz', 'sjje', 'rkrq'];
    const from = ['电子税票号码', '缴费人证件号码', '缴费人姓名', '参保地', '征收品目', '费款所属期', '实缴金额', '缴款日期'];
    const tax = g.tax.map((r) => from.map((h) => (h === '费款所属期' ? r[t(h)]!.split('至').pop()! : r[t(h)]!)));
    const planted = tax[1]!;
    planted[6] = (Number(planted[6]) + 1).toFixed(2);
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'rk.txt'), codes, tax, { delimiter: '|' }) });
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(s.matched).toMatchObject({ count: 3, byFallback: 0 });
    expect(s.breaks).toEqual([expect.objectContaining({ type: 'AMOUNT_MISMATCH', count: 1 })]);
    const [b] = await breaksOf(e, 'premium');
    expect(b!.key).toBe(g.tax[1]![t('缴费单号')]);
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });
});

describe('the tax feedback file', () => {
  it('keeps the extract’s title line, ends with its own 合计, and is refused when imported back as an extract', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2, AMOUNT_MISMATCH: 1, EXTERNAL_ONLY: 1 } });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
    const title = '税务对账中间库共济代缴明细（2025年第47周）';
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030', title, total: ['合计', '', '', '', '', '', '', g.taxTotal, '', '', ''] }) });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const out = path.join(e.dir, 'feedback.txt');
    const r = await e.call('breaks/tax-feedback', { path: out }, e.caller);
    const lines = (await import('iconv-lite')).default.decode(fs.readFileSync(out), 'gb18030').trimEnd().split('\r\n');
    expect(lines[0]).toBe(title);
    expect(lines[1]).toBe([...TAX_HEADER, '差异类型', '差异说明'].join('|'));
    expect(lines.at(-1)).toMatch(/^合计\|.*共 2 条差异$/);
    expect(r.rows).toBe(2);
    expect((await refusal(() => importFile(e, { path: out }))).message).toContain('差异反馈文件');
    await e.close();
  });
});

describe('every row of every batch a run used', () => {
  it('is counted in this period, in other periods, or as placed in none, batch by batch', async () => {
    const e = await tempEngine();
    const w47 = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3 } });
    const w48 = generatePremium({ monday: '2025-11-24', counts: { MATCHED: 2 }, prefix: 'JFW48' });
    const l = await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, [...w47.ledger, ...w48.ledger]) });
    const t = await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, [...w47.tax, ...w48.tax], { delimiter: '|' }) });
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(s.sources).toEqual([
      { batchId: l.batchId, file: 'l.csv', side: 'ledger', rows: 5, inPeriod: 3, otherPeriods: 2, unplaced: 0 },
      { batchId: t.batchId, file: 't.txt', side: 'external', rows: 5, inPeriod: 3, otherPeriods: 2, unplaced: 0 },
    ]);
    await e.close();
  });
});
