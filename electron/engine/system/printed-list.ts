// A list the workstation exports (breaks, policy findings, the audit trail) as it
// prints: A4 landscape one page wide, its header row on every page, numbered pages
// that say what they are, and long texts wrapped in rows tall enough for them.
// (The statement's sheets have their own, stricter layout: statements/sheet-layout.)
import type ExcelJS from 'exceljs';

export interface ListColumn {
  header: string;
  /** Excel width units (about one digit each). */
  width: number;
  /** Text that may run long: wrapped in its column instead of running over the next. */
  wrap?: boolean;
}

/** Points per printed line of 11-point text. */
const LINE_PT = 15;

/**
 * How many lines a value wraps to in a column this wide. A column unit is a digit's
 * width; measured on LibreOffice's print of these sheets, a Chinese character takes
 * about 1.75, a space half, punctuation a little more. A unit of room is kept
 * spare: a row too short prints its lines over the next one. Lines are filled as a
 * printer fills them: a word that does not fit starts the next line (a line may
 * break after a space and beside a Chinese character); a word longer than a line
 * (a hash, a JSON text) is broken where the printer finds a place, which is before
 * the line is full (its JSON broke after `{"after":`), so such a word is counted at
 * three quarters of a line per line.
 */
export function linesIn(value: unknown, width: number): number {
  if (value === null || value === undefined || value === '') return 1;
  const room = Math.max(1, width - 1);
  return String(value)
    .split('\n')
    .reduce((n, part) => n + wrappedLines(part, room), 0);
}

const LONG_WORD_FILL = 0.75;

function wrappedLines(text: string, room: number): number {
  let lines = 1;
  let used = 0;
  let word = 0;
  const place = (w: number) => {
    if (w === 0) return;
    if (used + w <= room) {
      used += w;
      return;
    }
    if (used > 0) {
      lines++;
      used = 0;
    }
    if (w > room) {
      const per = room * LONG_WORD_FILL;
      const more = Math.ceil(w / per) - 1;
      lines += more;
      used = w - more * per;
    } else used = w;
  };
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c > 0x2e7f) {
      place(word);
      word = 0;
      place(1.75);
    } else if (c === 32) {
      place(word + 0.5);
      word = 0;
    } else word += (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0.6;
  }
  place(word);
  return lines;
}

/**
 * A worksheet for a list whose column headers are row `headerRow` (the title and
 * filter lines above it): frozen under the header, printed as above, its footer
 * naming the list (`title`) on every page.
 */
export function addListSheet(wb: ExcelJS.Workbook, name: string, headerRow: number, title: string): ExcelJS.Worksheet {
  return wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
      horizontalCentered: true,
      margins: { left: 0.3, right: 0.3, top: 0.5, bottom: 0.5, header: 0.25, footer: 0.25 },
    },
    // Loose pages of a printed list keep their order and say what they are.
    headerFooter: { oddFooter: `&9${title}\u3000第 &P 页，共 &N 页` },
  });
}

/** The column headers (bold, shaded, wrapped) and the columns' widths. */
export function addListHeader(ws: ExcelJS.Worksheet, columns: readonly ListColumn[]): ExcelJS.Row {
  const head = ws.addRow(columns.map((c) => c.header));
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', wrapText: true };
  head.height = 30;
  head.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE3F2FD' } }));
  columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  return head;
}

/**
 * A row of values, every one at the top of its cell, the long ones wrapped, and the
 * row tall enough for them: not every program that opens the file grows a row to its
 * wrapped text (LibreOffice printed such rows one line high, over the next).
 */
export function addListRow(ws: ExcelJS.Worksheet, columns: readonly ListColumn[], values: unknown[]): ExcelJS.Row {
  const row = ws.addRow(values);
  let lines = 1;
  columns.forEach((c, i) => {
    const cell = row.getCell(i + 1);
    cell.alignment = c.wrap ? { vertical: 'top', wrapText: true } : { vertical: 'top' };
    if (c.wrap) lines = Math.max(lines, linesIn(cell.value, c.width));
  });
  if (lines > 1) row.height = LINE_PT * lines + 2;
  return row;
}
