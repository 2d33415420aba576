// Finds the header row among the first rows (title lines may stand above it) and
// the profile that fits it best; a headerless platform file fits a positional profile.
import type { ImportKind } from '../../../shared/domain';
import { KINDS } from '../../../shared/import-kinds';
import { EngineError } from '../../../shared/errors';
import { normalizeField } from './normalize-field';
import type { ColumnProfile } from './profiles';
import { requiredFields } from './required-fields';
import type { SourceRow } from './table-source';

export interface HeaderMatch {
  profile: ColumnProfile;
  /** Index into the buffered rows of the header (-1: positional, no header). */
  headerIndex: number;
  header: string[];
  /** canonical field → column index */
  columns: Map<string, number>;
  missing: string[];
}

const norm = (s: string) => s.replace(/^\uFEFF/, '').replace(/\s+/g, '').toLowerCase();

function matchRow(p: ColumnProfile, cells: string[]): { columns: Map<string, number>; missing: string[]; score: number } {
  const index = new Map<string, number>();
  cells.forEach((c, i) => {
    const k = norm(c);
    if (k && !index.has(k)) index.set(k, i);
  });
  const columns = new Map<string, number>();
  for (const [field, aliases] of Object.entries(p.fields)) {
    for (const a of aliases) {
      const i = index.get(norm(a));
      if (i !== undefined) {
        columns.set(field, i);
        break;
      }
    }
  }
  const missing = requiredFields(p).filter((f) => !columns.has(f));
  return { columns, missing, score: columns.size * 10 - missing.length * 100 };
}

function positionalFits(p: ColumnProfile, row: SourceRow | undefined): boolean {
  if (!row) return false;
  const fields = Object.keys(p.fields);
  // Integration code often writes a delimiter after every value: one empty cell more is the same row.
  const extra = row.cells.length - fields.length;
  if (extra !== 0 && !(extra === 1 && row.cells[row.cells.length - 1]!.trim() === '')) return false;
  // Every cell of the first row must read cleanly in its field's type, and the required ones be there.
  const kind = KINDS[p.kind];
  const required = new Set(requiredFields(p));
  return fields.every((f, i) => {
    const spec = kind.fields[f];
    const text = row.cells[i]!.trim();
    if (!spec) return false;
    if (text === '') return !required.has(f);
    return normalizeField(spec.type, text, p.kind).ok;
  });
}

export function detectHeader(rows: SourceRow[], profiles: ColumnProfile[], kind?: ImportKind): HeaderMatch | null {
  let best: (HeaderMatch & { score: number }) | null = null;
  for (const p of profiles) {
    if (kind && p.kind !== kind) continue;
    if (p.positional) continue;
    rows.forEach((r, i) => {
      const m = matchRow(p, r.cells);
      if (m.columns.size < 2) return;
      if (!best || m.score > best.score) best = { profile: p, headerIndex: i, header: r.cells, columns: m.columns, missing: m.missing, score: m.score };
    });
  }
  const found = best as (HeaderMatch & { score: number }) | null;
  if (found && found.missing.length === 0) return found;
  // A file whose header a profile half-recognises has a header: say what it lacks.
  if (found && found.columns.size >= 3) return found;
  for (const p of profiles) {
    if (!p.positional || (kind && p.kind !== kind)) continue;
    if (positionalFits(p, rows[0])) {
      const fields = Object.keys(p.fields);
      return { profile: p, headerIndex: -1, header: fields, columns: new Map(fields.map((f, i) => [f, i])), missing: [] };
    }
  }
  return found;
}

/** A profile the user chose by name: its header row is still looked for, never assumed. */
export function applyProfile(rows: SourceRow[], p: ColumnProfile): HeaderMatch | null {
  return detectHeader(rows, [p], p.kind);
}

/** The header an import goes by, or a refusal naming the line and what is missing. */
export function resolveHeader(head: SourceRow[], profiles: ColumnProfile[], kind: ImportKind | undefined, fileName: string): HeaderMatch {
  const m = detectHeader(head, profiles, kind);
  if (!m) {
    throw new EngineError('IMPORT_REFUSED', `文件 ${fileName} 的表头不认识${kind ? `（类型 ${kind}）` : ''}：请在导入页把各列映射到标准字段并保存为方案`, {
      problems: [{ file: fileName, line: head[0]?.line ?? 1, column: '', value: (head[0]?.cells.join(' | ') ?? '').slice(0, 200), message: '表头不认识' }],
    });
  }
  if (m.missing.length) {
    const line = head[m.headerIndex]?.line ?? 1;
    const labels = m.missing.map((f) => `${KINDS[m.profile.kind].fields[f]?.label ?? f}（${f}）`);
    throw new EngineError('IMPORT_REFUSED', `文件 ${fileName} 第 ${line} 行表头缺少必需的列：${labels.join('、')}（方案“${m.profile.name}”）`, {
      problems: m.missing.map((f) => ({ file: fileName, line, column: KINDS[m.profile.kind].fields[f]?.label ?? f, value: '', message: '缺少必需的列' })),
    });
  }
  return m;
}
