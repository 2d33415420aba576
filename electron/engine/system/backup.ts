// Backup with SQLite's online backup (the workstation keeps working meanwhile),
// and a restore that trusts nothing: the backup is copied aside and checked there
// — one file with no sidecar, integrity, exactly the schema its version creates,
// the whole audit chain and the head recorded when the backup was made, accounts'
// roles as the trail says they were given, and this workstation's own id — before
// anything of the live database is replaced.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { beijingIso } from '../../../shared/beijing-time';
import { openStore, schemaVersion } from '../store/open-store';
import { SCHEMA_VERSION } from '../store/migrations';
import { appendAudit, verifyAuditChain } from '../audit/audit-log';
import { writeBackupAnchor } from '../audit/audit-anchors';
import { getSetting } from './settings';
import { readSmallFile } from './read-small-file';
import { sha256File, sha256FileSync } from '../ingest/file-hash';

export async function backupTo(db: Database, dest: string, user: string): Promise<{ path: string; bytes: number; auditHead: string | null }> {
  if (fs.existsSync(dest)) throw new EngineError('CONFLICT', `备份文件已存在：${dest}`);
  fs.mkdirSync(path.dirname(path.resolve(dest)), { recursive: true });
  // The entry goes in first, so the backup carries the record of its own making.
  appendAudit(db, { actor: user, action: 'system.backup', target: path.basename(dest), detail: { path: dest } });
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  await db.backup(dest);
  // The head is recorded twice outside the backup: beside it (for audit verify and
  // other machines) and in this workstation's trail with the file's SHA-256.
  writeBackupAnchor(dest, head, getSetting(db, 'workstation_id', ''), beijingIso());
  appendAudit(db, { actor: user, action: 'system.backup.head', target: path.basename(dest), detail: { sha256: await sha256File(dest), head } });
  return { path: dest, bytes: fs.statSync(dest).size, auditHead: head.hash };
}

export interface CheckedBackup {
  entries: number;
  head: string;
  /** The checked copy (a temporary file) that replaces the live database. */
  copy: string;
  workstation: string | null;
  foreign: boolean;
}

const refuse = (file: string, why: string) => new EngineError('DB_DAMAGED', `备份 ${path.basename(file)} 不予恢复：${why}。现用数据库没有改动。`);

type SchemaRow = { type: string; name: string; tbl_name: string; sql: string | null };
const schemaOf = (db: Database) =>
  new Map((db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all() as SchemaRow[]).map((r) => [`${r.type}:${r.name}`, r]));

