// Normalised rows in the form that crosses from the parsing thread to the one
// that writes them: the texts of a batch in one flat array, a type code (null, number, text)
// per value and the numbers in two typed arrays (transferred, not copied) —
// instead of a structured clone of a million small arrays and objects.
import type { NormalizedRow } from './row-normalizer';
import type { SourceRow } from './table-source';

/** Per row, a code (null, number or text) for each of: gk, the nine stored columns, the JSON of the other fields, the raw cells (XLSX). */
const CODES = 12;
/** Per row: line, offset, then a slot per stored column for numbers. */
const NUMS = 11;
const NULL = -1;
const NUMBER = -2;
const TEXT = 1;

export interface PackedBatch {
  count: number;
  texts: string[];
  codes: Int32Array;
  nums: Float64Array;
}

export class PackedBuilder {
  private parts: string[] = [];
  private codes: Int32Array;
  private nums: Float64Array;
  private ci = 0;
  count = 0;

  constructor(private readonly capacity = 1024) {
    this.codes = new Int32Array(capacity * CODES);
    this.nums = new Float64Array(capacity * NUMS);
  }

  private put(v: string | number | null, slot: number): void {
    if (v === null) this.codes[this.ci++] = NULL;
    else if (typeof v === 'number') {
      this.codes[this.ci++] = NUMBER;
      this.nums[slot] = v;
    } else {
      this.codes[this.ci++] = TEXT;
      this.parts.push(v);
    }
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  add(row: SourceRow, n: NormalizedRow, raw: string | null): void {
    const base = this.count * NUMS;
    this.nums[base] = row.line;
    this.nums[base + 1] = row.offset ?? -1;
    this.put(n.gk, -1);
    for (let i = 0; i < 9; i++) this.put(n.cols[i]!, base + 2 + i);
    this.put(n.extra, -1);
    this.put(raw, -1);
    this.count++;
  }

  take(): PackedBatch {
    const b: PackedBatch = { count: this.count, texts: this.parts, codes: this.codes.slice(0, this.ci), nums: this.nums.slice(0, this.count * NUMS) };
    this.parts = [];
    this.ci = 0;
    this.count = 0;
    return b;
  }
}

export interface UnpackedRow {
  line: number;
  offset: number | null;
  gk: string | null;
  cols: (string | number | null)[];
  extra: string;
  raw: string | null;
}

/** Calls `each` with every row of the batch; the row object is reused between calls. */
export function unpack(b: PackedBatch, each: (r: UnpackedRow) => void): void {
  const r: UnpackedRow = { line: 0, offset: null, gk: null, cols: new Array(9), extra: '', raw: null };
  let ti = 0;
  let li = 0;
  const next = (slot: number): string | number | null => {
    const code = b.codes[li++]!;
    if (code === NULL) return null;
    if (code === NUMBER) return b.nums[slot]!;
    return b.texts[ti++]!;
  };
  for (let i = 0; i < b.count; i++) {
    const base = i * NUMS;
    r.line = b.nums[base]!;
    const off = b.nums[base + 1]!;
    r.offset = off < 0 ? null : off;
    r.gk = next(-1) as string | null;
    for (let c = 0; c < 9; c++) r.cols[c] = next(base + 2 + c);
    r.extra = next(-1) as string;
    r.raw = next(-1) as string | null;
    each(r);
  }
}
