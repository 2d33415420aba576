import type { Database } from 'better-sqlite3';
import type { AuditPage, AuditQuery } from '../../../shared/audit-types';

/** The audit filter as SQL: every value a parameter. Shared by the list and the export. */
export function auditWhere(q: AuditQuery): { sql: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.actor) {
    where.push('actor = ?');
    params.push(q.actor);
  }
  if (q.action) {
    where.push('(action = ? OR action LIKE ?)');
    params.push(q.action, `${q.action}.%`);
  }
  if (q.from) {
    where.push('at >= ?');
    params.push(q.from);
  }
  if (q.to) {
    where.push('at < ?');
    params.push(q.to);
  }
  return { sql: where.length ? ` WHERE ${where.join(' AND ')}` : '', params };
}

export function listAudit(db: Database, q: AuditQuery): AuditPage {
  const { sql: w, params } = auditWhere(q);
  const total = (db.prepare(`SELECT count(*) n FROM audit_log${w}`).get(...params) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM audit_log${w} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, q.limit ?? 200, q.offset ?? 0) as AuditPage['rows'];
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return { total, rows, head: head ?? null };
}
