// A side's rows as typed arrays (SideRows), made with room for a number of rows,
// and the compared codes of rows filled from the block they were read from: what
// reading blocks (side-rows.ts) and taking carried rows (carried-rows.ts) share.
import type { DecodedColumns } from '../rowstore/column-decode';
import type { SideRows } from './side-rows';

/** Empty arrays with room for `capacity` rows. */
export function sideArrays(capacity: number): SideRows {
  return {
    n: 0,
    kid: new Int32Array(capacity),
    batch: new Int32Array(capacity),
    line: new Int32Array(capacity),
    amount: new Float64Array(capacity),
    payYear: new Float64Array(capacity),
    at: new Float64Array(capacity),
    status: new Int32Array(capacity),
    insutype: new Int32Array(capacity),
    block: new Int32Array(capacity),
    index: new Int32Array(capacity),
    blocks: [],
  };
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