/** The schema the migrations create at `version`, from a fresh file. */
function referenceSchema(version: number): Map<string, SchemaRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongji-ref-'));
  try {
    const ref = openStore(path.join(dir, 'ref.sqlite'), { targetVersion: version });
    try {
      return schemaOf(ref);
    } finally {
      ref.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Where the trail says each account's roles were last set; an account the trail never created, or roles changed outside it, do not fit. */
function rolesAgainstTrail(copy: Database): string | null {
  const set = new Map<string, { roles: string[]; disabled: boolean }>();
  for (const e of copy.prepare("SELECT action, target, detail FROM audit_log WHERE action IN ('user.create', 'user.update') ORDER BY seq").iterate() as IterableIterator<{ action: string; target: string; detail: string }>) {
    const after = (JSON.parse(e.detail) as { after?: { roles?: string[]; disabled?: boolean } }).after ?? {};
    const name = e.target.replace(/^user:/, '');
    const before = set.get(name);
    set.set(name, { roles: after.roles ?? before?.roles ?? [], disabled: after.disabled ?? before?.disabled ?? false });
  }
  for (const u of copy.prepare('SELECT name, roles, disabled FROM app_user').all() as { name: string; roles: string; disabled: number }[]) {
    const t = set.get(u.name);
    if (!t) return `账户“${u.name}”不在审计日志中（没有创建记录）`;
    const roles = (JSON.parse(u.roles) as string[]).slice().sort().join(',');
    if (roles !== t.roles.slice().sort().join(',')) return `账户“${u.name}”的角色（${roles}）与审计日志记载的（${t.roles.join(',')}）不符`;
    if ((u.disabled === 1) !== t.disabled) return `账户“${u.name}”的停用状态与审计日志记载的不符`;
  }
  return null;
}

/** The head recorded when this backup was made: this workstation's trail (by the file's SHA-256), or the file beside it. */
function recordedHead(live: Database, file: string, sha256: string): { seq: number; hash: string } | null {
  for (const e of live.prepare("SELECT detail FROM audit_log WHERE action = 'system.backup.head' ORDER BY seq DESC").iterate() as IterableIterator<{ detail: string }>) {
    const d = JSON.parse(e.detail) as { sha256?: string; head?: { seq: number; hash: string } };
    if (d.sha256 === sha256 && d.head) return d.head;
  }
  const side = `${file}.head.json`;
  if (!fs.existsSync(side)) return null;
  try {
    const h = JSON.parse(readSmallFile(side, 64 * 1024).toString('utf8')) as { seq?: unknown; hash?: unknown };
    return Number.isSafeInteger(h.seq) && typeof h.hash === 'string' ? { seq: h.seq as number, hash: h.hash } : null;
  } catch {
    return null;
  }
}

/**
 * Checks a backup in a copy of its own, opened read-only; throws with the reason
 * (in Chinese) when it is not fit. `foreignReason`: an administrator restores
 * another workstation's file on purpose (audited by the caller).
 */
export function checkBackup(live: Database, file: string, foreignReason?: string): CheckedBackup {
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) throw new EngineError('NOT_FOUND', `找不到备份文件：${file}`);
  if (st.isSymbolicLink() || !st.isFile()) throw refuse(file, '它不是普通文件（不跟随链接）');
  for (const ext of ['-wal', '-shm', '-journal']) {
    if (fs.existsSync(file + ext)) throw refuse(file, `旁边有 ${path.basename(file + ext)}：备份应是单个文件（其中的改动不在备份里，可能与之不符）；请用“备份数据库”重新备份，或确认后移走该文件`);
  }
  const dir = fs.mkdtempSync(path.join(path.dirname(path.resolve(live.name)), '.restore-'));
  const copy = path.join(dir, 'backup.sqlite');
  try {
    fs.copyFileSync(file, copy);
    const sha256 = sha256FileSync(copy);
    let db: Database;
    try {
      db = openStore(copy, { readonly: true });
    } catch (e) {
      throw refuse(file, `不是完好的工作站数据库（${(e as Error).message}）`);
    }
    try {
      const version = schemaVersion(db);
      if (version < 1 || version > SCHEMA_VERSION) throw refuse(file, `结构版本 ${version} 不是本程序认识的版本`);
      const want = referenceSchema(version);
      const have = schemaOf(db);
      for (const [k, r] of have) {
        const w = want.get(k);
        if (!w) throw refuse(file, `其中多出了 ${r.type}“${r.name}”（第 ${version} 版的结构没有它）`);
        if ((w.sql ?? '') !== (r.sql ?? '')) throw refuse(file, `${r.type}“${r.name}”的定义与第 ${version} 版的结构不同`);
      }
      for (const [, w] of want) if (!have.has(`${w.type}:${w.name}`)) throw refuse(file, `缺少 ${w.type}“${w.name}”（如只能追加的审计触发器）`);
      const chain = verifyAuditChain(db);
      if (!chain.ok) throw refuse(file, `审计链不完整：${chain.reason}`);
      const head = recordedHead(live, file, sha256);
      if (!head) throw refuse(file, '找不到备份时记录的审计链头（本工作站审计日志中的备份记录，或备份旁的 .head.json）');
      const at = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(head.seq) as { hash: string } | undefined;
      if (!at) throw refuse(file, `审计链只有 ${chain.entries} 条，不含备份时的第 ${head.seq} 条：日志尾部被删去`);
      if (at.hash !== head.hash) throw refuse(file, `第 ${head.seq} 条的哈希与备份时记录的不符：审计链被改写`);
      const roles = rolesAgainstTrail(db);
      if (roles) throw refuse(file, roles);
      const theirs = version >= 12 ? getSetting(db, 'workstation_id', '') || null : null;
      const ours = getSetting(live, 'workstation_id', '');
      const foreign = theirs !== ours;
      if (foreign && !foreignReason) {
        throw refuse(file, theirs ? `它属于另一台工作站（${theirs}，本机 ${ours}）；如确需恢复，须由管理员注明原因` : '它没有工作站标识（早于本版本的备份），无法确认属于本工作站；如确需恢复，须由管理员注明原因');
      }
      return { entries: chain.entries, head: chain.head, copy, workstation: theirs, foreign };
    } finally {
      db.close();
    }
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Replaces the live database file with the checked copy. The caller closes its
 * connection first and reopens after; the file being replaced is kept beside it.
 */
export function replaceWithBackup(live: string, checkedCopy: string): string {
  const aside = `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(live, aside);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(live + ext)) fs.renameSync(live + ext, aside + ext);
  fs.renameSync(checkedCopy, live);
  fs.rmSync(path.dirname(checkedCopy), { recursive: true, force: true });
  return aside;
}
