// The audit trail as an XLSX an auditor can file: the chosen entries, and the
// chain's head hash and verification result written above them.
import fs from 'node:fs';
import path from 'node:path';
import { newWorkbook } from '../system/new-workbook';
import { beijingIso } from '../../../shared/beijing-time';
import type { Database } from 'better-sqlite3';
import type { AuditQuery, AuditRow } from '../../../shared/audit-types';
import { appendAudit, verifyAuditChain } from './audit-log';
import { auditWhere } from './audit-query';
import { auditActionLabel, auditDetailSummary, auditTargetText } from '../../../shared/audit-labels';
import { addListHeader, addListRow, addListSheet, type ListColumn } from '../system/printed-list';

// The two hashes wrap onto two lines each: at their full 64 characters they made the
// printed page half as large again.
const COLUMNS: ListColumn[] = [
  { header: '序号', width: 6 },
  { header: '时间', width: 26 },
  { header: '操作人', width: 10 },
  { header: '操作', width: 14, wrap: true },
  { header: '对象', width: 18, wrap: true },
  { header: '详情', width: 36, wrap: true },
  { header: '操作代码', width: 14, wrap: true },
  { header: '详情（原文）', width: 36, wrap: true },
  { header: '前一哈希', width: 34, wrap: true },
  { header: '哈希', width: 34, wrap: true },
];

export async function exportAudit(db: Database, q: AuditQuery, out: string, user: string): Promise<{ path: string; rows: number; head: string | null; chainOk: boolean }> {
  const { sql, params } = auditWhere(q);
  const rows = db.prepare(`SELECT * FROM audit_log${sql} ORDER BY seq`).all(...params) as AuditRow[];
  const chain = verifyAuditChain(db);
  const head = chain.ok ? chain.head : null;

  const wb = await newWorkbook();
  wb.creator = user;
  const ws = addListSheet(wb, '审计日志', 4, '共济对账工作站 审计日志');
  ws.addRow(['共济对账工作站 审计日志']).font = { bold: true, size: 14 };
  ws.addRow([`导出人：${user}\u3000导出时间：${beijingIso()}\u3000筛选：${JSON.stringify(q)}`]);
  ws.addRow([chain.ok ? `审计链完整，共 ${chain.entries} 条，链头哈希：${chain.head}` : `审计链断裂：${chain.reason}`]).font = { bold: true, color: { argb: chain.ok ? 'FF1B5E20' : 'FFB71C1C' } };
  addListHeader(ws, COLUMNS);
  // Shown in Beijing time; the stored UTC text (what each hash covers) is the same instant.
  // The action and detail in words for the reader, and as stored (code, JSON) for a program.
  for (const r of rows) addListRow(ws, COLUMNS, [r.seq, beijingIso(new Date(r.at)), r.actor, auditActionLabel(r.action), auditTargetText(r.target), auditDetailSummary(r.detail), r.action, r.detail, r.prev_hash, r.hash]);

  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  appendAudit(db, { actor: user, action: 'audit.export', target: path.basename(out), detail: { query: q, rows: rows.length, head } });
  await wb.xlsx.writeFile(out);
  return { path: out, rows: rows.length, head, chainOk: chain.ok };
}
