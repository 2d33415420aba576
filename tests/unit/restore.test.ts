// Restore trusts nothing (issue 13): each poisoned backup is refused with a Chinese
// message saying what is wrong, and the live database is left exactly as it was.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTextFile } from '../support/files';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';
import { importFile, refusal, signIn, tempDir, tempEngine, type TestEngine } from '../support/temp-engine';
import { WorkerJobRunner } from '../../electron/host/jobs/worker-runner';

let e: TestEngine;
let backup: string;

beforeAll(async () => {
  e = await tempEngine();
  const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3 } });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
  await signIn(e, 'fin', ['finance']);
  backup = (await e.call('system/backup', { path: path.join(e.dir, 'backup.sqlite') }, e.caller)).path;
}, 60_000);

/** A copy of the good backup (with its head file) changed by `poison` through a plain SQLite connection. */
function poisoned(poison: (db: Database.Database) => void, opts: { keepHead?: boolean } = {}): string {
  const dir = tempDir();
  const file = path.join(dir, 'backup.sqlite');
  fs.copyFileSync(backup, file);
  if (opts.keepHead !== false) fs.copyFileSync(`${backup}.head.json`, `${file}.head.json`);
  const db = new Database(file);
  poison(db);
  db.pragma('journal_mode = DELETE');
  db.close();
  return file;
}

/** Runs SQL with the append-only triggers lifted and put back exactly as they were. */
const behindTriggers = (db: Database.Database, sql: () => void) => {
  const t = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { sql: string }[];
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  sql();
  for (const x of t) db.exec(x.sql);
};

const liveState = () => ({ mtime: fs.statSync(e.dbPath).mtimeMs, audit: (e.db.prepare('SELECT count(*) n, max(hash) h FROM audit_log').get() as { n: number; h: string }) });

async function refused(file: string, words: RegExp, args: Record<string, unknown> = {}) {
  const before = liveState();
  const err = await refusal(() => e.call('system/restore', { path: file, ...args }, e.caller));
  expect(err.message).toMatch(words);
  expect(err.message).toContain('现用数据库没有改动');
  // Refusals are not audited writes of the live file's data: the store is as it was.
  expect(liveState().audit.n).toBe(before.audit.n);
  expect(fs.readdirSync(path.dirname(e.dbPath)).filter((f) => f.startsWith('.restore-'))).toEqual([]);
  return err;
}

