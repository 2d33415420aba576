// Opens the workstation's one SQLite file: WAL, foreign keys, an integrity check
// with a message a person can act on, then the migrations.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';
import { appendAudit } from '../audit/audit-log';
import { SYSTEM_ACTOR } from '../../../shared/audit-labels';

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for another ABI (the Electron app). */
  nativeBinding?: string;
  /** Stop at this schema version (tests build databases of earlier versions). */
  targetVersion?: number;
  readonly?: boolean;
  /** Skip the full integrity check (worker threads re-open a file the host has checked). */
  skipIntegrityCheck?: boolean;
  /** How long a write waits for another process's writer (default 10 s; the CLI, a batch run, waits longer). */
  busyTimeoutMs?: number;
}

/** The native binding each connection was opened with (a thread that opens the file again needs the same). */
const bindings = new WeakMap<Database, string>();

/** The nativeBinding `db` was opened with (the Electron app's build of better-sqlite3), if any. */
export function nativeBindingOf(db: Database): string | undefined {
  return bindings.get(db);
}

export function openStore(file: string, opts: OpenOptions = {}): Database {
  // Only stat, never open: closing any descriptor of the file would drop the POSIX
  // locks of every connection this process holds on it (a worker thread opening the
  // store while the host's connection is open), and another program could then
  // delete the WAL under us. Whether it is a database at all, SQLite says below.
  const exists = fs.existsSync(file) && fs.statSync(file).size > 0;
  if (!exists) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });

  let db: Database;
  try {
    db = new BetterSqlite3(file, {
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      ...(opts.readonly ? { readonly: true } : {}),
    });
  } catch (e) {
    throw damaged(file, (e as Error).message);
  }
  try {
    // A new file gets 64 KB pages: imported rows are stored as blocks of a few
    // megabytes, and big pages write them (to the WAL, then to the file) in a
    // third of the time 4 KB pages take. It can only be set before the first
    // write; a file created before keeps its pages.
    if (!exists && !opts.readonly) db.pragma('page_size = 65536');
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 10_000))}`);
    // 8 MB of page cache (the default 2 MB is 31 pages of 64 KB). A big
    // transaction (an import) writes its pages to the WAL as the cache fills, while
    // it goes on, rather than all at its commit (a larger cache only delays that).
    db.pragma('cache_size = -8192');
    // The policy checks and the clearing lines read rows through a temp table (row-view).
    db.pragma('temp_store = MEMORY');
    if (exists && !opts.skipIntegrityCheck) checkIntegrity(db, file);
    if (!opts.readonly) migrate(db, MIGRATIONS, opts.targetVersion);
    if (opts.nativeBinding) bindings.set(db, opts.nativeBinding);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof EngineError) throw e;
    const notDb = (e as { code?: string }).code === 'SQLITE_NOTADB';
    throw damaged(file, notDb ? '文件头不是 SQLite 数据库' : (e as Error).message);
  }
}

function checkIntegrity(db: Database, file: string): void {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  if (problems.length) throw damaged(file, problems.slice(0, 5).join('; '));
}

function damaged(file: string, why: string): EngineError {
  return new EngineError(
    'DB_DAMAGED',
    `工作站数据库已损坏，无法打开：${file}（${why}）。请从备份恢复，或将该文件交给管理员检查。`,
    { file, why },
  );
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database, migrations: Migration[], target?: number): void {
  const current = schemaVersion(db);
  const newest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > newest) {
    throw new EngineError('DB_DAMAGED', `数据库版本 ${current} 比本程序支持的版本 ${newest} 更新：请升级工作站程序。`);
  }
  const applied: Migration[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    if (target !== undefined && m.version > target) break;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m);
  }
  // An upgrade of a workstation's file (a new program opened it) is a change an
  // auditor should see: which versions, what changed. A new file is not upgraded.
  const hasTrail = () => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !== undefined;
  if (current > 0 && applied.length > 0 && hasTrail()) {
    db.transaction(() =>
      appendAudit(db, { actor: SYSTEM_ACTOR, action: 'store.migrate', detail: { fromVersion: current, toVersion: applied[applied.length - 1]!.version, steps: applied.map((m) => m.name) } }),
    )();
  }
}
