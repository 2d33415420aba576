// The run summary a finance person can check: each side's rows and total, what
// matched, each break type's count and amount, and the tie-out
// total − matched − breaks = 0 on both sides, to the fen.
import { BREAK_TYPES } from '../../../shared/domain';
import { fenToText } from '../../../shared/money';
import type { ReconSummary } from '../../../shared/recon-types';
import type { KeyedOutcome } from './classify-keys';
import type { ProducedBreaks } from './collect-breaks';
import type { FallbackResult } from './fallback';
import type { HeldApart } from './held-apart';

type RunHead = Pick<ReconSummary, 'runId' | 'kind' | 'period' | 'ranAt' | 'ranBy' | 'windowHours'>;

const sum = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

export function summarize(
  head: RunHead,
  keyed: KeyedOutcome,
  produced: ProducedBreaks,
  fb: FallbackResult,
  autoClosed: number,
  notMutualAidReason?: string,
  /** The breaks of the keys held apart (held-apart.ts), which are not among `produced`. */
  apart?: HeldApart['byType'] | null,
): ReconSummary {
  const side = (t: KeyedOutcome['totals']['l'], keyless: number[]) => ({ rows: t.rows + keyless.length, keys: t.keys + keyless.length, totalFen: t.totalFen + sum(keyless) });
  const ledgerKeyless = [...fb.ledgerOnly, ...fb.pairs.map(([l]) => l)].map((r) => r.amount_fen);
  const externalKeyless = [...fb.externalOnly, ...fb.pairs.map(([, x]) => x)].map((r) => r.amount_fen);
  const l = side(keyed.totals.l, ledgerKeyless);
  const x = side(keyed.totals.x, externalKeyless);
  // A fully refunded order on one side only nets to zero: not a break, still counted.
  const matchedL = keyed.matched.ledgerFen + keyed.nettedFen + sum(fb.pairs.map(([a]) => a.amount_fen));
  const matchedX = keyed.matched.externalFen + sum(fb.pairs.map(([, b]) => b.amount_fen));
  // One pass over the breaks (a run may produce 150,000: every open break of every
  // week), per type by its place in BREAK_TYPES: the keyed breaks' codes as they keep
  // them (a type's name and a map lookup per break had cost some 5 ms at week ten).
  const count = new Float64Array(BREAK_TYPES.length);
  const sumL = new Float64Array(BREAK_TYPES.length);
  const sumX = new Float64Array(BREAK_TYPES.length);
  for (let p = 0; p < produced.length; p++) {
    const t = produced.typeCode(p);
    count[t]!++;
    sumL[t]! += produced.amountLedger(p) ?? 0;
    sumX[t]! += produced.amountExternal(p) ?? 0;
  }
  if (apart) {
    for (let c = 0; c < BREAK_TYPES.length; c++) {
      count[c]! += apart.count[c]!;
      sumL[c]! += apart.l[c]!;
      sumX[c]! += apart.x[c]!;
    }
  }
  let breaksL = 0;
  let breaksX = 0;
  const breaks: ReconSummary['breaks'] = [];
  BREAK_TYPES.forEach((type, t) => {
    breaksL += sumL[t]!;
    breaksX += sumX[t]!;
    if (count[t]! > 0) breaks.push({ type, count: count[t]!, amountLedger: fenToText(sumL[t]!), amountExternal: fenToText(sumX[t]!) });
  });
  const tieL = l.totalFen - matchedL - breaksL;
  const tieX = x.totalFen - matchedX - breaksX;
  return {
    ...head,
    ledger: { rows: l.rows, keys: l.keys, total: fenToText(l.totalFen) },
    external: { rows: x.rows, keys: x.keys, total: fenToText(x.totalFen) },
    matched: { count: keyed.matched.count + fb.pairs.length, byFallback: fb.pairs.length, amountLedger: fenToText(matchedL), amountExternal: fenToText(matchedX) },
    breaks,
    autoClosed,
    tieOut: { ledger: fenToText(tieL), external: fenToText(tieX), ok: tieL === 0 && tieX === 0 },
    notCounted: keyed.notMutualAid.rows > 0 ? [{ reason: notMutualAidReason ?? '不是共济', rows: keyed.notMutualAid.rows, keys: keyed.notMutualAid.keys }] : [],
  };
}
