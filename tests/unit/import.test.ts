import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { importFile, refusal, storeCounts, tempEngine, viewStoredRows } from '../support/temp-engine';
import AdmZip from 'adm-zip';
import ExcelJS from 'exceljs';
import { writeTextFile, writeXlsx } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { makeCertNo } from '../support/ids';
import { cli } from '../support/cli';
import { makeRecordReader, readStoredRecord } from '../../electron/engine/ingest/stored-record';
import { fenToText, parseAmountToFen } from '../../shared/money';
import { EngineError } from '../../shared/errors';
import { runImport } from '../../electron/engine/ingest/run-import';

/** The reference kit's example files, copied into the repo (a clean clone has no ../shared). */
const EXAMPLES = path.resolve(import.meta.dirname, '../fixtures/examples');
const week = () => generatePremium({ monday: '2025-11-17', counts: { MATCHED: 6, MATCHED_SPLIT: 2, MATCHED_REFUNDED: 1 } });

describe('importing the real-shaped example files', () => {
  it.each([
    ['ledger-premium_2025-W47.csv', 'ledger-premium', 'utf-8', ','],
    ['tax-premium_2025-W47.txt', 'tax-premium', 'gb18030', '|'],
    ['settlement_2025-11.txt', 'settlement', 'utf-8', '\t'],
    ['ledger-settlement_2025-11.csv', 'ledger-settlement', 'gb18030', ','],
  ])('%s is recognised as %s (%s, %j)', async (file, kind, encoding, delimiter) => {
    const e = await tempEngine();
    const s = await importFile(e, { path: path.join(EXAMPLES, file) });
    expect(s).toMatchObject({ kind, encoding, delimiter, rejected: 0 });
    expect(s.rows).toBeGreaterThan(30);
    await e.close();
  });
});