describe('restore refuses a poisoned backup', () => {
  it('an extra AFTER INSERT trigger on the audit table (the chain still verifies)', async () => {
    await refused(poisoned((db) => db.exec("CREATE TRIGGER audit_copy AFTER INSERT ON audit_log BEGIN SELECT 1; END")), /多出了 trigger“audit_copy”/);
  });
  it('a view over the password hashes', async () => {
    await refused(poisoned((db) => db.exec('CREATE VIEW hashes AS SELECT name, password_hash FROM app_user')), /多出了 view“hashes”/);
  });
  it('dropped append-only triggers', async () => {
    await refused(poisoned((db) => db.exec('DROP TRIGGER audit_log_no_delete')), /缺少 trigger“audit_log_no_delete”/);
  });
  it('the last audit entries deleted', async () => {
    await refused(poisoned((db) => behindTriggers(db, () => db.exec('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log)'))), /尾部被删去/);
  });
  it('another role given to an account outside the trail', async () => {
    await refused(poisoned((db) => db.prepare("UPDATE app_user SET roles = ? WHERE name = 'fin'").run(JSON.stringify(['finance', 'admin']))), /账户“fin”的角色/);
  });
  it('a -wal sidecar beside it', async () => {
    const file = poisoned(() => undefined);
    fs.writeFileSync(`${file}-wal`, Buffer.alloc(4096, 1));
    await refused(file, /-wal/);
  });
  it('a copy taken around the workstation (no head recorded at backup time)', async () => {
    const file = path.join(tempDir(), 'copied.sqlite');
    const raw = new Database(e.dbPath, { readonly: true });
    await raw.backup(file);
    raw.close();
    await refused(file, /找不到备份时记录的审计链头/);
  });
  it('another workstation’s database, unless an administrator names the reason (audited)', async () => {
    const other = await tempEngine();
    const b = (await other.call('system/backup', { path: path.join(other.dir, 'theirs.sqlite') }, other.caller)).path;
    await other.close();
    await refused(b, /属于另一台工作站/);
    const r = await e.call('system/restore', { path: b, foreignReason: '合并前演练：恢复市局的备份' }, e.caller);
    expect(r.restored).toBe(b);
    const last = e.db.prepare('SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string; detail: string };
    expect(last.action).toBe('system.restore');
    expect(JSON.parse(last.detail)).toMatchObject({ reason: '合并前演练：恢复市局的备份', foreign: expect.any(String) });
    // And back to our own, which is accepted as it is (its head is beside it).
    await e.call('system/restore', { path: backup, foreignReason: '还原本机' }, e.caller);
  });
});

/** A workstation whose jobs run in worker threads, as in the app (each copies its log after reporting), with its runner and a backup. */
async function withWorkerThreads() {
  let runner!: WorkerJobRunner;
  const w = await tempEngine(tempDir(), (db, bus) => (runner = new WorkerJobRunner({ dbPath: db.name }, bus)));
  const b = (await w.call('system/backup', { path: path.join(w.dir, 'b.sqlite') }, w.caller)).path;
  return { w, runner, b };
}

describe('restore while a job runs', () => {
  it('is refused, and nothing is renamed under the worker', async () => {
    const w = await tempEngine();
    const b = (await w.call('system/backup', { path: path.join(w.dir, 'b.sqlite') }, w.caller)).path;
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2000 } });
    const { jobId } = await w.call('jobs/start', { type: 'import', args: { path: writeTextFile(path.join(w.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) } }, w.caller);
    const err = await refusal(() => w.call('system/restore', { path: b }, w.caller));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('任务正在进行');
    expect((await w.jobs.wait(jobId)).outcome).toBe('result');
    await w.call('system/restore', { path: b }, w.caller);
    await w.close();
  });

  it('waits, once a job has ended, for its thread to let go of the file (it copies its log in after reporting)', async () => {
    const { w, runner, b } = await withWorkerThreads();
    const quiet = runner.quiet.bind(runner);
    const order: string[] = [];
    runner.quiet = async () => {
      await quiet();
      order.push('threads gone');
    };
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3000 } });
    const { jobId } = await w.call('jobs/start', { type: 'import', args: { path: writeTextFile(path.join(w.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) } }, w.caller);
    expect((await w.jobs.wait(jobId)).outcome).toBe('result');
    await w.call('system/restore', { path: b }, w.caller);
    order.push('restored');
    expect(order).toEqual(['threads gone', 'restored']);
    // The backup's state, whole: no batch, and the file is sound.
    expect(w.db.prepare('SELECT count(*) FROM import_batch').pluck().get()).toBe(0);
    expect(w.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await w.close();
  });

  it('is refused when a job starts while it waits for the threads', async () => {
    const { w, runner, b } = await withWorkerThreads();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2000 } });
    const file = writeTextFile(path.join(w.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const quiet = runner.quiet.bind(runner);
    let jobId = '';
    runner.quiet = async () => {
      // Another officer starts an import in the moment the restore waits.
      jobId = (await w.call('jobs/start', { type: 'import', args: { path: file } }, w.caller)).jobId;
      await quiet();
    };
    const err = await refusal(() => w.call('system/restore', { path: b }, w.caller));
    expect(err.code).toBe('CONFLICT');
    expect((await w.jobs.wait(jobId)).outcome).toBe('result');
    runner.quiet = quiet;
    // Nothing was replaced: the import stands.
    expect(w.db.prepare('SELECT count(*) FROM import_batch').pluck().get()).toBe(1);
    await w.close();
  });
});
