// The periods a reconciliation has, for the period fields: every period the
// active batches' data spans, every period run or locked, each with its state.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import type { PeriodInfo } from '../../../shared/recon-types';
import { periodBounds, periodOf } from '../../../shared/periods';

const SIDES: Record<ReconKind, string[]> = { premium: ['ledger-premium', 'tax-premium'], settlement: ['ledger-settlement', 'settlement'] };
/** A field offers at most this many periods (the newest). */
const MAX = 260;

export function listPeriods(db: Database, kind: ReconKind): PeriodInfo[] {
  const granularity = kind === 'premium' ? 'week' : 'month';
  const periods = new Set<string>();
  const ranges = db
    .prepare(`SELECT period_from f, period_to t FROM import_batch WHERE status = 'active' AND kind IN (${SIDES[kind].map(() => '?').join(', ')}) AND period_from IS NOT NULL`)
    .all(...SIDES[kind]) as { f: string; t: string }[];
  for (const r of ranges) {
    let p = periodOf(r.f, granularity);
    const last = periodOf(r.t, granularity);
    for (let i = 0; i < MAX && p <= last; i++) {
      periods.add(p);
      p = periodOf(periodBounds(p).end, granularity);
    }
  }
  const runs = new Map((db.prepare('SELECT period, max(ran_at) at FROM recon_run WHERE kind = ? GROUP BY period').all(kind) as { period: string; at: string }[]).map((r) => [r.period, r.at]));
  const locks = new Set(db.prepare('SELECT period FROM period_lock WHERE kind = ?').pluck().all(kind) as string[]);
  const open = new Map((db.prepare("SELECT opened_period p, count(*) n FROM recon_break WHERE kind = ? AND status = 'open' GROUP BY opened_period").all(kind) as { p: string; n: number }[]).map((r) => [r.p, r.n]));
  for (const p of [...runs.keys(), ...locks]) periods.add(p);
  return [...periods]
    .sort()
    .reverse()
    .slice(0, MAX)
    .map((period) => ({ period, state: locks.has(period) ? 'locked' : runs.has(period) ? 'reconciled' : 'data', lastRun: runs.get(period) ?? null, openBreaks: open.get(period) ?? 0 }));
}
