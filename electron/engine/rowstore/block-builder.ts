// Collects an import's accepted rows into blocks of BLOCK_ROWS, column by column,
// and encodes each full block into two buffers: the columns matching, clearing
// and the checks read (`cols`), and the canonical fields without a column plus an
// XLSX row's cells (`extra`), which only reading a record back needs. Runs in the
// parsing thread; the buffers cross to the writing thread without a copy.
import { encodeColumns } from './column-codec';

export const BLOCK_ROWS = 16384;

/** The text columns of `cols`, in the order of the normaliser's STORED_COLUMNS (numbers apart). */
export const TEXT_COLUMNS = ['key', 'sub_key', 'ref_key', 'status', 'certno', 'insutype', 'event_at'] as const;
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
  extra: string;
  raw: string | null;
}

/** Where each stored column sits in a row's `cols` (the normaliser's STORED_COLUMNS). */
export type ColumnOrder = readonly string[];

export class BlockBuilder {
  private line = new Float64Array(BLOCK_ROWS);
  private rawOff = new Float64Array(BLOCK_ROWS);
  private nums: Float64Array[] = NUMBER_COLUMNS.map(() => new Float64Array(BLOCK_ROWS));
  private texts: (string | null)[][] = TEXT_COLUMNS.map(() => []);
  private gk: (string | null)[] = [];
  private name: (string | null)[] = [];
  private extra: string[] = [];
  private raw: (string | null)[] = [];
  private minAt: string | null = null;
  private maxAt: string | null = null;
  private readonly textAt: number[];
  private readonly numAt: number[];
  private readonly eventAt: number;
  count = 0;

  constructor(order: ColumnOrder) {
    this.textAt = TEXT_COLUMNS.map((c) => order.indexOf(c));
    this.numAt = NUMBER_COLUMNS.map((c) => order.indexOf(c));
    this.eventAt = order.indexOf('event_at');
  }

  get full(): boolean {
    return this.count >= BLOCK_ROWS;
  }

  add(r: BlockRow): void {
    const i = this.count++;
    this.line[i] = r.line;
    this.rawOff[i] = r.offset ?? NaN;
    for (let c = 0; c < this.numAt.length; c++) {
      const v = r.cols[this.numAt[c]!];
      this.nums[c]![i] = typeof v === 'number' ? v : NaN;
    }
    for (let c = 0; c < this.textAt.length; c++) {
      const v = r.cols[this.textAt[c]!] ?? null;
      this.texts[c]!.push(v === null ? null : String(v));
    }
    this.gk.push(r.gk);
    this.name.push(r.name);
    this.extra.push(r.extra);
    this.raw.push(r.raw);
    const at = r.cols[this.eventAt];
    if (typeof at === 'string') {
      if (this.minAt === null || at < this.minAt) this.minAt = at;
      if (this.maxAt === null || at > this.maxAt) this.maxAt = at;
    }
  }

  take(): EncodedBlock {
    const n = this.count;
    const cols: Parameters<typeof encodeColumns>[1] = {
      line: { t: 'f64', values: this.line },
      raw_off: { t: 'f64', values: this.rawOff },
    };
    NUMBER_COLUMNS.forEach((c, k) => (cols[c] = { t: 'f64', values: this.nums[k]! }));
    TEXT_COLUMNS.forEach((c, k) => (cols[c] = { t: 'str', values: this.texts[k]!, datetime: c === 'event_at' }));
    cols.gk = { t: 'str', values: this.gk, sameAs: 'key' };
    cols.name = { t: 'str', values: this.name };
    const block: EncodedBlock = {
      n,
      firstLine: this.line[0]!,
      lastLine: this.line[n - 1]!,
      minAt: this.minAt,
      maxAt: this.maxAt,
      cols: encodeColumns(n, cols),
      extra: encodeColumns(n, { extra: { t: 'str', values: this.extra }, raw: { t: 'str', values: this.raw } }),
    };
    this.texts = TEXT_COLUMNS.map(() => []);
    this.gk = [];
    this.name = [];
    this.extra = [];
    this.raw = [];
    this.minAt = this.maxAt = null;
    this.count = 0;
    return block;
  }
}
