// Pages open on the latest period that has data, not on today's: the newest
// record date among the active batches of the kind's two sides.
import { useCallback, useEffect, useRef } from 'react';
import { flushSync } from 'react-dom';
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
 * period is already the user's: they changed it, or they have put the cursor in
 * the period field (the returned callback, the field's onFocus). Comparing the
 * value alone was not enough: a field being typed over still holds the value the
 * page opened on between selecting it and the typed text arriving, and moving it
 * in that moment appended the typed period to the latest ("2025-W492025-W49"). And the
 * move is rendered in the same moment it is decided (below): decided before the
 * cursor came and rendered after, it did the same.
 * Changing the kind starts afresh: the page opens that kind's default again.
 */
export function useLatestPeriod(kind: ReconKind, opened: string, setPeriod: (update: (current: string) => string) => void): () => void {
  const touched = useRef(false);
  useEffect(() => {
    touched.current = false;
    let live = true;
    latestDataPeriod(kind).then(
      (p) => {
        // Applied to the page at once (flushSync), not at React's next render: a render
        // that came after the cursor was put in the field would still move it (the
        // update was decided before), and the field's new value would undo the
        // selection typing replaces — seen again as "2025-W492025-W49" after the check above.
        if (live && p && !touched.current) flushSync(() => setPeriod((current) => (current === opened ? p : current)));
      },
      () => undefined, // no batches to go by: the page keeps its default
    );
    return () => {
      live = false;
    };
  }, [kind, opened, setPeriod]);
  return useCallback(() => {
    touched.current = true;
  }, []);
}
