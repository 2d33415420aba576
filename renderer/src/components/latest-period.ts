// Pages open on the latest period that has data, not on today's: the newest
// record date among the active batches of the kind's two sides.
import { useEffect } from 'react';
import type { ReconKind } from '../../../shared/domain';
import { periodOf } from '../../../shared/periods';
import { api } from '../api/client';

const SIDES: Record<ReconKind, string[]> = { premium: ['ledger-premium', 'tax-premium'], settlement: ['ledger-settlement', 'settlement'] };

export async function latestDataPeriod(kind: ReconKind): Promise<string | null> {
  const batches = await api.call('imports/list', {});
  const last = batches
    .filter((b) => SIDES[kind].includes(b.kind) && b.status === 'active' && b.periodTo)
    .map((b) => b.periodTo!)
    .sort()
    .pop();
  return last ? periodOf(last, kind === 'premium' ? 'week' : 'month') : null;
}

/**
 * Moves the page to the latest period with data once it is known — unless the
 * user has already chosen another period than the one the page opened on.
 */
export function useLatestPeriod(kind: ReconKind, opened: string, setPeriod: (update: (current: string) => string) => void): void {
  useEffect(() => {
    let live = true;
    latestDataPeriod(kind).then(
      (p) => {
        if (live && p) setPeriod((current) => (current === opened ? p : current));
      },
      () => undefined, // no batches to go by: the page keeps its default
    );
    return () => {
      live = false;
    };
  }, [kind, opened, setPeriod]);
}
