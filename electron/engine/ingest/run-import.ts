// One import = one transaction: the batch, every row with its origin (file, line)
// and raw cells, and the audit entry commit together or not at all. A crash,
// SIGKILL, full disk or cancel leaves the store as it was.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ImportArgs } from '../../../shared/contract';
import type { ImportKind, ImportProblem } from '../../../shared/domain';
import { EngineError } from '../../../shared/errors';
import { KINDS } from '../../../shared/import-kinds';
import type { ImportSummary, TotalCheck } from '../../../shared/import-types';
import { fenToText, parseAmountToFen } from '../../../shared/money';
import { appendAudit } from '../audit/audit-log';
import type { TaskContext } from '../jobs/job-types';
import { sha256File } from './file-hash';
import { detectHeader, type HeaderMatch } from './header-detect';
import { isBlank, isTotalLine, openSource } from './open-source';
import { findProfile, listProfiles } from './profiles';
import { makeRowNormalizer, STORED_COLUMNS } from './row-normalizer';
import { makeRowWriter, type RowWriter } from './row-writer';
import { SourceCopy } from './source-copy';
import type { SourceRow } from './table-source';
import { writeRejectedCsv } from './rejected-csv';
import { assertRangeOpen } from '../periods/period-lock';

const HEAD_ROWS = 30;
const EVENT_AT = STORED_COLUMNS.indexOf('event_at');
const MAX_PROBLEMS_KEPT = 1000;

