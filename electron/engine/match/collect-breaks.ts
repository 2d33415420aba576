// Turns the classified keys, the duplicate copies and the unpaired keyless rows
// into break records: type, key, both sides' amounts, the fields that differ,
// the records behind them (batch:line) and the beneficiary's name.
import type { Database } from 'better-sqlite3';
import { BREAK_TYPES, type BreakType } from '../../../shared/domain';
import type { FieldDiff } from '../../../shared/recon-types';
import { fenToText } from '../../../shared/money';
import { RowLookup } from '../rowstore/block-store';
import { rowsBehind, type DuplicateBreak, type KeyedOutcome } from './classify-keys';
import type { FallbackResult } from './fallback';
import type { KeyedBreaks } from './keyed-breaks';
import { eventAtText, sideText, type KeylessRow, type RunRows, type SideRows } from './side-rows';

/** A break not of a key: a duplicate copy or a keyless row (few, an object each; keyed breaks are columns, ProducedBreaks). */
interface ProducedBreak {
  readonly key: string;
  /** The key's id in the run (-1: a row without a key). */
  readonly kid: number;
  /** Made from exactly the rows, and with the type, the carrying run wrote it with (carry.ts): an open one is not written again. */
  readonly same: boolean;
  readonly matchKey: string;
  readonly type: BreakType;
  readonly amountLedger: number | null;
  readonly amountExternal: number | null;
  /** What else is written into the break, made when it is written (an open break found as it was never needs it). */
  detail(): BreakDetail;
}

export interface BreakDetail {
  fields: FieldDiff[];
  certno: string | null;
  name: string | null;
  eventAt: string | null;
  ledgerOrigin: string[];
  externalOrigin: string[];
}

const originOf = (s: SideRows, i: number) => `${s.batch[i]}:${s.line[i]}`;

/** The key of a break of a keyless row: the row itself (its side, batch and line). */
export const rowBreakKey = (side: 'l' | 'x', batchId: number, line: number) => `ROW:${side}:${batchId}:${line}`;
/** A break of a keyless row, not of a key. */
export const isRowBreak = (key: string) => key.startsWith('ROW:');

/** A second copy of a record already counted: the same key twice on one side. */
class DuplicateProduced implements ProducedBreak {
  readonly kid: number;
  readonly same: boolean;
  readonly type = 'DUPLICATE' as const;
  constructor(
    private readonly s: SideRows,
    private readonly d: DuplicateBreak,
  ) {
    this.kid = s.kid[d.row]!;
    this.same = d.same;
  }
  get key() {
    return `DUP:${this.d.side}:${originOf(this.s, this.d.row)}`;
  }
  get matchKey() {
    return this.d.gk;
  }
  get amountLedger() {
    return this.d.side === 'l' ? this.s.amount[this.d.row]! : null;
  }
  get amountExternal() {
    return this.d.side === 'x' ? this.s.amount[this.d.row]! : null;
  }
  detail(): BreakDetail {
    const { s, d } = this;
    const origin = originOf(s, d.row);
    return {
      fields: [{ field: 'duplicate_of', ledger: d.side === 'l' ? d.gk : null, external: d.side === 'x' ? d.gk : null }],
      certno: sideText(s, 'certno', d.row),
      name: sideText(s, 'name', d.row),
      eventAt: eventAtText(s, d.row),
      ledgerOrigin: d.side === 'l' ? [origin] : [],
      externalOrigin: d.side === 'x' ? [origin] : [],
    };
  }
}

/**
 * The breaks a run produced, as applyBreaks and the summary take them, break p
 * across the accessors: first the keyed ones (read from their columns, no object
 * apiece: at week ten some 150,000, nearly all found open as they were), then the
 * duplicate copies and the keyless rows (few, an object each).
 */
export class ProducedBreaks {
  readonly length: number;
  private readonly k: number;
  constructor(
    private readonly run: RunRows,
    private readonly outcome: KeyedOutcome,
    private readonly others: ProducedBreak[],
  ) {
    this.k = outcome.breaks.length;
    this.length = this.k + others.length;
  }

