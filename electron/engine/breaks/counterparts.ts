// The likely other half of a one-sided break. A deduction the ledger holds under
// one order number and the tax bureau under another (a digit mistyped, an order
// re-issued) matches nothing by its key, and shows as two one-sided breaks of the
// same person and the same amount, each on its own page of the workbench. The
// detail of either names the other, so the officer sees the pair and settles both
// with one reason, instead of booking an entry for each side.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import type { BreakRow } from '../../../shared/recon-types';
import { toBreakRow, type Raw } from './break-query';
import { likelyPairs } from './likely-pairs';

/** At most this many are named: a person with many equal payments has many candidates, and the officer needs the first few. */
export const MAX_COUNTERPARTS = 20;

/** The likely other halves of break `b` (likely-pairs.ts), the closest in time first. */
export function likelyCounterparts(db: Database, b: { id: number; kind: ReconKind }, today: number, mask: boolean): BreakRow[] {
  const others = likelyPairs(db, b.kind).partners(b.id);
  if (!others.length) return [];
  const rows = db
    .prepare(
      `SELECT o.* FROM recon_break b, recon_break o WHERE b.id = ? AND o.id IN (SELECT value FROM json_each(?))
       ORDER BY abs(julianday(coalesce(o.event_at, '')) - julianday(coalesce(b.event_at, ''))), o.id LIMIT ?`,
    )
    .all(b.id, JSON.stringify(others), MAX_COUNTERPARTS) as Raw[];
  return rows.map((r) => ({ ...toBreakRow(r, today, mask), paired: true }));
}