describe('encodings, delimiters, title and 合计 lines', () => {
  it.each([
    ['utf-8', true, ','],
    ['utf-8', false, '\t'],
    ['gb18030', false, '|'],
    ['gbk', false, ','],
  ] as const)('reads a tax extract in %s (BOM %s) split by %j', async (encoding, bom, delimiter) => {
    const e = await tempEngine();
    const g = week();
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { encoding, bom, delimiter, eol: '\r\n' });
    const s = await importFile(e, { path: file });
    expect(s).toMatchObject({ kind: 'tax-premium', rows: g.tax.length, encoding: encoding === 'gbk' ? 'gb18030' : encoding, delimiter });
    // The raw record comes back from the stored copy of the file, decoded as it was.
    const row = readStoredRecord(e.db, s.batchId!, 2)!;
    expect(row.raw).toEqual(g.tax[0]);
    // The ID's lower-case x is kept in the raw row and upper-cased in the normalised one.
    expect(row.norm.certno).toBe(g.tax[0]![2]!.toUpperCase());
    expect(row.norm.name).toBe('李四');
    expect(readStoredRecord(e.db, s.batchId!, g.tax.length + 1)!.raw).toEqual(g.tax[g.tax.length - 1]);
    await e.close();
  });

  it('skips a title line, checks the 合计 line against the rows, and keeps editor line numbers', async () => {
    const e = await tempEngine();
    const g = week();
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, {
      encoding: 'gb18030', delimiter: '|', title: '税务部门共济账户代缴城乡居民保费对账明细（2025年第47周）', total: ['合计', '', '', '', '', '', '', g.taxTotal, '', '', ''],
    });
    const s = await importFile(e, { path: file });
    expect(s.totalCheck).toEqual({ stated: g.taxTotal, computed: g.taxTotal, ok: true, line: g.tax.length + 3 });
    viewStoredRows(e);
    const lines = (e.db.prepare('SELECT line FROM source_row ORDER BY line').all() as { line: number }[]).map((r) => r.line);
    expect(lines[0]).toBe(3); // title on 1, header on 2
    expect(lines.at(-1)).toBe(g.tax.length + 2);
    await e.close();
  });

  // 'split' asks for two parsing threads (a file with quotes too: the cut falls where the quotes before it are even).
  it.each(['never', 'always', 'split'])('keeps the file itself: every raw record reads back as written, across stored pieces and quoted lines (parsing thread: %s)', async (worker) => {
    process.env.GONGJI_PARSE_WORKER = worker;
    onTestFinished(() => void delete process.env.GONGJI_PARSE_WORKER);
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 9000 } });
    g.tax[5]![10] = '共济\n代缴'; // a quoted cell over two lines
    g.tax[6]![3] = '李|四'; // a quoted cell holding the delimiter
    // A quoted cell of 300,000 lines (some 900 KB, over a stored piece's end): read and
    // read back in time linear in its lines (each line counted once, the record decoded once).
    g.tax[8]![10] = '行\n'.repeat(300_000) + '末';
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { encoding: 'gb18030', delimiter: '|', eol: '\r\n', title: '对账明细' });
    expect(fs.statSync(file).size).toBeGreaterThan(1 << 20); // more than one stored piece
    const s = await importFile(e, { path: file });
    const read = makeRecordReader(e.db);
    viewStoredRows(e);
    const lines = (e.db.prepare('SELECT line FROM source_row WHERE batch_id = ? ORDER BY line').all(s.batchId) as { line: number }[]).map((r) => r.line);
    expect(lines.map((l) => read(s.batchId!, l)!.raw)).toEqual(g.tax);
    expect(lines[6]).toBe(10); // title, header, five rows, the record that ends on line 9
    expect(lines[8]).toBe(lines[7]! + 300_001); // the long record ends on its last line: its 300,000 line feeds counted
    await e.close();
  });

  // Two parts, or four (where four cores or more are: GONGJI_PARSE_PARTS sets it on any machine).
  it.each([2, 4])('parses a big quoted file in %i threads exactly as in one, records over two lines at the cuts included', async (parts) => {
    onTestFinished(() => void delete process.env.GONGJI_PARSE_WORKER);
    process.env.GONGJI_PARSE_PARTS = String(parts);
    onTestFinished(() => void delete process.env.GONGJI_PARSE_PARTS);
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 12000 } });
    const rows = g.tax.map((r, i) => {
      const x = [...r];
      if (i % 3 === 0) x[3] = `${x[3]}|“${i}”`; // quoted: holds the delimiter
      return x;
    });
    // Records over two lines around each cut of the file, where a cut by bytes alone would fall.
    for (let k = 1; k < parts; k++) {
      const at = Math.floor((k * rows.length) / parts);
      for (let i = at - 40; i < at + 40; i += 2) rows[i]![10] = '共济\n代缴';
    }
    const imported = async (mode: string) => {
      process.env.GONGJI_PARSE_WORKER = mode;
      const e = await tempEngine();
      const s = await importFile(e, { path: writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, rows, { encoding: 'gb18030', delimiter: '|', eol: '\r\n', title: '对账明细' }) });
      const read = makeRecordReader(e.db);
      viewStoredRows(e);
      const lines = (e.db.prepare('SELECT line FROM source_row WHERE batch_id = ? ORDER BY line').all(s.batchId) as { line: number }[]).map((r) => r.line);
      const records = lines.map((l) => read(s.batchId!, l)!);
      // Each part's blocks numbered from its own base (partSeq).
      const bases = new Set((e.db.prepare('SELECT seq FROM row_block WHERE batch_id = ?').pluck().all(s.batchId) as number[]).map((q) => Math.floor((q * parts) / 2 ** 20)));
      await e.close();
      return { s, lines, records, bases };
    };
    const one = await imported('never');
    const two = await imported('split');
    expect(two.bases.size).toBe(parts); // it was cut in as many parts
    expect(two.s.rows).toBe(rows.length);
    expect(two.lines).toEqual(one.lines);
    expect(two.records.map((r) => r.raw)).toEqual(rows);
    expect(two.records.map((r) => r.norm)).toEqual(one.records.map((r) => r.norm));
  });

  it('stores every block byte for byte as parsing in line does, though a parsing thread encodes later blocks into the buffers of blocks already stored', async () => {
    onTestFinished(() => void delete process.env.GONGJI_PARSE_WORKER);
    // Enough rows for several blocks (16,384 rows each) in one thread: the third and later reuse a stored block's buffer.
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 60000, MATCHED_SPLIT: 4000, MATCHED_REFUNDED: 2000 } });
    // Names of every length in part of the file: blocks differ in size, a reused buffer is bigger than the block in it.
    const rows = g.ledger.map((r, i) => (i > 40000 && i % 3 === 0 ? r.map((c, k) => (k === 3 ? c + '某'.repeat(i % 17) : c)) : r));
    const blocks = async (mode: string) => {
      process.env.GONGJI_PARSE_WORKER = mode;
      const e = await tempEngine();
      const s = await importFile(e, { path: writeTextFile(path.join(e.dir, 'ledger.csv'), LEDGER_HEADER, rows, { delimiter: ',' }) });
      const out = e.db.prepare('SELECT seq, n, cols, extra FROM row_block WHERE batch_id = ? ORDER BY id').all(s.batchId) as { seq: number; n: number; cols: Buffer; extra: Buffer }[];
      await e.close();
      return out;
    };
    const inLine = await blocks('never');
    const thread = await blocks('always');
    expect(inLine.length).toBeGreaterThanOrEqual(4);
    expect(thread.map((b) => [b.seq, b.n, b.cols.length, b.extra.length])).toEqual(inLine.map((b) => [b.seq, b.n, b.cols.length, b.extra.length]));
    thread.forEach((b, i) => {
      expect(b.cols.equals(inLine[i]!.cols)).toBe(true);
      expect(b.extra.equals(inLine[i]!.extra)).toBe(true);
    });
  });

  it('dates a file from its earliest to its latest record, whatever the rows\' order and however the times are written', async () => {
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 300, MATCHED_SPLIT: 20, MATCHED_REFUNDED: 10 } });
    // Shuffled, and some times in the other forms a ledger writes them (read as the same time).
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const rows = g.ledger.map((r) => [...r]);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const times = rows.map((r) => r[13]!).sort();
    rows.forEach((r, i) => {
      if (i % 7 === 0) r[13] = r[13]!.replace(/-/g, '/');
      else if (i % 11 === 0) r[13] = r[13]!.replace(/[-: ]/g, '');
    });
    const e = await tempEngine();
    const s = await importFile(e, { path: writeTextFile(path.join(e.dir, 'ledger.csv'), LEDGER_HEADER, rows, { delimiter: ',' }) });
    expect(s).toMatchObject({ periodFrom: times[0], periodTo: times.at(-1) });
    await e.close();
  });

  it.each([2, 4])('parses a big file in %i threads exactly as in one: rows, lines, records, 合计, and errors in any part', async (parts) => {
    onTestFinished(() => void delete process.env.GONGJI_PARSE_WORKER);
    process.env.GONGJI_PARSE_PARTS = String(parts);
    onTestFinished(() => void delete process.env.GONGJI_PARSE_PARTS);
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 12000, MATCHED_REFUNDED: 500 } });
    const write = (dir: string, rows: string[][]) =>
      writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, rows, { encoding: 'gb18030', delimiter: '|', eol: '\r\n', title: '对账明细', total: ['合计', '', '', '', '', '', '', g.taxTotal, '', '', ''] });
    const imported = async (mode: string) => {
      process.env.GONGJI_PARSE_WORKER = mode;
      const e = await tempEngine();
      const s = await importFile(e, { path: write(e.dir, g.tax) });
      const read = makeRecordReader(e.db);
      const records = Array.from({ length: g.tax.length }, (_, i) => read(s.batchId!, i + 3));
      const blocks = e.db.prepare('SELECT seq, first_line, last_line FROM row_block ORDER BY id').all() as { seq: number; first_line: number; last_line: number }[];
      await e.close();
      return { s, records, blocks };
    };
    const one = await imported('never');
    const two = await imported('split');
    // The parts' blocks numbered each after the part before's, lines running on across the cuts.
    expect(new Set(two.blocks.map((b) => Math.floor((b.seq * parts) / 2 ** 20))).size).toBe(parts);
    two.blocks.slice(1).forEach((b, i) => expect(b.first_line).toBe(two.blocks[i]!.last_line + 1));
    expect(two.s).toMatchObject({ rows: g.tax.length, totalCheck: { ok: true, line: g.tax.length + 3 }, periodFrom: one.s.periodFrom, periodTo: one.s.periodTo, sha256: one.s.sha256 });
    expect(two.records.map((r) => r!.raw)).toEqual(g.tax);
    expect(two.records.map((r) => r!.norm)).toEqual(one.records.map((r) => r!.norm));
    // An error in any part names its own line.
    for (const row of [10, Math.floor(g.tax.length / 2) + 5, g.tax.length - 10]) {
      process.env.GONGJI_PARSE_WORKER = 'split';
      const e = await tempEngine();
      const bad = g.tax.map((r) => [...r]);
      bad[row]![7] = '4O0.00';
      const err = await refusal(() => importFile(e, { path: write(e.dir, bad) }));
      expect(err.message).toContain(`第 ${row + 3} 行「实缴金额」值“4O0.00”`);
      expect(storeCounts(e)).toMatchObject({ batches: 0, rows: 0 });
      await e.close();
    }
  });

  // Two extracts run together (each ends in its 合计 line): one thread reads every row after the
  // first 合计 line as a problem of its own. A part parsed beside it cannot know of that line, so
  // those parts are read again: the same refusal, and with 导入正确行 the same rows kept.
  it.each([2, 4])('reads rows after a 合计 line in an earlier part as one thread does (%i parts): the same refusal, the same rows kept on request', async (parts) => {
    onTestFinished(() => void delete process.env.GONGJI_PARSE_WORKER);
    process.env.GONGJI_PARSE_PARTS = String(parts);
    onTestFinished(() => void delete process.env.GONGJI_PARSE_PARTS);
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 9000 } });
    const cut = Math.floor(g.tax.length / (2 * parts));
    const fenOf = (t: string) => {
      const r = parseAmountToFen(t);
      if (!r.ok) throw new Error(r.reason);
      return r.fen;
    };
    const firstTotal = fenToText(g.tax.slice(0, cut).reduce((sum, r) => sum + fenOf(r[7]!), 0));
    // The first extract's rows, its 合计 line, a blank line, then the second extract's rows (and its 合计 line).
    const rows = [...g.tax.slice(0, cut), ['合计', '', '', '', '', '', '', firstTotal, '', '', ''], ['', '', '', '', '', '', '', '', '', '', ''], ...g.tax.slice(cut)];
    const outcome = async (mode: string, acceptPartial: boolean) => {
      process.env.GONGJI_PARSE_WORKER = mode;
      const e = await tempEngine();
      const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, rows, { encoding: 'gb18030', delimiter: '|', eol: '\r\n', title: '对账明细', total: ['合计', '', '', '', '', '', '', g.taxTotal, '', '', ''] });
      try {
        const s = await importFile(e, { path: file, acceptPartial });
        viewStoredRows(e);
        const lines = e.db.prepare('SELECT line FROM source_row WHERE batch_id = ? ORDER BY line').pluck().all(s.batchId);
        return { rows: s.rows, rejected: s.rejected, totalCheck: s.totalCheck, periodFrom: s.periodFrom, periodTo: s.periodTo, lines };
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        return { code: err.code, message: err.message, details: err.details };
      } finally {
        await e.close();
      }
    };
    const one = await outcome('never', false);
    expect(one).toMatchObject({ code: 'IMPORT_REFUSED' });
    expect((one as { message: string }).message).toContain(`第 ${cut + 5} 行`);
    expect((one as { message: string }).message).toContain('合计行之后还有数据行');
    expect(await outcome('split', false)).toEqual(one);
    const kept = await outcome('never', true);
    expect(kept).toMatchObject({ rows: cut });
    expect(await outcome('split', true)).toEqual(kept);
  });

  // That reading again goes over the rest of the file at one thread's speed, with no block to
  // mark its way: it reports how far it has come, and a cancel stops it there.
  it('shows how far it has read the parts after a 合计 line again, and stops there when cancelled', async () => {
    process.env.GONGJI_PARSE_WORKER = 'split';
    onTestFinished(() => void delete process.env.GONGJI_PARSE_WORKER);
    process.env.GONGJI_PARSE_PARTS = '2';
    onTestFinished(() => void delete process.env.GONGJI_PARSE_PARTS);
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 60000 } });
    const cut = 1000;
    const rows = [...g.tax.slice(0, cut), ['合计', '', '', '', '', '', '', '1.00', '', '', ''], ...g.tax.slice(cut)];
    const e = await tempEngine();
    onTestFinished(() => e.close());
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, rows, { delimiter: '|' });
    const run = async (cancelAt: number | null) => {
      const reread: { done: number; total: number }[] = [];
      let cancel = false;
      const ctx = {
        user: 'officer-a',
        progress: (done: number, total: number, unit: string, stage: string) => {
          if (!stage.startsWith('合计行之后')) return;
          expect(unit).toBe('bytes');
          reread.push({ done, total });
          if (reread.length === cancelAt) cancel = true;
        },
        cancelled: () => cancel,
      };
      const outcome = await runImport(e.db, { path: file, acceptPartial: true }, ctx).catch((x: unknown) => x);
      return { outcome, reread };
    };
    // Cancelled at its first report: it stops there, and nothing of the import stays.
    const stopped = await run(1);
    expect(stopped.outcome).toMatchObject({ code: 'CANCELLED' });
    expect(stopped.reread).toHaveLength(1);
    expect(storeCounts(e)).toMatchObject({ batches: 0, rows: 0 });
    // Read to its end: the reports go up to the size of the rest of the file, from the second part's start.
    const whole = await run(null);
    expect(whole.outcome).toMatchObject({ rows: cut });
    const total = whole.reread[0]!.total;
    expect(total).toBeGreaterThan(fs.statSync(file).size / 3);
    expect(whole.reread.length).toBeGreaterThanOrEqual(3);
    for (const [i, r] of whole.reread.entries()) {
      expect(r.total).toBe(total);
      if (i > 0) expect(r.done).toBeGreaterThanOrEqual(whole.reread[i - 1]!.done);
    }
    expect(whole.reread[0]!.done).toBeLessThan(total);
    expect(whole.reread.at(-1)!.done).toBe(total);
  });

  it('refuses a file whose 合计 line disagrees with its rows, naming the line', async () => {
    const e = await tempEngine();
    const g = week();
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|', total: ['合计', '', '', '', '', '', '', '99999.00', '', '', ''] });
    const err = await refusal(() => importFile(e, { path: file }));
    expect(err.code).toBe('IMPORT_REFUSED');
    expect(err.message).toContain(`第 ${g.tax.length + 2} 行`);
    expect(err.message).toContain('合计行金额 99999.00');
    expect(storeCounts(e)).toMatchObject({ batches: 0, rows: 0 });
    await e.close();
  });

  it.each(['never', 'always'] as const)('refuses a record of more than 8 MB — a line without end, a quote never closed — naming its line, before it holds the file (parsing: %s)', async (worker) => {
    process.env.GONGJI_PARSE_WORKER = worker;
    onTestFinished(() => void delete process.env.GONGJI_PARSE_WORKER);
    const e = await tempEngine();
    const g = week();
    const head = [LEDGER_HEADER.join(','), ...g.ledger.slice(0, 3).map((r) => r.join(','))].join('\n') + '\n';
    // A hostile file: after three good rows, 9 MB without a line feed (line 5) …
    const noEnd = path.join(e.dir, 'no-end.csv');
    fs.writeFileSync(noEnd, head + 'x'.repeat(9 << 20));
    let err = await refusal(() => importFile(e, { path: noEnd }));
    expect(err.code).toBe('IMPORT_REFUSED');
    expect(err.message).toContain('第 5 行');
    expect(err.message).toContain('超过 8 MB');
    // … or a quote opened on line 5 and never closed, over 9 MB of short lines.
    const open = path.join(e.dir, 'open-quote.csv');
    fs.writeFileSync(open, head + 'JF9,"never closed\n' + 'abcdefghij\n'.repeat(900_000));
    err = await refusal(() => importFile(e, { path: open }));
    expect(err.message).toContain('第 5 行');
    expect(err.message).toContain('超过 8 MB');
    expect(storeCounts(e)).toMatchObject({ batches: 0, rows: 0 });
    await e.close();
  });

  it('reads an XLSX sheet with its own row numbers', async () => {
    const e = await tempEngine();
    const g = week();
    const file = await writeXlsx(path.join(e.dir, 'ledger.xlsx'), LEDGER_HEADER, g.ledger);
    const s = await importFile(e, { path: file });
    expect(s).toMatchObject({ kind: 'ledger-premium', rows: g.ledger.length, encoding: 'xlsx', delimiter: null });
    viewStoredRows(e);
    const amount = e.db.prepare('SELECT amount_fen FROM source_row WHERE line = 2').get() as { amount_fen: number };
    expect(amount.amount_fen).toBe(Number(g.ledger[0]![11]!.replace('.', '')));
    await e.close();
  });

  it('reads a sheet whose writer prefixes every element (x:row, x:c), as the OpenXML SDK does', async () => {
    const e = await tempEngine();
    const g = week();
    const file = await writeXlsx(path.join(e.dir, 'plain.xlsx'), TAX_HEADER, g.tax);
    const zip = new AdmZip(file);
    const sheet = zip.getEntry('xl/worksheets/sheet1.xml')!;
    const xml = zip.readAsText(sheet)
      .replace(/<(\/?)(worksheet|sheetData|row|c|v|is|t)([ >/])/g, '<$1x:$2$3')
      .replace('<x:worksheet ', '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ');
    zip.updateFile(sheet, Buffer.from(xml, 'utf8'));
    const prefixed = path.join(e.dir, 'prefixed.xlsx');
    zip.writeZip(prefixed);
    const s = await importFile(e, { path: prefixed });
    expect(s).toMatchObject({ kind: 'tax-premium', rows: g.tax.length, rejected: 0 });
    expect(readStoredRecord(e.db, s.batchId!, 2)!.raw).toEqual(g.tax[0]);
    await e.close();
  });

  it('reads a chosen sheet: a title row, amounts stored as numbers, inline and shared strings, skipped cells', async () => {
    const e = await tempEngine();
    const g = week();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['本文件第二张表是明细']);
    const ws = wb.addWorksheet('明细');
    ws.addRow(['税务部门共济账户代缴对账明细']);
    ws.addRow(TAX_HEADER);
    // Amounts as numbers (95.47 is stored as a binary fraction); 缴费方式 left empty on the first row.
    g.tax.forEach((r, i) => ws.addRow(r.map((c, j) => (j === 7 ? Number(c) : j === 10 && i === 0 ? null : c))));
    const file = path.join(e.dir, 'tax-two-sheets.xlsx');
    await wb.xlsx.writeFile(file);
    await expect(importFile(e, { path: file, sheet: '没有这张表' })).rejects.toThrow(/没有工作表“没有这张表”/);
    const s = await importFile(e, { path: file, sheet: '明细' });
    expect(s).toMatchObject({ kind: 'tax-premium', rows: g.tax.length, rejected: 0 });
    const first = readStoredRecord(e.db, s.batchId!, 3)!;
    expect(first.norm.amount).toBe(Number(g.tax[0]![7]!.replace('.', '')));
    expect(first.raw.slice(0, 10)).toEqual(g.tax[0]!.slice(0, 10).map((c, j) => (j === 7 ? String(Number(c)) : c)));
    expect(first.norm.channel).toBeUndefined();
    await e.close();
  });
});

