// A block's columns read back: each decoded only when asked for, and one value
// readable without decoding its column, so matching never touches the names or
// the other fields, and makes a string only for a value it keeps.
import { dateTimeNumber, formatDateTime, unpackInts, BLOCK_FORMAT_VERSION, I32_NONE, NONE, SAME, type BlockHeader, type ColumnValue, type HeaderCol } from './column-format';

/** Where each value of a text column lies: row i's bytes are bytes[start[i], start[i] + len[i]) (start -1: none). */
export interface ByteRefs {
  bytes: Buffer;
  start: Int32Array;
  len: Int32Array;
}

/** A block's columns, decoded one at a time on first use. */
export class DecodedColumns {
  readonly n: number;
  private readonly header: Record<string, HeaderCol>;
  private readonly cache = new Map<string, Float64Array | Int32Array | (string | null)[]>();
  private readonly refs = new Map<string, ByteRefs>();

  constructor(private readonly buf: Buffer) {
    const hl = buf.readUInt32LE(0);
    const h = JSON.parse(buf.toString('utf8', 4, 4 + hl)) as BlockHeader;
    // A block without a version predates the field and has version 1's layout.
    if ((h.v ?? 1) !== BLOCK_FORMAT_VERSION) throw new Error(`数据块格式版本 ${h.v} 不是本程序能读的版本 ${BLOCK_FORMAT_VERSION}（由更新的版本写入？请用写入它的版本打开这个工作站文件）`);
    this.n = h.n;
    this.header = h.cols;
  }

  has(name: string): boolean {
    return name in this.header;
  }

  /** The stored bytes the columns are read from. */
  get bytes(): Buffer {
    return this.buf;
  }

  /**
   * Takes the places of a text column's values as another thread made them from
   * these same bytes (a run's reading thread: period-block.ts), instead of making them again.
   */
  adoptByteRefs(name: string, refs: ByteRefs): void {
    if (refs.bytes !== this.buf || refs.start.length !== this.n || refs.len.length !== this.n) throw new Error(`adoptByteRefs: places of ${name} made for other bytes`);
    this.col(name);
    this.refs.set(name, refs);
  }

  names(): string[] {
    return Object.keys(this.header);
  }

  private col(name: string): HeaderCol {
    const h = this.header[name];
    if (!h) throw new Error(`block has no column ${name}`);
    return h;
  }

