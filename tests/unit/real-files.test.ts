// Real files, never silently misread (issue 15, in part): Excel-mangled identifiers
// and text that cannot be right are errors naming line and column; platform rows
// without a 共济 amount are counted, never a break; exports stay whole in Excel.
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import AdmZip from 'adm-zip';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { LEDGER_SETTLEMENT_HEADER, SETTLEMENT_HEADER, settlementFiles } from '../support/settlement-generator';
import { importFile, reconcile, tempEngine } from '../support/temp-engine';

const problemsOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return ((e as { details?: { problems?: { line: number; column: string; value: string; message: string }[] } }).details?.problems ?? []);
  }
  throw new Error('expected the file to be refused');
};

describe('identifiers that Excel mangled', () => {
  it('refuses an order number, a deduction number and a 电子税票号码 in scientific notation or with a trailing .0, naming line and column', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3 } });
    const ledger = g.ledger.map((r) => [...r]);
    ledger[0]![0] = '3.30300E+17';
    ledger[1]![1] = '20251117000001.0';
    const pl = await problemsOf(importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, ledger) }));
    expect(pl).toEqual(expect.arrayContaining([
      expect.objectContaining({ line: 2, column: '缴费单号', message: expect.stringContaining('科学计数法') }),
      expect.objectContaining({ line: 3, column: '划扣流水号', message: expect.stringContaining('.0') }),
    ]));
    const tax = g.tax.map((r) => [...r]);
    tax[2]![1] = '3E+20';
    const pt = await problemsOf(importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, tax, { delimiter: '|' }) }));
    expect(pt).toEqual([expect.objectContaining({ line: 4, column: '电子税票号码', message: expect.stringContaining('科学计数法') })]);
    await e.close();
  });

  it('refuses a setl_id that Excel turned into 3.30300E+17', async () => {
    const e = await tempEngine();
    const f = settlementFiles([{ setlId: 'S1', region: '330100', payers: [{ region: '330200', amount: '10.00' }], at: '2025-11-03 10:00:00' }]);
    const ext = f.external.map((r) => [...r]);
    ext[0]![0] = '3.30300E+17';
    const p = await problemsOf(importFile(e, { path: writeTextFile(path.join(e.dir, 's.txt'), SETTLEMENT_HEADER, ext, { delimiter: '\t' }) }));
    expect(p[0]).toMatchObject({ line: 2, column: 'setl_id' });
    await e.close();
  });
});

describe('金税三期 field codes', () => {
  it('reads dzsphm as 电子税票号码 and an extract without 缴费状态 as paid, so a planted voucher difference is found', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3 } });
    // The ledger carries the voucher too; one of them differs from the tax side's.
    const tIdx = (h: string) => TAX_HEADER.indexOf(h);
    const voucherOf = new Map(g.tax.map((r) => [r[tIdx('缴费单号')]!, r[tIdx('电子税票号码')]!]));
    const ledger = g.ledger.map((r, i) => [...r, i === 0 ? 'WRONG-VOUCHER' : voucherOf.get(r[0]!)!]);
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), [...LEDGER_HEADER, '电子税票号码'], ledger) });
    const codes = ['ybjfdh', 'dzsphm', 'jfrsbh', 'jfrmc', 'zsdq', 'zspm', 'skssqz', 'sjje', 'rkrq'];
    const from = ['缴费单号', '电子税票号码', '缴费人证件号码', '缴费人姓名', '参保地', '征收品目', '费款所属期', '实缴金额', '缴款日期'];
    const tax = g.tax.map((r) => from.map((h) => (h === '费款所属期' ? r[tIdx(h)]!.split('至').pop()! : r[tIdx(h)]!)));
    const imp = await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), codes, tax, { delimiter: '|' }) });
    expect(imp).toMatchObject({ kind: 'tax-premium', rows: 3 });
    const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
    expect(s.matched.count).toBe(2);
    expect(s.breaks).toEqual([expect.objectContaining({ type: 'FIELD_MISMATCH', count: 1 })]);
    const [b] = (await e.call('breaks/list', { kind: 'premium' }, e.caller)).rows;
    expect(b!.fields).toEqual([expect.objectContaining({ field: 'tax_voucher_no', ledger: 'WRONG-VOUCHER' })]);
    await e.close();
  });
});

describe('text that cannot be right', () => {
  it('refuses a NUL inside a name, and a GB18030 name read as UTF-8 (U+FFFD), saying which', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2 } });
    const ledger = g.ledger.map((r) => [...r]);
    ledger[0]![3] = '张\u0000伟';
    const p1 = await problemsOf(importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, ledger) }));
    expect(p1[0]).toMatchObject({ line: 2, column: '授权人姓名', message: expect.stringContaining('控制字符 U+0000') });
    // A UTF-8 file whose one name was written in GB18030.
    const head = Buffer.from([LEDGER_HEADER.join(','), ...g.ledger.slice(1).map((r) => r.join(','))].join('\n') + '\n', 'utf8');
    const bad = g.ledger[0]!.map((c, i) => (i === 3 ? '\u0001' : c)).join(',').split('\u0001');
    const file = path.join(e.dir, 'mixed.csv');
    fs.writeFileSync(file, Buffer.concat([head, Buffer.from(bad[0]!, 'utf8'), iconv.encode('张伟', 'gb18030'), Buffer.from(bad[1]! + '\n', 'utf8')]));
    const p2 = await problemsOf(importFile(e, { path: file, encoding: 'utf-8' }));
    expect(p2[0]).toMatchObject({ column: '授权人姓名', message: expect.stringContaining('无法解码') });
    await e.close();
  });
});

