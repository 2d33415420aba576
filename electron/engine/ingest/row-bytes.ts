// The byte path of a text file's data row: its UTF-8 bytes → the values stored,
// without a string made of the record or of its common cells (keys, ID numbers,
// names, amounts, times), which the block takes as bytes. It reads by the same
// plan as the string path (row-normalizer) and answers null for any record it does
// not take exactly as that path would: a record cut short, an odd quote, a possible
// blank or 合计 line, and every row with a problem. The string path then reads that
// record, so its messages, lines and columns are the string path's own.
// tests/unit/byte-path.test.ts holds the two paths to the same blocks on random files.
import { NAME_FIELDS, STORED_COLUMNS, type RowPlan } from './row-normalizer';
import { plainStartBytes, splitBytes, splitPlainBytes } from './byte-cells';
import { byteField } from './byte-fields';
import { copySlot, newSlot, NONE, sameText, slotText, VALUE, type ByteRow } from '../rowstore/value-slot';

/** Reads one record u8[s, e); `plain`: the caller knows it holds no quote character. */
export type ByteRowReader = (u8: Buffer, s: number, e: number, plain: boolean) => ByteRow | null;

/**
 * The byte reader of rows for this plan and delimiter, or null where there is none
 * (a delimiter of more than one byte, or the quote itself).
 */
export function makeByteRowReader(plan: RowPlan, delimiter: string): ByteRowReader | null {
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) >= 0x80 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') return null;
  const d = delimiter.charCodeAt(0);
  const { match, spec, fields, extras, width, derived, flagField, missingStatus, amountCol, statusCol, keyCol, refCol } = plan;
  const positional = !!match.profile.positional;
  const readers = fields.map((f) => byteField(spec.fields[f.field]!.type, f.normalize));
  // Room for the cells the fields read and a few more; a record with many more goes the string way.
  const room = Math.max(width, ...fields.map((f) => f.index + 1)) + 16;
  const starts = new Int32Array(room);
  const ends = new Int32Array(room);
  const out: ByteRow = { cols: STORED_COLUMNS.map(newSlot), extra: extras.map(newSlot), name: newSlot(), gk: newSlot(), gkSame: false };
  const { cols, extra, name, gk } = out;
  const byAmount = derived ?? missingStatus;
  // Each field's reader writes straight into the slot of its first column (or its
  // other field's slot): copies only for a second column and for the name.
  const targets = fields.map((f) => (f.columns.length ? cols[f.columns[0]!]! : f.extraAt >= 0 ? extra[f.extraAt]! : newSlot()));
  const more = fields.map((f) => f.columns.slice(1).map((c) => cols[c]!));

  return (u8, s, e, plain) => {
    const n = plain ? splitPlainBytes(u8, s, e, d, starts, ends) : splitBytes(u8, s, e, d, starts, ends);
    if (n < 0 || (n < width && !positional)) return null;
    if (!plainStartBytes(u8, starts[0]!, ends[0]!)) return null;
    name.k = NONE;
    let flag: string | number | null = null;
    let nameRank = NAME_FIELDS.length;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const cell = targets[i]!;
      const inRow = f.index < n;
      if (!readers[i]!(u8, inRow ? starts[f.index]! : 0, inRow ? ends[f.index]! : 0, cell)) return null;
      if (cell.k === NONE) {
        if (f.required) return null;
        continue;
      }
      if (f === flagField) flag = cell.k === VALUE ? cell.v : slotText(cell, u8);
      if (f.nameRank >= 0 && f.nameRank < nameRank) {
        copySlot(name, cell);
        nameRank = f.nameRank;
      }
      const m = more[i]!;
      for (let c = 0; c < m.length; c++) copySlot(m[c]!, cell);
    }
    if (byAmount) {
      const a = cols[amountCol]!;
      const negative = flag === 1 || (a.k === VALUE && typeof a.v === 'number' && a.v < 0);
      const st = cols[statusCol]!;
      st.k = VALUE;
      st.v = negative ? byAmount.negative : byAmount.positive;
    }
    const key = cols[keyCol]!;
    const ref = cols[refCol]!;
    if (spec.groupByRefWhen && ref.k !== NONE && slotText(cols[statusCol]!, u8) === spec.groupByRefWhen) {
      copySlot(gk, ref);
      out.gkSame = key.k !== NONE && sameText(ref, key, u8);
    } else {
      // Grouped under its key: the block marks it so (gk's own slot is read only for a row without a key).
      out.gkSame = key.k !== NONE;
      gk.k = NONE;
    }
    return out;
  };
}