  /** A text column's stored lengths (in UTF-16 units, NONE or SAME), unpacked afresh. */
  private lengths(h: HeaderCol & { t: 'str' }): Int32Array {
    return unpackInts(this.buf, h.lens, this.n, h.lw ?? 4);
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

  /**
   * Lets go of everything decoded (numbers, codes, lengths, the places of values):
   * only the stored bytes stay, and anything asked for again is decoded again. A run
   * that has copied a block's rows into its own arrays keeps the block for the texts
   * of the few it reports; what it decoded to read them all would otherwise stay too.
   */
  forgetDecoded(): void {
    this.cache.clear();
    this.refs.clear();
  }

  /**
   * A number column of whole numbers (a row's batch, a carried row's key place) as
   * it is stored: where stored as 32-bit ints, those ints (I32_NONE for none), read
   * where they lie when aligned; otherwise num (NaN for none). For loops that only
   * index or compare by them: num would first convert every value to a double (at
   * week ten some 600,000 carried rows' places and batches, in several passes).
   */
  wholes(name: string): Int32Array | Float64Array {
    const h = this.col(name);
    if (h.t !== 'f64' || (h.w ?? 8) !== 4) return this.num(name);
    let v = this.cache.get('i' + name) as Int32Array | undefined;
    if (!v) {
      const at = this.buf.byteOffset + h.off;
      v = at % 4 === 0 ? new Int32Array(this.buf.buffer, at, this.n) : unpackInts(this.buf, h.off, this.n, 4);
      this.cache.set('i' + name, v);
    }
    return v;
  }

  /** A number column (a date-time as YYYYMMDDHHmmss); NaN for none. */
  num(name: string): Float64Array {
    let v = this.cache.get('=' + name) as Float64Array | undefined;
    if (v) return v;
    const h = this.col(name);
    if (h.t === 'f64' || h.t === 'dt') {
      // Read where they lie when the bytes are aligned for it (columns are laid out at
      // multiples of 8: column-encode.ts), else copied out first (a buffer need not be).
      // Doubles so aligned are not copied at all: the values are never written to.
      const at = this.buf.byteOffset + h.off;
      if ((h.w ?? 8) === 8) {
        if (at % 8 === 0) v = new Float64Array(this.buf.buffer, at, this.n);
        else {
          v = new Float64Array(this.n);
          new Uint8Array(v.buffer).set(this.buf.subarray(h.off, h.off + this.n * 8));
        }
      } else {
        v = new Float64Array(this.n);
        const a = at % 4 === 0 ? new Int32Array(this.buf.buffer, at, this.n) : unpackInts(this.buf, h.off, this.n, 4);
        for (let i = 0; i < this.n; i++) {
          const x = a[i]!;
          v[i] = x === I32_NONE ? NaN : x;
        }
      }
    } else {
      // A date-time column a block had to keep as text.
      v = Float64Array.from(this.str(name), (s) => (s === null ? NaN : dateTimeNumber(s)));
    }
    // Numbers and texts of one column are cached apart ('=' numbers, 'i' stored ints, '#' codes and lengths, the name texts).
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
  byteRefs(name: string): ByteRefs {
    let r = this.refs.get(name);
    if (!r) this.refs.set(name, (r = this.makeByteRefs(name)));
    return r;
  }

  /** byteRefs, or null where the block has no such column: one lookup, for a comparison asked once a row (has and byteRefs were two). */
  byteRefsIfAny(name: string): ByteRefs | null {
    return this.refs.get(name) ?? (name in this.header ? this.byteRefs(name) : null);
  }

  /**
   * Each value's bytes where they lie in the block. Lengths are stored in UTF-16
   * units: they are first taken as bytes, which is right for a column that is all
   * ASCII (keys, ID numbers: nearly every column a run compares), known when they
   * add up to the column's bytes (a character of more than one byte has more bytes
   * than units). Otherwise the column is walked a character at a time (its UTF-8
   * lead bytes say how long each is): no string made. A dictionary column, or stored
   * bytes that do not walk to the column's end, are decoded and encoded again instead.
   */
  private makeByteRefs(name: string): ByteRefs {
    const h = this.col(name);
    if (h.t === 'dict') return this.dictRefs(h.dict, this.ints(name));
    if (h.t !== 'str') return this.stringRefs(name);
    const n = this.n;
    const same = h.same ? this.byteRefs(h.same) : null;
    if (same && same.bytes !== this.buf) return this.stringRefs(name);
    const start = new Int32Array(n);
    // The stored lengths are unpacked into `len` itself and not kept apart: a run keeps
    // the references of four columns of every block it reads (about 18 MB fewer at a million rows a side).
    const cached = this.cache.get('#' + name) as Int32Array | undefined;
    const len = cached ? Int32Array.from(cached) : this.lengths(h);
    const buf = this.buf;
    const end = h.off + h.bytes;
    let pos = h.off;
    for (let i = 0; i < n; i++) {
      const l = len[i]!;
      if (l === NONE) {
        start[i] = -1;
        len[i] = 0;
      } else if (l === SAME) {
        start[i] = same!.start[i]!;
        len[i] = same!.len[i]!;
      } else {
        start[i] = pos;
        pos += l;
      }
    }
    if (pos === end) return { bytes: buf, start, len };
    // Not all ASCII: walked again from the stored lengths (a column of names, say).
    const lens = cached ?? this.lengths(h);
    pos = h.off;
    for (let i = 0; i < n; i++) {
      const l = lens[i]!;
      if (l === NONE || l === SAME) continue;
      let p = pos;
      for (let units = 0; units < l; ) {
        const b = buf[p]!;
        if (b < 0x80) {
          p++;
          units++;
        } else if (b < 0xe0) {
          p += 2;
          units++;
        } else if (b < 0xf0) {
          p += 3;
          units++;
        } else {
          p += 4;
          units += 2;
        }
      }
      if (p > end) return this.stringRefs(name);
      start[i] = pos;
      len[i] = p - pos;
      pos = p;
    }
    return pos === end ? { bytes: buf, start, len } : this.stringRefs(name);
  }
  /** A dictionary column: its few texts encoded once, each row pointing at its code's. */
  private dictRefs(dict: string[], codes: Int32Array): ByteRefs {
    const bytes = Buffer.from(dict.join(''), 'utf8');
    const at = new Int32Array(dict.length);
    const size = new Int32Array(dict.length);
    let pos = 0;
    dict.forEach((t, k) => {
      at[k] = pos;
      pos += size[k] = Buffer.byteLength(t, 'utf8');
    });
    const start = new Int32Array(this.n);
    const len = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const c = codes[i]!;
      if (c < 0) start[i] = -1;
      else {
        start[i] = at[c]!;
        len[i] = size[c]!;
      }
    }
    return { bytes, start, len };
  }

  private stringRefs(name: string): ByteRefs {
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
    // The value's bytes where they lie (byteRefs: ASCII columns, keys and ID numbers,
    // by their lengths alone, others by walking their UTF-8), decoded alone: the
    // column's other values make no strings. (Decoding a column of names whole for
    // the few a run reports, as this once did, was most of writing a run's new breaks.)
    const r = this.byteRefs(name);
    const at = r.start[i]!;
    if (at < 0) return null;
    return r.bytes.toString('utf8', at, at + r.len[i]!);
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

