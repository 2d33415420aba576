// What a month's confirmation would lock while work is still open in it: write-offs
// waiting for finance and breaks still open, in the settlement month and the
// premium weeks it locks. Finance sees the list before co-signing and either
// resolves them or carries them on with a reason (recorded in the audit trail):
// nothing is locked past without a word.
import type { Database } from 'better-sqlite3';
import type { LockPending } from '../../../shared/clearing-types';
import { weeksOfMonth } from './weeks-of-month';

export function lockPending(db: Database, month: string): LockPending {
  const weeks = weeksOfMonth(month);
  const periods = [`settlement:${month}`, ...weeks.map((w) => `premium:${w}`)];
  // Open breaks opened up to the last period the confirmation locks (earlier ones are carried in it too).
  const lastWeek = weeks.at(-1) ?? '';
  const rows = db
    .prepare(
      `SELECT id, kind, match_key, type, opened_period, pending, pending_by, amount_ledger, amount_external FROM recon_break
        WHERE status = 'open' AND ((kind = 'settlement' AND opened_period <= ?) OR (kind = 'premium' AND opened_period <= ?))
        ORDER BY kind, opened_period, id`,
    )
    .all(month, lastWeek) as { id: number; kind: 'premium' | 'settlement'; match_key: string; type: string; opened_period: string; pending: string | null; pending_by: string | null; amount_ledger: number | null; amount_external: number | null }[];
  const writeOffs = rows.filter((r) => r.pending).map((r) => ({ id: r.id, kind: r.kind, key: r.match_key, type: r.type, openedPeriod: r.opened_period, proposedBy: r.pending_by ?? '' }));
  const open = rows.filter((r) => !r.pending);
  const byKind = (['settlement', 'premium'] as const).map((kind) => {
    const of = open.filter((r) => r.kind === kind);
    return { kind, count: of.length, ledgerFen: of.reduce((s, r) => s + (r.amount_ledger ?? 0), 0), externalFen: of.reduce((s, r) => s + (r.amount_external ?? 0), 0) };
  });
  return { month, periods, writeOffs, openBreaks: byKind, breakIds: rows.map((r) => r.id) };
}
