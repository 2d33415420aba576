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

const COLUMNS: { header: string; width: number; value(b: BreakRow): string | number | null; money?: boolean }[] = [
  { header: '差异类型', width: 10, value: (b) => BREAK_LABELS[b.type] },
  { header: '单号', width: 24, value: (b) => b.key },
  { header: '证件号码', width: 22, value: (b) => b.certno },
  { header: '姓名', width: 10, value: (b) => b.name },
  { header: '医保金额', width: 14, value: (b) => b.amount_ledger, money: true },
  { header: '对方金额', width: 14, value: (b) => b.amount_external, money: true },
  { header: '差额', width: 14, value: (b) => b.difference, money: true },
  { header: '差异字段', width: 48, value: (b) => explain(b) },
  { header: '开立期间', width: 11, value: (b) => b.opened_period },
  { header: '账龄（天）', width: 10, value: (b) => b.aging_days },
  { header: '状态', width: 8, value: (b) => (b.status === 'open' ? (b.pending ? '待审批' : '未处理') : '已关闭') },
  { header: '处理结果', width: 10, value: (b) => b.resolution },
  { header: '经办人', width: 10, value: (b) => b.assignee },
  { header: '医保来源', width: 16, value: (b) => b.ledger_origin.join(' ') },
  { header: '对方来源', width: 16, value: (b) => b.external_origin.join(' ') },
];

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
    const ws = wb.addWorksheet('单边账', { views: [{ state: 'frozen', ySplit: 3 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' } });
    ws.addRow(['共济对账工作站 差异清单']).font = { bold: true, size: 14 };
    ws.addRow([`筛选：${describeQuery(q)}`, '', '', '', `导出：${user} ${beijingText()}（北京时间）`, '', '', `共 ${rows.length} 条`]);
    const head = ws.addRow(COLUMNS.map((c) => c.header));
    head.font = { bold: true };
    head.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE3F2FD' } }));
    for (const b of rows) {
      // Amounts are written as numbers (two decimals shown); the text form is exact to the fen.
      ws.addRow(COLUMNS.map((c) => {
        const v = c.value(b);
        return c.money && v !== null ? new Decimal(String(v)).toNumber() : v;
      }));
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
