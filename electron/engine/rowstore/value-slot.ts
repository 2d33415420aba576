// One value of a row read by an import's byte path (ingest/row-bytes), as the block
// builder takes it: nothing, a value, a text still as UTF-8 bytes of the source
// buffer, or a canonical time as its number. One object per column, refilled
// every row, so a million rows make no garbage here.
import { formatDateTime } from './column-format';

export const NONE = 0;
export const VALUE = 1;
export const BYTES = 2;
export const TIME = 3;

export interface Slot {
  k: number;
  /** VALUE: the value; TIME: YYYYMMDDHHmmss. */
  v: string | number | null;
  /** BYTES: u8[s, e) of the row's buffer, n UTF-16 units long. */
  s: number;
  e: number;
  n: number;
}

export const newSlot = (): Slot => ({ k: NONE, v: null, s: 0, e: 0, n: 0 });

export function copySlot(to: Slot, from: Slot): void {
  to.k = from.k;
  to.v = from.v;
  to.s = from.s;
  to.e = from.e;
  to.n = from.n;
}

export const decodeUtf8 = (u8: Buffer, s: number, e: number): string => u8.toString('utf8', s, e);

/** A slot's text as the string path would hold it (null for none). */
export function slotText(slot: Slot, u8: Buffer): string | null {
  if (slot.k === NONE) return null;
  if (slot.k === BYTES) return decodeUtf8(u8, slot.s, slot.e);
  if (slot.k === VALUE) return slot.v === null ? null : String(slot.v);
  return formatDateTime(slot.v as number);
}

/** A slot as a number column holds it: its number, else NaN. */
export const slotNumber = (slot: Slot): number => (slot.k === VALUE && typeof slot.v === 'number' ? slot.v : NaN);

/** Whether two slots hold the same text. */
export function sameText(a: Slot, b: Slot, u8: Buffer): boolean {
  if (a.k === BYTES && b.k === BYTES) {
    const n = a.e - a.s;
    if (n !== b.e - b.s) return false;
    for (let i = 0; i < n; i++) if (u8[a.s + i] !== u8[b.s + i]) return false;
    return true;
  }
  return slotText(a, u8) === slotText(b, u8);
}

/** A row from the byte path, as the block builder takes it (reused: read before the next row). */
export interface ByteRow {
  /** The stored columns in the normaliser's STORED_COLUMNS order. */
  cols: Slot[];
  /** The fields without a column, in the builder's `extras` order. */
  extra: Slot[];
  name: Slot;
  gk: Slot;
  /** The key the row is grouped under is the same text as its key column (the block stores a mark, not the text again). */
  gkSame: boolean;
}
