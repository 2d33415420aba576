// How a statement sheet prints on A4 landscape as finance stamps it: one table
// per sheet (so a repeated header is always its own table's), wrapped headers,
// fixed row heights and a fixed scale so the workstation knows how many rows a
// page holds and breaks the pages itself — a 合计 row always shares its page with
// rows of its table, and the signature block is never cut. One Chinese font (宋体)
// throughout.
import type ExcelJS from 'exceljs';

export const FONT = '宋体';
export const MONEY = '#,##0.00';

const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const thin: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/** Points: A4 landscape is 595 pt high; the margins below leave this much for rows at 100 %. */
const PRINTABLE_PT = 595 - 2 * 36;
/** Column width units that fit across A4 landscape at 100 % (one unit ≈ 5.7 pt; 0.4 in side margins). */
const WIDTH_AT_100 = 108;
const ROW_PT = 16;
const HEADER_PT = 32;
const TITLE_PT = 24;
const META_PT = 18;
/** Rows kept free on every page: LibreOffice and Excel measure rows a little differently. */
const SLACK_ROWS = 3;

export interface Column {
  header: string;
  width: number;
  money?: boolean;
  /** Text that may run long (a file name, a region with its name): wrapped, not cut. */
  wrap?: boolean;
}

export type Cell = string | number | null;

export interface TableSpec {
  title: string;
  meta: string;
  columns: Column[];
  rows: Cell[][];
  /** 合计 rows, kept on the page of the table's last rows. */
  totals: Cell[][];
  /** Lines printed after the table (a balance check), and a signature block. */
  after?: string[];
  signatures?: boolean;
  /** Body row height in points: 26 gives wrapped columns two lines. */
  rowPt?: number;
}

/** Body rows a page holds: the first page under the title, later pages under the repeated header. */
export function rowsPerPage(scale: number, first: boolean, rowPt = ROW_PT): number {
  const capacity = PRINTABLE_PT / (scale / 100);
  const above = HEADER_PT + (first ? TITLE_PT + META_PT + 8 : 0);
  return Math.floor((capacity - above) / rowPt) - SLACK_ROWS;
}

/** The print scale at which columns this wide fit the page's width (never above 90 %: a statement reads better a little small than cut). */
export function scaleFor(widths: number[]): number {
  const total = widths.reduce((a, b) => a + b, 0);
  return Math.max(40, Math.min(90, Math.floor((100 * WIDTH_AT_100) / total)));
}

function newSheet(wb: ExcelJS.Workbook, name: string, widths: number[], headerRow: number): ExcelJS.Worksheet {
  const scale = scaleFor(widths);
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      scale,
      fitToPage: false,
      ...(headerRow ? { printTitlesRow: `${headerRow}:${headerRow}` } : {}),
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.25, footer: 0.25 },
    },
    headerFooter: { oddFooter: `&"${FONT}"&9${name}\u3000第 &P 页，共 &N 页` },
  });
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return ws;
}

function styleRow(r: ExcelJS.Row, columns: Column[], kind: 'header' | 'body' | 'total', rowPt = ROW_PT): void {
  r.height = kind === 'header' ? HEADER_PT : rowPt;
  for (let i = 1; i <= columns.length; i++) {
    const c = r.getCell(i);
    const col = columns[i - 1]!;
    c.border = thin;
    c.font = { name: FONT, size: 10, bold: kind !== 'body' };
    if (kind === 'header') {
      c.fill = HEAD_FILL;
      c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      continue;
    }
    if (kind === 'total') c.fill = TOTAL_FILL;
    if (col.money) c.numFmt = MONEY;
    c.alignment = { vertical: 'middle', wrapText: !!col.wrap, shrinkToFit: !col.wrap && !col.money };
  }
}

/** A text line across the table's width (a title, a check, a note). */
function line(ws: ExcelJS.Worksheet, text: string, width: number, font: Partial<ExcelJS.Font>, height: number): ExcelJS.Row {
  const r = ws.addRow([text]);
  ws.mergeCells(r.number, 1, r.number, Math.max(1, width));
  r.height = height;
  r.getCell(1).font = { name: FONT, ...font };
  r.getCell(1).alignment = { vertical: 'middle', wrapText: true };
  return r;
}

