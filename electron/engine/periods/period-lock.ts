// A confirmed period is locked: no import, withdrawal, reconcile or disposition
// touches it; corrections go into a later period.
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { periodBounds, periodOf } from '../../../shared/periods';

export function isLocked(db: Database, kind: string, period: string): boolean {
  return !!db.prepare('SELECT 1 FROM period_lock WHERE kind = ? AND period = ?').get(kind, period);
}

export function assertPeriodOpen(db: Database, kind: string, period: string, what: string): void {
  if (isLocked(db, kind, period)) {
    throw new EngineError('PERIOD_LOCKED', `${period} 已经复核锁定，不能${what}；更正请记入以后的期间`);
  }
}

/** `period`, or the first period after it that is not locked (a week for premium, a month for settlement). */
export function firstOpenFrom(db: Database, kind: string, period: string): string {
  let p = period;
  const granularity = p.includes('W') ? 'week' : 'month';
  for (let i = 0; i < 600 && isLocked(db, kind, p); i++) p = periodOf(periodBounds(p).end, granularity);
  return p;
}

/** Which reconciliation, and which period granularity, an import kind feeds. */
const FEEDS: Record<string, { kind: string; granularity: 'week' | 'month' } | undefined> = {
  'ledger-premium': { kind: 'premium', granularity: 'week' },
  'tax-premium': { kind: 'premium', granularity: 'week' },
  'ledger-settlement': { kind: 'settlement', granularity: 'month' },
  settlement: { kind: 'settlement', granularity: 'month' },
};

/** Refuses when rows dated from..to would land in a locked period of the reconciliation they feed. */
export function assertRangeOpen(db: Database, importKind: string, from: string | null, to: string | null, what: string): void {
  const feed = FEEDS[importKind];
  if (!feed || !from || !to) return;
  const lo = periodOf(from, feed.granularity);
  const hi = periodOf(to, feed.granularity);
  const locked = db.prepare('SELECT period FROM period_lock WHERE kind = ? AND period BETWEEN ? AND ? ORDER BY period').all(feed.kind, lo, hi) as { period: string }[];
  if (locked.length) {
    throw new EngineError('PERIOD_LOCKED', `${locked.map((l) => l.period).join('、')} 已经复核锁定，不能${what}；更正请记入以后的期间`);
  }
}