describe('XLSX with Chinese text across zip chunk boundaries', () => {
  it('reads every character whole (a character split across two inflated chunks)', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3000 } });
    // Distinct Chinese names make a shared-strings part far larger than one zip chunk.
    g.tax.forEach((r, i) => (r[3] = `${'张王李赵'[i % 4]}${'一二三四五六七八九十'[i % 10]}${'甲乙丙丁戊'[i % 5]}${i}`));
    const file = await writeXlsx(path.join(e.dir, 'tax-big.xlsx'), TAX_HEADER, g.tax);
    const s = await importFile(e, { path: file });
    expect(s.rows).toBe(3000);
    const read = makeRecordReader(e.db);
    const bad = g.tax.filter((_r, i) => read(s.batchId!, i + 2)!.raw.join('').includes('\uFFFD'));
    expect(bad).toHaveLength(0);
    expect(read(s.batchId!, 2)!.raw[3]).toBe(g.tax[0]![3]);
    await e.close();
  });
});

describe('the other kinds and platform files', () => {
  it('recognises a 3202 对明细账 result (headerless, tab-separated) by position, as the platform’s verdict (not a side of the 共济 match)', async () => {
    const e = await tempEngine();
    const rows = [
      ['P001', 'MD001', '33010020251101000001', 'MSG1', '0', '0', '', '331.44', '100.00', '95.47'],
      ['P002', 'MD002', '33010020251101000002', 'MSG2', '1', '0', '金额不符', '120.00', '60.00', '60.00'],
    ];
    const file = path.join(e.dir, 'result.txt');
    fs.writeFileSync(file, rows.map((r) => r.join('\t')).join('\n') + '\n');
    expect(await importFile(e, { path: file })).toMatchObject({ kind: 'platform-result', profile: '3202 对明细账结果（result.txt）', rows: 2 });
    // As integration code writes it, with a tab after every value: recognised the same.
    const trailing = path.join(e.dir, 'result-tabs.txt');
    fs.writeFileSync(trailing, rows.map((r) => r.join('\t') + '\t').join('\n') + '\n'.replace('\n', '\r\n'));
    expect(await importFile(e, { path: trailing })).toMatchObject({ kind: 'platform-result', rows: 2 });
    await e.close();
  });

  it('recognises a 3260 异地清分明细 file and refuses it: it holds no 共济 amount', async () => {
    const e = await tempEngine();
    const header = ['seqno', 'mdtrtarea', 'medins_no', 'certno', 'mdtrt_id', 'mdtrt_setl_time', 'setl_sn', 'fulamt_advpay_flag', 'medfee_sumamt', 'optins_pay_sumamt'];
    const cert = makeCertNo('340100', '19800101', 1);
    const file = writeTextFile(path.join(e.dir, '3260.txt'), header, [['1', '330100', 'H3301', cert, 'MD1', '20251105103000', 'S0001', '0', '500.00', '320.50']], { delimiter: '|' });
    await expect(importFile(e, { path: file })).rejects.toMatchObject({ code: 'IMPORT_REFUSED', message: expect.stringContaining('“3260 异地清分明细”，不含个人账户共济支付金额') });
    await e.close();
  });

  it('imports a binding list', async () => {
    const e = await tempEngine();
    const file = writeTextFile(path.join(e.dir, 'binding.csv'), ['授权人证件号码', '授权人参保地', '被授权人证件号码', '被授权人参保地', '关系', '绑定时间', '解绑时间'], [
      [makeCertNo('340100', '19700101', 1), '340100', makeCertNo('340100', '20000101', 2), '340100', '子女', '2024/03/01', ''],
    ]);
    expect(await importFile(e, { path: file })).toMatchObject({ kind: 'binding', rows: 1 });
    await e.close();
  });
});