/** 编制人 / 复核人 / 负责人, each with 签字 and 日期 lines, and a 盖章 area: what a paper statement carries. */
const SIGNATURE_ROWS = 9;
function signatureBlock(ws: ExcelJS.Worksheet, width: number): void {
  ws.addRow([]);
  const half = Math.max(2, Math.floor(width / 2));
  for (const who of ['编制人', '复核人', '负责人']) {
    const r = ws.addRow([`${who}（签字）：＿＿＿＿＿＿＿＿＿＿`]);
    r.height = 26;
    ws.mergeCells(r.number, 1, r.number, half);
    r.getCell(1).font = { name: FONT, size: 11 };
    r.getCell(1).alignment = { vertical: 'bottom' };
    r.getCell(half + 1).value = '日期：＿＿＿＿年＿＿月＿＿日';
    r.getCell(half + 1).font = { name: FONT, size: 11 };
    r.getCell(half + 1).alignment = { vertical: 'bottom' };
    if (half + 1 < width) ws.mergeCells(r.number, half + 1, r.number, width);
  }
  ws.addRow([]);
  const top = ws.addRow(['（单位盖章）']).number;
  for (let i = 0; i < 2; i++) ws.addRow([]);
  const stampTo = Math.min(width, 2);
  ws.mergeCells(top, 1, top + 2, stampTo);
  const stamp = ws.getCell(top, 1);
  stamp.font = { name: FONT, size: 11, color: { argb: 'FF777777' } };
  stamp.alignment = { horizontal: 'center', vertical: 'middle' };
  stamp.border = { top: { style: 'dashed' }, left: { style: 'dashed' }, bottom: { style: 'dashed' }, right: { style: 'dashed' } };
  for (let i = 0; i < 3; i++) ws.getRow(top + i).height = 24;
}

/**
 * One table on a sheet of its own: title and meta, the header (repeated on every
 * page), the rows, the 合计 rows, then what follows. Pages are broken here, every
 * `rowsPerPage` rows, and earlier where a 合计 would otherwise open a page alone
 * or the signature block would be cut.
 */
export function tableSheet(wb: ExcelJS.Workbook, name: string, t: TableSpec): ExcelJS.Worksheet {
  const width = t.columns.length;
  const ws = newSheet(wb, name, t.columns.map((c) => c.width), 3);
  line(ws, t.title, width, { bold: true, size: 14 }, TITLE_PT);
  line(ws, t.meta, width, { size: 9, color: { argb: 'FF555555' } }, META_PT);
  styleRow(ws.addRow(t.columns.map((c) => c.header)), t.columns, 'header');

  const scale = scaleFor(t.columns.map((c) => c.width));
  const rowPt = t.rowPt ?? ROW_PT;
  let left = rowsPerPage(scale, true, rowPt);
  const breakBefore = (r: ExcelJS.Row) => {
    ws.getRow(r.number - 1).addPageBreak();
    left = rowsPerPage(scale, false, rowPt);
  };
  const all = [...t.rows.map((v) => ({ v, kind: 'body' as const })), ...t.totals.map((v) => ({ v, kind: 'total' as const }))];
  // The totals and the table's last body row go together: a break that would fall between them falls before that row.
  const keep = t.totals.length + (t.rows.length ? 1 : 0);
  all.forEach((x, i) => {
    const r = ws.addRow(x.v);
    styleRow(r, t.columns, x.kind, rowPt);
    const remaining = all.length - i;
    if (left <= 0 || (remaining === keep && left < keep)) breakBefore(r);
    left--;
  });
  const afterRows = (t.after?.length ?? 0) + (t.signatures ? SIGNATURE_ROWS : 0);
  if (afterRows) {
    // The check lines and the signature block stay whole: on this page, or all on the next.
    const blank = ws.addRow([]);
    for (const text of t.after ?? []) line(ws, text, width, { size: 10 }, ROW_PT + 4);
    if (t.signatures) signatureBlock(ws, width);
    if (left < afterRows + 2) ws.getRow(blank.number - 1).addPageBreak();
  }
  return ws;
}

/** A sheet of label–value lines (the cover, the signing notes), no table header. */
export function factSheet(wb: ExcelJS.Workbook, name: string, widths: number[]): ExcelJS.Worksheet {
  return newSheet(wb, name, widths, 0);
}

export function factLine(ws: ExcelJS.Worksheet, label: string, value: Cell, money = false, width = 2): void {
  const r = ws.addRow([label, value]);
  r.height = ROW_PT + 4;
  r.getCell(1).font = { name: FONT, size: 11, bold: true };
  r.getCell(2).font = { name: FONT, size: 11 };
  r.getCell(2).alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  if (money) r.getCell(2).numFmt = MONEY;
  if (width > 2) ws.mergeCells(r.number, 2, r.number, width);
}

export { line as textLine, signatureBlock };
