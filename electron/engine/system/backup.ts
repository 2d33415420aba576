// Backup with SQLite's online backup (the workstation keeps working meanwhile) and
// a restore that checks the copy — integrity and the whole audit chain — before
// anything of the live database is replaced.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { openStore } from '../store/open-store';
import { appendAudit, verifyAuditChain } from '../audit/audit-log';
import { writeBackupAnchor } from '../audit/audit-anchors';
import { getSetting } from './settings';
import { beijingIso } from '../../../shared/beijing-time';

export async function backupTo(db: Database, dest: string, user: string): Promise<{ path: string; bytes: number; auditHead: string | null }> {
  if (fs.existsSync(dest)) throw new EngineError('CONFLICT', `备份文件已存在：${dest}`);
  fs.mkdirSync(path.dirname(path.resolve(dest)), { recursive: true });
  // The entry goes in first, so the backup carries the record of its own making.
  appendAudit(db, { actor: user, action: 'system.backup', target: path.basename(dest), detail: { path: dest } });
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  await db.backup(dest);
  // The head beside the file anchors the chain outside the database (audit-anchors).
  writeBackupAnchor(dest, head, getSetting(db, 'workstation_id', ''), beijingIso());
  return { path: dest, bytes: fs.statSync(dest).size, auditHead: head.hash };
}

/** Opens a backup read-only and checks it; throws with the reason if it is not fit. */
export function checkBackup(file: string): { entries: number; head: string } {
  if (!fs.existsSync(file)) throw new EngineError('NOT_FOUND', `找不到备份文件：${file}`);
  const copy = openStore(file, { readonly: true });
  try {
    const chain = verifyAuditChain(copy);
    if (!chain.ok) throw new EngineError('DB_DAMAGED', `备份的审计链不完整：${chain.reason}，不予恢复`);
    return { entries: chain.entries, head: chain.head };
  } finally {
    copy.close();
  }
}

/**
 * Replaces the live database file with a checked backup. The caller closes its
 * connection first and reopens after; the file being replaced is kept beside it.
 */
export function replaceWithBackup(live: string, backup: string): string {
  const aside = `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(live, aside);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(live + ext)) fs.renameSync(live + ext, aside + ext);
  fs.copyFileSync(backup, live);
  return aside;
}
