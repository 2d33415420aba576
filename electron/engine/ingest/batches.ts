import type { Database } from 'better-sqlite3';
import type { BatchInfo, ImportKind } from '../../../shared/domain';
import { EngineError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import { deleteBatchRows } from '../rowstore/block-store';
import { assertRangeOpen } from '../periods/period-lock';

const SELECT = `SELECT id, kind, file_name AS fileName, file_size AS fileSize, sha256, encoding, delimiter, profile, rows, rejected,
  period_from AS periodFrom, period_to AS periodTo, imported_by AS importedBy, imported_at AS importedAt, status FROM import_batch`;

export function listBatches(db: Database, q: { kind?: ImportKind; includeWithdrawn?: boolean } = {}): BatchInfo[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.kind) {
    where.push('kind = ?');
    params.push(q.kind);
  }
  if (!q.includeWithdrawn) where.push("status = 'active'");
  return db.prepare(`${SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC`).all(...params) as BatchInfo[];
}

export function getBatch(db: Database, id: number): BatchInfo {
  const b = db.prepare(`${SELECT} WHERE id = ?`).get(id) as BatchInfo | undefined;
  if (!b) throw new EngineError('NOT_FOUND', `没有批次 #${id}`);
  return b;
}

/**
 * 撤销导入: the batch's rows leave the store (the next reconcile no longer sees
 * them), the batch record and its copy of the file stay, and the audit log says who and why.
 */
export function withdrawBatch(db: Database, id: number, reason: string, user: string): BatchInfo {
  return db.transaction(() => {
    const b = getBatch(db, id);
    if (b.status === 'withdrawn') throw new EngineError('CONFLICT', `批次 #${id} 已经撤销过了`);
    assertRangeOpen(db, b.kind, b.periodFrom, b.periodTo, `撤销批次 #${id}`);
    // The batch's blocks are one range of ids. The copy of the file stays, for
    // the audit of what was withdrawn.
    deleteBatchRows(db, id);
    db.prepare("UPDATE import_batch SET status = 'withdrawn' WHERE id = ?").run(id);
    appendAudit(db, { actor: user, action: 'import.withdraw', target: `batch:${id}`, detail: { reason, file: b.fileName, sha256: b.sha256, rows: b.rows } });
    return getBatch(db, id);
  })();
}
