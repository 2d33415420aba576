// The 对账 dashboard's figures for a kind and period: the run summary, breaks by
// type, aging by type, and the last 12 periods' trend.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import type { DashboardData, ReconSummary } from '../../../shared/recon-types';
import { AGING_BUCKETS } from '../../../shared/break-work';
import { breakFacets, todayOf } from './break-query';
import { buildBreakFilter } from './break-filter';
import { matchRate } from '../../../shared/match-rate';

export function dashboard(db: Database, kind: ReconKind, period: string, now: Date = new Date()): DashboardData {
  const latest = (p: string) => db.prepare('SELECT summary FROM recon_run WHERE kind = ? AND period = ? ORDER BY id DESC LIMIT 1').get(kind, p) as { summary: string } | undefined;
  const s = latest(period);
  const summary = s ? (JSON.parse(s.summary) as ReconSummary) : null;
  const q = { kind, period, status: 'open' as const };
  const byType = breakFacets(db, q, now).filter((t) => t.count > 0);
  const aging = AGING_BUCKETS.map((bucket) => {
    const f = buildBreakFilter({ ...q, aging: [bucket] }, todayOf(now));
    const rows = db.prepare(`SELECT type, count(*) n FROM recon_break WHERE ${f.where} GROUP BY type`).all(...f.params) as { type: string; n: number }[];
    return { bucket, counts: Object.fromEntries(rows.map((r) => [r.type, r.n])) };
  });
  const periods = (db.prepare('SELECT DISTINCT period FROM recon_run WHERE kind = ? AND period <= ? ORDER BY period DESC LIMIT 12').all(kind, period) as { period: string }[]).map((r) => r.period).reverse();
  const trend = periods.map((p) => {
    const sum = JSON.parse(latest(p)!.summary) as ReconSummary;
    const open = (db.prepare("SELECT count(*) n FROM recon_break WHERE kind = ? AND opened_period <= ? AND (closed_period IS NULL OR closed_period > ?)").get(kind, p, p) as { n: number }).n;
    return { period: p, matchRate: matchRate(sum), breaks: sum.breaks.reduce((a, b) => a + b.count, 0), open };
  });
  return { kind, period, summary, byType, aging, trend };
}
