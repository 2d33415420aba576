// Local accounts. While a database has a single account, it holds every role (the
// first administrator does all the work until others exist); separation of duties
// still applies to each statement and write-off.
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { ROLES, type Role } from '../../../shared/roles';
import type { UserInfo } from '../../../shared/auth-types';
import { appendAudit } from '../audit/audit-log';
import { burnVerification, checkPasswordStrength, hashPassword, needsRehash, verifyPassword } from './passwords';
import { assertMayTry, recordAttempt } from './login-throttle';

interface Row {
  name: string;
  display_name: string;
  roles: string;
  password_hash: string;
  disabled: number;
}

export function userCount(db: Database): number {
  return (db.prepare('SELECT count(*) n FROM app_user').get() as { n: number }).n;
}

function row(db: Database, name: string): Row | undefined {
  return db.prepare('SELECT * FROM app_user WHERE name = ?').get(name) as Row | undefined;
}

export function effectiveRoles(db: Database, stored: Role[]): Role[] {
  return userCount(db) === 1 ? [...ROLES] : stored;
}

function info(db: Database, r: Row): UserInfo {
  const roles = JSON.parse(r.roles) as Role[];
  return { name: r.name, displayName: r.display_name, roles, effectiveRoles: effectiveRoles(db, roles), disabled: r.disabled === 1 };
}

export function listUsers(db: Database): UserInfo[] {
  return (db.prepare('SELECT * FROM app_user ORDER BY name').all() as Row[]).map((r) => info(db, r));
}

/** The account of that name, or undefined. */
export function findUser(db: Database, name: string): UserInfo | undefined {
  const r = row(db, name);
  return r && info(db, r);
}

export function getUser(db: Database, name: string): UserInfo {
  const r = row(db, name);
  if (!r) throw new EngineError('NOT_FOUND', `没有用户“${name}”`);
  return info(db, r);
}

export interface AuthAttempt {
  /** The host the attempt came through (ipc, http, cli): failures are counted per host too. */
  host: string;
  /** What the password is for, in the audit entry of a failure: 登录, 解锁, 签名密钥 … */
  purpose: string;
  now?: number;
}

/**
 * Checks a name and password, with the same message for an unknown name and a
 * wrong password, under the lockout of login-throttle. Every failure and every
 * refused attempt is audited; a success at an old hash cost re-hashes the password.
 */
export async function authenticate(db: Database, name: string, password: string, attempt: AuthAttempt): Promise<UserInfo> {
  const now = attempt.now ?? Date.now();
  try {
    assertMayTry(db, name, attempt.host, now);
  } catch (e) {
    appendAudit(db, { actor: name, action: 'auth.refused', target: `host:${attempt.host}`, detail: { purpose: attempt.purpose, why: (e as Error).message } });
    throw e;
  }
  const r = row(db, name);
  const ok = r ? await verifyPassword(password, r.password_hash) : (await burnVerification(password), false);
  db.transaction(() => {
    recordAttempt(db, name, attempt.host, ok, now);
    if (!ok) appendAudit(db, { actor: name, action: 'auth.failed', target: `host:${attempt.host}`, detail: { purpose: attempt.purpose, known: Boolean(r) } });
  })();
  if (!r || !ok) throw new EngineError('UNAUTHENTICATED', '用户名或口令不对');
  if (r.disabled) throw new EngineError('FORBIDDEN', `用户“${name}”已停用`);
  if (needsRehash(r.password_hash)) {
    const fresh = await hashPassword(password);
    db.prepare('UPDATE app_user SET password_hash = ? WHERE name = ? AND password_hash = ?').run(fresh, name, r.password_hash);
  }
  return info(db, r);
}

export async function createUser(db: Database, u: { name: string; displayName: string; roles: Role[]; password: string }, by: string): Promise<UserInfo> {
  const weak = checkPasswordStrength(u.password);
  if (weak) throw new EngineError('BAD_REQUEST', weak);
  if (!/^[\p{L}\p{N}._-]{2,32}$/u.test(u.name)) throw new EngineError('BAD_REQUEST', '用户名应为 2–32 位字母、数字、汉字或 ._-');
  if (row(db, u.name)) throw new EngineError('CONFLICT', `用户“${u.name}”已存在`);
  const hash = await hashPassword(u.password);
  return db.transaction(() => {
    if (row(db, u.name)) throw new EngineError('CONFLICT', `用户“${u.name}”已存在`);
    db.prepare('INSERT INTO app_user (name, display_name, roles, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)').run(
      u.name, u.displayName, JSON.stringify(u.roles), hash, new Date().toISOString(), by,
    );
    appendAudit(db, { actor: by, action: 'user.create', target: `user:${u.name}`, detail: { after: { name: u.name, displayName: u.displayName, roles: u.roles } } });
    return getUser(db, u.name);
  })();
}

export function updateUser(db: Database, name: string, change: { displayName?: string; roles?: Role[]; disabled?: boolean }, by: string): UserInfo {
  return db.transaction(() => {
    const before = getUser(db, name);
    if (change.disabled && name === by) throw new EngineError('CONFLICT', '不能停用自己');
    const after = {
      displayName: change.displayName ?? before.displayName,
      roles: change.roles ?? before.roles,
      disabled: change.disabled ?? before.disabled,
    };
    if (before.roles.includes('admin') && (!after.roles.includes('admin') || after.disabled)) {
      const admins = listUsers(db).filter((u) => u.roles.includes('admin') && !u.disabled);
      if (admins.length <= 1) throw new EngineError('CONFLICT', '至少要保留一个可用的管理员');
    }
    db.prepare('UPDATE app_user SET display_name = ?, roles = ?, disabled = ? WHERE name = ?').run(after.displayName, JSON.stringify(after.roles), after.disabled ? 1 : 0, name);
    appendAudit(db, { actor: by, action: 'user.update', target: `user:${name}`, detail: { before: { displayName: before.displayName, roles: before.roles, disabled: before.disabled }, after } });
    return getUser(db, name);
  })();
}

/** Sets a password; a reset also ends a lockout of the account (the count starts afresh). */
export async function setPassword(db: Database, name: string, password: string, by: string, host: string): Promise<void> {
  const weak = checkPasswordStrength(password);
  if (weak) throw new EngineError('BAD_REQUEST', weak);
  getUser(db, name);
  const hash = await hashPassword(password);
  db.transaction(() => {
    getUser(db, name);
    db.prepare('UPDATE app_user SET password_hash = ? WHERE name = ?').run(hash, name);
    recordAttempt(db, name, host, true, Date.now());
    appendAudit(db, { actor: by, action: 'user.password', target: `user:${name}`, detail: {} });
  })();
}
