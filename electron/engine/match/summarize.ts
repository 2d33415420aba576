// The run summary a finance person can check: each side's rows and total, what
// matched, each break type's count and amount, and the tie-out
// total − matched − breaks = 0 on both sides, to the fen.
import type { Database } from 'better-sqlite3';
import { BREAK_TYPES } from '../../../shared/domain';
import { fenToText } from '../../../shared/money';
import type { ReconSummary } from '../../../shared/recon-types';
import type { ProducedBreak } from './collect-breaks';
import type { FallbackResult } from './fallback';

type RunHead = Pick<ReconSummary, 'runId' | 'kind' | 'period' | 'ranAt' | 'ranBy' | 'windowHours'>;

const sum = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

export function summarize(db: Database, head: RunHead, produced: ProducedBreak[], fb: FallbackResult, autoClosed: number): ReconSummary {
  // Each side's per-key table is read once: keys, rows and net total.
  const agg = (p: 'l' | 'x') => db.prepare(`SELECT count(*) k, coalesce(sum(n), 0) n, coalesce(sum(net), 0) t FROM ${p}_agg`).get() as { k: number; n: number; t: number };
  const aggL = agg('l');
  const aggX = agg('x');
  const side = (p: 'l' | 'x', a: { k: number; n: number; t: number }, keyless: number[]) => {
    const d = db.prepare(`SELECT count(*) n, coalesce(sum(amount_fen), 0) t FROM ${p}_dups`).get() as { n: number; t: number };
    return { rows: a.n + d.n + keyless.length, keys: a.k + keyless.length, totalFen: a.t + d.t + sum(keyless) };
  };
  const ledgerKeyless = [...fb.ledgerOnly, ...fb.pairs.map(([l]) => l)].map((r) => r.amount_fen);
  const externalKeyless = [...fb.externalOnly, ...fb.pairs.map(([, x]) => x)].map((r) => r.amount_fen);
  const l = side('l', aggL, ledgerKeyless);
  const x = side('x', aggX, externalKeyless);
  // j holds only the keys that did not simply match: the matched ones are the
  // ledger's keys (every matched key has both sides) less those in j.
  const notMatched = db.prepare('SELECT count(l_gk) n, coalesce(sum(l_net), 0) lt, coalesce(sum(x_net), 0) xt FROM j').get() as { n: number; lt: number; xt: number };
  const m = { n: aggL.k - notMatched.n, lt: aggL.t - notMatched.lt, xt: aggX.t - notMatched.xt };
  // A fully refunded order on one side only nets to zero: not a break, still counted.
  const netted = db.prepare("SELECT coalesce(sum(l_net), 0) lt FROM j WHERE cls = 'NETTED'").get() as { lt: number };
  const matchedL = m.lt + netted.lt + sum(fb.pairs.map(([a]) => a.amount_fen));
  const matchedX = m.xt + sum(fb.pairs.map(([, b]) => b.amount_fen));
  const breaks = BREAK_TYPES.map((type) => {
    const of = produced.filter((b) => b.type === type);
    return { type, count: of.length, amountLedger: fenToText(sum(of.map((b) => b.amountLedger))), amountExternal: fenToText(sum(of.map((b) => b.amountExternal))) };
  }).filter((b) => b.count > 0);
  const tieL = l.totalFen - matchedL - sum(produced.map((b) => b.amountLedger));
  const tieX = x.totalFen - matchedX - sum(produced.map((b) => b.amountExternal));
  return {
    ...head,
    ledger: { rows: l.rows, keys: l.keys, total: fenToText(l.totalFen) },
    external: { rows: x.rows, keys: x.keys, total: fenToText(x.totalFen) },
    matched: { count: m.n + fb.pairs.length, byFallback: fb.pairs.length, amountLedger: fenToText(matchedL), amountExternal: fenToText(matchedX) },
    breaks,
    autoClosed,
    tieOut: { ledger: fenToText(tieL), external: fenToText(tieX), ok: tieL === 0 && tieX === 0 },
  };
}
