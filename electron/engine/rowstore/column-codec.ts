// The byte form of a block's columns. A column is decoded only when asked for,
// and one value can be read without decoding its column, so matching never
// touches the names or the JSON of the other fields, and allocates a string only
// for a value it keeps.
//
//   f64   numbers as Float64, NaN for none
//   dt    `YYYY-MM-DD HH:mm:ss` as the number YYYYMMDDHHmmss (Float64, NaN for
//         none): compared as numbers, formatted back on reading
//   dict  few distinct texts (statuses, 险种 codes): the texts in the header, an
//         Int32 code per row (-1 for none)
//   str   one UTF-8 run per column, an Int32 length per value (-1 for none, -2 for
//         "the same as column `same`", used by gk, which is nearly always the key)
//
//   [u32 header bytes][header JSON][pad to 8][segments…]

export type ColumnValue = string | number | null;

export interface NumColumn {
  t: 'f64';
  values: Float64Array;
}

export interface StrColumn {
  t: 'str';
  values: (string | null)[];
  /** Values equal to this column's are stored as a reference to it. */
  sameAs?: string;
  /** Store as a number if every value is a canonical date-time. */
  datetime?: boolean;
}

/** Column forms a builder has already laid out (the block builder writes these row by row). */
export type BuiltColumn =
  | { t: 'dt'; values: Float64Array }
  | { t: 'dict'; codes: Int32Array; dict: string[] }
  | { t: 'text'; lens: Int32Array; text: string | Uint8Array; same?: string };

export type ColumnData = NumColumn | StrColumn | BuiltColumn;

// `w`/`lw`: bytes per stored number, code or length (absent: 8 for numbers, 4 for the others).
type HeaderCol =
  | { t: 'f64' | 'dt'; off: number; w?: 4 | 8 }
  | { t: 'dict'; off: number; dict: string[]; w?: IntWidth }
  | { t: 'str'; off: number; lens: number; bytes: number; same?: string; lw?: IntWidth };

type IntWidth = 1 | 2 | 4;
const I32_NONE = -2147483648;

/**
 * Lengths and codes (all ≥ -2) in the narrowest width that holds them: one or two
 * bytes, biased by 2, or four as they are. Most blocks need one byte.
 */
function packInts(v: Int32Array, n: number): { w: IntWidth; bytes: Uint8Array } {
  let max = -2;
  for (let i = 0; i < n; i++) if (v[i]! > max) max = v[i]!;
  if (max + 2 <= 0xff || max + 2 <= 0xffff) {
    const a = max + 2 <= 0xff ? new Uint8Array(n) : new Uint16Array(n);
    for (let i = 0; i < n; i++) a[i] = v[i]! + 2;
    return { w: a.BYTES_PER_ELEMENT as IntWidth, bytes: new Uint8Array(a.buffer) };
  }
  return { w: 4, bytes: new Uint8Array(v.buffer, v.byteOffset, n * 4) };
}

function unpackInts(buf: Buffer, off: number, n: number, w: IntWidth): Int32Array {
  const out = new Int32Array(n);
  if (w === 4) {
    new Uint8Array(out.buffer).set(buf.subarray(off, off + n * 4));
    return out;
  }
  const raw = new Uint8Array(n * w);
  raw.set(buf.subarray(off, off + n * w));
  const a = w === 1 ? raw : new Uint16Array(raw.buffer);
  for (let i = 0; i < n; i++) out[i] = a[i]! - 2;
  return out;
}

/** Numbers as Int32 when all are whole and in range (line numbers, offsets, fen, years), else Float64. */
function packNums(v: Float64Array, n: number): { w: 4 | 8; bytes: Uint8Array } {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) a[i] = I32_NONE;
    else if (x === (x | 0) && x !== I32_NONE) a[i] = x;
    else return { w: 8, bytes: new Uint8Array(v.buffer, v.byteOffset, n * 8) };
  }
  return { w: 4, bytes: new Uint8Array(a.buffer) };
}

const NONE = -1;
const SAME = -2;
/** At most this many distinct texts make a dictionary column. */
const DICT_MAX = 64;
const align8 = (n: number) => (n + 7) & ~7;

type Segment = { name: string; bytes: number; write(out: Buffer, at: number): HeaderCol };

