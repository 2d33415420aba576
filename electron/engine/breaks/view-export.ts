// The workbench's current view to XLSX (exceljs: Chinese headers, amounts as
// numbers with two decimals, frozen header, widths, the filters written above) or
// CSV (UTF-8 with BOM). Personal data stays masked.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Database } from 'better-sqlite3';
import type { BreakQuery } from '../../../shared/contract';
import { BREAK_LABELS, RECON_KIND_LABELS } from '../../../shared/labels';
import { Decimal } from '../../../shared/money';
import type { BreakRow } from '../../../shared/recon-types';
import { appendAudit } from '../audit/audit-log';
import { beijingText } from '../../../shared/beijing-time';
import { EngineError } from '../../../shared/errors';
import type { PiiSearch } from './break-filter';
import type { TaskContext } from '../jobs/job-types';
import { allBreaks, breaksToCsv, explain } from './break-export';

// Widths sized to the values (a key of 17–20 characters, an ID number of 18); the
// long texts wrap in their column instead of running over the next, so the sheet
// prints across A4 landscape at about 60 % (it had been 45 %, the 差异字段 running
// into the columns after it).
const COLUMNS: { header: string; width: number; value(b: BreakRow): string | number | null; money?: boolean; wrap?: boolean }[] = [
  { header: '差异类型', width: 9, value: (b) => BREAK_LABELS[b.type] },
  { header: '单号', width: 20, value: (b) => b.key },
  { header: '证件号码', width: 19, value: (b) => b.certno },
  { header: '姓名', width: 8, value: (b) => b.name },
  { header: '医保金额', width: 11, value: (b) => b.amount_ledger, money: true },
  { header: '对方金额', width: 11, value: (b) => b.amount_external, money: true },
  { header: '差额', width: 11, value: (b) => b.difference, money: true },
  { header: '差异字段', width: 30, value: (b) => explain(b), wrap: true },
  { header: '开立期间', width: 9, value: (b) => b.opened_period },
  { header: '账龄（天）', width: 6, value: (b) => b.aging_days, wrap: true },
  { header: '状态', width: 7, value: (b) => (b.status === 'open' ? (b.pending ? '待审批' : '未处理') : '已关闭') },
  { header: '处理结果', width: 8, value: (b) => b.resolution },
  { header: '经办人', width: 8, value: (b) => b.assignee },
  { header: '医保来源', width: 14, value: (b) => originText(b.ledger_origin), wrap: true },
  { header: '对方来源', width: 14, value: (b) => originText(b.external_origin), wrap: true },
];

/** Where a break's rows came from, as people read it: `批次 3 第 62 行` (stored as `3:62`). */
function originText(origin: string[]): string {
  return origin.map((o) => {
    const m = /^(\d+):(\d+)$/.exec(o);
    return m ? `批次 ${m[1]} 第 ${m[2]} 行` : o;
  }).join('；');
}

/** Points per printed line of 11-point text. */
const LINE_PT = 15;

/**
 * How many lines a value wraps to in a column this wide. A column unit is a digit's
 * width; measured on LibreOffice's print of these sheets, a Chinese character takes
 * about 1.75, a space half, punctuation a little more. A unit of room is kept
 * spare: a row too short prints its lines over the next one.
 */
export function linesIn(value: unknown, width: number): number {
  if (value === null || value === undefined || value === '') return 1;
  let units = 0;
  for (const ch of String(value)) {
    const c = ch.charCodeAt(0);
    units += c > 0x2e7f ? 1.75 : c === 32 ? 0.5 : (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0.6;
  }
  return Math.max(1, Math.ceil(units / Math.max(1, width - 1)));
}

export function describeQuery(q: BreakQuery): string {
  const parts = [`类型 ${RECON_KIND_LABELS[q.kind]}`];
  if (q.period) parts.push(`期间 ${q.period}`);
  parts.push(`状态 ${{ open: '未处理', closed: '已关闭', all: '全部' }[q.status ?? 'open']}`);
  if (q.types?.length) parts.push(`差异 ${q.types.map((t) => BREAK_LABELS[t]).join('、')}`);
  if (q.aging?.length) parts.push(`账龄 ${q.aging.join('、')} 天`);
  if (q.search) parts.push(`搜索“${q.search}”`);
  return parts.join('；');
}

export async function exportView(
  db: Database,
  q: BreakQuery,
  format: 'xlsx' | 'csv',
  out: string,
  user: string,
  ctx?: Pick<TaskContext, 'progress' | 'cancelled'>,
  piiSearch?: PiiSearch,
): Promise<{ path: string; rows: number }> {
  const rows = allBreaks(db, q, {
    mask: true,
    piiSearch,
    onPage: (read, total) => {
      if (ctx?.cancelled()) throw new EngineError('CANCELLED', '导出已取消');
      ctx?.progress(read, total, 'rows', `读取差异 ${read}/${total}`);
    },
  });
  if (format === 'csv') {
    fs.writeFileSync(out, breaksToCsv(rows));
  } else {
    const wb = new ExcelJS.Workbook();
    wb.creator = user;
    const ws = wb.addWorksheet('单边账', {
      views: [{ state: 'frozen', ySplit: 3 }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3', horizontalCentered: true, margins: { left: 0.3, right: 0.3, top: 0.5, bottom: 0.5, header: 0.25, footer: 0.25 } },
      // Loose pages of a printed list keep their order and say what they are.
      headerFooter: { oddFooter: `&9共济对账工作站 差异清单\u3000${describeQuery(q)}\u3000第 &P 页，共 &N 页` },
    });
    ws.addRow(['共济对账工作站 差异清单']).font = { bold: true, size: 14 };
    // One line in one cell: cells of it spread over narrow columns had run into each other.
    ws.addRow([`筛选：${describeQuery(q)}\u3000导出：${user} ${beijingText()}（北京时间）\u3000共 ${rows.length} 条`]);
    const head = ws.addRow(COLUMNS.map((c) => c.header));
    head.font = { bold: true };
    head.alignment = { vertical: 'middle', wrapText: true };
    head.height = 30;
    head.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE3F2FD' } }));
    for (const b of rows) {
      // Amounts are written as numbers (two decimals shown); the text form is exact to the fen.
      const row = ws.addRow(COLUMNS.map((c) => {
        const v = c.value(b);
        return c.money && v !== null ? new Decimal(String(v)).toNumber() : v;
      }));
      // Every value at the top of its row, the long ones wrapped; and the row tall enough for
      // them (not every program that opens the file grows a row to its wrapped text).
      COLUMNS.forEach((c, i) => (row.getCell(i + 1).alignment = c.wrap ? { vertical: 'top', wrapText: true } : { vertical: 'top' }));
      const lines = Math.max(1, ...COLUMNS.map((c, i) => (c.wrap ? linesIn(row.getCell(i + 1).value, c.width) : 1)));
      if (lines > 1) row.height = LINE_PT * lines + 2;
    }
    COLUMNS.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      col.width = c.width;
      if (c.money) col.numFmt = '#,##0.00';
    });
    await wb.xlsx.writeFile(out);
  }
  appendAudit(db, { actor: user, action: 'breaks.export', target: out.split(/[\\/]/).pop() ?? out, detail: { query: q, format, rows: rows.length } });
  return { path: out, rows: rows.length };
}
