import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store/open-store';
import { verifyAuditChain } from '../../electron/engine/audit/audit-log';
import { writeTextFile } from '../support/files';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';
import { tempDir } from '../support/temp-engine';

const root = path.resolve(import.meta.dirname, '../..');

describe('an import killed halfway', () => {
  it('leaves no partial batch: the store opens clean', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'w.sqlite');
    openStore(db).close();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 150_000 } });
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030' });

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/host/cli/main.ts'), '--db', db, '--quiet', 'import', '--file', file], { cwd: root, stdio: 'ignore', env: { ...process.env, RECON_PASSWORD: 'Passw0rd-2025' } });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
    // Wait until rows are being written inside the open transaction, then pull the plug.
    const wal = `${db}-wal`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(fs.existsSync(wal) && fs.statSync(wal).size > 1_000_000)) await new Promise((r) => setTimeout(r, 20));
    expect(fs.statSync(wal).size).toBeGreaterThan(1_000_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const after = openStore(db);
    expect(after.prepare('SELECT count(*) n FROM import_batch').get()).toEqual({ n: 0 });
    expect(after.prepare('SELECT count(*) n FROM row_block').get()).toEqual({ n: 0 });
    // Only the first administrator's creation and sign-in, which committed before the import began.
    expect(verifyAuditChain(after)).toMatchObject({ ok: true, entries: 2 });
    expect(after.prepare('SELECT action FROM audit_log').all()).toEqual([{ action: 'user.create' }, { action: 'auth.login' }]);
    after.close();
  });
});
