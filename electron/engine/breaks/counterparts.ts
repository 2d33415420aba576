// The likely other half of a one-sided break. A deduction the ledger holds under
// one order number and the tax bureau under another (a digit mistyped, an order
// re-issued) matches nothing by its key, and shows as two one-sided breaks of the
// same person and the same amount, each on its own page of the workbench. The
// detail of either names the other, so the officer sees the pair and settles both
// with one reason, instead of booking an entry for each side.
import type { Database } from 'better-sqlite3';
import type { BreakType } from '../../../shared/domain';
import type { BreakRow } from '../../../shared/recon-types';
import { toBreakRow, type Raw } from './break-query';

/** Breaks with a record on the ledger side only, and on the other side only. */
const LEDGER_SIDE: readonly BreakType[] = ['LEDGER_ONLY', 'IN_TRANSIT'];
const EXTERNAL_SIDE: readonly BreakType[] = ['EXTERNAL_ONLY'];

/** At most this many are named: a person with many equal payments has many candidates, and the officer needs the first few. */
export const MAX_COUNTERPARTS = 20;

/**
 * The open one-sided breaks of the other side, of the same kind, the same ID number
 * and the same amount as `b` (none when `b` is not one-sided, is closed, or has no
 * ID number), the closest in time first. Found through recon_break_open_cert.
 */
export function likelyCounterparts(db: Database, b: Raw, today: number, mask: boolean): BreakRow[] {
  if (b.status !== 'open' || !b.certno) return [];
  const ledgerSide = LEDGER_SIDE.includes(b.type) && b.amount_ledger !== null;
  const externalSide = EXTERNAL_SIDE.includes(b.type) && b.amount_external !== null;
  if (!ledgerSide && !externalSide) return [];
  const types = ledgerSide ? EXTERNAL_SIDE : LEDGER_SIDE;
  const amountColumn = ledgerSide ? 'amount_external' : 'amount_ledger';
  const rows = db
    .prepare(
      `SELECT * FROM recon_break WHERE kind = ? AND certno = ? AND status = 'open' AND id <> ?
         AND type IN (${types.map(() => '?').join(', ')}) AND ${amountColumn} = ?
       ORDER BY abs(julianday(coalesce(event_at, '')) - julianday(coalesce(?, ''))), id LIMIT ?`,
    )
    .all(b.kind, b.certno, b.id, ...types, ledgerSide ? b.amount_ledger : b.amount_external, b.event_at, MAX_COUNTERPARTS) as Raw[];
  return rows.map((r) => toBreakRow(r, today, mask));
}
