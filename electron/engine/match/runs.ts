import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import type { ReconSummary } from '../../../shared/recon-types';

export function listRuns(db: Database, q: { kind?: ReconKind; period?: string }): ReconSummary[] {
  const where: string[] = [];
  const params: string[] = [];
  if (q.kind) {
    where.push('kind = ?');
    params.push(q.kind);
  }
  if (q.period) {
    where.push('period = ?');
    params.push(q.period);
  }
  const rows = db.prepare(`SELECT summary FROM recon_run${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT 200`).all(...params) as { summary: string }[];
  return rows.map((r) => JSON.parse(r.summary) as ReconSummary);
}