export async function runImport(db: Database, args: ImportArgs, ctx: TaskContext): Promise<ImportSummary> {
  const file = path.resolve(args.path);
  const fileName = args.displayName ?? path.basename(file);
  if (!fs.existsSync(file)) throw new EngineError('NOT_FOUND', `找不到文件：${file}`);
  const fileSize = fs.statSync(file).size;

  ctx.progress(0, fileSize, 'bytes', '计算文件摘要');
  const sha256 = await sha256File(file);
  const dup = db.prepare("SELECT id, imported_at, imported_by FROM import_batch WHERE sha256 = ? AND status = 'active'").get(sha256) as
    | { id: number; imported_at: string; imported_by: string }
    | undefined;
  if (dup) {
    throw new EngineError('DUPLICATE_FILE', `文件 ${fileName} 已于 ${dup.imported_at.slice(0, 19).replace('T', ' ')} 由 ${dup.imported_by} 导入（批次 #${dup.id}），不会重复导入。如需重新导入，请先撤销该批次。`, { batchId: dup.id, importedAt: dup.imported_at });
  }

  const profiles = args.profile ? [findProfile(db, args.profile)] : listProfiles(db, args.kind);
  const source = openSource(file, { encoding: args.encoding, sheet: args.sheet });
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  const rejectedRows: { row: SourceRow; problems: ImportProblem[] }[] = [];
  const head: SourceRow[] = [];
  let match: HeaderMatch | null = null;
  let kind: ImportKind | null = null;
  let normalize: ReturnType<typeof makeRowNormalizer> | null = null;
  let writer: RowWriter | null = null;
  const copy = source.format === 'text' ? new SourceCopy() : null;
  let batchId = 0;
  let accepted = 0;
  let computedFen = 0;
  let total: TotalCheck | null = null;
  let totalStated: { line: number; fen: number } | null = null;
  let minAt: string | null = null;
  let maxAt: string | null = null;

  const addProblems = (list: ImportProblem[]) => {
    problemCount += list.length;
    for (const p of list) if (problems.length < MAX_PROBLEMS_KEPT) problems.push(p);
  };

  const startBatch = () => {
    const m = match!;
    kind = m.profile.kind;
    normalize = makeRowNormalizer(kind, m, fileName);
    db.exec('BEGIN IMMEDIATE');
    batchId = Number(
      db.prepare(
        'INSERT INTO import_batch (kind, file_name, file_size, sha256, encoding, delimiter, profile, rows, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
      ).run(kind, fileName, fileSize, sha256, source.encoding, source.delimiter, m.profile.name, ctx.user, new Date().toISOString()).lastInsertRowid,
    );
    writer = makeRowWriter(db, batchId, kind, !copy);
  };

  const totalField = () => (kind ? KINDS[kind].totalField : null);

  const handleData = (row: SourceRow) => {
    if (isBlank(row.cells)) return;
    if (totalStated) {
      addProblems([{ file: fileName, line: row.line, column: '', value: row.cells.join(' '), message: '合计行之后还有数据行' }]);
      return;
    }
    if (isTotalLine(row.cells)) {
      const tf = totalField();
      const idx = tf ? match!.columns.get(tf) : undefined;
      const candidates = idx !== undefined && row.cells[idx]?.trim() ? [row.cells[idx]!] : row.cells.slice(1).filter((c) => c.trim() !== '');
      const parsed = candidates.map((c) => parseAmountToFen(c)).find((r) => r.ok);
      if (parsed && parsed.ok) totalStated = { line: row.line, fen: parsed.fen };
      else totalStated = { line: row.line, fen: NaN };
      return;
    }
    const rowProblems: ImportProblem[] = [];
    const n = normalize!(row, rowProblems);
    const tf = totalField();
    if (tf) {
      // The 合计 check counts every row whose amount reads, accepted or not.
      const idx = match!.columns.get(tf);
      const r = idx !== undefined ? parseAmountToFen(row.cells[idx] ?? '') : null;
      if (r?.ok) computedFen += r.fen;
    }
    if (!n) {
      addProblems(rowProblems);
      if (args.acceptPartial) rejectedRows.push({ row, problems: rowProblems });
      return;
    }
    writer!.add(row, n);
    accepted++;
    const at = n.cols[EVENT_AT] as string | null;
    if (at) {
      if (!minAt || at < minAt) minAt = at;
      if (!maxAt || at > maxAt) maxAt = at;
    }
  };

  try {
    try {
      for await (const batch of source.batches(copy?.tap)) {
        for (const row of batch) {
          if (!match) {
            if (!isBlank(row.cells)) head.push(row);
            if (head.length < HEAD_ROWS) continue;
            match = resolveHeader(head, profiles, args.kind, fileName);
            startBatch();
            for (const r of head.slice(match.headerIndex + 1)) handleData(r);
            continue;
          }
          handleData(row);
        }
        if (ctx.cancelled()) throw new EngineError('CANCELLED', '导入已取消');
        ctx.progress(source.position(), source.totalBytes, source.totalBytes ? 'bytes' : 'rows', `已读 ${accepted + rejectedRows.length} 行`);
      }
    } catch (e) {
      if (e instanceof EngineError) throw e;
      const line = (e as { lines?: number }).lines;
      throw new EngineError('IMPORT_REFUSED', `文件 ${fileName}${line ? ` 第 ${line} 行` : ''} 无法读取：${(e as Error).message}`, { problems: [{ file: fileName, line: line ?? 0, column: '', value: '', message: (e as Error).message }] });
    }
    if (!match) {
      if (head.length === 0) throw new EngineError('IMPORT_REFUSED', `文件 ${fileName} 是空的`);
      match = resolveHeader(head, profiles, args.kind, fileName);
      startBatch();
      for (const r of head.slice(match.headerIndex + 1)) handleData(r);
    }
    if (ctx.cancelled()) throw new EngineError('CANCELLED', '导入已取消');
    writer!.flush();

    if (totalStated) {
      const t = totalStated as { line: number; fen: number };
      const ok = t.fen === computedFen;
      total = { stated: Number.isNaN(t.fen) ? '' : fenToText(t.fen), computed: fenToText(computedFen), ok, line: t.line };
      if (!ok) {
        const col = totalField() ? (match.header[match.columns.get(totalField()!) ?? -1] ?? '') : '';
        addProblems([{ file: fileName, line: t.line, column: col, value: total.stated, message: `合计行金额 ${total.stated} 与各行之和 ${total.computed} 不符` }]);
      }
    }
    if (problemCount > 0 && !args.acceptPartial) {
      const p = problems[0]!;
      throw new EngineError(
        'IMPORT_REFUSED',
        `文件 ${fileName} 有 ${problemCount} 处错误，整个文件未导入。第一处：第 ${p.line} 行「${p.column}」值“${p.value}”：${p.message}`,
        { problems, problemCount },
      );
    }
    if (accepted === 0) throw new EngineError('IMPORT_REFUSED', `文件 ${fileName} 没有可导入的数据行`, { problems, problemCount });

    assertRangeOpen(db, kind!, minAt, maxAt, `导入 ${fileName}`);
    await copy?.store(db, batchId);
    const rejectedFile = rejectedRows.length ? writeRejectedCsv(file, match.header, rejectedRows) : null;
    db.prepare('UPDATE import_batch SET rows = ?, rejected = ?, period_from = ?, period_to = ?, header = ? WHERE id = ?').run(
      accepted, rejectedRows.length, minAt, maxAt, match.headerIndex >= 0 ? JSON.stringify(match.header) : null, batchId);
    const summary: ImportSummary = {
      batchId,
      file: fileName,
      kind: kind!,
      rows: accepted,
      rejected: rejectedRows.length,
      encoding: source.encoding,
      delimiter: source.delimiter,
      profile: match.profile.name,
      sha256,
      totalCheck: total,
      rejectedFile,
      problems,
      periodFrom: minAt,
      periodTo: maxAt,
    };
    appendAudit(db, {
      actor: ctx.user,
      action: 'import',
      target: `batch:${batchId}`,
      detail: { file: fileName, sha256, kind, rows: accepted, rejected: rejectedRows.length, profile: match.profile.name, encoding: source.encoding },
    });
    db.exec('COMMIT');
    ctx.progress(source.totalBytes || accepted, source.totalBytes || accepted, source.totalBytes ? 'bytes' : 'rows', '完成');
    return summary;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

function resolveHeader(head: SourceRow[], profiles: ReturnType<typeof listProfiles>, kind: ImportKind | undefined, fileName: string): HeaderMatch {
  const m = detectHeader(head, profiles, kind);
  if (!m) {
    throw new EngineError('IMPORT_REFUSED', `文件 ${fileName} 的表头不认识${kind ? `（类型 ${kind}）` : ''}：请在导入页把各列映射到标准字段并保存为方案`, {
      problems: [{ file: fileName, line: head[0]?.line ?? 1, column: '', value: head[0]?.cells.join(' | ') ?? '', message: '表头不认识' }],
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
