// Guessing passwords is slowed down and then stopped, per account and per host:
// after 5 failed sign-ins in a row an account refuses every password (the right one
// too) for a minute, doubling with each further failure up to an hour; 20 failures
// from one host within 15 minutes refuse that host until they age out. Attempts
// live in the database, so a CLI run (a new process each time) counts like a
// window's. A successful sign-in, or a password reset by an administrator, starts
// the account's count afresh.
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';

export const THROTTLE = {
  accountFailures: 5,
  hostFailures: 20,
  hostWindowMs: 15 * 60_000,
  firstLockMs: 60_000,
  maxLockMs: 60 * 60_000,
  /** Attempts older than this are forgotten. */
  keepMs: 24 * 60 * 60_000,
} as const;

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/** Refuses the attempt when the account or the host is locked out; says until when. */
export function assertMayTry(db: Database, name: string, host: string, now: number): void {
  const since = now - THROTTLE.keepMs;
  const lastOk = db.prepare('SELECT max(at) t FROM login_attempt WHERE name = ? AND ok = 1').get(name) as { t: number | null };
  const fails = db
    .prepare('SELECT count(*) n, max(at) last FROM login_attempt WHERE name = ? AND ok = 0 AND at > ?')
    .get(name, Math.max(since, lastOk.t ?? 0)) as { n: number; last: number | null };
  if (fails.n >= THROTTLE.accountFailures && fails.last !== null) {
    const lock = Math.min(THROTTLE.firstLockMs * 2 ** (fails.n - THROTTLE.accountFailures), THROTTLE.maxLockMs);
    const until = fails.last + lock;
    if (now < until) {
      throw new EngineError('THROTTLED', `用户“${name}”连续 ${fails.n} 次口令错误，已暂时锁定，请 ${minutes(until - now)} 分钟后再试（或请管理员重设口令）`, {
        retryAfterMs: until - now,
        scope: 'account',
      });
    }
  }
  const hostFails = db
    .prepare('SELECT count(*) n, min(at) first FROM (SELECT at FROM login_attempt WHERE host = ? AND ok = 0 AND at > ? ORDER BY at DESC LIMIT ?)')
    .get(host, now - THROTTLE.hostWindowMs, THROTTLE.hostFailures) as { n: number; first: number | null };
  if (hostFails.n >= THROTTLE.hostFailures && hostFails.first !== null) {
    const until = hostFails.first + THROTTLE.hostWindowMs;
    throw new EngineError('THROTTLED', `本机（${host}）15 分钟内口令错误次数过多，已暂停登录，请 ${minutes(until - now)} 分钟后再试`, {
      retryAfterMs: until - now,
      scope: 'host',
    });
  }
}

export function recordAttempt(db: Database, name: string, host: string, ok: boolean, now: number): void {
  db.prepare('DELETE FROM login_attempt WHERE at < ?').run(now - THROTTLE.keepMs);
  db.prepare('INSERT INTO login_attempt (at, name, host, ok) VALUES (?, ?, ?, ?)').run(now, name, host, ok ? 1 : 0);
}
