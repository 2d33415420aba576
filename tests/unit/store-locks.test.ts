// Another program may read the workstation file at any time (a backup tool, an
// antivirus scan, sqlite3). It must never cost a write the host has confirmed.
// Before the fix, a worker thread's open checked the file header with its own
// descriptor; closing it dropped the host's POSIX locks, and the next outside
// reader deleted the WAL under the running host (issue 13).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store/open-store';
import { verifyAuditChain } from '../../electron/engine/audit/audit-log';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { firstAdminOverHttp, startWebHost, type WebHost } from '../support/web-host';

let host: WebHost | undefined;
afterEach(async () => {
  await host?.kill();
  host = undefined;
});

/**
 * An outside reader: the sqlite3 command-line shell opens the file, reads and
 * closes it. (Its SQLite, 3.40 in Debian 12, deletes the WAL on close when it can
 * lock the file exclusively; .ci/run installs it, and the test fails without it.)
 */
function outsideReader(db: string): void {
  const r = spawnSync('sqlite3', [db, 'select count(*) from audit_log'], { encoding: 'utf8' });
  expect(r.error, 'the sqlite3 shell is needed (apt-get install sqlite3)').toBeUndefined();
  expect(r.status, r.stderr).toBe(0);
}

const deletedFiles = (pid: number) =>
  fs.readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      const t = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      return t.endsWith('(deleted)') ? [t] : [];
    } catch {
      return [];
    }
  });

describe('the store under other programs', () => {
  it('loses no confirmed write when an outside reader opens the file after a job ran (WAL never deleted under the host)', async () => {
    host = await startWebHost();
    const h = host;
    const { call, job } = await firstAdminOverHttp(h);
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3, LEDGER_ONLY: 1 } });
    await job('import', { path: writeTextFile(path.join(h.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
    await job('import', { path: writeTextFile(path.join(h.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    await job('reconcile', { kind: 'premium', period: '2025-W47' });
    const page = await call('breaks/list', { kind: 'premium' });
    expect(page.total).toBe(1);

    outsideReader(h.dbPath);
    await call('breaks/comment', { id: page.rows[0].id, text: '外部程序读过之后的批注' });
    outsideReader(h.dbPath);
    expect(deletedFiles(h.pid)).toEqual([]);
    await h.kill();

    const db = openStore(h.dbPath);
    const events = db.prepare("SELECT detail FROM break_event WHERE action = 'comment'").all() as { detail: string }[];
    expect(events.map((e) => JSON.parse(e.detail).text)).toContain('外部程序读过之后的批注');
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    db.close();
  });
});
