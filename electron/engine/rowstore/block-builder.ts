// Collects an import's accepted rows into blocks of BLOCK_ROWS, column by column,
// and encodes each full block into two buffers: the columns matching, clearing
// and the checks read (`cols`), and the canonical fields without a column plus an
// XLSX row's cells (`extra`), which only reading a record back needs. Runs in the
// parsing thread; the buffers cross to the writing thread without a copy.
//
// Values are laid out as they arrive: numbers and dates into typed arrays,
// statuses and 险种 codes as dictionary codes, texts as lengths plus runs joined
// every few hundred rows (column-writers). A block holds no per-row objects, so
// the strings of a row die young (a million rows would otherwise keep the collector busy).
import type { FieldType } from '../../../shared/import-kinds';
import { BLOCK_ROWS } from './block-size';
import { encodeColumns, type ColumnData } from './column-encode';
import { dateTimeNumber, formatDateTime } from './column-format';
import { CodeColumn, TextRun } from './column-writers';
import { extraColumn } from './other-fields';
import { BYTES, NONE as EMPTY, slotNumber, slotText, TIME, type ByteRow, type Slot } from './value-slot';

export { BLOCK_ROWS };

/** The text columns of `cols`; status and 险种 are few distinct codes. */
export const TEXT_COLUMNS = ['key', 'sub_key', 'ref_key', 'certno'] as const;
export const CODE_COLUMNS = ['status', 'insutype'] as const;
export const NUMBER_COLUMNS = ['amount_fen', 'pay_year'] as const;

export interface EncodedBlock {
  n: number;
  firstLine: number;
  lastLine: number;
  minAt: string | null;
  maxAt: string | null;
  cols: Uint8Array;
  extra: Uint8Array;
}

/** One accepted row as the builder takes it (values are copied out at once). */
export interface BlockRow {
  line: number;
  /** Byte offset of a text record in its file; null for an XLSX row. */
  offset: number | null;
  gk: string | null;
  /** The stored columns in the normaliser's STORED_COLUMNS order. */
  cols: readonly (string | number | null)[];
  name: string | null;
  /** The fields without a column, in the builder's `extras` order; or, for rows kept before blocks, their JSON. */
  extra: readonly (string | number | null)[] | string;
  raw: string | null;
}

/** A field without a stored column: the block keeps it in a column of its own in `extra` (other-fields). */
export interface ExtraFieldSpec {
  name: string;
  type: FieldType;
}

const NUMBER_TYPES = new Set<FieldType>(['amount', 'year', 'int', 'flag']);
const CODE_TYPES = new Set<FieldType>(['region', 'relation', 'status', 'insutype']);

export class BlockBuilder {
  private line = new Float64Array(BLOCK_ROWS);
  private rawOff = new Float64Array(BLOCK_ROWS);
  private at = new Float64Array(BLOCK_ROWS);
  /** Dates not in the canonical form (never from the importer's normaliser): the block keeps them as text. */
  private atTexts: (string | null)[] | null = null;
  private nums: Float64Array[] = NUMBER_COLUMNS.map(() => new Float64Array(BLOCK_ROWS));
  private texts = TEXT_COLUMNS.map(() => new TextRun());
  private codes = CODE_COLUMNS.map(() => new CodeColumn());
  private gk = new TextRun();
  private name = new TextRun();
  private readonly extraCols: ({ kind: 'num'; values: Float64Array } | { kind: 'code'; col: CodeColumn } | { kind: 'text'; col: TextRun })[];
  /** Rows kept before blocks carry their other fields as JSON. */
  private legacy: TextRun | null = null;
  private raw = new TextRun();
  private minAt = Infinity;
  private maxAt = -Infinity;
  private readonly textAt: number[];
  private readonly codeAt: number[];
  private readonly numAt: number[];
  private readonly keyAt: number;
  private readonly eventAt: number;
  count = 0;

  constructor(order: readonly string[], private readonly extras: readonly ExtraFieldSpec[] = []) {
    this.extraCols = extras.map((f) =>
      NUMBER_TYPES.has(f.type) ? { kind: 'num', values: new Float64Array(BLOCK_ROWS) } : CODE_TYPES.has(f.type) ? { kind: 'code', col: new CodeColumn() } : { kind: 'text', col: new TextRun(true) },
    );
    this.textAt = TEXT_COLUMNS.map((c) => order.indexOf(c));
    this.codeAt = CODE_COLUMNS.map((c) => order.indexOf(c));
    this.numAt = NUMBER_COLUMNS.map((c) => order.indexOf(c));
    this.keyAt = order.indexOf('key');
    this.eventAt = order.indexOf('event_at');
  }

  get full(): boolean {
    return this.count >= BLOCK_ROWS;
  }

  /** Takes a row; returns its date-time as a number (YYYYMMDDHHmmss; NaN: none, or not in the canonical form). */
  add(r: BlockRow): number {
    const i = this.count++;
    this.line[i] = r.line;
    this.rawOff[i] = r.offset ?? NaN;
    for (let c = 0; c < this.numAt.length; c++) {
      const v = r.cols[this.numAt[c]!];
      this.nums[c]![i] = typeof v === 'number' ? v : NaN;
    }
    for (let c = 0; c < this.textAt.length; c++) this.texts[c]!.put(i, text(r.cols[this.textAt[c]!]));
    for (let c = 0; c < this.codeAt.length; c++) this.codes[c]!.put(i, text(r.cols[this.codeAt[c]!]));
    if (r.gk !== null && r.gk === r.cols[this.keyAt]) this.gk.same(i);
    else this.gk.put(i, r.gk);
    this.name.put(i, r.name);
    if (typeof r.extra === 'string') (this.legacy ??= new TextRun()).put(i, r.extra);
    else {
      for (let c = 0; c < this.extraCols.length; c++) {
        const e = this.extraCols[c]!;
        const v = r.extra[c] ?? null;
        if (e.kind === 'num') e.values[i] = typeof v === 'number' ? v : NaN;
        else e.col.put(i, text(v));
      }
    }
    this.raw.put(i, r.raw);
    const at = text(r.cols[this.eventAt]);
    const x = at === null ? NaN : dateTimeNumber(at);
    this.placeAt(i, x, at !== null, at);
    return x;
  }

