// A data row of a known kind and header → the values stored (indexed columns plus
// every canonical field) or the problems that refuse it.
import type { ImportKind, ImportProblem } from '../../../shared/domain';
import { KINDS, type IndexedColumn } from '../../../shared/import-kinds';
import { normalizeField } from './normalize-field';
import type { HeaderMatch } from './header-detect';
import { requiredFields } from './profiles';
import type { SourceRow } from './table-source';

export interface NormalizedRow {
  norm: Record<string, string | number | null>;
  indexed: Record<IndexedColumn, string | number | null>;
  /** The key the row is matched under. */
  gk: string | null;
}

const INDEXED: IndexedColumn[] = ['key', 'sub_key', 'ref_key', 'amount_fen', 'status', 'certno', 'insutype', 'pay_year', 'event_at'];

export function makeRowNormalizer(kind: ImportKind, match: HeaderMatch, fileName: string) {
  const spec = KINDS[kind];
  const required = new Set(requiredFields(match.profile));
  const fields = [...match.columns.entries()].map(([field, index]) => ({
    field,
    index,
    type: spec.fields[field]!.type,
    header: match.header[index] ?? field,
  }));
  const width = match.header.length;

  return (row: SourceRow, problems: ImportProblem[]): NormalizedRow | null => {
    const before = problems.length;
    const at = (column: string, value: string, message: string) => problems.push({ file: fileName, line: row.line, column, value, message });
    // XLSX rows simply omit trailing empty cells; only a text row can be cut short.
    if (row.cells.length < width && !match.profile.positional && !row.numeric) {
      const lastHeader = match.header[row.cells.length] ?? '';
      at(lastHeader, row.cells[row.cells.length - 1] ?? '', `此行只有 ${row.cells.length} 列，表头有 ${width} 列（文件可能被截断）`);
      return null;
    }
    const norm: Record<string, string | number | null> = {};
    for (const f of fields) {
      const text = row.cells[f.index] ?? '';
      if (text.trim() === '') {
        // Empty optional fields are left out of the stored JSON: smaller rows, and
        // SQL can tell at a glance (instr) whether a record carries a field at all.
        if (required.has(f.field)) at(f.header, text, '必填字段为空');
        continue;
      }
      const r = normalizeField(f.type, text, kind, { numeric: row.numeric?.[f.index] });
      if (r.ok) {
        if (r.value !== null) norm[f.field] = r.value;
      }
      else at(f.header, text, r.reason);
    }
    if (problems.length > before) return null;

    if (spec.derivedStatus) {
      const flag = spec.derivedStatus.flagField ? norm[spec.derivedStatus.flagField] : null;
      const amount = norm[spec.columns.amount_fen ?? ''];
      const negative = flag === 1 || (typeof amount === 'number' && amount < 0);
      norm.status = negative ? spec.derivedStatus.negative : spec.derivedStatus.positive;
    }
    const indexed = {} as NormalizedRow['indexed'];
    for (const col of INDEXED) {
      const src = col === 'status' && spec.derivedStatus ? 'status' : spec.columns[col];
      indexed[col] = src ? (norm[src] ?? null) : null;
    }
    const gk = spec.groupByRefWhen && indexed.status === spec.groupByRefWhen && indexed.ref_key !== null ? String(indexed.ref_key) : (indexed.key as string | null);
    return { norm, indexed, gk };
  };
}
