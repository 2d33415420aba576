import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { tempDir } from '../support/temp-engine';
import { defaultUser } from '../../electron/host/default-paths';

describe('the command line', () => {
  it('lists its commands in --help, and every command has --help', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['info', 'import', 'imports', 'withdraw', 'reconcile', 'breaks', 'audit']) expect(r.stdout).toContain(c);
    const sub = cli(['import', '--help']);
    expect(sub.stdout).toContain('--accept-partial');
    expect(cli(['audit', 'verify', '--help']).code).toBe(0);
    // Chinese first, in the program's own words too: its headings, --help, --version and help.
    for (const out of [r.stdout, sub.stdout]) {
      expect(out).toMatch(/^用法 Usage: gongji/);
      expect(out).toContain('显示帮助');
      expect(out).not.toMatch(/display help|output the version/);
    }
    expect(r.stdout).toContain('选项 Options:');
    expect(r.stdout).toContain('命令 Commands:');
    expect(r.stdout).toContain('显示版本号');
    // Its errors before a command runs too, the English kept beside.
    const unknown = cli(['imprt']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^错误：未知命令 imprt\nerror: unknown command 'imprt'/);
    expect(unknown.stderr).toContain('（是否想输入 import？）');
    expect(cli(['import']).stderr).toMatch(/^错误：缺少必填选项 --file <path>/);
    expect(cli(['verify']).stderr).toMatch(/^错误：缺少参数 path/);
  });

  it('lists likely pairs, shows a break in detail with the other half named, assigns it and shows one’s queue; personal data masked', () => {
    const dir = tempDir();
    const db = path.join(dir, 'w.sqlite');
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 4, LEDGER_ONLY: 1 } });
    // The tax bureau has order 2 under another number.
    const order = g.tax[1]![0]!;
    const mistyped = `${order.slice(0, -1)}9`;
    g.tax[1]![0] = mistyped;
    for (const f of [writeTextFile(path.join(dir, 'ledger.csv'), LEDGER_HEADER, g.ledger), writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' })]) {
      const r = cli(['--db', db, 'import', '--file', f]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(cli(['--db', db, 'reconcile', '--kind', 'premium', '--period', '2025-W47']).code).toBe(0);
    const pairs = cli(['--db', db, 'breaks', '--kind', 'premium', '--paired']).json<{ key: string; paired: boolean }[]>();
    expect(pairs.map((b) => b.key).sort()).toEqual([order, mistyped].sort());
    expect(pairs.every((b) => b.paired)).toBe(true);
    const d = cli(['--db', db, 'detail', '--kind', 'premium', '--key', order]);
    expect(d.code, d.stderr).toBe(0);
    const detail = d.json<{ row: { key: string; certno: string }; ledger: { file: string; line: number }[]; counterparts: { key: string }[]; history: { action: string }[] }>();
    expect(detail.row.key).toBe(order);
    expect(detail.row.certno).toMatch(/\*{8}/);
    expect(detail.ledger[0]).toMatchObject({ file: 'ledger.csv', line: 3 });
    expect(detail.counterparts.map((c) => c.key)).toEqual([mistyped]);
    expect(detail.history.map((h) => h.action)).toEqual(['open']);
    expect(d.stderr).toContain(`可能的另一半：#`);
    expect(d.stdout).not.toMatch(/\d{17}[\dXx]/);
    expect(cli(['--db', db, 'detail', '--id', '1,2']).stderr).toContain('详情一次只看一条差异');
    // The feedback to the tax bureau names each half's likely other half.
    const fb = path.join(dir, 'feedback.txt');
    expect(cli(['--db', db, 'breaks', '--kind', 'premium', '--format', 'tax-feedback', '--out', fb]).code).toBe(0);
    const lines = fs.readFileSync(fb, 'utf8').split('\r\n');
    expect(lines.find((l) => l.startsWith(`${mistyped}|`))).toContain(`可能与医保单号 ${order} 为同一笔（同一证件号、同一金额）`);
    expect(lines.find((l) => l.startsWith(`${order}|`))).toContain(`可能与税务单号 ${mistyped} 为同一笔`);
    expect(lines.filter((l) => l.includes('可能与'))).toHaveLength(2);

    // Assigning from the command line, and one's queue there.
    expect(cli(['--db', db, 'assign', '--kind', 'premium', '--key', order]).stderr).toContain('请给 --to 用户名，或 --none 取消分配');
    // The CLI acts as the system account by default.
    const me = defaultUser();
    const given = cli(['--db', db, 'assign', '--kind', 'premium', '--key', order, '--to', me]);
    expect(given.code, given.stderr).toBe(0);
    expect(given.stderr).toContain(`已分配 1 条差异给 ${me}`);
    const q = cli(['--db', db, 'queue']);
    expect(q.code, q.stderr).toBe(0);
    expect(q.json<{ open: number }>().open).toBe(1);
    expect(q.stderr).toContain('分配给我的未处理差异 1 条：缴费共济 1');
    expect(cli(['--db', db, 'breaks', '--kind', 'premium', '--mine']).json<{ key: string }[]>().map((b) => b.key)).toEqual([order]);
    expect(cli(['--db', db, 'assign', '--kind', 'premium', '--key', order, '--none']).code).toBe(0);
    expect(cli(['--db', db, 'queue']).stderr).toContain('没有分配给我的未处理差异');
  });

  it('imports, reconciles and lists breaks as JSON, CSV and tax feedback', () => {
    const dir = tempDir();
    const db = path.join(dir, 'w.sqlite');
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 5, LEDGER_ONLY: 1, EXTERNAL_ONLY: 1, AMOUNT_MISMATCH: 1 } });
    const ledger = writeTextFile(path.join(dir, 'ledger.csv'), LEDGER_HEADER, g.ledger, { bom: true });
    const tax = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030', title: '对账明细' });

    const imp = cli(['--db', db, 'import', '--file', tax]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.json()).toMatchObject({ batchId: 1, kind: 'tax-premium', rows: g.tax.length, encoding: 'gb18030', delimiter: '|', rejected: 0 });
    expect(cli(['--db', db, 'import', '--file', ledger, '--kind', 'ledger-premium']).code).toBe(0);

    const rec = cli(['--db', db, 'reconcile', '--kind', 'premium', '--period', '2025-W47']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.json()).toMatchObject({ matched: { count: 5 }, tieOut: { ok: true } });

    const breaks = cli(['--db', db, 'breaks', '--kind', 'premium', '--period', '2025-W47', '--format', 'json']).json<Record<string, unknown>[]>();
    expect(breaks).toHaveLength(3);
    for (const b of breaks) for (const k of ['type', 'key', 'status', 'fields', 'amount_ledger', 'amount_external', 'opened_period', 'closed_period']) expect(b).toHaveProperty(k);

    const csv = cli(['--db', db, 'breaks', '--kind', 'premium', '--format', 'csv']);
    expect(csv.stdout.charCodeAt(0)).toBe(0xfeff);
    expect(csv.stdout).toContain('医保单边');

    const fb = path.join(dir, 'feedback.txt');
    const r = cli(['--db', db, 'breaks', '--kind', 'premium', '--period', '2025-W47', '--format', 'tax-feedback', '--out', fb]);
    expect(r.code, r.stderr).toBe(0);
    const text = iconv.decode(fs.readFileSync(fb), 'gb18030');
    const lines = text.trim().split('\r\n');
    // The extract's own title line first, as its file had it.
    expect(lines[0]).toBe('对账明细');
    expect(lines[1]).toBe([...TAX_HEADER, '差异类型', '差异说明'].join('|'));
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatch(/^合计\|.*共 3 条差异$/);
    expect(text).toContain('对方单边');
    expect(text).toContain('金额不符');
    // The feedback file is never taken for a new extract.
    const again = cli(['--db', db, 'import', '--file', fb]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('差异反馈文件');
  });

  it('fails with a clear message on stderr and a non-zero exit', () => {
    const dir = tempDir();
    const r = cli(['--db', path.join(dir, 'w.sqlite'), 'import', '--file', path.join(dir, 'missing.csv')]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/错误：找不到文件/);
    const bad = cli(['--db', path.join(dir, 'w.sqlite'), 'reconcile', '--kind', 'premium', '--period', 'last-week']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/期间应为/);
  });

  it('acts as a named user: refuses a wrong password and an auditor’s change', () => {
    const dir = tempDir();
    const db = path.join(dir, 'w.sqlite');
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2 } });
    expect(cli(['--db', db, '--user', 'chief', 'import', '--file', writeTextFile(path.join(dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' })]).code).toBe(0);
    const add = cli(['--db', db, '--user', 'chief', 'users', 'add', '--name', 'auditor-c', '--roles', 'auditor', '--password-env', 'NEW_PW'], { NEW_PW: 'Audit0r-pass' });
    expect(add.code, add.stderr).toBe(0);
    const wrong = cli(['--db', db, '--user', 'chief', 'imports'], { RECON_PASSWORD: 'Wrong-pass-1' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('用户名或口令不对');
    const asAuditor = { RECON_PASSWORD: 'Audit0r-pass' };
    expect(cli(['--db', db, '--user', 'auditor-c', 'imports'], asAuditor).json()).toHaveLength(1);
    const refused = cli(['--db', db, '--user', 'auditor-c', 'withdraw', '--batch', '1', '--reason', 'x'], asAuditor);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/auditor-c 没有“对账员”角色/);
    const rec = cli(['--db', db, '--user', 'auditor-c', 'reconcile', '--kind', 'premium', '--period', '2025-W47'], asAuditor);
    expect(rec.code).toBe(3);
    const disp = cli(['--db', db, '--user', 'auditor-c', 'dispose', '--id', '1', '--reason', '补记'], asAuditor);
    expect(disp.code).toBe(3);
    expect(disp.stderr).toMatch(/auditor-c 没有“对账员”角色/);
  });

  it('backs up and restores from the command line', () => {
    const dir = tempDir();
    const db = path.join(dir, 'w.sqlite');
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2 } });
    cli(['--db', db, 'import', '--file', writeTextFile(path.join(dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' })]);
    const bak = path.join(dir, 'b.sqlite');
    expect(cli(['--db', db, 'backup', '--out', bak]).code).toBe(0);
    cli(['--db', db, 'withdraw', '--batch', '1', '--reason', '测试']);
    expect(cli(['--db', db, 'imports']).json()).toHaveLength(0);
    const r = cli(['--db', db, 'restore', '--from', bak]);
    expect(r.code, r.stderr).toBe(0);
    expect(cli(['--db', db, 'imports']).json()).toHaveLength(1);
    expect(cli(['--db', db, 'audit', 'verify']).json()).toMatchObject({ ok: true });
  });

  it('verifies the audit chain and names a broken entry', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'w.sqlite');
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2 } });
    cli(['--db', db, 'import', '--file', writeTextFile(path.join(dir, 'l.csv'), LEDGER_HEADER, g.ledger)]);
    cli(['--db', db, 'import', '--file', writeTextFile(path.join(dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' })]);
    const ok = cli(['--db', db, 'audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, entries: 6 }); // the first user's creation and sign-in, two sign-ins and their imports
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2").run();
    raw.close();
    const broken = cli(['--db', db, 'audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.json()).toMatchObject({ ok: false, brokenAt: 2 });
    expect(broken.stderr).toContain('第 2 条');
  });
});
