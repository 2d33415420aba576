// 清算平衡表. Care is cleared by the net difference between each pair of regions
// (差额清算); premiums in full (全额), authorizer region to beneficiary region.
// The table must balance to the fen — receivables equal payables, nets sum to zero,
// and every figure equals the sum of its detail lines — or no statement is made.
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { fenToText } from '../../../shared/money';
import { periodBounds } from '../../../shared/periods';
import { clearingLines } from './clearing-lines';
import type { ClearingLine, ClearingResult, PairAmount, RegionBalance } from './clearing-types';

function grossPairs(lines: ClearingLine[]): PairAmount[] {
  const m = new Map<string, number>();
  for (const l of lines) m.set(`${l.from}>${l.to}`, (m.get(`${l.from}>${l.to}`) ?? 0) + l.amountFen);
  return [...m.entries()]
    .map(([k, amountFen]) => {
      const [from, to] = k.split('>') as [string, string];
      return { from, to, amountFen };
    })
    .filter((p) => p.amountFen !== 0)
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

function netPairs(gross: PairAmount[]): PairAmount[] {
  const owes = (a: string, b: string) => gross.find((p) => p.from === a && p.to === b)?.amountFen ?? 0;
  const regions = [...new Set(gross.flatMap((p) => [p.from, p.to]))].sort();
  const out: PairAmount[] = [];
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) {
      const a = regions[i]!;
      const b = regions[j]!;
      const d = owes(a, b) - owes(b, a);
      if (d > 0) out.push({ from: a, to: b, amountFen: d });
      else if (d < 0) out.push({ from: b, to: a, amountFen: -d });
    }
  }
  return out;
}

function regionBalances(gross: PairAmount[]): RegionBalance[] {
  const regions = [...new Set(gross.flatMap((p) => [p.from, p.to]))].sort();
  return regions.map((region) => {
    // Receivable: what this region advanced for other regions' authorizers.
    const receivableFen = gross.filter((p) => p.to === region).reduce((s, p) => s + p.amountFen, 0);
    const payableFen = gross.filter((p) => p.from === region).reduce((s, p) => s + p.amountFen, 0);
    return { region, receivableFen, payableFen, netFen: receivableFen - payableFen };
  });
}

/** Every way the table could fail to balance, each saying where. */
export function balanceProblems(r: ClearingResult): string[] {
  const problems: string[] = [];
  const recv = r.care.regions.reduce((s, x) => s + x.receivableFen, 0);
  const pay = r.care.regions.reduce((s, x) => s + x.payableFen, 0);
  const net = r.care.regions.reduce((s, x) => s + x.netFen, 0);
  if (recv !== pay) problems.push(`应收合计 ${fenToText(recv)} 与应付合计 ${fenToText(pay)} 不等`);
  if (net !== 0) problems.push(`净额合计为 ${fenToText(net)}，应为 0`);
  for (const x of r.care.regions) {
    if (x.receivableFen - x.payableFen !== x.netFen) problems.push(`${x.region} 的净额不等于应收减应付`);
    const linesIn = r.lines.filter((l) => l.section === 'care' && l.to === x.region).reduce((s, l) => s + l.amountFen, 0);
    const linesOut = r.lines.filter((l) => l.section === 'care' && l.from === x.region).reduce((s, l) => s + l.amountFen, 0);
    if (linesIn !== x.receivableFen) problems.push(`${x.region} 的应收 ${fenToText(x.receivableFen)} 与明细之和 ${fenToText(linesIn)} 不符`);
    if (linesOut !== x.payableFen) problems.push(`${x.region} 的应付 ${fenToText(x.payableFen)} 与明细之和 ${fenToText(linesOut)} 不符`);
  }
  for (const x of r.care.regions) {
    // The pairwise nets must settle each region's net exactly.
    const fromPairs = r.care.pairs.reduce((s, p) => s + (p.to === x.region ? p.amountFen : p.from === x.region ? -p.amountFen : 0), 0);
    if (fromPairs !== x.netFen) problems.push(`${x.region} 的两两差额之和 ${fenToText(fromPairs)} 与其净额 ${fenToText(x.netFen)} 不符`);
  }
  for (const p of r.premium.pairs) {
    const lines = r.lines.filter((l) => l.section === 'premium' && l.from === p.from && l.to === p.to).reduce((s, l) => s + l.amountFen, 0);
    if (lines !== p.amountFen) problems.push(`缴费 ${p.from}→${p.to} 的金额 ${fenToText(p.amountFen)} 与明细之和 ${fenToText(lines)} 不符`);
  }
  return problems;
}

export function computeClearing(db: Database, period: string): ClearingResult {
  if (!/^\d{4}-\d{2}$/.test(period)) throw new EngineError('BAD_REQUEST', `清算按月进行（如 2025-11），收到 ${period}`);
  const { start, end } = periodBounds(period);
  const ran = db.prepare("SELECT 1 FROM recon_run WHERE kind = 'settlement' AND period = ?").get(period);
  if (!ran) throw new EngineError('CONFLICT', `${period} 的就医共济还没有对账：请先对账，再清算`);
  const care = clearingLines(db, 'care', start, end);
  const premium = clearingLines(db, 'premium', start, end);
  const gross = grossPairs(care);
  const openBreaks = (db
    .prepare(
      `SELECT kind, match_key AS key, type, amount_ledger AS amountLedger, amount_external AS amountExternal, opened_period AS openedPeriod
       FROM recon_break WHERE status = 'open' AND ((kind = 'settlement' AND opened_period <= ?) OR (kind = 'premium'))
       ORDER BY kind, opened_period, match_key`,
    )
    .all(period)) as ClearingResult['openBreaks'];
  const result: ClearingResult = {
    period,
    care: { regions: regionBalances(gross), pairs: netPairs(gross), gross },
    premium: { pairs: grossPairs(premium) },
    lines: [...care, ...premium],
    openBreaks,
    totals: {
      careFen: gross.reduce((s, p) => s + p.amountFen, 0),
      premiumFen: premium.reduce((s, l) => s + l.amountFen, 0),
      careLines: care.length,
      premiumLines: premium.length,
    },
  };
  return result;
}

/** The table, or a refusal that names every place it does not balance. */
export function balancedClearing(db: Database, period: string): ClearingResult {
  const r = computeClearing(db, period);
  const problems = balanceProblems(r);
  if (problems.length) throw new EngineError('CONFLICT', `清算平衡表不平衡，不能出表：${problems.join('；')}`, { problems });
  return r;
}

/** The CLI's and contract's JSON form: amounts as strings with two decimals; `from` owes `to`. */
export function clearingJson(r: ClearingResult) {
  const pair = (p: PairAmount) => ({ from: p.from, to: p.to, amount: fenToText(p.amountFen) });
  return {
    period: r.period,
    care: {
      regions: r.care.regions.map((x) => ({ region: x.region, receivable: fenToText(x.receivableFen), payable: fenToText(x.payableFen), net: fenToText(x.netFen) })),
      pairs: r.care.pairs.map(pair),
    },
    premium: { pairs: r.premium.pairs.map(pair) },
    totals: { care: fenToText(r.totals.careFen), premium: fenToText(r.totals.premiumFen), careLines: r.totals.careLines, premiumLines: r.totals.premiumLines },
    openBreaks: r.openBreaks.length,
  };
}
