// The byte form of a block's columns, shared by the encoder (column-encode) and
// the decoder (column-decode):
//
//   f64   numbers, as Int32 where all are whole and fit (line numbers, offsets,
//         fen, years), else Float64; NaN for none
//   dt    `YYYY-MM-DD HH:mm:ss` as the number YYYYMMDDHHmmss: compared as
//         numbers, formatted back on reading
//   dict  few distinct texts (statuses, 险种 codes): the texts in the header, a
//         code per row (-1 for none)
//   str   one UTF-8 run per column and a length per value (-1 for none, -2 for
//         "the same as column `same`", used by gk, which is nearly always the key)
//
//   [u32 header bytes][header JSON][pad to 8][segments…]
//
// The header JSON is { v, n, cols }: v the format's version (BLOCK_FORMAT_VERSION;
// blocks written before it was recorded have none and are version 1), n the row
// count, cols each column's layout (HeaderCol). Codes and lengths take one, two or
// four bytes, whatever holds a block's values.

/**
 * The block format's version. A change to the byte layout raises it, and the
 * decoder refuses a block of a version it does not know (written by a newer
 * build) instead of misreading it.
 */
export const BLOCK_FORMAT_VERSION = 1;

/** The header of a block, as written. */
export interface BlockHeader {
  v?: number;
  n: number;
  cols: Record<string, HeaderCol>;
}

// `w`/`lw`: bytes per stored number, code or length (absent: 8 for numbers, 4 for the others).
export type HeaderCol =
  | { t: 'f64' | 'dt'; off: number; w?: 4 | 8 }
  | { t: 'dict'; off: number; dict: string[]; w?: IntWidth }
  | { t: 'str'; off: number; lens: number; bytes: number; same?: string; lw?: IntWidth };

/** A value of any column as stored rows show it. */
export type ColumnValue = string | number | null;

export type IntWidth = 1 | 2 | 4;
export const I32_NONE = -2147483648;

export const NONE = -1;
export const SAME = -2;

/**
 * Lengths and codes (all ≥ -2) in the narrowest width that holds them: one or two
 * bytes, biased by 2, or four as they are. Most blocks need one byte.
 */
export function packInts(v: Int32Array, n: number): { w: IntWidth; bytes: Uint8Array } {
  let max = -2;
  for (let i = 0; i < n; i++) if (v[i]! > max) max = v[i]!;
  if (max + 2 <= 0xff || max + 2 <= 0xffff) {
    const a = max + 2 <= 0xff ? new Uint8Array(n) : new Uint16Array(n);
    for (let i = 0; i < n; i++) a[i] = v[i]! + 2;
    return { w: a.BYTES_PER_ELEMENT as IntWidth, bytes: new Uint8Array(a.buffer) };
  }
  return { w: 4, bytes: new Uint8Array(v.buffer, v.byteOffset, n * 4) };
}

export function unpackInts(buf: Buffer, off: number, n: number, w: IntWidth): Int32Array {
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
export function packNums(v: Float64Array, n: number): { w: 4 | 8; bytes: Uint8Array } {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) a[i] = I32_NONE;
    else if (x === (x | 0) && x !== I32_NONE) a[i] = x;
    else return { w: 8, bytes: new Uint8Array(v.buffer, v.byteOffset, n * 8) };
  }
  return { w: 4, bytes: new Uint8Array(a.buffer) };
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

