// Every key of the universe compared across the two sides and put in its class:
// matched, netted (a refund that cancels a payment on one side only), one-sided
// (or 在途 inside the closing window), amount, status or field mismatch. Only
// the keys that do not simply match become breaks; the run's totals are summed
// on the way, so the tie-out needs no second pass.
import type { BreakType } from '../../../shared/domain';
import type { FieldDiff } from '../../../shared/recon-types';
import { fenToText } from '../../../shared/money';
import { amountField, KeyedBreaks } from './keyed-breaks';
import { aggregateSide, type SideAggregates } from './aggregate-side';
import { comparedFields, type ReconSpec, type KeyAggregate } from './recon-specs';
import { sameSideText, sideText, type RunRows, type SideRows } from './side-rows';
import { dateTimeNumber } from '../rowstore/column-format';
import type { Window } from './window';
import type { Verdict } from './platform-verdicts';

/**
 * The rows behind each break on one side (duplicates apart), in file order: break
 * i's are rows[start[i] .. start[i + 1]). Two arrays for all breaks, not two per
 * break (a run may produce a hundred thousand and more).
 */
export interface RowsBehind {
  start: Int32Array;
  rows: Int32Array;
}

/** Row indices behind break `index` on one side. */
export const rowsBehind = (r: RowsBehind, index: number): Int32Array => r.rows.subarray(r.start[index]!, r.start[index + 1]!);

export interface DuplicateBreak {
  side: 'l' | 'x';
  same: boolean;
  row: number;
  gk: string;
}

export interface SideTotals {
  rows: number;
  keys: number;
  totalFen: number;
}

export interface KeyedOutcome {
  breaks: KeyedBreaks;
  behind: { l: RowsBehind; x: RowsBehind };
  duplicates: DuplicateBreak[];
  totals: { l: SideTotals; x: SideTotals };
  matched: { count: number; ledgerFen: number; externalFen: number };
  /** The ledger's amount of keys refunded in full on the ledger only (not a break, counted as matched). */
  nettedFen: number;
  /** External keys that are not 共济 at all (spec.zeroExternalIsNot): counted, never a break. */
  notMutualAid: { rows: number; keys: number };
  /** Keys matched on the amount that the platform's verdict flags (PLATFORM_FLAGGED), and breaks it annotates. */
  platform: { flagged: number; annotated: number };
}

/** The ledger's 电子税票号码 per key, where a ledger carries one (from its rows' JSON). */
export type LedgerVouchers = (rows: SideRows) => Map<number, string>;

