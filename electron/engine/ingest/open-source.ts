import path from 'node:path';
import { openTextSource, type ByteRange } from './text-reader';
import { openXlsxSource } from './xlsx-reader';
import { isJson, openJsonSource } from './json-reader';
import type { TableSource } from './table-source';
import type { TextEncoding } from './detect-text';

export function isXlsx(file: string): boolean {
  return /\.xlsx$/i.test(path.extname(file));
}

/** A delimited text file (CSV, TXT …): read by the text reader, split for parallel parsing when big. */
export function isTextFile(file: string): boolean {
  return !isXlsx(file) && !isJson(file);
}

export function openSource(file: string, opts: { encoding?: TextEncoding; delimiter?: string; sheet?: string; range?: ByteRange; pieceBytes?: number }): TableSource {
  if (isXlsx(file)) return openXlsxSource(file, { sheet: opts.sheet });
  if (isJson(file)) return openJsonSource(file);
  return openTextSource(file, { encoding: opts.encoding, delimiter: opts.delimiter, range: opts.range, pieceBytes: opts.pieceBytes });
}

/**
 * Whether a row's first cell starts with a visible ASCII character or a Chinese
 * character other than the 合/总 of a totals line: then the row is neither blank
 * nor a totals line, decided without trimming every cell (the common case).
 */
const plainStart = (cell: string | undefined): boolean => {
  const c = cell === undefined ? 0 : cell.charCodeAt(0);
  return (c > 32 && c < 127) || (c >= 0x4e00 && c <= 0x9fff && c !== 0x5408 && c !== 0x603b);
};

/** A 合计/总计 line: the totals a file states about itself. */
export function isTotalLine(cells: string[]): boolean {
  if (plainStart(cells[0])) return false;
  const first = cells.find((c) => c.trim() !== '');
  return first !== undefined && /^(合\s*计|总\s*计)/.test(first.trim());
}

export function isBlank(cells: string[]): boolean {
  if (plainStart(cells[0])) return false;
  return cells.every((c) => c.trim() === '');
}