describe('bad files are refused whole, naming line and column, the store unchanged', () => {
  async function refusedWith(rows: string[][], mutate: (r: string[][]) => void, expectText: RegExp) {
    const e = await tempEngine();
    const copy = rows.map((r) => [...r]);
    mutate(copy);
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, copy, { delimiter: '|' });
    const before = storeCounts(e);
    const err = await refusal(() => importFile(e, { path: file }));
    expect(err.code).toBe('IMPORT_REFUSED');
    expect(err.message).toMatch(expectText);
    expect(storeCounts(e)).toEqual(before);
    await e.close();
    return err;
  }

  it('an amount 4O0.00 (letter O)', async () => {
    const g = week();
    await refusedWith(g.tax, (r) => (r[3]![7] = '4O0.00'), /第 5 行「实缴金额」值“4O0\.00”：不是金额/);
  });

  it('a wrong check digit', async () => {
    const g = week();
    await refusedWith(g.tax, (r) => (r[0]![2] = r[0]![2]!.slice(0, 17) + (r[0]![2]!.endsWith('1') ? '2' : '1')), /第 2 行「缴费人证件号码」.*校验位/);
  });

  it('a truncated last line', async () => {
    const e = await tempEngine();
    const g = week();
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length - 40));
    const err = await refusal(() => importFile(e, { path: file }));
    expect(err.message).toMatch(new RegExp(`第 ${g.tax.length + 1} 行.*(截断|为空|不是)`));
    expect(storeCounts(e)).toMatchObject({ batches: 0, rows: 0 });
    await e.close();
  });

  it('a missing required column', async () => {
    const e = await tempEngine();
    const g = week();
    const header = TAX_HEADER.filter((h) => h !== '实缴金额');
    const rows = g.tax.map((r) => r.filter((_c, i) => i !== 7));
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), header, rows, { delimiter: '|' });
    const err = await refusal(() => importFile(e, { path: file }));
    expect(err.message).toMatch(/第 1 行表头缺少必需的列：实缴金额（amount）/);
    expect(storeCounts(e)).toMatchObject({ batches: 0, rows: 0 });
    await e.close();
  });

  it('an ID number stored as a number in XLSX', async () => {
    const e = await tempEngine();
    const g = week();
    const file = await writeXlsx(path.join(e.dir, 'tax.xlsx'), TAX_HEADER, g.tax, { numericColumns: [2] });
    const err = await refusal(() => importFile(e, { path: file }));
    expect(err.message).toMatch(/第 2 行「缴费人证件号码」.*存成了数字/);
    expect(storeCounts(e)).toMatchObject({ batches: 0, rows: 0 });
    await e.close();
  });

  it('an ID Excel turned into 3.30102E+17', async () => {
    const g = week();
    await refusedWith(g.tax, (r) => (r[1]![2] = '3.30102E+17'), /第 3 行「缴费人证件号码」值“3\.30102E\+17”：.*科学计数法/);
  });

  it('the same file twice, saying when it was first imported', async () => {
    const e = await tempEngine();
    const g = week();
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const first = await importFile(e, { path: file });
    const before = storeCounts(e);
    const copy = path.join(e.dir, 'renamed-copy.txt');
    fs.copyFileSync(file, copy);
    const err = await refusal(() => importFile(e, { path: copy }));
    expect(err.code).toBe('DUPLICATE_FILE');
    // When, in Beijing time (stored in UTC): the machine's clock may run in any zone.
    const at = e.db.prepare('SELECT imported_at FROM import_batch WHERE id = ?').pluck().get(first.batchId) as string;
    expect(at).toMatch(/Z$/);
    const beijing = new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(err.message).toContain(`已于 ${beijing}（北京时间）由 officer-a 导入（批次 #${first.batchId}）`);
    expect(storeCounts(e)).toEqual(before);
    await e.close();
  });

  it('not another file that only has the same size (it was taken for a copy of itself)', async () => {
    const e = await tempEngine();
    const g = week();
    const a = writeTextFile(path.join(e.dir, 'a.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const other = g.tax.map((r) => [...r]);
    other[0]![0] = other[0]![0]!.replace(/.$/, (c) => (c === '9' ? '8' : String(Number(c) + 1)));
    const b = writeTextFile(path.join(e.dir, 'b.txt'), TAX_HEADER, other, { delimiter: '|' });
    expect(fs.statSync(a).size).toBe(fs.statSync(b).size);
    await importFile(e, { path: a });
    expect(await importFile(e, { path: b })).toMatchObject({ rows: g.tax.length });
    await e.close();
  });
});

