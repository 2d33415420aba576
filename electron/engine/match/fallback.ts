// Rows without the shared key (an order number lost on one side) are paired by
// beneficiary ID + 险种 + year + amount, dated within a window of each other.
import type { KeylessRow } from './side-rows';

export interface FallbackResult {
  pairs: [KeylessRow, KeylessRow][];
  ledgerOnly: KeylessRow[];
  externalOnly: KeylessRow[];
}

const DAY = 86400_000;
const t = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z');

/** Pairs the period's keyless rows of the two sides (each side in time order). */
export function matchKeyless(ledger: KeylessRow[], external: KeylessRow[], windowDays = 3): FallbackResult {
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
