import type { Database } from 'better-sqlite3';
import { newWorkbook } from '../system/new-workbook';
import { EngineError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import type { PolicyFinding } from '../../../shared/policy-types';
import { RULE_LABELS, type RuleId } from './policy-rules';
import { listPolicies } from './policy-profiles';
import { beijingText } from '../../../shared/beijing-time';
import { addListHeader, addListRow, addListSheet, type ListColumn } from '../system/printed-list';
import { originText } from '../../../shared/labels';

export function listFindings(db: Database, q: { period?: string; rule?: string; status?: 'open' | 'closed' | 'all' }): PolicyFinding[] {
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
  if (q.status && q.status !== 'all') {
    where.push('status = ?');
    params.push(q.status);
  }
  const rows = db.prepare(`SELECT * FROM policy_finding${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY period DESC, rule, id`).all(...params) as {
    id: number; period: string; rule: RuleId; profile: string; profile_version: number; subject: string; rows: string; explanation: string; citation: string; status: string; resolution: string | null; note: string | null;
  }[];
  return rows.map((r) => ({ id: r.id, period: r.period, rule: r.rule, label: RULE_LABELS[r.rule], profile: r.profile, profileVersion: r.profile_version, rows: JSON.parse(r.rows), explanation: r.explanation, citation: r.citation, status: r.status, resolution: r.resolution, note: r.note }));
}

/** An auditor's or officer's conclusion on findings: closed with a reason, audited. */
export function disposeFindings(db: Database, ids: number[], resolution: string, note: string, user: string): { count: number } {
  return db.transaction(() => {
    const rows = db.prepare(`SELECT id, status FROM policy_finding WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: number; status: string }[];
    if (rows.length !== ids.length) throw new EngineError('NOT_FOUND', '有的发现不存在');
    if (rows.some((r) => r.status !== 'open')) throw new EngineError('CONFLICT', '有的发现已经处理过了');
    const upd = db.prepare("UPDATE policy_finding SET status = 'closed', resolution = ?, note = ?, disposed_by = ? WHERE id = ?");
    for (const id of ids) upd.run(resolution, note, user, id);
    appendAudit(db, { actor: user, action: 'policy.dispose', target: `findings:${ids.length}`, detail: { ids, resolution, note } });
    return { count: ids.length };
  })();
}

const FINDING_COLUMNS: ListColumn[] = [
  { header: '编号', width: 6 },
  { header: '期间', width: 9 },
  { header: '规则', width: 16, wrap: true },
  { header: '方案', width: 14, wrap: true },
  { header: '说明', width: 50, wrap: true },
  { header: '依据', width: 30, wrap: true },
  { header: '涉及记录', width: 16, wrap: true },
  { header: '状态', width: 7 },
  { header: '处理结果', width: 9 },
  { header: '备注', width: 16, wrap: true },
];

export async function exportFindings(db: Database, q: { period?: string }, out: string, user: string): Promise<{ path: string; rows: number }> {
  const list = listFindings(db, { ...q, status: 'all' });
  const wb = await newWorkbook();
  wb.creator = user;
  const title = `政策检查发现${q.period ? `（${q.period}）` : ''}`;
  const ws = addListSheet(wb, '政策检查', 2, `共济对账工作站 ${title}`);
  ws.addRow([`${title}\u3000导出：${user} ${beijingText()}（北京时间）\u3000共 ${list.length} 项`]).font = { bold: true };
  addListHeader(ws, FINDING_COLUMNS);
  // A profile by its name, as the page shows it (its id for one no longer on the workstation).
  const names = new Map(listPolicies(db).map((p) => [p.id, p.name]));
  for (const f of list) addListRow(ws, FINDING_COLUMNS, [f.id, f.period, f.label, `${names.get(f.profile) ?? f.profile} v${f.profileVersion}`, f.explanation, f.citation, originText(f.rows), f.status === 'open' ? '未处理' : '已处理', f.resolution ?? '', f.note ?? '']);
  await wb.xlsx.writeFile(out);
  appendAudit(db, { actor: user, action: 'policy.export', target: out.split(/[\\/]/).pop() ?? out, detail: { query: q, rows: list.length } });
  return { path: out, rows: list.length };
}
