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

  put(i: number, v: string | null): void {
    if (v === null) this.lens[i] = NONE;
    else {
      this.lens[i] = v.length;
      this.parts.push(v);
      if (this.parts.length === RUN) this.flush();
    }
  }

  /**
   * A text given as the UTF-8 bytes src[s, e), `n` UTF-16 units long (the byte path
   * of an import): copied as they are, after the texts joined so far.
   */
  putBytes(i: number, src: Uint8Array, s: number, e: number, n: number): void {
    this.lens[i] = n;
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