export function classifyKeys(spec: ReconSpec, run: RunRows, w: Window, ledgerVouchers: LedgerVouchers, verdicts: Map<number, Verdict> = new Map()): KeyedOutcome {
  const K = run.keys.size;
  const L = run.l;
  const X = run.x;
  const la = aggregateSide(L, K, spec.ledger, run.texts, run.aggregateRoom[0]);
  const xa = aggregateSide(X, K, spec.external, run.texts, run.aggregateRoom[1]);
  const vouchers = spec.voucher ? ledgerVouchers(L) : new Map<number, string>();
  // One aggregate object, refilled per key and side: no allocation per key.
  const agg: KeyAggregate = { net: 0, paid: 0, counts: new Array<number>(Math.max(la.counts.length, xa.counts.length)).fill(0), latest: null };
  const fill = (a: SideAggregates, s: SideRows, k: number) => {
    agg.net = a.net[k]!;
    agg.paid = a.paid[k]!;
    for (let c = 0; c < a.counts.length; c++) agg.counts[c] = a.counts[c]![k]!;
    agg.latest = run.texts.of(s.status[a.latest[k]!]!);
    return agg;
  };
  const names = comparedFields(spec);
  const fieldOf = (s: SideRows, i: number, f: number, isLedger: boolean, k: number): string | number | null => {
    if (f < spec.fields.length) {
      const col = spec.fields[f]!.column;
      if (col === 'pay_year') return Number.isNaN(s.payYear[i]!) ? null : s.payYear[i]!;
      return col === 'certno' ? sideText(s, 'certno', i) : run.texts.of(s.insutype[i]!);
    }
    return isLedger ? (vouchers.get(k) ?? null) : sideText(s, 'sub_key', i);
  };

  // Everything but the rows behind the breaks, which are placed once all breaks are known.
  const out: Omit<KeyedOutcome, 'behind'> = {
    // Room for the held keys' breaks and a few in a hundred of the others (room never touched costs nothing).
    breaks: new KeyedBreaks((run.held?.n ?? 0) * 1.25 + K / 32),
    duplicates: [],
    totals: { l: { rows: 0, keys: 0, totalFen: 0 }, x: { rows: 0, keys: 0, totalFen: 0 } },
    matched: { count: 0, ledgerFen: 0, externalFen: 0 },
    nettedFen: 0,
    notMutualAid: { rows: 0, keys: 0 },
    platform: { flagged: 0, annotated: 0 },
  };
  // Keys held apart (held-apart.ts) are not in the run: their totals are as the carry kept them.
  const apart = run.heldApart;
  if (apart) {
    for (const side of ['l', 'x'] as const) {
      out.totals[side].keys += apart.totals[side].keys;
      out.totals[side].rows += apart.totals[side].rows;
      out.totals[side].totalFen += apart.totals[side].totalFen;
    }
  }
  const breakOf = new Int32Array(K).fill(-1);
  const windowStart = dateTimeNumber(w.windowStart);
  // A key whose rows all came from the carry, as they were, gives the break the carrying
  // run wrote, unless the closing window moved it between 在途 and 单边 (or the
  // platform's verdicts, read afresh each run, have a say).
  const h = spec.platformVerdicts ? null : run.history;
  const sameRows = (k: number) => h !== null && h.carried[k] === 1 && h.fresh[k] === 0;
  const held = run.held;
  for (let k = 0; k < K; k++) {
    const hi = held ? held.at[k]! : -1;
    if (hi >= 0) {
      // Held (held-keys.ts): its rows were not read; its break and its totals are as kept.
      const al = held!.amountLedger[hi]!;
      const ax = held!.amountExternal[hi]!;
      if (!Number.isNaN(al)) {
        out.totals.l.keys++;
        out.totals.l.rows += held!.rowsLedger[hi]!;
        out.totals.l.totalFen += al;
      }
      if (!Number.isNaN(ax)) {
        out.totals.x.keys++;
        out.totals.x.rows += held!.rowsExternal[hi]!;
        out.totals.x.totalFen += ax;
      }
      breakOf[k] = out.breaks.pushHeld(k, held!.type[hi]!, al, ax);
      continue;
    }
    const hasL = la.rows[k]! > 0;
    const hasX = xa.rows[k]! > 0;
    if (!hasL && !hasX) continue;
    if (hasL) {
      out.totals.l.keys++;
      out.totals.l.rows += la.rows[k]!;
      out.totals.l.totalFen += la.net[k]!;
    }
    if (hasX) {
      out.totals.x.keys++;
      out.totals.x.rows += xa.rows[k]!;
      out.totals.x.totalFen += xa.net[k]!;
    }
    const li = la.latest[k]!;
    const xi = xa.latest[k]!;
    const lStatus = hasL ? spec.ledger.status(fill(la, L, k)) : '';
    const lCmp = hasL ? spec.ledger.compare(agg) : 0;
    const xStatus = hasX ? spec.external.status(fill(xa, X, k)) : '';
    const xCmp = hasX ? spec.external.compare(agg) : 0;
    // Built only for a key that differs (no closure or array per key: a million keys pass here).
    let fields: FieldDiff[] | null = null;
    const verdict = verdicts.size ? verdicts.get(k) : undefined;
    let type: BreakType;
    let thenInTransit: boolean | null = null;
    let shown = 0;
    if (hasL && hasX) {
      if (lCmp !== xCmp) fields = [{ field: 'amount', ledger: fenToText(lCmp), external: fenToText(xCmp) }];
      if (lStatus !== xStatus) (fields ??= []).push({ field: 'status', ledger: lStatus, external: xStatus });
      for (let f = 0; f < names.length; f++) {
        // The certificate number is compared where it lies; its text is read only when it differs.
        if (f < spec.fields.length && spec.fields[f]!.column === 'certno' && sameSideText(L, li, X, xi, 'certno') !== false) continue;
        const a = fieldOf(L, li, f, true, k);
        if (a === null) continue;
        const b = fieldOf(X, xi, f, false, k);
        if (b !== null && a !== b) (fields ??= []).push({ field: names[f]!, ledger: String(a), external: String(b) });
      }
      if (lCmp !== xCmp) type = 'AMOUNT_MISMATCH';
      else if (lStatus !== xStatus) type = 'STATUS_MISMATCH';
      else if (fields) type = 'FIELD_MISMATCH';
      else if (verdict && verdict.status !== 'balanced') {
        // Both sides agree on the 共济 amount, the platform does not: flagged for a look.
        type = 'PLATFORM_FLAGGED';
        out.platform.flagged++;
      } else {
        out.matched.count++;
        out.matched.ledgerFen += la.net[k]!;
        out.matched.externalFen += xa.net[k]!;
        continue;
      }
    } else if (hasL) {
      if (la.net[k] === 0 && lStatus !== 'paid' && lStatus !== 'normal') {
        out.nettedFen += la.net[k]!;
        continue;
      }
      // One-sided records dated inside the closing window are expected next period.
      type = L.at[li]! >= windowStart ? 'IN_TRANSIT' : 'LEDGER_ONLY';
      thenInTransit = h !== null && L.at[li]! >= h.windowStart;
      shown = lCmp;
    } else {
      if (spec.zeroExternalIsNot && xa.net[k] === 0 && xa.paid[k] === 0 && xStatus === 'normal') {
        out.notMutualAid.rows += xa.rows[k]!;
        out.notMutualAid.keys++;
        continue;
      }
      type = X.at[xi]! >= windowStart ? 'IN_TRANSIT' : 'EXTERNAL_ONLY';
      thenInTransit = h !== null && X.at[xi]! >= h.windowStart;
      shown = xCmp;
    }
    if (verdict) {
      // The platform's word on this settlement, beside the break (never part of the amount match).
      fields = hasL && hasX ? (fields ?? []) : [amountField(hasL, shown)];
      fields.push({ field: 'platform_verdict', ledger: null, external: verdict.text });
      if (type !== 'PLATFORM_FLAGGED') out.platform.annotated++;
    }
    breakOf[k] = out.breaks.push({
      kid: k,
      same: sameRows(k) && (thenInTransit === null || thenInTransit === (type === 'IN_TRANSIT')),
      // Else, from the same rows, only the closing window moved it (thenInTransit is set for a one-sided break only).
      rowsSame: sameRows(k) && thenInTransit !== null,
      type,
      fields: hasL && hasX ? (fields ?? []) : fields,
      shown,
      amountLedger: hasL ? la.net[k]! : null,
      amountExternal: hasX ? xa.net[k]! : null,
      latestRow: hasL ? li : xi,
    });
  }
  // The rows behind each break, in file order (the rows are in file order): counted, then placed.
  const rowsOf = (s: SideRows, a: SideAggregates): RowsBehind => {
    const nb = out.breaks.length;
    const start = new Int32Array(nb + 1);
    for (let i = 0; i < s.n; i++) {
      const b = breakOf[s.kid[i]!]!;
      if (b >= 0 && !a.dup[i]) start[b + 1]!++;
    }
    for (let b = 0; b < nb; b++) start[b + 1]! += start[b]!;
    const rows = new Int32Array(start[nb]!);
    const next = start.slice(0, nb);
    for (let i = 0; i < s.n; i++) {
      const b = breakOf[s.kid[i]!]!;
      if (b >= 0 && !a.dup[i]) rows[next[b]!++] = i;
    }
    return { start, rows };
  };
  const behind = { l: rowsOf(L, la), x: rowsOf(X, xa) };
  for (const [side, a, s] of [['l', la, L], ['x', xa, X]] as const) {
    const t = out.totals[side];
    for (const i of a.dups) {
      out.duplicates.push({ side, same: sameRows(s.kid[i]!), row: i, gk: run.keys.text(s.kid[i]!) });
      t.rows++;
      t.totalFen += s.amount[i]!;
    }
  }
  return { ...out, behind };
}
