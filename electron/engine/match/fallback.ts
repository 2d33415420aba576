// Rows without the shared key (an order number lost on one side) are paired by
// beneficiary ID + 险种 + year + amount, dated within a window of each other.
import type { Database } from 'better-sqlite3';
import type { ReconSpec } from './recon-specs';
import type { Window } from './build-sides';

export interface KeylessRow {
  side: 'l' | 'x';
  batch_id: number;
  line: number;
  amount_fen: number;
  certno: string | null;
  insutype: string | null;
  pay_year: number | null;
  event_at: string;
}

export interface FallbackResult {
  pairs: [KeylessRow, KeylessRow][];
  ledgerOnly: KeylessRow[];
  externalOnly: KeylessRow[];
}

const DAY = 86400_000;
const t = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z');

export function matchKeyless(db: Database, spec: ReconSpec, w: Window, windowDays = 3): FallbackResult {
  const read = (side: 'l' | 'x', kind: string) =>
    (db
      .prepare(
        `SELECT batch_id, line, amount_fen, certno, insutype, pay_year, event_at FROM source_row
         WHERE kind = ? AND gk IS NULL AND key IS NULL AND amount_fen IS NOT NULL AND event_at >= ? AND event_at < ? ORDER BY event_at`,
      )
      .all(kind, w.start, w.end) as Omit<KeylessRow, 'side'>[]).map((r) => ({ ...r, side }));
  const ledger = read('l', spec.ledger.importKind);
  const external = read('x', spec.external.importKind);
  const composite = (r: KeylessRow) => `${r.certno}|${r.insutype}|${r.pay_year}|${r.amount_fen}`;
  const pool = new Map<string, KeylessRow[]>();
  for (const x of external) {
    const k = composite(x);
    pool.set(k, [...(pool.get(k) ?? []), x]);
  }
  const pairs: [KeylessRow, KeylessRow][] = [];
  const ledgerOnly: KeylessRow[] = [];
  for (const l of ledger) {
    const candidates = pool.get(composite(l)) ?? [];
    // The closest in time within the window wins.
    let best = -1;
    let bestGap = Infinity;
    candidates.forEach((x, i) => {
      const gap = Math.abs(t(x.event_at) - t(l.event_at));
      if (gap <= windowDays * DAY && gap < bestGap) {
        best = i;
        bestGap = gap;
      }
    });
    if (best >= 0) pairs.push([l, candidates.splice(best, 1)[0]!]);
    else ledgerOnly.push(l);
  }
  return { pairs, ledgerOnly, externalOnly: [...pool.values()].flat() };
}
