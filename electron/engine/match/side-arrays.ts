// A side's rows as typed arrays (SideRows), made with room for a number of rows,
// and the compared codes of rows filled from the block they were read from: what
// reading blocks (side-rows.ts) and taking carried rows (carried-rows.ts) share.
import type { DecodedColumns } from '../rowstore/column-decode';
import type { SideRows } from './side-rows';

/** Bytes a side's arrays take per row: three of numbers (8 bytes), seven of integers (4). */
const ROW_BYTES = 3 * 8 + 7 * 4;

/** The bytes of one buffer that holds a side's arrays for `capacity` rows (sideArrays' `room`). */
export function sideBytes(capacity: number): number {
  return capacity * ROW_BYTES;
}

/**
 * Empty arrays with room for `capacity` rows, laid one after another in one buffer:
 * `room` where it is given and big enough (zeroed, made ready by the run's reading
 * thread: period-blocks.ts), else a new one.
 */
export function sideArrays(capacity: number, room: ArrayBuffer | null = null): SideRows {
  const buf = room && room.byteLength >= sideBytes(capacity) ? room : new ArrayBuffer(sideBytes(capacity));
  // The numbers first: every array starts at a multiple of its element's size.
  let at = 0;
  const f64 = () => {
    const a = new Float64Array(buf, at, capacity);
    at += capacity * 8;
    return a;
  };
  const i32 = () => {
    const a = new Int32Array(buf, at, capacity);
    at += capacity * 4;
    return a;
  };
  const amount = f64();
  const payYear = f64();
  const time = f64();
  return { n: 0, amount, payYear, at: time, kid: i32(), batch: i32(), line: i32(), status: i32(), insutype: i32(), block: i32(), index: i32(), blocks: [] };
}

/** The columns of a side's rows (every array of SideRows but `blocks`), each with its name. */
export const SIDE_COLUMNS = ['kid', 'batch', 'line', 'amount', 'payYear', 'at', 'status', 'insutype', 'block', 'index'] as const;

/**
 * The arrays of `full` from `offset` on, with the room before them kept (SideRows.room):
 * rows go in from the view's start, and carried rows that come before them all are put
 * in that room, where no row has to move for them (carried-rows.ts mergeCarried).
 */
export function sideView(full: SideRows, offset: number): SideRows {
  const v: SideRows = { ...full, n: 0, room: { full, offset } };
  for (const c of SIDE_COLUMNS) (v[c] as Int32Array | Float64Array) = full[c].subarray(offset);
  return v;
}

/** The view's arrays from `offset` of its full arrays on (a view's room after it is its full arrays' end). */
export function moveView(v: SideRows, offset: number): void {
  const full = v.room!.full;
  for (const c of SIDE_COLUMNS) (v[c] as Int32Array | Float64Array) = full[c].subarray(offset);
  v.room!.offset = offset;
}

/** The compared codes and numbers of rows [from, to) of the side, all of block `c`. */
export function fillCodes(s: SideRows, from: number, to: number, c: DecodedColumns, ids: Map<string, number>): void {
  if (from === to) return;
  const status = c.codes('status', ids);
  const insutype = c.codes('insutype', ids);
  const payYear = c.num('pay_year');
  for (let r = from; r < to; r++) {
    const i = s.index[r]!;
    s.status[r] = status[i]!;
    s.insutype[r] = insutype[i]!;
    s.payYear[r] = payYear[i]!;
  }
}
