// A data row of a known kind and header → the values stored (the typed columns
// matching reads, and the other canonical fields as JSON) or the problems that
// refuse it. Runs once per row of a million-row file, so it allocates little:
// values go into a flat array in STORED_COLUMNS order.
import { EngineError } from '../../../shared/errors';
import type { ImportKind, ImportProblem } from '../../../shared/domain';
import { KINDS, type FieldType, type IndexedColumn } from '../../../shared/import-kinds';
import { memoizedNormalizer } from './normalize-field';
import type { HeaderMatch } from './header-detect';
import { requiredFields } from './required-fields';
import type { SourceRow } from './table-source';

export interface NormalizedRow {
  /** The stored columns' values, in STORED_COLUMNS order. */
  cols: (string | number | null)[];
  /** The key the row is matched under. */
  gk: string | null;
  /** The canonical fields that have no column of their own, in the order of `extraFields`. */
  extra: (string | number | null)[];
  /** The beneficiary's name (a break shows it), from the first of NAME_FIELDS the row has. */
  name: string | null;
}

/** The fields a person's name is read from, in order of preference. */
export const NAME_FIELDS = ['beneficiary_name', 'name', 'psn_name'];


export const STORED_COLUMNS: IndexedColumn[] = ['key', 'sub_key', 'ref_key', 'amount_fen', 'status', 'certno', 'insutype', 'pay_year', 'event_at'];

/** A canonical field without a column, as the block stores it. */
export interface ExtraField {
  name: string;
  type: FieldType;
}

/** The fields of a file that have no stored column: they go into the block's other columns, one each. */
export function extraFields(kind: ImportKind, match: HeaderMatch): ExtraField[] {
  const spec = KINDS[kind];
  const inColumns = new Set(Object.values(spec.columns));
  return [...match.columns.keys()].filter((f) => !inColumns.has(f)).map((name) => ({ name, type: spec.fields[name]!.type }));
}

/**
 * What reading a row of this file takes, worked out once from its kind and header:
 * the fields in header order with their normalisers and the columns each fills.
 * The string path (makeRowNormalizer) and the byte path (row-bytes) both read rows by it.
 */
export function rowPlan(kind: ImportKind, match: HeaderMatch, fileName: string) {
  const spec = KINDS[kind];
  if (spec.servesOnlyWith && !match.columns.has(spec.servesOnlyWith.field)) {
    throw new EngineError(
      'IMPORT_REFUSED',
      `文件 ${fileName} 是“${match.profile.name}”，不含${spec.servesOnlyWith.what}，不能作为共济对账的一方：导入后任何对账都用不上它，所以不予导入（异地清分等平台文件不是共济金额的来源；请导入含共济支付金额的结算明细）`,
    );
  }
  // A 差异反馈 file this workstation wrote carries the extract's header plus its own two columns: never a new extract.
  if (match.header.includes('差异类型') && match.header.includes('差异说明')) {
    throw new EngineError('IMPORT_REFUSED', `文件 ${fileName} 是本工作站写出的差异反馈文件（有“差异类型”“差异说明”两列），不是税务中间库的提取文件，不能作为新的提取导入`);
  }
  const required = new Set(requiredFields(match.profile));
  // A status column, where the file has one, is required; without one the kind may say what its rows are.
  const missingStatus = match.columns.has('status') ? undefined : spec.statusWhenMissing;
  if (match.columns.has('status') && spec.statusWhenMissing) required.add('status');
  // A field may feed two columns (a binding's beneficiary is both sub_key and certno).
  const columnsOf = new Map<string, number[]>();
  STORED_COLUMNS.forEach((c, i) => {
    const src = spec.columns[c];
    if (src) columnsOf.set(src, [...(columnsOf.get(src) ?? []), i]);
  });
  const fields = [...match.columns.entries()].map(([field, index]) => ({
    field,
    index,
    header: match.header[index] ?? field,
    required: required.has(field),
    columns: columnsOf.get(field) ?? [],
    extraAt: -1,
    normalize: memoizedNormalizer(spec.fields[field]!.type, kind),
    nameRank: NAME_FIELDS.indexOf(field),
  }));
  const extras = extraFields(kind, match);
  for (const f of fields) f.extraAt = extras.findIndex((e) => e.name === f.field);
  const width = match.header.length;
  const derived = spec.derivedStatus;
  const flagField = derived?.flagField ? fields.find((f) => f.field === derived.flagField) : undefined;
  const amountCol = STORED_COLUMNS.indexOf('amount_fen');
  const statusCol = STORED_COLUMNS.indexOf('status');
  const keyCol = STORED_COLUMNS.indexOf('key');
  const refCol = STORED_COLUMNS.indexOf('ref_key');
  const subCol = STORED_COLUMNS.indexOf('sub_key');
  return { kind, match, fileName, spec, fields, extras, width, derived, flagField, missingStatus, amountCol, statusCol, keyCol, refCol, subCol };
}

