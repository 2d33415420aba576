// The keys of a run that do not simply match, a column per field (break i across
// the arrays). Not an object per break: at week ten a run produces some 150,000
// (every break still open), nearly all found as they were and never written, and
// two objects apiece (the break and its view) lived through the run's garbage
// collections. A break's key text and a one-sided break's fields are made only
// when it is written.
import { BREAK_TYPES, type BreakType } from '../../../shared/domain';
import type { FieldDiff } from '../../../shared/recon-types';
import { fenToText } from '../../../shared/money';

const TYPE_CODE = new Map<BreakType, number>(BREAK_TYPES.map((t, i) => [t, i]));
/** A break's `sames` value: as the carrying run wrote it, or from its rows with only its type changed. */
const SAME = 1;
const ROWS_SAME = 2;

/** A one-sided break's field: its compared amount, on the side it is on. */
export const amountField = (ledgerSide: boolean, shown: number): FieldDiff => ({ field: 'amount', ledger: ledgerSide ? fenToText(shown) : null, external: ledgerSide ? null : fenToText(shown) });

export interface KeyedBreakInput {
  kid: number;
  /** As the carrying run wrote it: the same rows (none added, none gone) and the same type. */
  same: boolean;
  /**
   * The same rows as the carrying run's, though not `same`: a one-sided break whose
   * latest record left the closing window (在途 became 单边, or back). Everything but
   * its type is as written; apply-breaks writes only that.
   */
  rowsSame?: boolean;
  type: BreakType;
  /** The fields that differ; null for a one-sided break's (only its compared amount, `shown`). */
  fields: FieldDiff[] | null;
  /** A one-sided break's compared amount (the side's `compare`, which need not be its net). */
  shown: number;
  amountLedger: number | null;
  amountExternal: number | null;
  /** The latest record (whose certificate number and time the break shows): its row, of the ledger side where the key has ledger rows. */
  latestRow: number;
}

export class KeyedBreaks {
  private count = 0;
  private kids: Int32Array;
  private types: Uint8Array;
  /** SAME, ROWS_SAME (only the type differs) or 0: neither. */
  private sames: Uint8Array;
  private shown: Float64Array;
  /** NaN: the key has no rows on that side. */
  private ledger: Float64Array;
  private external: Float64Array;
  private latest: Int32Array;
  /** By break: the fields that differ, where they are more than a one-sided amount. */
  private readonly fields = new Map<number, FieldDiff[]>();

  /**
   * `room`: the breaks expected (a run that holds keys knows most of them). Grown
   * where more come, but each growth copies every column into memory touched for the
   * first time, which on the benchmark's virtual machine costs more than the copy:
   * pushing 130,000 held keys' breaks into columns grown from 1,024 took 33–37 ms.
   */
  constructor(room = 1024) {
    const n = Math.max(16, Math.ceil(room));
    this.kids = new Int32Array(n);
    this.types = new Uint8Array(n);
    this.sames = new Uint8Array(n);
    this.shown = new Float64Array(n);
    this.ledger = new Float64Array(n);
    this.external = new Float64Array(n);
    this.latest = new Int32Array(n);
  }

  get length(): number {
    return this.count;
  }

  /** Adds a break; its index (its place among the breaks, by which its rows are found). */
  push(b: KeyedBreakInput): number {
    const i = this.place(b.kid, TYPE_CODE.get(b.type)!, b.same ? SAME : b.rowsSame ? ROWS_SAME : 0, b.shown, b.amountLedger ?? NaN, b.amountExternal ?? NaN, b.latestRow);
    if (b.fields) this.fields.set(i, b.fields);
    return i;
  }

  /**
   * A held key's break (held-keys.ts), as push with same, no fields and no latest row:
   * some 130,000 a run at week ten, so without an object apiece, and its type as its
   * place in BREAK_TYPES (as the carry keeps it), not looked up by name. NaN: no rows on that side.
   */
  pushHeld(kid: number, typeCode: number, amountLedger: number, amountExternal: number): number {
    return this.place(kid, typeCode, SAME, 0, amountLedger, amountExternal, -1);
  }

  /** A break's columns at the next index (the arrays grown where full). */
  private place(kid: number, typeCode: number, same: number, shown: number, ledger: number, external: number, latest: number): number {
    const i = this.count++;
    if (i === this.kids.length) this.grow();
    this.kids[i] = kid;
    this.types[i] = typeCode;
    this.sames[i] = same;
    this.shown[i] = shown;
    this.ledger[i] = ledger;
    this.external[i] = external;
    this.latest[i] = latest;
    return i;
  }

  kid(i: number): number {
    return this.kids[i]!;
  }
  same(i: number): boolean {
    return this.sames[i] === SAME;
  }
  /** Not same, but made from the same rows (only its type differs: KeyedBreakInput.rowsSame). */
  rowsSame(i: number): boolean {
    return this.sames[i] === ROWS_SAME;
  }
  type(i: number): BreakType {
    return BREAK_TYPES[this.types[i]!]!;
  }
  /** Its type as its place in BREAK_TYPES. */
  typeCode(i: number): number {
    return this.types[i]!;
  }
  amountLedger(i: number): number | null {
    const v = this.ledger[i]!;
    return Number.isNaN(v) ? null : v;
  }
  amountExternal(i: number): number | null {
    const v = this.external[i]!;
    return Number.isNaN(v) ? null : v;
  }
  latestRow(i: number): number {
    return this.latest[i]!;
  }
  /** The fields that differ (a one-sided break's made here, when it is written). */
  fieldsOf(i: number): FieldDiff[] {
    return this.fields.get(i) ?? [amountField(this.amountLedger(i) !== null, this.shown[i]!)];
  }

  private grow(): void {
    const n = this.kids.length * 2;
    const more = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.kids = more(this.kids, (m) => new Int32Array(m));
    this.types = more(this.types, (m) => new Uint8Array(m));
    this.sames = more(this.sames, (m) => new Uint8Array(m));
    this.shown = more(this.shown, (m) => new Float64Array(m));
    this.ledger = more(this.ledger, (m) => new Float64Array(m));
    this.external = more(this.external, (m) => new Float64Array(m));
    this.latest = more(this.latest, (m) => new Int32Array(m));
  }
}