export function encodeColumns(n: number, cols: Record<string, ColumnData>): Uint8Array {
  const segments: Segment[] = [];
  for (const [name, c] of Object.entries(cols)) {
    if (c.t === 'f64' || c.t === 'dt') segments.push(numSegment(name, c.values, n, c.t));
    else if (c.t === 'dict') segments.push(codeSegment(name, c.codes, c.dict, n));
    else if (c.t === 'text') segments.push(textSegment(name, c.lens, c.text, c.same, n));
    else segments.push((c.datetime && dtSegment(name, c.values, n)) || dictSegment(name, c.values, n) || strSegment(name, c, cols, n));
  }
  // The header holds the offsets, and its own length moves them: lay out until it settles.
  const header: { n: number; cols: Record<string, HeaderCol> } = { n, cols: {} };
  let json = Buffer.alloc(0);
  let size = 0;
  const layout = (headerBytes: number, out: Buffer | null) => {
    let off = align8(4 + headerBytes);
    for (const s of segments) {
      header.cols[s.name] = out ? s.write(out, off) : s.write(Buffer.alloc(0), -1 - off);
      off = align8(off + s.bytes);
    }
    size = off;
  };
  for (let guard = 0; guard < 5; guard++) {
    layout(json.length, null);
    const next = Buffer.from(JSON.stringify(header), 'utf8');
    if (next.length === json.length) break;
    json = next;
  }
  const out = Buffer.alloc(size);
  layout(json.length, out);
  const final = Buffer.from(JSON.stringify(header), 'utf8');
  if (final.length !== json.length) throw new Error('column header did not settle');
  out.writeUInt32LE(final.length, 0);
  final.copy(out, 4);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

// A segment's write(out, at) with at < 0 only reports where it would go (at = -1 - offset).
const place = (at: number) => (at < 0 ? -1 - at : at);

/** A segment of fixed-width values already packed; `head` completes its header entry. */
function packedSegment(name: string, bytes: Uint8Array, head: (off: number) => HeaderCol): Segment {
  return {
    name,
    bytes: bytes.length,
    write(out, at) {
      if (at >= 0) out.set(bytes, at);
      return head(place(at));
    },
  };
}

function numSegment(name: string, values: Float64Array, n: number, t: 'f64' | 'dt'): Segment {
  const p = packNums(values, n);
  return packedSegment(name, p.bytes, (off) => ({ t, off, w: p.w }));
}

function dtSegment(name: string, values: (string | null)[], n: number): Segment | null {
  const nums = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? null;
    if (v === null) nums[i] = NaN;
    else {
      const x = dateTimeNumber(v);
      if (Number.isNaN(x)) return null;
      nums[i] = x;
    }
  }
  return numSegment(name, nums, n, 'dt');
}

function dictSegment(name: string, values: (string | null)[], n: number): Segment | null {
  const dict = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? null;
    if (v === null) codes[i] = NONE;
    else {
      let c = dict.get(v);
      if (c === undefined) {
        if (dict.size >= DICT_MAX) return null;
        dict.set(v, (c = dict.size));
      }
      codes[i] = c;
    }
  }
  // Few rows are cheaper as text than as a dictionary of as many entries.
  if (dict.size > n / 4 && dict.size > 1) return null;
  return codeSegment(name, codes, [...dict.keys()], n);
}

function codeSegment(name: string, codes: Int32Array, texts: string[], n: number): Segment {
  const p = packInts(codes, n);
  return packedSegment(name, p.bytes, (off) => ({ t: 'dict', off, dict: texts, w: p.w }));
}

function strSegment(name: string, c: StrColumn, cols: Record<string, ColumnData>, n: number): Segment {
  const same = c.sameAs ? (cols[c.sameAs] as StrColumn).values : null;
  const lens = new Int32Array(n);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = c.values[i] ?? null;
    if (v === null) lens[i] = NONE;
    else if (same !== null && same[i] === v) lens[i] = SAME;
    else {
      lens[i] = v.length;
      parts.push(v);
    }
  }
  return textSegment(name, lens, parts.join(''), c.sameAs, n);
}

function textSegment(name: string, lens: Int32Array, text: string | Uint8Array, same: string | undefined, n: number): Segment {
  const bytes = typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.length;
  const p = packInts(lens, n);
  const lensBytes = p.bytes.length;
  return {
    name,
    bytes: lensBytes + bytes,
    write(out, at) {
      const off = place(at);
      if (at >= 0) {
        out.set(p.bytes, off);
        if (typeof text === 'string') out.write(text, off + lensBytes, bytes, 'utf8');
        else out.set(text, off + lensBytes);
      }
      return { t: 'str', lens: off, off: off + lensBytes, bytes, lw: p.w, ...(same ? { same } : {}) };
    },
  };
}

