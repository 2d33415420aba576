// XLSX rows through exceljs's streaming reader: the sheet's own row numbers, cell
// text, and which cells were numbers (an 18-digit ID stored as a number is lost).
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { SourceRow, TableSource } from './table-source';

const pad = (n: number) => String(n).padStart(2, '0');

function cellText(v: unknown): { text: string; numeric: boolean } {
  if (v === null || v === undefined) return { text: '', numeric: false };
  if (typeof v === 'number') return { text: String(v), numeric: true };
  if (typeof v === 'string') return { text: v, numeric: false };
  if (typeof v === 'boolean') return { text: v ? '1' : '0', numeric: false };
  if (v instanceof Date) {
    // exceljs gives wall-clock times as UTC fields.
    return { text: `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`, numeric: false };
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return { text: (o.richText as { text: string }[]).map((r) => r.text).join(''), numeric: false };
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return { text: String(o.error), numeric: false };
  }
  return { text: String(v), numeric: false };
}

export function openXlsxSource(file: string, opts: { sheet?: string } = {}): TableSource {
  if (!fs.existsSync(file)) throw new Error(`找不到文件：${file}`);
  // Progress is counted in rows: the zip's compressed position says little about them.
  let rowsRead = 0;
  return {
    format: 'xlsx',
    encoding: 'xlsx',
    delimiter: null,
    totalBytes: 0,
    position: () => rowsRead,
    async *batches(): AsyncGenerator<SourceRow[]> {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
        sharedStrings: 'cache',
        hyperlinks: 'ignore',
        styles: 'ignore',
        worksheets: 'emit',
      });
      let sheetIndex = 0;
      let batch: SourceRow[] = [];
      for await (const ws of reader) {
        sheetIndex++;
        const name = (ws as unknown as { name?: string }).name;
        if (opts.sheet ? name !== opts.sheet && String(sheetIndex) !== opts.sheet : sheetIndex > 1) continue;
        for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
          const values = row.values as unknown[];
          const cells: string[] = [];
          const numeric: boolean[] = [];
          for (let i = 1; i < values.length; i++) {
            const c = cellText(values[i]);
            cells.push(c.text);
            numeric.push(c.numeric);
          }
          rowsRead++;
          batch.push({ line: row.number, cells, numeric });
          if (batch.length >= 1000) {
            yield batch;
            batch = [];
          }
        }
        if (!opts.sheet) break;
      }
      if (batch.length) yield batch;
    },
  };
}
