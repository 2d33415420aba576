// One cell of a record read from its UTF-8 bytes, for the byte path (row-bytes):
// the common forms are read here (a key, an ID number, a name, an amount, a time
// to the second), texts that repeat (statuses, 险种, years, dates) are remembered by
// their bytes, and every other cell is decoded and given to the field's string
// normaliser (normalize-field), whose answer is the answer. So a cell means the same
// whichever path read it; the byte path only skips making strings of the common ones.
import type { FieldType } from '../../../shared/import-kinds';
import type { FieldNormalizer } from './normalize-field';
import { BYTES, decodeUtf8, NONE, TIME, VALUE, type Slot } from '../rowstore/value-slot';
import { dateTimeNumber } from '../rowstore/column-format';
import { canonicalDateTime, plainAmountFen, plainKeyBytes, plainTextLength, validIdBytes } from './byte-cells';

/** Fills `slot` from the cell u8[s, e); false when the cell is refused (the record then goes the string way, which says why). */
export type ByteField = (u8: Buffer, s: number, e: number, slot: Slot) => boolean;

const MEMO_SLOTS = 512;
/** Longer cells are not remembered. */
const MEMO_BYTES = 32;

/**
 * The field of `type` on bytes, with `norm` (the same field's string normaliser)
 * deciding every cell this does not read itself.
 */
export function byteField(type: FieldType, norm: FieldNormalizer): ByteField {
  // The string normaliser's answer for the cell's text, as a slot.
  const ask = (u8: Buffer, s: number, e: number, slot: Slot): boolean => {
    const r = norm(decodeUtf8(u8, s, e));
    return fromResult(r, slot);
  };
  // A text as it lies in the record (n: its UTF-16 length), or the normaliser's answer where it does not read as plain (n < 0).
  const asBytes = (u8: Buffer, s: number, e: number, slot: Slot, n: number): boolean => {
    if (n < 0) return ask(u8, s, e, slot);
    slot.k = BYTES;
    slot.s = s;
    slot.e = e;
    slot.n = n;
    return true;
  };
  // One closure per type (not a test of the type per cell): these run for every cell of a million rows.
  if (type === 'text') return (u8, s, e, slot) => (s === e ? none(slot) : asBytes(u8, s, e, slot, plainTextLength(u8, s, e)));
  if (type === 'key') return (u8, s, e, slot) => (s === e ? none(slot) : asBytes(u8, s, e, slot, plainKeyBytes(u8, s, e) ? e - s : -1));
  if (type === 'id') return (u8, s, e, slot) => (s === e ? none(slot) : asBytes(u8, s, e, slot, validIdBytes(u8, s, e) ? 18 : -1));
  // A small direct-mapped memo keyed by the cell's bytes: statuses, 险种, years and
  // dates repeat row after row. Its key bytes sit in one buffer, a slot's at slot × MEMO_BYTES.
  const keys = new Uint8Array(MEMO_SLOTS * MEMO_BYTES);
  const lens = new Int32Array(MEMO_SLOTS).fill(-1);
  const kinds = new Int8Array(MEMO_SLOTS);
  const values: (string | number | null)[] = new Array(MEMO_SLOTS).fill(null);
  const refused = new Uint8Array(MEMO_SLOTS);
  const direct = type === 'amount' ? plainAmountFen : type === 'datetime' ? canonicalDateTime : null;
  return (u8, s, e, slot) => {
    if (s === e) return none(slot);
    if (direct) {
      const x = direct(u8, s, e);
      if (x === x) {
        slot.k = type === 'datetime' ? TIME : VALUE;
        slot.v = x;
        return true;
      }
    }
    const len = e - s;
    if (len > MEMO_BYTES) return ask(u8, s, e, slot);
    const h = (len * 7 + u8[s]! * 31 + u8[s + (len >> 1)]! * 17 + u8[e - 1]! * 131) & (MEMO_SLOTS - 1);
    const at = h * MEMO_BYTES;
    if (lens[h] === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (keys[at + i] !== u8[s + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        if (refused[h]) return false;
        slot.k = kinds[h]!;
        slot.v = values[h]!;
        return true;
      }
    }
    const ok = ask(u8, s, e, slot);
    // A date remembered as its number (the block stores that; a canonical text and its number say the same).
    if (type === 'datetime' && slot.k === VALUE && typeof slot.v === 'string') {
      const x = dateTimeNumber(slot.v);
      if (x === x) {
        slot.k = TIME;
        slot.v = x;
      }
    }
    for (let i = 0; i < len; i++) keys[at + i] = u8[s + i]!;
    lens[h] = len;
    refused[h] = ok ? 0 : 1;
    kinds[h] = slot.k;
    values[h] = slot.v;
    return ok;
  };
}

function none(slot: Slot): true {
  slot.k = NONE;
  return true;
}

function fromResult(r: ReturnType<FieldNormalizer>, slot: Slot): boolean {
  if (r === null) {
    slot.k = NONE;
    return true;
  }
  if (!r.ok) return false;
  slot.k = r.value === null ? NONE : VALUE;
  slot.v = r.value;
  return true;
}