  /**
   * A row from the byte path (row-bytes), its texts as bytes of `u8`: laid out as
   * `add` lays out the same row read as strings, byte for byte. Returns the row's
   * date-time as a number, as `add` does.
   */
  addBytes(line: number, offset: number, u8: Buffer, r: ByteRow): number {
    const i = this.count++;
    this.line[i] = line;
    this.rawOff[i] = offset;
    for (let c = 0; c < this.numAt.length; c++) {
      this.nums[c]![i] = slotNumber(r.cols[this.numAt[c]!]!);
    }
    for (let c = 0; c < this.textAt.length; c++) putSlot(this.texts[c]!, i, r.cols[this.textAt[c]!]!, u8);
    for (let c = 0; c < this.codeAt.length; c++) this.codes[c]!.put(i, slotText(r.cols[this.codeAt[c]!]!, u8));
    if (r.gkSame) this.gk.same(i);
    else putSlot(this.gk, i, r.gk, u8);
    putSlot(this.name, i, r.name, u8);
    for (let c = 0; c < this.extraCols.length; c++) {
      const e = this.extraCols[c]!;
      const v = r.extra[c]!;
      if (e.kind === 'num') e.values[i] = slotNumber(v);
      else if (e.kind === 'text') putSlot(e.col, i, v, u8);
      else e.col.put(i, slotText(v, u8));
    }
    this.raw.put(i, null);
    const a = r.cols[this.eventAt]!;
    const x = a.k === TIME ? (a.v as number) : a.k === EMPTY ? NaN : dateTimeNumber(slotText(a, u8)!);
    const present = a.k !== EMPTY;
    // The text only where the block keeps texts (a time not in the canonical form): a time to the second is not formatted again.
    this.placeAt(i, x, present, this.atTexts || (present && Number.isNaN(x)) ? slotText(a, u8) : null);
    return x;
  }

  /**
   * Row i's date-time: its number x (NaN: none, or not in the canonical form), and its
   * text where it has one (`present`), which the block keeps once any time of it is
   * not canonical (`text` must then be given).
   */
  private placeAt(i: number, x: number, present: boolean, text: string | null): void {
    this.at[i] = x;
    if (present && Number.isNaN(x)) (this.atTexts ??= Array.from(this.at.subarray(0, i), (v) => (Number.isNaN(v) ? null : formatDateTime(v))));
    if (this.atTexts) this.atTexts[i] = text;
    if (x < this.minAt) this.minAt = x;
    if (x > this.maxAt) this.maxAt = x;
  }

  private takeExtra(n: number): Record<string, ColumnData> {
    const out: Record<string, ColumnData> = { raw: this.raw.take(n) };
    this.extras.forEach((f, c) => {
      const e = this.extraCols[c]!;
      out[extraColumn(f.name)] = e.kind === 'num' ? { t: 'f64', values: e.values.subarray(0, n) } : e.col.take(n);
    });
    if (this.legacy) out.extra = this.legacy.take(n);
    return out;
  }

  take(): EncodedBlock {
    const n = this.count;
    const cols: Record<string, ColumnData> = {
      line: { t: 'f64', values: this.line.subarray(0, n) },
      raw_off: { t: 'f64', values: this.rawOff.subarray(0, n) },
    };
    NUMBER_COLUMNS.forEach((c, k) => (cols[c] = { t: 'f64', values: this.nums[k]!.subarray(0, n) }));
    TEXT_COLUMNS.forEach((c, k) => (cols[c] = this.texts[k]!.take(n)));
    CODE_COLUMNS.forEach((c, k) => (cols[c] = this.codes[k]!.take(n)));
    cols.event_at = this.atTexts ? { t: 'str', values: this.atTexts } : { t: 'dt', values: this.at.subarray(0, n) };
    cols.gk = this.gk.take(n, 'key');
    cols.name = this.name.take(n);
    const block: EncodedBlock = {
      n,
      firstLine: this.line[0]!,
      lastLine: this.line[n - 1]!,
      // Only canonical dates count for a block's range (a block of other forms is always scanned).
      minAt: Number.isFinite(this.minAt) && !this.atTexts ? formatDateTime(this.minAt) : null,
      maxAt: Number.isFinite(this.maxAt) && !this.atTexts ? formatDateTime(this.maxAt) : null,
      cols: encodeColumns(n, cols),
      extra: encodeColumns(n, this.takeExtra(n)),
    };
    this.legacy = null;
    this.atTexts = null;
    this.minAt = Infinity;
    this.maxAt = -Infinity;
    this.count = 0;
    return block;
  }
}

/** A slot into a text column: its bytes as they are, any other value as `add` writes it. */
function putSlot(run: TextRun, i: number, v: Slot, u8: Buffer): void {
  if (v.k === BYTES) run.putBytes(i, u8, v.s, v.e, v.n);
  else run.put(i, slotText(v, u8));
}

const text = (v: string | number | null | undefined): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : String(v));