describe('platform settlement rows without a 共济 amount', () => {
  it('counts rows whose acct_mulaid_pay is 0.00 as not 共济, never as 对方单边', async () => {
    const e = await tempEngine();
    const f = settlementFiles([{ setlId: 'S1', region: '330100', payers: [{ region: '330200', amount: '10.00' }], at: '2025-11-03 10:00:00' }]);
    const zero = Array.from({ length: 40 }, (_, i) => {
      const r = [...f.external[0]!];
      r[0] = `Z${i}`;
      r[12] = '0.00';
      return r;
    });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 's.txt'), SETTLEMENT_HEADER, [...f.external, ...zero], { delimiter: '\t' }) });
    const s = await reconcile(e, { kind: 'settlement', period: '2025-11' });
    expect(s.breaks).toEqual([]);
    expect(s.matched.count).toBe(1);
    expect(s.external.rows).toBe(41);
    expect(s.notCounted).toEqual([{ reason: expect.stringContaining('共济支付金额为 0'), rows: 40, keys: 40 }]);
    expect(s.tieOut.ok).toBe(true);
    await e.close();
  });
});

describe('exports that stay whole in Excel', () => {
  it('writes long digit keys so Excel keeps them as text and neutralises a formula; a CSV reader gets every digit back', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { LEDGER_ONLY: 2 } });
    const ledger = g.ledger.map((r) => [...r]);
    ledger[0]![0] = '330300202511170001';
    ledger[1]![0] = '=HYPERLINK("http://x")';
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, ledger) });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const r = await e.call('breaks/export', { query: { kind: 'premium', status: 'all' }, format: 'csv' }, e.caller);
    const text = fs.readFileSync(r.path, 'utf8').replace(/^\uFEFF/, '');
    const rows = parse(text) as string[][];
    const keys = rows.slice(1).map((x) => x[2]);
    expect(keys).toContain('="330300202511170001"');
    expect(keys).toContain('\'=HYPERLINK("http://x")');
    expect(keys.every((k) => !/^[=+\-@]/.test(k!) || k!.startsWith('="'))).toBe(true);
    await e.close();
  });
});

describe('hostile workbooks', () => {
  /** A minimal XLSX whose sheet and shared strings are given as XML. */
  function workbook(file: string, sheetXml: string, shared?: Buffer): string {
    const zip = new AdmZip();
    zip.addFile('[Content_Types].xml', Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'));
    zip.addFile('xl/workbook.xml', Buffer.from('<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'));
    zip.addFile('xl/_rels/workbook.xml.rels', Buffer.from('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'));
    zip.addFile('xl/worksheets/sheet1.xml', Buffer.from(sheetXml));
    if (shared) zip.addFile('xl/sharedStrings.xml', shared);
    zip.writeZip(file);
    return file;
  }
  const header = LEDGER_HEADER.map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('');

  it('refuses a cell reference past Excel’s last column (ZZZZZZZZ2) in a 2 KB file, at once', async () => {
    const e = await tempEngine();
    const file = workbook(path.join(e.dir, 'zz.xlsx'), `<worksheet><sheetData><row r="1">${header}</row><row r="2"><c r="ZZZZZZZZ2"><v>1</v></c></row></sheetData></worksheet>`);
    expect(fs.statSync(file).size).toBeLessThan(4096);
    const t = Date.now();
    await expect(importFile(e, { path: file })).rejects.toMatchObject({ code: 'IMPORT_REFUSED', message: expect.stringContaining('超出 Excel 的列范围') });
    expect(Date.now() - t).toBeLessThan(5000);
    await e.close();
  });

  it('refuses shared strings that inflate far past the file’s size, without holding them', async () => {
    const e = await tempEngine();
    const one = `<si><t>${'共'.repeat(1000)}</t></si>`;
    const shared = Buffer.from(`<sst>${one.repeat(30_000)}</sst>`); // ~90 MB of XML, a few hundred KB zipped
    const file = workbook(path.join(e.dir, 'sst.xlsx'), `<worksheet><sheetData><row r="1">${header}</row></sheetData></worksheet>`, shared);
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    const t = Date.now();
    const before = process.memoryUsage().rss;
    await expect(importFile(e, { path: file })).rejects.toMatchObject({ message: expect.stringContaining('与文件大小不相称') });
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
    await e.close();
  });
});
