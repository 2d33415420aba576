// Encodes a block's columns into one standalone buffer (transferable between
// threads), in the form column-format describes.
import { packInts, packNums, NONE, SAME, type HeaderCol, BLOCK_FORMAT_VERSION, type BlockHeader } from './column-format';

export interface NumColumn {
  t: 'f64';
  values: Float64Array;
}

export interface StrColumn {
  t: 'str';
  values: (string | null)[];
  /** Values equal to this column's are stored as a reference to it. */
  sameAs?: string;
}

/** Column forms a builder has already laid out (the block builder writes these row by row). */
export type BuiltColumn =
  | { t: 'dt'; values: Float64Array }
  | { t: 'dict'; codes: Int32Array; dict: string[] }
  | { t: 'text'; lens: Int32Array; text: string | Uint8Array; same?: string };

export type ColumnData = NumColumn | StrColumn | BuiltColumn;

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
    else segments.push(dictSegment(name, c.values, n) || strSegment(name, c, cols, n));
  }
  // The header holds the offsets, and its own length moves them: lay out until it settles.
  const header: BlockHeader = { v: BLOCK_FORMAT_VERSION, n, cols: {} };
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
  const out = blockBuffer(size);
  layout(json.length, out);
  const final = Buffer.from(JSON.stringify(header), 'utf8');
  if (final.length !== json.length) throw new Error('column header did not settle');
  out.writeUInt32LE(final.length, 0);
  final.copy(out, 4);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Buffers a parsing thread got back from the writing thread once their blocks were
 * stored (parse-worker): a later block is encoded into one of them instead of into
 * fresh memory, whose every page the system must map and clear again (a million
 * rows make some 200 MB of blocks). Empty in any other thread: there every block
 * gets a buffer of its own.
 */
const spare: ArrayBuffer[] = [];
const SPARE_MAX = 6;

/** A stored block's buffer, back for reuse (its contents are no longer read). */
export function giveBackBuffer(b: ArrayBuffer): void {
  if (spare.length < SPARE_MAX && b.byteLength > 0) spare.push(b);
}

/** `size` zeroed bytes: a spare buffer's if one is big enough, else new, with room for a somewhat bigger block next time. */
function blockBuffer(size: number): Buffer {
  const i = spare.findIndex((b) => b.byteLength >= size);
  if (i >= 0) {
    const out = Buffer.from(spare.splice(i, 1)[0]!, 0, size);
    out.fill(0);
    return out;
  }
  // Blocks of one file differ in size by a few per cent: an eighth more lets the next one fit.
  return size < 1 << 16 ? Buffer.alloc(size) : Buffer.from(new ArrayBuffer(size + (size >>> 3)), 0, size);
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
