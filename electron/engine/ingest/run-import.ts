// One import = one transaction: the batch, every row with its origin (file, line),
// the copy of the file its raw records are read back from, and the audit entry
// commit together or not at all. A crash, SIGKILL, full disk or cancel leaves the
// store as it was. The rows come from the parse pipeline (parse-runner: its own
// thread for a big file) and are written here as they arrive.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ImportArgs } from '../../../shared/contract';
import type { ImportKind } from '../../../shared/domain';
import { EngineError } from '../../../shared/errors';
import { KINDS } from '../../../shared/import-kinds';
import type { ImportSummary, TotalCheck } from '../../../shared/import-types';
import { fenToText } from '../../../shared/money';
import { beijingText } from '../../../shared/beijing-time';
import { appendAudit } from '../audit/audit-log';
import type { TaskContext } from '../jobs/job-types';
import { sha256File } from './file-hash';
import type { HeaderMatch } from './header-detect';
import { openSource } from './open-source';
import { findProfile, listProfiles } from './profiles';
import { dropBlocksFrom, writeBlock } from '../rowstore/block-store';
import { BLOB_PIECE, storePiece, type BlobCodec } from './source-copy';
import type { ParseJob } from './parse-pipeline';
import { parseRows } from './parse-runner';
import type { ProcessorStats } from './row-processor';
import type { TextEncoding } from './detect-text';
import { writeRejectedCsv } from './rejected-csv';
import { assertRangeOpen } from '../periods/period-lock';
import { importZip, isZip } from './zip-delivery';

