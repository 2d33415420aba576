// Rejected rows go back to the user as a CSV beside the source file: UTF-8 with
// BOM (so Excel opens it right), the original line and cells, and what was wrong.
import fs from 'node:fs';
import type { ImportProblem } from '../../../shared/domain';
import type { SourceRow } from './table-source';

const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function writeRejectedCsv(sourceFile: string, header: string[], rows: { row: SourceRow; problems: ImportProblem[] }[]): string {
  const out = `${sourceFile}.rejected.csv`;
  const lines = [['行号', '问题', ...header].map(q).join(',')];
  for (const { row, problems } of rows) {
    const why = problems.map((p) => `${p.column}：${p.message}`).join('；');
    lines.push([String(row.line), why, ...row.cells].map(q).join(','));
  }
  fs.writeFileSync(out, '\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
  return out;
}
