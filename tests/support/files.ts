// Writes generated rows as real files: CSV/TXT in a chosen encoding and delimiter,
// with optional title and 合计 lines, or XLSX through exceljs.
import fs from 'node:fs';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

export interface TextFileOptions {
  encoding?: 'utf-8' | 'gb18030' | 'gbk';
  bom?: boolean;
  delimiter?: string;
  eol?: '\r\n' | '\n';
  title?: string;
  total?: string[];
}

const quote = (c: string, d: string) => (c.includes(d) || c.includes('"') || c.includes('\n') ? `"${c.replace(/"/g, '""')}"` : c);

export function writeTextFile(file: string, header: string[], rows: string[][], o: TextFileOptions = {}): string {
  const d = o.delimiter ?? ',';
  const eol = o.eol ?? '\n';
  const lines: string[] = [];
  if (o.title) lines.push(o.title);
  lines.push(header.map((c) => quote(c, d)).join(d));
  for (const r of rows) lines.push(r.map((c) => quote(c, d)).join(d));
  if (o.total) lines.push(o.total.join(d));
  const text = lines.join(eol) + eol;
  const enc = o.encoding ?? 'utf-8';
  const body = enc === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, enc);
  fs.writeFileSync(file, o.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
  return file;
}

/** Cells that are numbers in `numeric` columns are written as numbers (as Excel would store them). */
export async function writeXlsx(file: string, header: string[], rows: string[][], opts: { numericColumns?: number[]; sheet?: string } = {}): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheet ?? 'Sheet1');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r.map((c, i) => (opts.numericColumns?.includes(i) && c !== '' ? Number(c) : c)));
  await wb.xlsx.writeFile(file);
  return file;
}
