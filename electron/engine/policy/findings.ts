import type { Database } from 'better-sqlite3';
import type { PolicyFinding } from '../../../shared/policy-types';
import { RULE_LABELS, type RuleId } from './policy-rules';

export function listFindings(db: Database, q: { period?: string; rule?: string }): PolicyFinding[] {
  const where: string[] = [];
  const params: string[] = [];
  if (q.period) {
    where.push('period = ?');
    params.push(q.period);
  }
  if (q.rule) {
    where.push('rule = ?');
    params.push(q.rule);
  }
  const rows = db.prepare(`SELECT * FROM policy_finding${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY period DESC, rule, id`).all(...params) as {
    id: number; period: string; rule: RuleId; profile: string; profile_version: number; subject: string; rows: string; explanation: string; citation: string; status: string;
  }[];
  return rows.map((r) => ({ id: r.id, period: r.period, rule: r.rule, label: RULE_LABELS[r.rule], profile: r.profile, profileVersion: r.profile_version, rows: JSON.parse(r.rows), explanation: r.explanation, citation: r.citation, status: r.status }));
}
