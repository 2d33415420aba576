// A job commits into the write-ahead log and reports its end; only then does its
// thread copy the log into the database file (checkpoint.ts). Nothing committed
// may depend on that copy, and the copy must happen before the thread lets go.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EventBus } from '../../electron/engine/event-bus';
import { openStore } from '../../electron/engine/store/open-store';
import { checkpointNow, deferCheckpoints } from '../../electron/engine/store/checkpoint';
import { WorkerJobRunner } from '../../electron/host/jobs/worker-runner';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { tempDir } from '../support/temp-engine';

/** The database file read on its own, as a program that copied it without its log would: what it holds. */
function fileAlone(dbPath: string, sql: string): unknown {
  const copy = path.join(tempDir(), 'alone.sqlite');
  fs.copyFileSync(dbPath, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
}

/** About 5 MB committed in one transaction: some 80 pages of 64 KB in the log. */
function writeSome(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS scratch (b BLOB)');
  const ins = db.prepare('INSERT INTO scratch (b) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 50; i++) ins.run(Buffer.alloc(100_000, i));
  })();
}

describe('deferred checkpoints', () => {
  it('a commit stays in the log, visible to every reader, until checkpointNow copies it into the file', () => {
    const dbPath = path.join(tempDir(), 'w.sqlite');
    const db = openStore(dbPath);
    const reader = openStore(dbPath);
    onTestFinished(() => {
      db.close();
      reader.close();
    });
    deferCheckpoints(db);
    writeSome(db);
    expect(reader.prepare('SELECT count(*) FROM scratch').pluck().get()).toBe(50);
    expect(fs.statSync(`${dbPath}-wal`).size).toBeGreaterThan(5_000_000);
    // The file on its own does not have the table yet.
    expect(fileAlone(dbPath, "SELECT count(*) FROM sqlite_master WHERE name = 'scratch'")).toBe(0);
    const c = checkpointNow(db);
    expect(c.logPages).toBeGreaterThan(70);
    expect(c.copiedPages).toBe(c.logPages);
    expect(fileAlone(dbPath, 'SELECT count(*) FROM scratch')).toBe(50);
  });

  it('without it, a connection copies the log in the commit that takes it past its limit (what a job no longer waits for)', () => {
    const dbPath = path.join(tempDir(), 'w.sqlite');
    const db = openStore(dbPath);
    onTestFinished(() => void db.close());
    db.pragma('wal_autocheckpoint = 10');
    writeSome(db);
    expect(fileAlone(dbPath, 'SELECT count(*) FROM scratch')).toBe(50);
  });
});

/**
 * A store in a folder of its own, held open for the test as the engine's own connection
 * is: a job's thread is then not the last to close, and its close does not copy the log by itself.
 */
function heldStore() {
  const dir = tempDir();
  const dbPath = path.join(dir, 'w.sqlite');
  const held = openStore(dbPath);
  onTestFinished(() => void held.close());
  return { dir, dbPath, held };
}

describe('a job thread', () => {
  it('reports the import, then copies its log into the file before it ends', async () => {
    const { dir, dbPath, held } = heldStore();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3000 } });
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const bus = new EventBus();
    const runner = new WorkerJobRunner({ dbPath }, bus);
    const events: string[] = [];
    bus.on('job/finished', () => events.push('finished'));
    const fin = await runner.wait(runner.start('import', { path: file }, 'officer-a'));
    expect(fin).toMatchObject({ outcome: 'result', result: { rows: 3000 } });
    expect(events).toEqual(['finished']);
    // Committed: every connection sees the batch at once.
    expect(held.prepare('SELECT count(*) FROM import_batch').pluck().get()).toBe(1);
    await runner.quiet();
    expect(fileAlone(dbPath, 'SELECT count(*) FROM import_batch')).toBe(1);
    expect(fileAlone(dbPath, 'SELECT coalesce(sum(n), 0) FROM row_block')).toBe(3000);
    await runner.close();
  });

  it('lets the next job start at its result, while it still copies its log: both commit and both reach the file', async () => {
    // The app lets an officer start the ledger's import the moment the tax extract's is
    // reported (the bench's whole job runs so): the first thread's checkpoint (PASSIVE)
    // and the second's writes then share the log, and neither may fail or lose pages.
    const { dir, dbPath, held } = heldStore();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 20_000 } });
    const tax = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const ledger = writeTextFile(path.join(dir, 'ledger.csv'), LEDGER_HEADER, g.ledger);
    const runner = new WorkerJobRunner({ dbPath }, new EventBus());
    const first = await runner.wait(runner.start('import', { path: tax }, 'officer-a'));
    const second = runner.wait(runner.start('import', { path: ledger }, 'officer-a'));
    const match = await second.then(() => runner.wait(runner.start('reconcile', { kind: 'premium', period: '2025-W47' }, 'officer-a')));
    expect(first).toMatchObject({ outcome: 'result', result: { rows: 20_000 } });
    expect(await second).toMatchObject({ outcome: 'result', result: { rows: g.ledger.length } });
    expect(match).toMatchObject({ outcome: 'result', result: { matched: { count: 20_000 } } });
    await runner.quiet();
    expect(fileAlone(dbPath, 'SELECT coalesce(sum(n), 0) FROM row_block')).toBe(20_000 + g.ledger.length);
    expect(fileAlone(dbPath, 'SELECT count(*) FROM recon_run')).toBe(1);
    expect(held.pragma('integrity_check', { simple: true })).toBe('ok');
    await runner.close();
  });
});
