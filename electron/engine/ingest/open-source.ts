import path from 'node:path';
import { openTextSource, type ByteRange } from './text-reader';
import { openXlsxSource } from './xlsx-reader';
import type { TableSource } from './table-source';
import type { TextEncoding } from './detect-text';

export function isXlsx(file: string): boolean {
  return /\.xlsx$/i.test(path.extname(file));
}

export function openSource(file: string, opts: { encoding?: TextEncoding; delimiter?: string; sheet?: string; range?: ByteRange }): TableSource {
  return isXlsx(file) ? openXlsxSource(file, { sheet: opts.sheet }) : openTextSource(file, { encoding: opts.encoding, delimiter: opts.delimiter, range: opts.range });
}

/** A 合计/总计 line: the totals a file states about itself. */
export function isTotalLine(cells: string[]): boolean {
  const first = cells.find((c) => c.trim() !== '');
  return first !== undefined && /^(合\s*计|总\s*计)/.test(first.trim());
}

export function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}
