// Normalised rows in the form that crosses from the parsing thread to the one
// that writes them: every text of a batch in one string, cut by lengths, and the
// numbers in one array — two transferable buffers and one string, instead of a
// structured clone of a million small arrays.
import type { NormalizedRow } from './row-normalizer';
import type { SourceRow } from './table-source';

/** Per row, in lens: gk, the nine stored columns, the JSON of the other fields, the raw cells (XLSX). */
const LENS = 12;
/** Per row: line, offset, then a slot per stored column for numbers. */
const NUMS = 11;
const NULL = -1;
const NUMBER = -2;

export interface PackedBatch {
  count: number;
  text: string;
  lens: Int32Array;
  nums: Float64Array;
}

export class PackedBuilder {
  private parts: string[] = [];
  private lens: Int32Array;
  private nums: Float64Array;
  private li = 0;
  count = 0;

  constructor(private readonly capacity = 4096) {
    this.lens = new Int32Array(capacity * LENS);
    this.nums = new Float64Array(capacity * NUMS);
  }

  private put(v: string | number | null, slot: number): void {
    if (v === null) this.lens[this.li++] = NULL;
    else if (typeof v === 'number') {
      this.lens[this.li++] = NUMBER;
      this.nums[slot] = v;
    } else {
      this.lens[this.li++] = v.length;
      if (v.length) this.parts.push(v);
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
    const b: PackedBatch = { count: this.count, text: this.parts.join(''), lens: this.lens.slice(0, this.li), nums: this.nums.slice(0, this.count * NUMS) };
    this.parts = [];
    this.li = 0;
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
  let pos = 0;
  let li = 0;
  const next = (slot: number): string | number | null => {
    const len = b.lens[li++]!;
    if (len === NULL) return null;
    if (len === NUMBER) return b.nums[slot]!;
    const s = b.text.slice(pos, pos + len);
    pos += len;
    return s;
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
