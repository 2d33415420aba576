// The workbench's current view to XLSX (exceljs: Chinese headers, amounts as
// numbers with two decimals, frozen header, widths, the filters written above) or
// CSV (UTF-8 with BOM). Personal data stays masked.
import fs from 'node:fs';
import { newWorkbook } from '../system/new-workbook';
import type { Database } from 'better-sqlite3';
import type { BreakQuery } from '../../../shared/contract';
import { BREAK_LABELS, RECON_KIND_LABELS, originText } from '../../../shared/labels';
import { Decimal } from '../../../shared/money';
import type { BreakRow } from '../../../shared/recon-types';
import { appendAudit } from '../audit/audit-log';
import { beijingText } from '../../../shared/beijing-time';
import { EngineError } from '../../../shared/errors';
import type { PiiSearch } from './break-filter';
import type { TaskContext } from '../jobs/job-types';
import { allBreaks, breaksToCsv, explain } from './break-export';
import { addListHeader, addListRow, addListSheet, type ListColumn } from '../system/printed-list';

// Widths sized to the values (a key of 17–20 characters, an ID number of 18); the
// long texts wrap in their column instead of running over the next, so the sheet
// prints across A4 landscape at about 60 % (it had been 45 %, the 差异字段 running
// into the columns after it).
const COLUMNS: (ListColumn & { value(b: BreakRow): string | number | null; money?: boolean })[] = [
  { header: '差异类型', width: 9, value: (b) => BREAK_LABELS[b.type] },
  { header: '单号', width: 20, value: (b) => b.key },
  { header: '证件号码', width: 19, value: (b) => b.certno },
  { header: '姓名', width: 8, value: (b) => b.name },
  { header: '医保金额', width: 11, value: (b) => b.amount_ledger, money: true },
  { header: '对方金额', width: 11, value: (b) => b.amount_external, money: true },
  { header: '差额', width: 11, value: (b) => b.difference, money: true },
  { header: '差异字段', width: 30, value: (b) => explain(b), wrap: true },
  { header: '开立期间', width: 9, value: (b) => b.opened_period },
  { header: '账龄（天）', width: 6, value: (b) => b.aging_days },
  { header: '状态', width: 7, value: (b) => (b.status === 'open' ? (b.pending ? '待审批' : '未处理') : '已关闭') },
  { header: '处理结果', width: 8, value: (b) => b.resolution },
  { header: '经办人', width: 8, value: (b) => b.assignee },
  { header: '医保来源', width: 14, value: (b) => originText(b.ledger_origin), wrap: true },
  { header: '对方来源', width: 14, value: (b) => originText(b.external_origin), wrap: true },
];

export function describeQuery(q: BreakQuery): string {
  const parts = [`类型 ${RECON_KIND_LABELS[q.kind]}`];
  if (q.period) parts.push(`期间 ${q.period}`);
  parts.push(`状态 ${{ open: '未处理', closed: '已关闭', all: '全部' }[q.status ?? 'open']}`);
  if (q.types?.length) parts.push(`差异 ${q.types.map((t) => BREAK_LABELS[t]).join('、')}`);
  if (q.aging?.length) parts.push(`账龄 ${q.aging.join('、')} 天`);
  if (q.search) parts.push(`搜索“${q.search}”`);
  if (q.assignee !== undefined) parts.push(q.assignee === '' ? '未分配' : `分配给 ${q.assignee}`);
  if (q.pending) parts.push('只看待审批核销');
  if (q.paired) parts.push('只看可能成对（另一侧同一证件号、同一金额）');
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
    const wb = await newWorkbook();
    wb.creator = user;
    const ws = addListSheet(wb, '单边账', 3, `共济对账工作站 差异清单\u3000${describeQuery(q)}`);
    ws.addRow(['共济对账工作站 差异清单']).font = { bold: true, size: 14 };
    // One line in one cell: cells of it spread over narrow columns had run into each other.
    ws.addRow([`筛选：${describeQuery(q)}\u3000导出：${user} ${beijingText()}（北京时间）\u3000共 ${rows.length} 条`]);
    addListHeader(ws, COLUMNS);
    for (const b of rows) {
      // Amounts are written as numbers (two decimals shown); the text form is exact to the fen.
      addListRow(ws, COLUMNS, COLUMNS.map((c) => {
        const v = c.value(b);
        return c.money && v !== null ? new Decimal(String(v)).toNumber() : v;
      }));
    }
    COLUMNS.forEach((c, i) => {
      if (c.money) ws.getColumn(i + 1).numFmt = '#,##0.00';
    });
    await wb.xlsx.writeFile(out);
  }
  appendAudit(db, { actor: user, action: 'breaks.export', target: out.split(/[\\/]/).pop() ?? out, detail: { query: q, format, rows: rows.length } });
  return { path: out, rows: rows.length };
}
