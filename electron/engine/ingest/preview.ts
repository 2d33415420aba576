// What the import page shows before committing: encoding, delimiter, the header
// found, the profile that fits and its mapping, and the first rows.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { EngineError } from '../../../shared/errors';
import type { ImportPreview } from '../../../shared/import-types';
import type { TextEncoding } from './detect-text';
import { detectHeader } from './header-detect';
import { isBlank, openSource } from './open-source';
import { listProfiles } from './profiles';
import { rowsOf, type SourceRow } from './table-source';
import { KINDS } from '../../../shared/import-kinds';
import { isZip, withFirstZipEntry } from './zip-delivery';
import { looksLikeCertNo, maskCertNo } from '../../../shared/gb11643';

export async function previewFile(db: Database, file: string, opts: { kind?: ImportKind; encoding?: TextEncoding } = {}): Promise<ImportPreview> {
  if (!fs.existsSync(file)) throw new EngineError('NOT_FOUND', `找不到文件：${file}`);
  if (isZip(file)) {
    return withFirstZipEntry(file, async (e) => ({
      ...(await previewFile(db, e.path, opts)),
      file: e.name,
      notes: [`zip 里有 ${e.count} 个数据文件，这里显示第一个；导入时每个文件各成一个批次（全部成功才提交）`],
    }));
  }
  const source = openSource(file, { encoding: opts.encoding });
  const head: SourceRow[] = [];
  for await (const row of rowsOf(source)) {
    if (!isBlank(row.cells)) head.push(row);
    if (head.length >= 40) break;
  }
  const m = detectHeader(head.slice(0, 30), listProfiles(db, opts.kind), opts.kind);
  const headerIndex = m ? m.headerIndex : 0;
  const mapping: Record<string, string> = {};
  const idColumns = new Set<number>();
  if (m) for (const [f, i] of m.columns) if (KINDS[m.profile.kind].fields[f]?.type === 'id') idColumns.add(i);
  if (m) for (const [f, i] of m.columns) mapping[f] = m.header[i] ?? f;
  return {
    file: path.basename(file),
    format: source.format,
    encoding: source.encoding,
    delimiter: source.delimiter,
    headerLine: m && m.headerIndex >= 0 ? (head[m.headerIndex]?.line ?? 1) : 0,
    header: m ? m.header : (head[0]?.cells ?? []),
    // ID numbers are personal data: the preview shows them masked.
    // Unrecognised columns are masked too when a cell looks like an ID number.
    rows: head.slice(headerIndex + 1, headerIndex + 21).map((r) => r.cells.map((c, i) => (idColumns.has(i) || looksLikeCertNo(c) ? maskCertNo(c.trim()) : c))),
    kind: m ? m.profile.kind : null,
    profile: m ? m.profile.name : null,
    mapping,
    missing: m ? m.missing : [],
  };
}
