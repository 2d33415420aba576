// The statement as finance prints and stamps it (issue 18): statement.xlsx is
// converted to PDF by LibreOffice and its pages read back. Every page of a table
// carries that table's whole header (no column spilled to a page of its own), a
// 合计 never opens a page without rows of its table above it, the signature
// block is whole on one page, regions and people are named, care and premium
// totals are apart, times are Beijing time, and one Chinese font is named.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DETAIL_COLUMNS, DETAIL_ROW_PT, writeStatementXlsx } from '../../electron/engine/statements/statement-xlsx';
import { FONT, rowsPerPage, scaleFor } from '../../electron/engine/statements/sheet-layout';
import { sampleClearing } from '../support/statement-sample';
import { tempDir } from '../support/temp-engine';

/** The PDF's pages as text lines (pdftotext keeps the layout). */
function pdfPages(xlsx: string): string[][] {
  const dir = path.dirname(xlsx);
  // A profile of its own: a second soffice (another test, the user's) must not share it.
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, xlsx], { stdio: 'ignore', timeout: 120_000 });
  const pdf = xlsx.replace(/\.xlsx$/, '.pdf');
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  return Array.from({ length: count }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

const sheetOf = (page: string[]) => /^(\S+)\s+第 \d+ 页，共 \d+ 页$/.exec(page.at(-1) ?? '')?.[1] ?? '';

describe('the printed statement', () => {
  it('prints each table whole on A4 landscape, keeps 合计 with its rows and the signature block in one piece', async () => {
    const dir = tempDir();
    // Enough detail rows that the 合计 rows would open the second page on their own.
    const first = rowsPerPage(scaleFor(DETAIL_COLUMNS.map((c) => c.width)), true, DETAIL_ROW_PT);
    const file = path.join(dir, 'statement.xlsx');
    const clearing = sampleClearing(first - 1 - 20, 20);
    await writeStatementXlsx(file, clearing, {
      name: '清算_330000_2025-11_settlement',
      region: '330000',
      period: '2025-11',
      preparer: { user: 'li.officer', displayName: '李对账', fingerprint: 'ab'.repeat(32), at: '2025-12-01T01:30:00.000Z' },
      generator: 'gongji-recon test',
    });
    const pages = pdfPages(file);
    const bySheet = new Map<string, string[][]>();
    for (const p of pages) bySheet.set(sheetOf(p), [...(bySheet.get(sheetOf(p)) ?? []), p]);
    expect([...bySheet.keys()]).toEqual(['封面', '清算平衡表', '就医两两差额', '缴费共济清算表', '清算明细表', '单边账清单', '签章信息']);

    // 清算明细表: every page has the whole header (its first and last columns), and the totals share a page with rows.
    const detail = bySheet.get('清算明细表')!;
    expect(detail.length).toBe(2);
    for (const p of detail) {
      const text = p.join('\n');
      expect(text).toContain('类型');
      expect(text).toContain('来源（文件:行）');
    }
    const last = detail.at(-1)!;
    const totalAt = last.findIndex((l) => l.startsWith('就医合计'));
    const headerAt = last.findIndex((l) => l.includes('金额（元）'));
    expect(totalAt).toBeGreaterThan(headerAt + 1);
    expect(last.slice(headerAt + 1, totalAt).some((l) => /^缴费\s/.test(l))).toBe(true);
    // Care and premium are different money: each has its own 合计.
    const careFen = clearing.lines.filter((l) => l.section === 'care').reduce((s, l) => s + l.amountFen, 0);
    expect(last.find((l) => l.startsWith('就医合计'))).toContain((careFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }));
    expect(last.some((l) => l.startsWith('缴费合计 20 行'))).toBe(true);

    // The balance table: regions by name, the signature block whole with its 盖章 area.
    const bal = bySheet.get('清算平衡表')!;
    expect(bal).toHaveLength(1);
    const balText = bal[0]!.join('\n');
    expect(balText).toContain('杭州市（330100）');
    expect(balText).toContain('浙江省省本级（339900）');
    for (const w of ['编制人（签字）', '复核人（签字）', '负责人（签字）', '日期：', '（单位盖章）']) expect(balText).toContain(w);
    // The premium table is a sheet of its own: its 合计 is never under the care table's repeated header.
    expect(bySheet.get('缴费共济清算表')!.join('\n')).not.toContain('应收');
    // People by name, times in Beijing time.
    expect(bySheet.get('封面')!.join('\n')).toContain('李对账（li.officer）');
    expect(bySheet.get('封面')!.join('\n')).toContain('2025-12-01 09:30:00');

    // One Chinese font named in every table cell.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const fonts = new Set<string>();
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => void (c.value !== null && c.value !== '' && fonts.add(c.font?.name ?? '(none)')))));
    expect([...fonts]).toEqual([FONT]);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