export async function runImport(db: Database, args: ImportArgs, ctx: TaskContext): Promise<ImportSummary> {
  if (isZip(args.path)) return importZip(db, args, ctx, runImport);
  // Inside a zip delivery's transaction: its entries commit together, so this file neither begins nor ends one.
  const nested = db.inTransaction;
  const file = path.resolve(args.path);
  const fileName = args.displayName ?? path.basename(file);
  if (!fs.existsSync(file)) throw new EngineError('NOT_FOUND', `找不到文件：${file}`);
  const fileSize = fs.statSync(file).size;

  // Two files of different sizes are not the same file: only when an active batch
  // has this size is the file hashed first, to refuse a second import at once.
  // Otherwise its SHA-256 is taken while it is read for the import.
  let sha256: string | null = null;
  if (db.prepare("SELECT 1 FROM import_batch WHERE file_size = ? AND status = 'active' LIMIT 1").get(fileSize)) {
    ctx.progress(0, fileSize, 'bytes', '计算文件摘要');
    sha256 = await sha256File(file);
    refuseDuplicate(db, sha256, fileName);
  }

  const profiles = args.profile ? [findProfile(db, args.profile)] : listProfiles(db, args.kind);
  // What the file is (format, encoding, delimiter, size); the pipeline reads it, once.
  const opened = openSource(file, { encoding: args.encoding, sheet: args.sheet });
  const job: ParseJob = {
    file,
    fileName,
    encoding: opened.format === 'text' ? (opened.encoding as TextEncoding) : undefined,
    delimiter: opened.delimiter ?? undefined,
    sheet: args.sheet,
    profiles,
    kind: args.kind,
    acceptPartial: !!args.acceptPartial,
  };

  try {
    // The batch and its writer, from the moment the header is known.
    let batch: { id: number; kind: ImportKind; match: HeaderMatch; blocks: number } | null = null;
    let stats: ProcessorStats | null = null;
    // Pieces of the file's copy that come before the batch exists wait here.
    const early: { seq: number; data: Uint8Array }[] = [];
    let copied = 0;
    let codec: BlobCodec = null;
    let written = 0;
    try {
      for await (const ev of parseRows(job, fileSize)) {
        if (ev.t === 'header') {
          const kind = ev.match.profile.kind;
          if (!nested) db.exec('BEGIN IMMEDIATE');
          const id = Number(
            db.prepare(
              'INSERT INTO import_batch (kind, file_name, file_size, sha256, encoding, delimiter, profile, rows, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
            ).run(kind, fileName, fileSize, sha256 ?? `pending:${crypto.randomUUID()}`, opened.encoding, opened.delimiter, ev.match.profile.name, ctx.user, new Date().toISOString()).lastInsertRowid,
          );
          batch = { id, kind, match: ev.match, blocks: 0 };
          for (const p of early.splice(0)) storePiece(db, id, p.seq, p.data);
        } else if (ev.t === 'rows') {
          writeBlock(db, batch!.id, batch!.kind, ev.seq ?? batch!.blocks++, ev.block);
          written += ev.block.n;
          if (ctx.cancelled()) throw new EngineError('CANCELLED', '导入已取消');
          ctx.progress(opened.totalBytes ? ev.position : written, opened.totalBytes, opened.totalBytes ? 'bytes' : 'rows', `已读 ${written} 行`);
        } else if (ev.t === 'piece') {
          if (batch) storePiece(db, batch.id, ev.seq, ev.data);
          else early.push(ev);
          copied++;
        } else if (ev.t === 'copied') {
          if (sha256 && sha256 !== ev.sha256) throw new EngineError('IMPORT_REFUSED', `文件 ${fileName} 在导入过程中被改动了，请等它写完后重新导入`);
          sha256 = ev.sha256;
          codec = ev.codec;
        } else if (ev.t === 'drop') written -= dropBlocksFrom(db, batch!.id, ev.fromSeq);
        else if (ev.t === 'reread') {
          if (ctx.cancelled()) throw new EngineError('CANCELLED', '导入已取消');
          ctx.progress(ev.position, ev.size, 'bytes', '合计行之后还有数据：逐行复核文件的其余部分');
        } else stats = ev.stats;
      }
    } catch (e) {
      throw unreadable(fileName, e);
    }
    const { id: batchId, kind, match } = batch!;
    if (ctx.cancelled()) throw new EngineError('CANCELLED', '导入已取消');
    const st = stats!;
    const problems = st.problems;
    let problemCount = st.problemCount;

    let total: TotalCheck | null = null;
    if (st.totalStated) {
      const t = st.totalStated;
      const ok = t.fen === st.computedFen;
      total = { stated: Number.isNaN(t.fen) ? '' : fenToText(t.fen), computed: fenToText(st.computedFen), ok, line: t.line };
      if (!ok) {
        const tf = KINDS[kind].totalField;
        const col = tf ? (match.header[match.columns.get(tf) ?? -1] ?? '') : '';
        problemCount++;
        if (problems.length < 1000) problems.push({ file: fileName, line: t.line, column: col, value: total.stated, message: `合计行金额 ${total.stated} 与各行之和 ${total.computed} 不符` });
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
    if (st.accepted === 0) throw new EngineError('IMPORT_REFUSED', `文件 ${fileName} 没有可导入的数据行`, { problems, problemCount });

    assertRangeOpen(db, kind, st.minAt, st.maxAt, `导入 ${fileName}`);
    if (!sha256) throw new EngineError('INTERNAL', `文件 ${fileName} 读完了却没有摘要`);
    // Another batch with this content (not this one: a file hashed up front was inserted with its SHA-256).
    refuseDuplicate(db, sha256, fileName, batchId);
    if (copied) db.prepare('UPDATE import_batch SET blob_piece = ?, blob_codec = ? WHERE id = ?').run(BLOB_PIECE, codec, batchId);
    const rejectedFile = st.rejectedRows.length ? writeRejectedCsv(file, match.header, st.rejectedRows) : null;
    db.prepare('UPDATE import_batch SET sha256 = ?, rows = ?, rejected = ?, period_from = ?, period_to = ?, header = ? WHERE id = ?').run(
      sha256, st.accepted, st.rejectedRows.length, st.minAt, st.maxAt, match.headerIndex >= 0 ? JSON.stringify(match.header) : null, batchId);
    const summary: ImportSummary = {
      batchId,
      file: fileName,
      kind,
      rows: st.accepted,
      rejected: st.rejectedRows.length,
      encoding: opened.encoding,
      delimiter: opened.delimiter,
      profile: match.profile.name,
      sha256,
      totalCheck: total,
      rejectedFile,
      problems,
      periodFrom: st.minAt,
      periodTo: st.maxAt,
    };
    appendAudit(db, {
      actor: ctx.user,
      action: 'import',
      target: `batch:${batchId}`,
      detail: { file: fileName, sha256, kind, rows: st.accepted, rejected: st.rejectedRows.length, profile: match.profile.name, encoding: opened.encoding },
    });
    if (!nested) db.exec('COMMIT');
    ctx.progress(opened.totalBytes || st.accepted, opened.totalBytes || st.accepted, opened.totalBytes ? 'bytes' : 'rows', '完成');
    return summary;
  } finally {
    if (!nested && db.inTransaction) db.exec('ROLLBACK');
  }
}

/** The same file (by SHA-256) already imported and not withdrawn: refused, saying when and by whom. */
function refuseDuplicate(db: Database, sha256: string, fileName: string, self = -1): void {
  const dup = db.prepare("SELECT id, imported_at, imported_by FROM import_batch WHERE sha256 = ? AND status = 'active' AND id != ?").get(sha256, self) as
    | { id: number; imported_at: string; imported_by: string }
    | undefined;
  if (dup) {
    throw new EngineError('DUPLICATE_FILE', `文件 ${fileName} 已于 ${beijingText(dup.imported_at)}（北京时间）由 ${dup.imported_by} 导入（批次 #${dup.id}），不会重复导入。如需重新导入，请先撤销该批次。`, { batchId: dup.id, importedAt: dup.imported_at });
  }
}

/** A reading failure (a quote never closed, a damaged zip) as a refusal naming the file and line. */
function unreadable(fileName: string, e: unknown): Error {
  if (e instanceof EngineError) return e;
  const line = (e as { lines?: number }).lines;
  return new EngineError('IMPORT_REFUSED', `文件 ${fileName}${line ? ` 第 ${line} 行` : ''} 无法读取：${(e as Error).message}`, {
    problems: [{ file: fileName, line: line ?? 0, column: '', value: '', message: (e as Error).message }],
  });
}
