// The column writers the block builder fills row by row: texts (TextRun) and
// few distinct texts as dictionary codes (CodeColumn).
import { BLOCK_ROWS } from './block-size';
import type { ColumnData } from './column-encode';
import { NONE, SAME } from './column-format';

/**
 * Rows per joined run of a text column. Short: a run's strings wait in `parts`
 * until it is joined, and with 512 rows they lived through young-generation
 * collections and were copied into the old one (a million-row ledger: some 250 MB
 * of memory mapped afresh, and 15 % of its import time); 16 to 64 measure the same.
 */
const RUN = 64;

/**
 * A text column written as it fills: a length per row, and the texts joined every
 * RUN rows and written as UTF-8 into a buffer kept from block to block, so no
 * string outlives its run.
 */
export class TextRun {
  readonly lens = new Int32Array(BLOCK_ROWS);
  private parts: string[] = [];
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** Every text of the block so far is the same one (rows without one aside); always false without `uniformAsDict`. */
  private uniform: boolean;
  /** That text, as given (a string, or bytes from the byte path), the other form made when first needed. */
  private firstText: string | null = null;
  private firstBytes: Buffer | null = null;

  /**
   * `uniformAsDict`: a block whose texts are all one and the same (a tax extract's
   * 缴费方式, "共济账户代缴" on every row: 19 bytes a row) is written as a dictionary
   * of that one text, a byte a row, which every reader reads as it reads texts
   * (column-decode). For the fields in a block's `extra` only: matching reads the
   * key columns of `cols` as texts.
   */
  constructor(private readonly uniformAsDict = false) {
    this.uniform = uniformAsDict;
  }

  put(i: number, v: string | null): void {
    if (v === null) this.lens[i] = NONE;
    else {
      if (this.uniform) this.sameText(v);
      this.lens[i] = v.length;
      this.parts.push(v);
      if (this.parts.length === RUN) this.flush();
    }
  }

  private sameText(v: string): void {
    if (this.firstText === null) {
      if (this.firstBytes === null) this.firstText = v;
      else this.firstText = this.firstBytes.toString('utf8');
    }
    if (v !== this.firstText) this.uniform = false;
  }

  private sameBytes(src: Uint8Array, s: number, e: number): void {
    if (this.firstBytes === null) {
      if (this.firstText === null) {
        this.firstBytes = Buffer.from(src.subarray(s, e));
        return;
      }
      this.firstBytes = Buffer.from(this.firstText, 'utf8');
    }
    const f = this.firstBytes;
    if (f.length !== e - s) this.uniform = false;
    else for (let k = 0; k < f.length; k++) if (f[k] !== src[s + k]) return void (this.uniform = false);
  }

  /**
   * A text given as the UTF-8 bytes src[s, e), `n` UTF-16 units long (the byte path
   * of an import): copied as they are, after the texts joined so far.
   */
  putBytes(i: number, src: Uint8Array, s: number, e: number, n: number): void {
    this.lens[i] = n;
    if (this.uniform) this.sameBytes(src, s, e);
    if (this.parts.length) this.flush();
    const len = e - s;
    if (this.used + len > this.bytes.length) this.grow(len);
    const out = this.bytes;
    // Most texts are a few dozen bytes: a loop is cheaper than a call into the runtime.
    if (len <= 48) for (let k = 0, at = this.used; k < len; k++) out[at + k] = src[s + k]!;
    else out.set(src.subarray(s, e), this.used);
    this.used += len;
  }

  same(i: number): void {
    this.lens[i] = SAME;
  }

  private flush(): void {
    if (!this.parts.length) return;
    const run = this.parts.join('');
    this.parts = [];
    // At most three UTF-8 bytes per UTF-16 unit.
    if (this.used + run.length * 3 > this.bytes.length) this.grow(run.length * 3);
    this.used += this.bytes.write(run, this.used, 'utf8');
  }

  private grow(more: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + more));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  /** The column so far; its bytes are valid until the next put (encodeColumns copies them at once). */
  take(n: number, same?: string): ColumnData {
    const one = this.uniform && (this.firstText !== null || this.firstBytes !== null) ? (this.firstText ?? this.firstBytes!.toString('utf8')) : null;
    this.uniform = this.uniformAsDict;
    this.firstText = null;
    this.firstBytes = null;
    if (one !== null) {
      this.parts = [];
      this.used = 0;
      // Code 0 for the text, none as none; the lengths are not needed.
      const codes = this.lens.subarray(0, n);
      for (let i = 0; i < n; i++) codes[i] = codes[i] === NONE ? NONE : 0;
      return { t: 'dict', codes, dict: [one] };
    }
    this.flush();
    const text = this.bytes.subarray(0, this.used);
    this.used = 0;
    return { t: 'text', lens: this.lens.subarray(0, n), text, ...(same ? { same } : {}) };
  }
}

export class CodeColumn {
  readonly codes = new Int32Array(BLOCK_ROWS);
  private dict = new Map<string, number>();

  private lastText: string | null = null;
  private lastCode = NONE;

  put(i: number, v: string | null): void {
    if (v === null) this.codes[i] = NONE;
    else if (v === this.lastText) this.codes[i] = this.lastCode;
    else {
      let c = this.dict.get(v);
      if (c === undefined) this.dict.set(v, (c = this.dict.size));
      this.codes[i] = c;
      this.lastText = v;
      this.lastCode = c;
    }
  }

  take(n: number): ColumnData {
    const dict = [...this.dict.keys()];
    this.dict = new Map();
    this.lastText = null;
    return { t: 'dict', codes: this.codes.subarray(0, n), dict };
  }
}

