// One cell of a CSV that people open in Excel. Excel turns a long digit string
// into a number (an 18-digit ID becomes 3.30102E+17, its last digits gone) and runs
// a cell that starts with = + - @ as a formula (CSV injection). So: a long digit
// string is written as ="…" (Excel shows the text; a CSV reader keeps every digit),
// a cell that would start a formula gets a leading apostrophe unless it is a plain
// number, and the result is quoted as CSV needs.
const LONG_DIGITS = /^\d{12,}$/;
const PLAIN_NUMBER = /^[-+]?\d[\d,]*(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  let v = value;
  if (LONG_DIGITS.test(v)) v = `="${v}"`;
  else if (FORMULA_START.test(v) && !PLAIN_NUMBER.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV line of cells (no line end). */
export const csvLine = (cells: readonly string[]): string => cells.map(csvCell).join(',');