describe('partial imports, withdrawal and cancel', () => {
  it('imports the good rows on request and writes the rejected ones beside the source', async () => {
    const e = await tempEngine();
    const g = week();
    const rows = g.tax.map((r) => [...r]);
    rows[2]![7] = '4O0.00';
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, rows, { delimiter: '|' });
    const s = await importFile(e, { path: file, acceptPartial: true });
    expect(s).toMatchObject({ rows: rows.length - 1, rejected: 1, rejectedFile: `${file}.rejected.csv` });
    const rejected = fs.readFileSync(s.rejectedFile!, 'utf8');
    expect(rejected.charCodeAt(0)).toBe(0xfeff);
    expect(rejected).toContain('4,实缴金额：不是金额');
    await e.close();
  });

  it('withdraws a batch: its rows leave, the record and an audit entry stay, and the file may come again', async () => {
    const e = await tempEngine();
    const g = week();
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const s = await importFile(e, { path: file });
    const w = await e.call('imports/withdraw', { batchId: s.batchId!, reason: '税务重发了本周文件' }, e.caller);
    expect(w.status).toBe('withdrawn');
    expect(storeCounts(e).rows).toBe(0);
    const entry = e.db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'import.withdraw'").get() as { actor: string; detail: string };
    expect(entry.actor).toBe('officer-a');
    expect(JSON.parse(entry.detail).reason).toBe('税务重发了本周文件');
    await expect(importFile(e, { path: file })).resolves.toMatchObject({ rows: g.tax.length });
    await e.close();
  });

  it('gives back the original file byte for byte — a text file, a workbook, a withdrawn batch — and from the CLI', async () => {
    const e = await tempEngine();
    const g = week();
    const text = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030', title: '对账明细' });
    const book = await writeXlsx(path.join(e.dir, 'ledger.xlsx'), LEDGER_HEADER, g.ledger);
    const a = await importFile(e, { path: text });
    const b = await importFile(e, { path: book });
    await e.call('imports/withdraw', { batchId: a.batchId!, reason: '重发' }, e.caller);
    for (const [s, file] of [[a, text], [b, book]] as const) {
      const out = path.join(e.dir, `back-${s.batchId}`);
      const r = await e.call('imports/source', { batchId: s.batchId!, path: out }, e.caller);
      expect(r).toMatchObject({ matches: true, sha256: s.sha256, bytes: fs.statSync(file).size });
      expect(fs.readFileSync(out).equals(fs.readFileSync(file))).toBe(true);
    }
    expect(e.db.prepare("SELECT count(*) n FROM audit_log WHERE action = 'import.source'").get()).toEqual({ n: 2 });
    await e.close();
    const out = path.join(e.dir, 'cli-back.txt');
    const r = cli(['--db', e.dbPath, '--user', 'officer-a', 'source', '--batch', String(a.batchId), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ matches: true, sha256: a.sha256 });
    expect(fs.readFileSync(out).equals(fs.readFileSync(text))).toBe(true);
  });

  it('keeps a text file as Brotli and still reads a batch kept as raw deflate before the codec was recorded (its raw records, its file)', async () => {
    const e = await tempEngine();
    const g = week();
    const text = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030' });
    const s = await importFile(e, { path: text });
    expect(e.db.prepare('SELECT blob_codec FROM import_batch WHERE id = ?').pluck().get(s.batchId)).toBe('br');
    // The batch as an older version kept it: each piece raw-deflated, no codec recorded.
    for (const p of e.db.prepare('SELECT id, data FROM source_blob WHERE batch_id = ?').all(s.batchId) as { id: number; data: Buffer }[]) {
      e.db.prepare('UPDATE source_blob SET data = ? WHERE id = ?').run(zlib.deflateRawSync(zlib.brotliDecompressSync(p.data)), p.id);
    }
    e.db.prepare('UPDATE import_batch SET blob_codec = NULL WHERE id = ?').run(s.batchId);
    const out = path.join(e.dir, 'back.txt');
    expect(await e.call('imports/source', { batchId: s.batchId!, path: out }, e.caller)).toMatchObject({ matches: true, sha256: s.sha256 });
    expect(fs.readFileSync(out).equals(fs.readFileSync(text))).toBe(true);
    expect(readStoredRecord(e.db, s.batchId!, 2)!.raw).toEqual(g.tax[0]);
    expect(readStoredRecord(e.db, s.batchId!, g.tax.length + 1)!.raw).toEqual(g.tax[g.tax.length - 1]);
    await e.close();
  });

  it.each(['never', 'split'])('leaves nothing behind when cancelled (parsing: %s)', async (mode) => {
    process.env.GONGJI_PARSE_WORKER = mode;
    onTestFinished(() => void delete process.env.GONGJI_PARSE_WORKER);
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 40000 } });
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const before = storeCounts(e);
    const { jobId } = await e.call('jobs/start', { type: 'import', args: { path: file } }, e.caller);
    const off = e.bus.on('job/progress', (p) => {
      if (p.jobId === jobId && p.stage.startsWith('已读')) e.jobs.cancel(jobId);
    });
    const fin = await e.jobs.wait(jobId);
    off();
    expect(fin.outcome).toBe('cancelled');
    expect(storeCounts(e)).toEqual(before);
    expect(e.db.prepare('SELECT count(*) n FROM source_blob').get()).toEqual({ n: 0 });
    await e.close();
  });
});