/** `YYYY-MM-DD HH:mm:ss` → YYYYMMDDHHmmss, NaN for any other form. */
export function dateTimeNumber(s: string): number {
  if (s.length !== 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  let x = 0;
  for (let i = 0; i < 19; i++) {
    if (i === 4 || i === 7 || i === 10 || i === 13 || i === 16) continue;
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    x = x * 10 + d;
  }
  return x;
}

const two = (x: number) => (x < 10 ? '0' : '') + x;
export function formatDateTime(x: number): string {
  const s = x % 100;
  const mi = Math.floor(x / 100) % 100;
  const h = Math.floor(x / 1e4) % 100;
  const d = Math.floor(x / 1e6) % 100;
  const mo = Math.floor(x / 1e8) % 100;
  const y = Math.floor(x / 1e10);
  return `${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}`;
}

/** A block's columns, decoded one at a time on first use. */
export class DecodedColumns {
  readonly n: number;
  private readonly header: Record<string, HeaderCol>;
  private readonly cache = new Map<string, Float64Array | Int32Array | (string | null)[]>();
  private readonly starts = new Map<string, { starts: Int32Array; text: string }>();
  private readonly refs = new Map<string, { bytes: Uint8Array; start: Int32Array; len: Int32Array }>();

  constructor(private readonly buf: Buffer) {
    const hl = buf.readUInt32LE(0);
    const h = JSON.parse(buf.toString('utf8', 4, 4 + hl)) as { n: number; cols: Record<string, HeaderCol> };
    this.n = h.n;
    this.header = h.cols;
  }

  has(name: string): boolean {
    return name in this.header;
  }

  names(): string[] {
    return Object.keys(this.header);
  }

  private col(name: string): HeaderCol {
    const h = this.header[name];
    if (!h) throw new Error(`block has no column ${name}`);
    return h;
  }

  /** A column's codes (dict) or lengths (str). */
  private ints(name: string): Int32Array {
    let v = this.cache.get('#' + name) as Int32Array | undefined;
    if (!v) {
      const h = this.col(name);
      v = h.t === 'dict' ? unpackInts(this.buf, h.off, this.n, h.w ?? 4) : h.t === 'str' ? unpackInts(this.buf, h.lens, this.n, h.lw ?? 4) : new Int32Array(this.n);
      this.cache.set('#' + name, v);
    }
    return v;
  }

  /** A number column (a date-time as YYYYMMDDHHmmss); NaN for none. */
  num(name: string): Float64Array {
    let v = this.cache.get('=' + name) as Float64Array | undefined;
    if (v) return v;
    const h = this.col(name);
    if (h.t === 'f64' || h.t === 'dt') {
      // Copied out: a buffer from SQLite need not be aligned.
      v = new Float64Array(this.n);
      if ((h.w ?? 8) === 8) new Uint8Array(v.buffer).set(this.buf.subarray(h.off, h.off + this.n * 8));
      else {
        const a = new Int32Array(this.n);
        new Uint8Array(a.buffer).set(this.buf.subarray(h.off, h.off + this.n * 4));
        for (let i = 0; i < this.n; i++) v[i] = a[i] === I32_NONE ? NaN : a[i]!;
      }
    } else {
      // A date-time column a block had to keep as text.
      v = Float64Array.from(this.str(name), (s) => (s === null ? NaN : dateTimeNumber(s)));
    }
    // Numbers and texts of one column are cached apart ('=' numbers, '#' codes and lengths, the name texts).
    this.cache.set('=' + name, v);
    return v;
  }

  /** A text column, every value decoded. */
  str(name: string): (string | null)[] {
    let v = this.cache.get(name) as (string | null)[] | undefined;
    if (v) return v;
    const h = this.col(name);
    const n = this.n;
    v = new Array<string | null>(n);
    if (h.t === 'dict') {
      const codes = this.ints(name);
      for (let i = 0; i < n; i++) v[i] = codes[i]! < 0 ? null : h.dict[codes[i]!]!;
    } else if (h.t !== 'str') {
      const x = this.num(name);
      for (let i = 0; i < n; i++) v[i] = Number.isNaN(x[i]!) ? null : h.t === 'dt' ? formatDateTime(x[i]!) : String(x[i]);
    } else {
      const lens = this.ints(name);
      const text = this.buf.toString('utf8', h.off, h.off + h.bytes);
      const same = h.same ? this.str(h.same) : null;
      let pos = 0;
      for (let i = 0; i < n; i++) {
        const len = lens[i]!;
        if (len === NONE) v[i] = null;
        else if (len === SAME) v[i] = same![i]!;
        else {
          v[i] = text.slice(pos, pos + len);
          pos += len;
        }
      }
    }
    this.cache.set(name, v);
    return v;
  }

  /**
   * A text column as small integers: ids from `ids` (one numbering shared by all
   * blocks, so rows of different blocks compare), -1 for none. A dictionary column
   * costs a lookup per distinct text, not per row.
   */
  codes(name: string, ids: Map<string, number>): Int32Array {
    const h = this.col(name);
    const out = new Int32Array(this.n);
    const idOf = (t: string) => {
      let id = ids.get(t);
      if (id === undefined) ids.set(t, (id = ids.size));
      return id;
    };
    if (h.t === 'dict') {
      const local = h.dict.map(idOf);
      const codes = this.ints(name);
      for (let i = 0; i < this.n; i++) out[i] = codes[i]! < 0 ? -1 : local[codes[i]!]!;
    } else {
      const v = this.str(name);
      for (let i = 0; i < this.n; i++) out[i] = v[i] == null ? -1 : idOf(v[i]!);
    }
    return out;
  }

  /**
   * Where each value of a text column lies as UTF-8 bytes (start -1 for none), for
   * hashing and comparing without making strings. A value stored as "the same as
   * column X" points at X's bytes.
   */
  byteRefs(name: string): { bytes: Uint8Array; start: Int32Array; len: Int32Array } {
    let r = this.refs.get(name);
    if (!r) this.refs.set(name, (r = this.makeByteRefs(name)));
    return r;
  }

  private makeByteRefs(name: string): { bytes: Uint8Array; start: Int32Array; len: Int32Array } {
    const h = this.col(name);
    const n = this.n;
    const start = new Int32Array(n);
    const len = new Int32Array(n);
    if (h.t === 'str' && h.bytes === this.ints(name).reduce((a, l) => a + (l > 0 ? l : 0), 0)) {
      // All ASCII: a value's length in characters is its length in bytes.
      const lens = this.ints(name);
      const same = h.same ? this.byteRefs(h.same) : null;
      if (same && same.bytes !== this.buf) return this.stringRefs(name);
      let pos = h.off;
      for (let i = 0; i < n; i++) {
        const l = lens[i]!;
        if (l === NONE) start[i] = -1;
        else if (l === SAME) {
          start[i] = same!.start[i]!;
          len[i] = same!.len[i]!;
        } else {
          start[i] = pos;
          len[i] = l;
          pos += l;
        }
      }
      return { bytes: this.buf, start, len };
    }
    return this.stringRefs(name);
  }

  private stringRefs(name: string): { bytes: Uint8Array; start: Int32Array; len: Int32Array } {
    const v = this.str(name);
    const start = new Int32Array(this.n);
    const len = new Int32Array(this.n);
    const parts: string[] = [];
    let pos = 0;
    for (let i = 0; i < this.n; i++) {
      const t = v[i];
      if (t == null) start[i] = -1;
      else {
        const b = Buffer.byteLength(t, 'utf8');
        start[i] = pos;
        len[i] = b;
        pos += b;
        parts.push(t);
      }
    }
    return { bytes: Buffer.from(parts.join(''), 'utf8'), start, len };
  }

  /** One text value, without decoding the column (for the few rows a run looks at closely). */
  strAt(name: string, i: number): string | null {
    const cached = this.cache.get(name) as (string | null)[] | undefined;
    if (cached) return cached[i] ?? null;
    const h = this.col(name);
    if (h.t === 'dict') {
      const c = this.ints(name)[i]!;
      return c < 0 ? null : h.dict[c]!;
    }
    if (h.t !== 'str') return this.value(name, i) === null ? null : String(this.value(name, i));
    const lens = this.ints(name);
    const len = lens[i]!;
    if (len === NONE) return null;
    if (len === SAME) return this.strAt(h.same!, i);
    // The column's text decoded once (one string) and each value's place in it:
    // a value read is a slice, and the column's other values make no strings.
    let at = this.starts.get(name);
    if (!at) {
      const starts = new Int32Array(this.n);
      let pos = 0;
      for (let k = 0; k < this.n; k++) {
        starts[k] = pos;
        if (lens[k]! > 0) pos += lens[k]!;
      }
      at = { starts, text: this.buf.toString('utf8', h.off, h.off + h.bytes) };
      this.starts.set(name, at);
    }
    const from = at.starts[i]!;
    return at.text.slice(from, from + len);
  }

  /** A value of any column as stored rows show it (a number column's NaN reads as null). */
  value(name: string, i: number): ColumnValue {
    const h = this.header[name];
    if (!h) return null;
    if (h.t === 'f64') {
      const x = this.num(name)[i]!;
      return Number.isNaN(x) ? null : x;
    }
    if (h.t === 'dt') {
      const x = this.num(name)[i]!;
      return Number.isNaN(x) ? null : formatDateTime(x);
    }
    return this.strAt(name, i);
  }
}
