// A record's cells found in its UTF-8 bytes, without making a string of the record
// (the byte path of text-reader and row-bytes). Only what this reads exactly as the
// string path does is taken here; anything else (a doubled quote, text after a
// closing quote, a quote inside an unquoted cell, a quote never closed) answers -1
// and the record goes the string way, where cellsOf and csv-parse decide it.
import { CHECK, WEIGHTS } from '../../../shared/gb11643';
import { validDateTime } from './dates';

/**
 * The cells of the record u8[s, e) split on the one-byte delimiter `d`, written as
 * [starts[i], ends[i]) (a quoted cell without its quotes); their number, or -1 for
 * a record the string path must read, or one with more cells than `starts` holds.
 */
export function splitBytes(u8: Uint8Array, s: number, e: number, d: number, starts: Int32Array, ends: Int32Array): number {
  const max = starts.length;
  let n = 0;
  let i = s;
  for (;;) {
    if (n === max) return -1;
    if (i < e && u8[i] === 0x22) {
      let q = i + 1;
      while (q < e && u8[q] !== 0x22) q++;
      // Never closed on this line, or closed by a doubled quote or followed by text: the string path's.
      if (q >= e || (q + 1 < e && u8[q + 1] !== d)) return -1;
      starts[n] = i + 1;
      ends[n++] = q;
      if (q + 1 >= e) return n;
      i = q + 2;
    } else {
      let j = i;
      for (; j < e; j++) {
        const c = u8[j]!;
        if (c === d) break;
        if (c === 0x22) return -1;
      }
      starts[n] = i;
      ends[n++] = j;
      if (j >= e) return n;
      i = j + 1;
    }
  }
}

/** splitBytes for a record known to hold no quote character: the delimiter alone is looked for. */
export function splitPlainBytes(u8: Uint8Array, s: number, e: number, d: number, starts: Int32Array, ends: Int32Array): number {
  const max = starts.length;
  let n = 0;
  let i = s;
  for (let j = s; j < e; j++) {
    if (u8[j] !== d) continue;
    if (n === max - 1) return -1;
    starts[n] = i;
    ends[n++] = j;
    i = j + 1;
  }
  starts[n] = i;
  ends[n++] = e;
  return n;
}

/**
 * Whether a record whose first cell is u8[s, e) is surely neither blank nor a
 * 合计/总计 line: open-source's plainStart on bytes (a printable ASCII character,
 * or a CJK character other than 合 and 总). Otherwise the string path decides.
 */
export function plainStartBytes(u8: Uint8Array, s: number, e: number): boolean {
  if (s >= e) return false;
  const c = u8[s]!;
  if (c < 0x80) return c > 32 && c < 127;
  if ((c & 0xf0) !== 0xe0 || s + 2 >= e) return false;
  const cp = ((c & 0x0f) << 12) | ((u8[s + 1]! & 0x3f) << 6) | (u8[s + 2]! & 0x3f);
  return cp >= 0x4e00 && cp <= 0x9fff && cp !== 0x5408 && cp !== 0x603b;
}

/** Lead bytes of every character String.prototype.trim removes beyond ASCII (U+00A0, U+1680, U+2000–U+205F, U+3000, U+FEFF). */
const maySpace = (b: number): boolean => b === 0xc2 || b === 0xe1 || b === 0xe2 || b === 0xe3 || b === 0xef;

/**
 * The UTF-16 length of the text u8[s, e) when it stands as it is: not empty, no
 * white space at either end that trim() would take, no control character and no
 * U+FFFD (the characters normalize-field's BAD_TEXT refuses). -1 otherwise: the
 * string normaliser judges it.
 */
