import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import { verifyAuditChain } from '../../electron/engine/audit/audit-log';
import { PASSWORD, importFile, refusal, signIn, tempDir, tempEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';

describe('users, roles and sessions', () => {
  it('keeps passwords only as scrypt hashes and refuses a wrong one', async () => {
    const e = await tempEngine();
    const row = e.db.prepare("SELECT password_hash FROM app_user WHERE name = 'officer-a'").get() as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/); // OWASP: N = 2^17, r = 8, p = 1
    expect(row.password_hash).not.toContain(PASSWORD);
    const err = await refusal(() => e.call('auth/login', { name: 'officer-a', password: 'Wrong-pass-1' }, { host: 'cli' }));
    expect(err).toMatchObject({ code: 'UNAUTHENTICATED', message: '用户名或口令不对' });
    const nobody = await refusal(() => e.call('auth/login', { name: 'nobody', password: PASSWORD }, { host: 'cli' }));
    expect(nobody.message).toBe('用户名或口令不对');
    await e.close();
  });

  it('refuses every non-public call without a session', async () => {
    const e = await tempEngine();
    for (const [name, args] of [['imports/list', {}], ['breaks/list', { kind: 'premium' }], ['users/list', {}]] as const) {
      await expect(e.call(name, args, { host: 'http' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    await e.close();
  });

  it('gives the only account every role, and the assigned roles once others exist', async () => {
    const e = await tempEngine();
    expect((await e.call('auth/status', {}, e.caller)).session?.roles).toEqual(['officer', 'finance', 'auditor', 'admin']);
    await signIn(e, 'auditor-c', ['auditor']);
    expect((await e.call('auth/status', {}, e.caller)).session?.roles).toEqual(['admin']);
    await e.close();
  });

  it('lets the auditor read everything and change nothing, checked in the engine', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3 } });
    const file = writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const officer = await signIn(e, 'officer-b', ['officer']);
    const auditor = await signIn(e, 'auditor-c', ['auditor']);
    await e.call('jobs/start', { type: 'import', args: { path: file } }, officer).then((r) => e.jobs.wait(r.jobId));
    const batches = await e.call('imports/list', {}, auditor);
    expect(batches).toHaveLength(1);
    await e.call('audit/list', {}, auditor);
    await expect(e.call('imports/withdraw', { batchId: batches[0]!.id, reason: '试图撤销' }, auditor)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('对账员') });
    await expect(e.call('jobs/start', { type: 'reconcile', args: { kind: 'premium', period: '2025-W47' } }, auditor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(e.call('users/create', { name: 'x1', displayName: 'x', roles: ['admin'], password: PASSWORD }, auditor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(e.call('users/password', { name: 'officer-a', password: 'Another-pass-2' }, auditor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await e.close();
  });

  it('locks an idle session until the password is given again', async () => {
    let now = Date.parse('2025-11-24T09:00:00Z');
    const dir = tempDir();
    const e = createEngine({ dbPath: path.join(dir, 'w.sqlite'), host: 'http', now: () => now });
    const { session } = await e.call('auth/setup', { name: 'admin', displayName: '管理员', password: PASSWORD }, { host: 'http' });
    const caller = { host: 'http' as const, session };
    await e.call('imports/list', {}, caller);
    now += 16 * 60_000;
    await expect(e.call('imports/list', {}, caller)).rejects.toMatchObject({ code: 'LOCKED' });
    expect((await e.call('auth/status', {}, caller)).session?.locked).toBe(true);
    await expect(e.call('auth/unlock', { password: 'Wrong-pass-1' }, caller)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await e.call('auth/unlock', { password: PASSWORD }, caller);
    await expect(e.call('imports/list', {}, caller)).resolves.toEqual([]);
    await e.close();
  });

  it('audits user changes with before and after, and keeps at least one administrator', async () => {
    const e = await tempEngine();
    await signIn(e, 'officer-b', ['officer']);
    await e.call('users/update', { name: 'officer-b', roles: ['officer', 'finance'] }, e.caller);
    const entry = e.db.prepare("SELECT detail FROM audit_log WHERE action = 'user.update'").get() as { detail: string };
    expect(JSON.parse(entry.detail)).toMatchObject({ before: { roles: ['officer'] }, after: { roles: ['officer', 'finance'] } });
    await expect(e.call('users/update', { name: 'officer-a', roles: ['officer'] }, e.caller)).rejects.toMatchObject({ code: 'CONFLICT' });
    await e.close();
  });
});

describe('backup and restore', () => {
  it('restores a backup with its audit chain intact, and records the restore', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3 } });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    const b = await e.call('system/backup', { path: path.join(e.dir, 'backup.sqlite') }, e.caller);
    expect(fs.existsSync(b.path)).toBe(true);
    // Work after the backup that the restore will take back.
    await e.call('imports/withdraw', { batchId: 1, reason: '误操作' }, e.caller);
    expect(await e.call('imports/list', {}, e.caller)).toEqual([]);
    const r = await e.call('system/restore', { path: b.path }, e.caller);
    expect(fs.existsSync(r.keptAside)).toBe(true);
    expect(await e.call('imports/list', {}, e.caller)).toHaveLength(1);
    const chain = verifyAuditChain(e.db);
    expect(chain.ok).toBe(true);
    const last = e.db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2').all();
    expect(last).toEqual([{ action: 'system.restore' }, { action: 'system.backup' }]);
    await e.close();
  });

  it('refuses a backup whose audit chain was tampered with, replacing nothing', async () => {
    const e = await tempEngine();
    const b = await e.call('system/backup', { path: path.join(e.dir, 'backup.sqlite') }, e.caller);
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(b.path);
    // The trigger is put back exactly as it was, so only the chain can tell.
    const trigger = (raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'").get() as { sql: string }).sql;
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1").run();
    raw.exec(trigger);
    raw.close();
    const before = fs.statSync(e.dbPath).mtimeMs;
    await expect(e.call('system/restore', { path: b.path }, e.caller)).rejects.toMatchObject({ code: 'DB_DAMAGED', message: expect.stringContaining('第 1 条') });
    expect(fs.statSync(e.dbPath).mtimeMs).toBe(before);
    await e.close();
  });
});

describe('audit export', () => {
  it('writes the entries and the chain head to XLSX', async () => {
    const e = await tempEngine();
    const r = await e.call('audit/export', {}, e.caller);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.path);
    const ws = wb.getWorksheet('审计日志')!;
    expect(String(ws.getCell('A3').value)).toContain(`链头哈希：${r.head}`);
    expect(ws.getRow(4).values).toEqual([undefined, '序号', '时间', '操作人', '操作', '对象', '详情', '操作代码', '详情（原文）', '前一哈希', '哈希']);
    // The action and its detail in words for the reader, and as stored for a program.
    expect(ws.getCell('D5').value).toBe('添加用户');
    expect(ws.getCell('E5').value).toBe('用户 officer-a'); // the target in words too (stored as user:officer-a)
    expect(ws.getCell('G5').value).toBe('user.create');
    expect(String(ws.getCell('F5').value)).toContain('名称 officer-a');
    expect(JSON.parse(String(ws.getCell('H5').value))).toMatchObject({ after: { name: 'officer-a' } });
    expect(ws.headerFooter.oddFooter).toContain('第 &P 页，共 &N 页');
    expect(String(ws.getCell('B5').value)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/); // Beijing time with its offset
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    await e.close();
  });
});
