// Rejected rows go back to the user as a CSV beside the source file: UTF-8 with
// BOM (so Excel opens it right), the original line and cells, and what was wrong;
// cells written so Excel neither runs nor mangles them (csv-cell).
import fs from 'node:fs';
import type { ImportProblem } from '../../../shared/domain';
import type { SourceRow } from './table-source';
import { csvLine } from '../system/csv-cell';


export function writeRejectedCsv(sourceFile: string, header: string[], rows: { row: SourceRow; problems: ImportProblem[] }[]): string {
  const out = `${sourceFile}.rejected.csv`;
  const lines = [csvLine(['行号', '问题', ...header])];
  for (const { row, problems } of rows) {
    const why = problems.map((p) => `${p.column}：${p.message}`).join('；');
    lines.push(csvLine([String(row.line), why, ...row.cells]));
  }
  fs.writeFileSync(out, '\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
  return out;
}
