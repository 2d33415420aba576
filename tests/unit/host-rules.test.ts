// The same rules in every host (issue 17): sign-in lockout and audit, hashes at
// today's cost, a search that cannot read a masked ID, reveals that are a
// permission of their own and audited, and commands refused before they act.
import { scryptSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import { recordAttempt, THROTTLE } from '../../electron/engine/users/login-throttle';
import { getSetting } from '../../electron/engine/system/settings';
import { cli } from '../support/cli';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { importFile, PASSWORD, reconcile, refusal, signIn, tempDir, tempEngine } from '../support/temp-engine';

const actions = (e: { db: { prepare(sql: string): { all(): unknown[] } } }) => (e.db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]).map((r) => r.action);

describe('signing in', () => {
  it('locks an account after 5 wrong passwords: the right one is refused too, until the lock ends; each attempt is audited', async () => {
    let now = Date.parse('2026-11-30T08:00:00Z');
    const dir = tempDir();
    const e = createEngine({ dbPath: path.join(dir, 'w.sqlite'), host: 'http', now: () => now });
    await e.call('auth/setup', { name: 'admin', displayName: '管理员', password: PASSWORD }, { host: 'http' });
    for (let i = 0; i < THROTTLE.accountFailures; i++) {
      const err = await refusal(() => e.call('auth/login', { name: 'admin', password: `wrong-${i}1` }, { host: 'http' }));
      expect(err.code).toBe('UNAUTHENTICATED');
      now += 500;
    }
    const locked = await refusal(() => e.call('auth/login', { name: 'admin', password: PASSWORD }, { host: 'http' }));
    expect(locked.code).toBe('THROTTLED');
    expect(locked.message).toContain('已暂时锁定');
    const log = actions(e);
    expect(log.filter((a) => a === 'auth.failed')).toHaveLength(THROTTLE.accountFailures);
    expect(log[log.length - 1]).toBe('auth.refused');
    // After the first lock (one minute), the right password works and starts the count afresh.
    now += THROTTLE.firstLockMs + 1000;
    const ok = await e.call('auth/login', { name: 'admin', password: PASSWORD }, { host: 'http' });
    expect(ok.user.name).toBe('admin');
    expect(actions(e).at(-1)).toBe('auth.login');
    await e.close();
  });

  it('refuses a host that failed 20 times within 15 minutes, whichever accounts it tried; other hosts still sign in', async () => {
    const e = await tempEngine();
    const now = Date.now();
    for (let i = 0; i < THROTTLE.hostFailures; i++) recordAttempt(e.db, `guess-${i}`, 'http', false, now - 1000);
    const err = await refusal(() => e.call('auth/login', { name: 'officer-a', password: PASSWORD }, { host: 'http' }));
    expect(err.code).toBe('THROTTLED');
    expect(err.message).toContain('本机（http）');
    expect((await e.call('auth/login', { name: 'officer-a', password: PASSWORD }, { host: 'cli' })).user.name).toBe('officer-a');
    await e.close();
  });

  it('upgrades a hash made at the old cost (N = 2^14) at the next sign-in', async () => {
    const e = await tempEngine();
    const salt = randomBytes(16);
    const old = `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync(PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
    e.db.prepare("UPDATE app_user SET password_hash = ? WHERE name = 'officer-a'").run(old);
    await e.call('auth/login', { name: 'officer-a', password: PASSWORD }, { host: 'cli' });
    const now = (e.db.prepare("SELECT password_hash h FROM app_user WHERE name = 'officer-a'").get() as { h: string }).h;
    expect(now).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(now).not.toBe(old);
    await e.close();
  });
});

describe('refusals in words', () => {
  it('says what was refused in Chinese, never a call code or an English validation message', async () => {
    const e = await tempEngine();
    const aud = await signIn(e, 'aud', ['auditor']);
    const role = await refusal(() => e.call('imports/preview', { path: '/x' }, aud));
    expect(role.message).toBe('aud 没有“对账员”角色，不能预览文件');
    const bad = await refusal(() => e.call('users/create', { name: '', displayName: '', roles: ['officer'], password: 'x' }, e.caller));
    expect(bad.message).toContain('“添加用户”的参数不对');
    expect(bad.message).not.toMatch(/Too small|expected/);
    await e.close();
  });
});

describe('personal data in breaks', () => {
  async function withBreaks() {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3, LEDGER_ONLY: 2 } });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const full = e.db.prepare("SELECT id, certno, name FROM recon_break WHERE certno IS NOT NULL ORDER BY id LIMIT 1").get() as { id: number; certno: string; name: string };
    return { e, full };
  }

  it('lets a role that may not reveal find an ID number or name only whole, never by a fragment of the hidden part', async () => {
    const { e, full } = await withBreaks();
    const admin = await signIn(e, 'admin-b', ['admin']);
    const search = async (who: typeof admin, s: string) => (await e.call('breaks/list', { kind: 'premium', status: 'all', search: s }, who)).total;
    // The masked middle digits, as an oracle would try them.
    expect(await search(admin, full.certno.slice(6, 14))).toBe(0);
    expect(await search(admin, full.certno.slice(0, 10))).toBe(0);
    expect(await search(admin, full.name.slice(1))).toBe(0);
    expect(await search(admin, full.certno)).toBeGreaterThan(0);
    expect(await search(admin, full.name)).toBeGreaterThan(0);
    const facets = await e.call('breaks/facets', { kind: 'premium', status: 'all', search: full.certno.slice(6, 14) }, admin);
    expect(facets.every((f) => f.count === 0)).toBe(true);
    // An officer may reveal (audited), so fragments find what they work on.
    const officer = await signIn(e, 'officer-c', ['officer']);
    expect(await search(officer, full.certno.slice(6, 14))).toBeGreaterThan(0);
    await e.close();
  });

  it('masks every row unless reveal is asked; reveal is refused to a role without it, before anything is read, and audited when given', async () => {
    const { e, full } = await withBreaks();
    const admin = await signIn(e, 'admin-b', ['admin']);
    const masked = await e.call('breaks/list', { kind: 'premium', status: 'all' }, admin);
    expect(masked.rows.map((r) => r.certno)).not.toContain(full.certno);
    const before = actions(e).length;
    const refused = await refusal(() => e.call('breaks/list', { kind: 'premium', status: 'all', reveal: true }, admin));
    expect(refused.code).toBe('FORBIDDEN');
    expect(actions(e)).toHaveLength(before);
    const auditor = await signIn(e, 'auditor-d', ['auditor']);
    const shown = await e.call('breaks/list', { kind: 'premium', status: 'all', reveal: true }, auditor);
    expect(shown.rows.map((r) => r.certno)).toContain(full.certno);
    const last = e.db.prepare('SELECT actor, action, detail FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { actor: string; action: string; detail: string };
    expect(last).toMatchObject({ actor: 'auditor-d', action: 'pii.reveal' });
    expect(JSON.parse(last.detail).breaks).toEqual(shown.rows.map((r) => r.id));
    await e.close();
  });

  it('checks against another profile for one run without switching the workstation, and an admin without the check role changes nothing', async () => {
    const e = await tempEngine();
    const admin = await signIn(e, 'admin-b', ['admin']);
    const before = actions(e).length;
    expect((await refusal(() => e.call('policy/check', { period: '2025-11', profile: 'anhui-2024' }, admin))).code).toBe('FORBIDDEN');
    expect(actions(e)).toHaveLength(before);
    expect(getSetting(e.db, 'policy_profile', 'zhejiang-2024')).toBe('zhejiang-2024');
    const auditor = await signIn(e, 'auditor-d', ['auditor']);
    const r = await e.call('policy/check', { period: '2025-11', profile: 'anhui-2024' }, auditor);
    expect(r.profile).toBe('anhui-2024');
    expect(getSetting(e.db, 'policy_profile', 'zhejiang-2024')).toBe('zhejiang-2024');
    expect(actions(e)).not.toContain('policy.select');
    await e.close();
  });
});

describe('the command line goes through the contract', () => {
    function setUp() {
    const dir = tempDir();
    const db = path.join(dir, 'w.sqlite');
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3, LEDGER_ONLY: 1, EXTERNAL_ONLY: 1 } });
    expect(cli(['--db', db, 'import', '--file', writeTextFile(path.join(dir, 'l.csv'), LEDGER_HEADER, g.ledger)]).code).toBe(0);
    expect(cli(['--db', db, 'import', '--file', writeTextFile(path.join(dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030' })]).code).toBe(0);
    expect(cli(['--db', db, 'reconcile', '--kind', 'premium', '--period', '2025-W47']).code).toBe(0);
    for (const [name, roles] of [['adm', 'admin'], ['aud', 'auditor'], ['off', 'officer']]) {
      expect(cli(['--db', db, 'users', 'add', '--name', name!, '--roles', roles!, '--password-env', 'NEW_PW'], { NEW_PW: PASSWORD }).code).toBe(0);
    }
    return { dir, db, g };
  }
  const auditRows = async (db: string) => {
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(db, { readonly: true });
    const rows = raw.prepare('SELECT actor, action, target, detail FROM audit_log ORDER BY seq').all() as { actor: string; action: string; target: string; detail: string }[];
    raw.close();
    return rows;
  };

  it('prints masked breaks by default, full ones with --reveal (audited), and refuses --reveal and tax feedback to roles without them', async () => {
    const { dir, db, g } = setUp();
    const certnos = new Set([...g.ledger, ...g.tax].flatMap((r) => r).filter((c) => /^\d{17}[\dX]$/.test(c)));
    const masked = cli(['--db', db, '--user', 'aud', 'breaks', '--kind', 'premium', '--format', 'json']);
    expect(masked.code, masked.stderr).toBe(0);
    expect([...certnos].some((c) => masked.stdout.includes(c))).toBe(false);
    const csv = cli(['--db', db, '--user', 'aud', 'breaks', '--kind', 'premium', '--format', 'csv']);
    expect([...certnos].some((c) => csv.stdout.includes(c))).toBe(false);

    const shown = cli(['--db', db, '--user', 'aud', 'breaks', '--kind', 'premium', '--format', 'json', '--reveal']);
    expect(shown.code, shown.stderr).toBe(0);
    expect([...certnos].some((c) => shown.stdout.includes(c))).toBe(true);
    expect((await auditRows(db)).at(-1)).toMatchObject({ actor: 'aud', action: 'pii.reveal' });

    const adminReveal = cli(['--db', db, '--user', 'adm', 'breaks', '--kind', 'premium', '--format', 'json', '--reveal']);
    expect(adminReveal.code).toBe(3);
    expect(adminReveal.stdout).toBe('');
    expect(adminReveal.stderr).toContain('没有');

    const out = path.join(dir, 'fb.txt');
    expect(cli(['--db', db, '--user', 'aud', 'breaks', '--kind', 'premium', '--format', 'tax-feedback', '--out', out]).code).toBe(3);
    const fb = cli(['--db', db, '--user', 'off', 'breaks', '--kind', 'premium', '--format', 'tax-feedback', '--out', out]);
    expect(fb.code, fb.stderr).toBe(0);
    expect((await auditRows(db)).at(-1)).toMatchObject({ actor: 'off', action: 'breaks.tax-feedback' });
  });

  it('audits CLI sign-ins, failed and successful; runs clearing through the contract; does not switch the profile when check is refused', async () => {
    const { db } = setUp();
    const bad = cli(['--db', db, '--user', 'aud', 'info'], { RECON_PASSWORD: 'not-the-password1' });
    expect(bad.code).toBe(3);
    const signIns = await auditRows(db);
    expect(signIns.at(-1)).toMatchObject({ actor: 'aud', action: 'auth.failed', target: 'host:cli' });
    expect(signIns.filter((r) => r.action === 'auth.login').length).toBeGreaterThan(3);
    // The engine's own answer (the month has no settlement run), reached as the signed-in auditor.
    const clearing = cli(['--db', db, '--user', 'aud', 'clearing', '--period', '2025-11']);
    expect(clearing.code).toBe(1);
    expect(clearing.stderr).toContain('还没有对账');
    expect((await auditRows(db)).at(-1)).toMatchObject({ actor: 'aud', action: 'auth.login' });

    const r = cli(['--db', db, '--user', 'adm', 'check', '--period', '2025-11', '--profile', 'anhui-2024']);
    expect(r.code).toBe(3);
    const rows = await auditRows(db);
    expect(rows.map((x) => x.action)).not.toContain('policy.select');
    const ok = cli(['--db', db, '--user', 'aud', 'check', '--period', '2025-11', '--profile', 'anhui-2024']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await auditRows(db)).map((x) => x.action)).not.toContain('policy.select');
  });
});
