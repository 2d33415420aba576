// A run's rows of one side are in batch and line order: which record reads after
// which (the later of two at one time, which copy is the duplicate) depends on it.
// The rows carried from the last run are merged in place into the rows read from
// blocks (carried-rows.ts mergeCarried); checked against a plain stable sort of the
// two lists, carried rows first on a tie, with every column following its row.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeCarried } from '../../electron/engine/match/carried-rows';
import { sideView } from '../../electron/engine/match/side-arrays';
import type { SideRows } from '../../electron/engine/match/side-rows';
import type { DecodedColumns } from '../../electron/engine/rowstore/column-decode';

type Row = { batch: number; line: number; tag: number };

/** Rows as a side, with room for `room` more; every column holds a value derived from the row's tag. */
function side(rows: Row[], room: number, blockTag: number): SideRows {
  const cap = rows.length + room;
  const s: SideRows = {
    n: rows.length,
    kid: new Int32Array(cap),
    batch: new Int32Array(cap),
    line: new Int32Array(cap),
    amount: new Float64Array(cap),
    payYear: new Float64Array(cap),
    at: new Float64Array(cap),
    status: new Int32Array(cap),
    insutype: new Int32Array(cap),
    block: new Int32Array(cap),
    index: new Int32Array(cap),
    blocks: Array.from({ length: 3 }, (_, i) => ({ tag: blockTag * 10 + i }) as unknown as DecodedColumns),
  };
  rows.forEach((r, i) => {
    s.batch[i] = r.batch;
    s.line[i] = r.line;
    s.kid[i] = r.tag;
    s.amount[i] = r.tag * 100 + 0.5;
    s.payYear[i] = 2000 + r.tag;
    s.at[i] = 20250000000000 + r.tag;
    s.status[i] = r.tag % 7;
    s.insutype[i] = r.tag % 5;
    s.block[i] = r.tag % 3;
    s.index[i] = r.tag * 2;
  });
  return s;
}

const byOrigin = (a: Row, b: Row) => a.batch - b.batch || a.line - b.line;

describe('mergeCarried', () => {
  const row = fc.record({ batch: fc.integer({ min: 1, max: 6 }), line: fc.integer({ min: 2, max: 40 }) });

  it('gives the rows of both in batch and line order, carried first on a tie, each row whole', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.array(row, { maxLength: 60 }), fc.nat({ max: 5 }), (ra, rb, spare) => {
        const a: Row[] = ra.map((r, i) => ({ ...r, tag: i })).sort(byOrigin);
        const b: Row[] = rb.map((r, i) => ({ ...r, tag: 1000 + i })).sort(byOrigin);
        const sa = side(a, b.length + spare, 1);
        const sb = side(b, 0, 2);
        const blocksBefore = sa.blocks.length;
        mergeCarried(sa, sb);
        // The reference: carried rows first, then a stable sort by origin.
        const want = [...b, ...a].sort(byOrigin);
        expect(sa.n).toBe(want.length);
        const got = Array.from({ length: sa.n }, (_, k) => ({ batch: sa.batch[k]!, line: sa.line[k]!, tag: sa.kid[k]! }));
        expect(got).toEqual(want);
        for (let k = 0; k < sa.n; k++) {
          const t = sa.kid[k]!;
          expect([sa.amount[k], sa.payYear[k], sa.at[k], sa.status[k], sa.insutype[k], sa.index[k]]).toEqual([t * 100 + 0.5, 2000 + t, 20250000000000 + t, t % 7, t % 5, t * 2]);
          // A carried row's block is the carried block, after the side's own.
          const blk = sa.blocks[sa.block[k]!] as unknown as { tag: number };
          expect(blk.tag).toBe(t >= 1000 ? 20 + (t % 3) : 10 + (t % 3));
        }
        expect(sa.blocks.length).toBe(b.length ? blocksBefore + sb.blocks.length : blocksBefore);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same into a side with room before its rows (the run’s arrays): carried rows of earlier batches go there, no row moves; any others as before', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.array(row, { maxLength: 60 }), fc.nat({ max: 70 }), fc.nat({ max: 5 }), fc.boolean(), (ra, rb, before, spare, earlier) => {
        // Carried rows of earlier batches than every row read (as a run's usually are), or anywhere.
        const a: Row[] = ra.map((r, i) => ({ ...r, batch: earlier ? r.batch + 6 : r.batch, tag: i })).sort(byOrigin);
        const b: Row[] = rb.map((r, i) => ({ ...r, tag: 1000 + i })).sort(byOrigin);
        const room = before;
        // The full arrays: `room` rows before the view, and after it room for what does not fit before.
        const full = side([], room + a.length + Math.max(0, b.length - room) + spare, 1);
        const sa = sideView(full, room);
        const fromA = side(a, 0, 1);
        for (const c of ['kid', 'batch', 'line', 'amount', 'payYear', 'at', 'status', 'insutype', 'block', 'index'] as const) sa[c].set(fromA[c].subarray(0, a.length));
        sa.n = a.length;
        const sb = side(b, 0, 2);
        const blocksBefore = sa.blocks.length;
        mergeCarried(sa, sb);
        const want = [...b, ...a].sort(byOrigin);
        expect(sa.n).toBe(want.length);
        expect(Array.from({ length: sa.n }, (_, k) => ({ batch: sa.batch[k]!, line: sa.line[k]!, tag: sa.kid[k]! }))).toEqual(want);
        for (let k = 0; k < sa.n; k++) {
          const t = sa.kid[k]!;
          expect([sa.amount[k], sa.payYear[k], sa.at[k], sa.status[k], sa.insutype[k], sa.index[k]]).toEqual([t * 100 + 0.5, 2000 + t, 20250000000000 + t, t % 7, t % 5, t * 2]);
          expect((sa.blocks[sa.block[k]!] as unknown as { tag: number }).tag).toBe(t >= 1000 ? 20 + (t % 3) : 10 + (t % 3));
        }
        expect(sa.blocks.length).toBe(b.length ? blocksBefore + sb.blocks.length : blocksBefore);
        // Every array of the side still views the same full arrays, and the rows lie where the room says.
        expect(sa.kid.buffer).toBe(full.kid.buffer);
        expect(sa.kid.byteOffset).toBe(full.kid.byteOffset + sa.room!.offset * 4);
        // Carried rows all before the rows read went into the room before them, the rows read did not move.
        if (earlier && b.length <= room && b.length > 0) expect(sa.room!.offset).toBe(room - b.length);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a side without room rather than write past its arrays', () => {
    const a = side([{ batch: 1, line: 2, tag: 0 }], 0, 1);
    const b = side([{ batch: 1, line: 3, tag: 1000 }], 0, 2);
    expect(() => mergeCarried(a, b)).toThrow(/no room/);
  });
});