export function plainTextLength(u8: Uint8Array, s: number, e: number): number {
  if (s >= e) return -1;
  if (u8[s]! <= 0x20 || u8[e - 1]! <= 0x20 || maySpace(u8[s]!)) return -1;
  let last = e - 1;
  while (last > s && (u8[last]! & 0xc0) === 0x80) last--;
  if (maySpace(u8[last]!)) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = u8[i]!;
    if (c < 0x80) {
      if (c < 0x20 || c === 0x7f) return -1;
      n++;
    } else if (c >= 0xf0) n += 2;
    else if (c >= 0xc0) {
      // U+FFFD (EF BF BD): what a wrong decoding leaves.
      if (c === 0xef && u8[i + 1] === 0xbf && u8[i + 2] === 0xbd) return -1;
      n++;
    }
  }
  return n;
}

/** Whether u8[s, e) is a plain key as normalize-field's plainKey reads it: letters, digits, - and _. */
export function plainKeyBytes(u8: Uint8Array, s: number, e: number): boolean {
  if (s >= e) return false;
  for (let i = s; i < e; i++) {
    const c = u8[i]!;
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45)) return false;
  }
  return true;
}

/** gb11643's check characters as bytes. */
const CHECK_BYTES = Array.from(CHECK, (c) => c.charCodeAt(0));

/** gb11643's validAsIs on bytes: 18 characters, 17 digits and the right check character. */
export function validIdBytes(u8: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = u8[s + i]! - 48;
    if (d < 0 || d > 9) return false;
    sum += d * WEIGHTS[i]!;
  }
  return u8[s + 17] === CHECK_BYTES[sum % 11];
}

/**
 * money's parseAmountToFen for the forms a file mostly writes, on bytes:
 * `-?\d+(\.\d{1,2})?` and the grouped `-?\d{1,3}(,\d{3})+(\.\d{1,2})?`, at most 13
 * integer digits. NaN for anything else (the string normaliser decides it).
 */
export function plainAmountFen(u8: Uint8Array, s: number, e: number): number {
  let i = s;
  const neg = u8[i] === 45;
  if (neg) i++;
  let v = 0;
  let digits = 0;
  let group = -1; // digits since the last comma; -1 before the first comma
  const intStart = i;
  for (; i < e; i++) {
    const c = u8[i]!;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (group >= 0) group++;
    } else if (c === 44) {
      // A comma: after 1–3 digits at first, then after exactly three each time.
      if (group < 0 ? i - intStart < 1 || i - intStart > 3 : group !== 3) return NaN;
      group = 0;
    } else break;
  }
  if (digits === 0 || digits > 13 || (group >= 0 && group !== 3)) return NaN;
  let frac = 0;
  if (i < e) {
    if (u8[i] !== 46) return NaN;
    const f = e - i - 1;
    if (f < 1 || f > 2) return NaN;
    for (let k = i + 1; k < e; k++) {
      const c = u8[k]! - 48;
      if (c < 0 || c > 9) return NaN;
      frac = frac * 10 + c;
    }
    if (f === 1) frac *= 10;
  }
  const fen = v * 100 + frac;
  return neg && fen !== 0 ? -fen : fen;
}

const num = (u8: Uint8Array, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = u8[i]! - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
};

/**
 * dates' canonical form `YYYY-MM-DD HH:mm:ss` on bytes, checked by the same
 * validDateTime as parseDateTime, as the number YYYYMMDDHHmmss the block stores; NaN for any other text.
 */
export function canonicalDateTime(u8: Uint8Array, s: number, e: number): number {
  if (e - s !== 19 || u8[s + 4] !== 45 || u8[s + 7] !== 45 || u8[s + 10] !== 32 || u8[s + 13] !== 58 || u8[s + 16] !== 58) return NaN;
  const y = num(u8, s, s + 4), mo = num(u8, s + 5, s + 7), d = num(u8, s + 8, s + 10), h = num(u8, s + 11, s + 13), mi = num(u8, s + 14, s + 16), se = num(u8, s + 17, s + 19);
  if (!validDateTime(y, mo, d, h, mi, se)) return NaN;
  return ((((y * 100 + mo) * 100 + d) * 100 + h) * 100 + mi) * 100 + se;
}