  /** The keyed breaks: produced breaks 0 … keyedBreaks.length - 1, in key-id order. */
  get keyedBreaks(): KeyedBreaks {
    return this.outcome.breaks;
  }
  /** A keyed break: its key is the match key of key id `kid` (not a duplicate's or a keyless row's). */
  keyed(p: number): boolean {
    return p < this.k;
  }
  /** The key's id in the run (-1: a row without a key). */
  kid(p: number): number {
    return p < this.k ? this.outcome.breaks.kid(p) : this.others[p - this.k]!.kid;
  }
  /** Made from exactly the rows, and with the type, the carrying run wrote it with (carry.ts): an open one is not written again. */
  same(p: number): boolean {
    return p < this.k ? this.outcome.breaks.same(p) : this.others[p - this.k]!.same;
  }
  /** A keyed break from the carrying run's rows whose type alone changed (KeyedBreaks.rowsSame): only its type is written. */
  rowsSame(p: number): boolean {
    return p < this.k && this.outcome.breaks.rowsSame(p);
  }
  type(p: number): BreakType {
    return p < this.k ? this.outcome.breaks.type(p) : this.others[p - this.k]!.type;
  }
  /** Its type as its place in BREAK_TYPES (a keyed break's as its columns keep it). */
  typeCode(p: number): number {
    return p < this.k ? this.outcome.breaks.typeCode(p) : BREAK_TYPES.indexOf(this.others[p - this.k]!.type);
  }
  amountLedger(p: number): number | null {
    return p < this.k ? this.outcome.breaks.amountLedger(p) : this.others[p - this.k]!.amountLedger;
  }
  amountExternal(p: number): number | null {
    return p < this.k ? this.outcome.breaks.amountExternal(p) : this.others[p - this.k]!.amountExternal;
  }
  /** Decoded when asked for (a break found open by its key id never is). */
  key(p: number): string {
    return p < this.k ? this.run.keys.text(this.outcome.breaks.kid(p)) : this.others[p - this.k]!.key;
  }
  matchKey(p: number): string {
    return p < this.k ? this.key(p) : this.others[p - this.k]!.matchKey;
  }
  /** What else is written into the break, made when it is written. */
  detail(p: number): BreakDetail {
    if (p >= this.k) return this.others[p - this.k]!.detail();
    const { run, outcome } = this;
    const b = outcome.breaks;
    const latest = b.amountLedger(p) !== null ? run.l : run.x;
    const lr = rowsBehind(outcome.behind.l, p);
    const xr = rowsBehind(outcome.behind.x, p);
    return {
      fields: b.fieldsOf(p),
      certno: sideText(latest, 'certno', b.latestRow(p)),
      // The beneficiary's name, from the first record behind the break (whichever side has one).
      name: lr.length ? sideText(run.l, 'name', lr[0]!) : xr.length ? sideText(run.x, 'name', xr[0]!) : null,
      eventAt: eventAtText(latest, b.latestRow(p)),
      ledgerOrigin: Array.from(lr, (i) => originOf(run.l, i)),
      externalOrigin: Array.from(xr, (i) => originOf(run.x, i)),
    };
  }
}

export function collectBreaks(db: Database, run: RunRows, keyed: KeyedOutcome, fallback: FallbackResult): ProducedBreaks {
  const out: ProducedBreak[] = [];
  for (const d of keyed.duplicates) out.push(new DuplicateProduced(d.side === 'l' ? run.l : run.x, d));
  // Keyless rows are few: their names are looked up by origin, at once.
  const lookup = new RowLookup(db);
  const oneSided = (r: KeylessRow): ProducedBreak => {
    const origin = `${r.batch_id}:${r.line}`;
    const row = lookup.get(r.batch_id, r.line);
    const detail: BreakDetail = {
      fields: [{ field: 'amount', ledger: r.side === 'l' ? fenToText(r.amount_fen) : null, external: r.side === 'x' ? fenToText(r.amount_fen) : null }],
      certno: r.certno,
      name: row ? row.cols.strAt('name', row.index) : null,
      eventAt: r.event_at,
      ledgerOrigin: r.side === 'l' ? [origin] : [],
      externalOrigin: r.side === 'x' ? [origin] : [],
    };
    return {
      key: rowBreakKey(r.side, r.batch_id, r.line),
      kid: -1,
      same: false,
      matchKey: '（无单号）',
      type: r.side === 'l' ? 'LEDGER_ONLY' : 'EXTERNAL_ONLY',
      amountLedger: r.side === 'l' ? r.amount_fen : null,
      amountExternal: r.side === 'x' ? r.amount_fen : null,
      detail: () => detail,
    };
  };
  out.push(...[...fallback.ledgerOnly, ...fallback.externalOnly].map(oneSided));
  return new ProducedBreaks(run, keyed, out);
}
