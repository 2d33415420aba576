// The audit trail as an XLSX an auditor can file: the chosen entries, and the
// chain's head hash and verification result written above them.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beijingIso } from '../../../shared/beijing-time';
import type { Database } from 'better-sqlite3';
import type { AuditQuery, AuditRow } from '../../../shared/audit-types';
import { appendAudit, verifyAuditChain } from './audit-log';
import { auditWhere } from './audit-query';

export async function exportAudit(db: Database, q: AuditQuery, out: string, user: string): Promise<{ path: string; rows: number; head: string | null; chainOk: boolean }> {
  const { sql, params } = auditWhere(q);
  const rows = db.prepare(`SELECT * FROM audit_log${sql} ORDER BY seq`).all(...params) as AuditRow[];
  const chain = verifyAuditChain(db);
  const head = chain.ok ? chain.head : null;

  const wb = new ExcelJS.Workbook();
  wb.creator = user;
  const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 4 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '4:4' } });
  ws.addRow(['共济对账工作站 审计日志']).font = { bold: true, size: 14 };
  ws.addRow([`导出人：${user}`, `导出时间：${beijingIso()}`, `筛选：${JSON.stringify(q)}`]);
  ws.addRow([chain.ok ? `审计链完整，共 ${chain.entries} 条，链头哈希：${chain.head}` : `审计链断裂：${chain.reason}`]).font = { bold: true, color: { argb: chain.ok ? 'FF1B5E20' : 'FFB71C1C' } };
  const header = ws.addRow(['序号', '时间', '操作人', '操作', '对象', '详情', '前一哈希', '哈希']);
  header.font = { bold: true };
  header.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE3F2FD' } }));
  // Shown in Beijing time; the stored UTC text (what each hash covers) is the same instant.
  for (const r of rows) ws.addRow([r.seq, beijingIso(new Date(r.at)), r.actor, r.action, r.target ?? '', r.detail, r.prev_hash, r.hash]);
  [8, 24, 14, 18, 22, 60, 66, 66].forEach((w, i) => (ws.getColumn(i + 1).width = w));

  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  appendAudit(db, { actor: user, action: 'audit.export', target: path.basename(out), detail: { query: q, rows: rows.length, head } });
  await wb.xlsx.writeFile(out);
  return { path: out, rows: rows.length, head, chainOk: chain.ok };
}