describe('column profiles saved by users', () => {
  it('saves a mapping by name, imports a file with it, and round-trips as JSON', async () => {
    const e = await tempEngine();
    const g = week();
    const header = ['单号', '税票', '身份证', '名字', '地区', '品目', '所属期', '金额', '状况', '日期', '方式'];
    const file = writeTextFile(path.join(e.dir, 'odd.csv'), header, g.tax);
    const preview = await e.call('imports/preview', { path: file }, e.caller);
    expect(preview.profile).toBeNull();
    // Even in columns no profile names, ID numbers are masked in the preview.
    expect(preview.rows[0]![2]).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const fields = { order_no: ['单号'], certno: ['身份证'], insutype: ['品目'], pay_year: ['所属期'], amount: ['金额'], status: ['状况'], paid_at: ['日期'] };
    await expect(e.call('profiles/save', { profile: { name: '缺字段', kind: 'tax-premium', fields: { order_no: ['单号'] } } }, e.caller)).rejects.toMatchObject({ message: expect.stringContaining('缺少必需字段') });
    await e.call('profiles/save', { profile: { name: '区县导出', kind: 'tax-premium', fields } }, e.caller);
    expect(await importFile(e, { path: file, profile: '区县导出' })).toMatchObject({ rows: g.tax.length, profile: '区县导出' });
    // Exported as JSON and imported into another workstation, it reads the same files.
    const json = JSON.stringify((await e.call('profiles/list', {}, e.caller)).filter((p) => !p.builtin));
    const other = await tempEngine();
    for (const p of JSON.parse(json)) await other.call('profiles/save', { profile: p }, other.caller);
    expect(await importFile(other, { path: file })).toMatchObject({ rows: g.tax.length, profile: '区县导出' });
    expect(e.db.prepare("SELECT count(*) n FROM audit_log WHERE action = 'profile.save'").get()).toEqual({ n: 1 });
    await e.close();
    await other.close();
  });
});