export type RowPlan = ReturnType<typeof rowPlan>;

/** The string path: a row's cells → its values, or its problems. */
export function makeRowNormalizer(plan: RowPlan) {
  const { match, fileName, spec, fields, extras, width, derived, flagField, missingStatus, amountCol, statusCol, keyCol, refCol, subCol } = plan;
  // A value is echoed in messages, never more than a few hundred characters of it.
  const at = (problems: ImportProblem[], row: SourceRow, column: string, value: string, message: string) =>
    problems.push({ file: fileName, line: row.line, column, value: value.length > 200 ? `${value.slice(0, 200)}…（共 ${value.length} 个字符）` : value, message });
  // One result object and column array, refilled for every row: the caller copies
  // the values out before it asks for the next row (a million rows make no garbage here).
  const cols: (string | number | null)[] = new Array(STORED_COLUMNS.length);
  const extra: (string | number | null)[] = new Array(extras.length);
  const out: NormalizedRow = { cols, gk: null, extra, name: null };

  return (row: SourceRow, problems: ImportProblem[]): NormalizedRow | null => {
    const before = problems.length;
    // XLSX rows simply omit trailing empty cells; only a text row can be cut short.
    if (row.cells.length < width && !match.profile.positional && !row.numeric) {
      const lastHeader = match.header[row.cells.length] ?? '';
      at(problems, row, lastHeader, row.cells[row.cells.length - 1] ?? '', `此行只有 ${row.cells.length} 列，表头有 ${width} 列（文件可能被截断）`);
      return null;
    }
    // Loops, not fill(): a builtin call each, on arrays of a dozen, was 2 % of parsing.
    for (let c = 0; c < cols.length; c++) cols[c] = null;
    for (let c = 0; c < extra.length; c++) extra[c] = null;
    let flag: string | number | null = null;
    let name: string | null = null;
    let nameRank = NAME_FIELDS.length;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const text = row.cells[f.index] ?? '';
      const r = f.normalize(text, row.numeric?.[f.index]);
      if (r === null) {
        // Empty: optional fields are simply absent.
        if (f.required) at(problems, row, f.header, text, '必填字段为空');
        continue;
      }
      if (!r.ok) {
        at(problems, row, f.header, text, r.reason);
        continue;
      }
      if (r.value === null) continue;
      if (f === flagField) flag = r.value;
      if (f.nameRank >= 0 && f.nameRank < nameRank) {
        name = String(r.value);
        nameRank = f.nameRank;
      }
      const fc = f.columns;
      if (fc.length) for (let c = 0; c < fc.length; c++) cols[fc[c]!] = r.value;
      else extra[f.extraAt] = r.value;
    }
    if (problems.length > before) return null;

    const byAmount = derived ?? missingStatus;
    if (byAmount) {
      const amount = cols[amountCol];
      const negative = flag === 1 || (typeof amount === 'number' && amount < 0);
      cols[statusCol] = negative ? byAmount.negative : byAmount.positive;
    }
    if (cols[subCol] !== null) cols[subCol] = String(cols[subCol]);
    const gk = spec.groupByRefWhen && cols[statusCol] === spec.groupByRefWhen && cols[refCol] !== null ? String(cols[refCol]) : (cols[keyCol] as string | null);
    out.gk = gk;
    out.name = name;
    return out;
  };
}

/** Every canonical field of a stored row: its other fields plus the fields kept in columns. */
export function fullRecord(kind: ImportKind, columns: Partial<Record<IndexedColumn, string | number | null>>, other: Record<string, string | number | null>): Record<string, string | number | null> {
  const spec = KINDS[kind];
  const out = { ...other };
  // A row from a version-1 store may have no kind yet: its JSON is all there is.
  if (!spec) return out;
  for (const c of STORED_COLUMNS) {
    const src = c === 'status' && spec.derivedStatus ? 'status' : spec.columns[c];
    const v = columns[c];
    if (src && v !== null && v !== undefined && !(src in out)) out[src] = v;
  }
  return out;
}
