// The run's table of key ids against a plain Map: whatever hint a lookup is given
// (the id after the last found, the last found itself, or any other), a key gets
// the id it was first given, a new key the next id, and an absent one -1.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../electron/engine/match/key-table';

describe('the key table', () => {
  it('gives every key the id a Map gives it, whatever the hint', () => {
    const key = fc.oneof(fc.constantFrom('JF1', 'JF2', 'JF10', 'JF01', '', 'é', '张三'), fc.string({ unit: fc.constantFrom('J', 'F', '0', '1', '中'), maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.boolean(), fc.oneof(fc.constant('next'), fc.constant('last'), fc.integer({ min: -1, max: 40 }))), { maxLength: 300 }), fc.constantFrom('own', 'room', 'small room'), (ops, made) => {
        // Its arrays made here, in buffers made ready elsewhere (a run's reading thread), or in buffers too small to use.
        const bytes = KeyTable.bytes(4);
        const room = made === 'own' ? undefined : made === 'room' ? { slots: new ArrayBuffer(bytes.slots + 64), meta: new ArrayBuffer(bytes.meta) } : { slots: new ArrayBuffer(bytes.slots - 8), meta: new ArrayBuffer(4) };
        const table = new KeyTable(4, room);
        const ref = new Map<string, number>();
        let near = -1;
        for (const [k, add, hint] of ops) {
          const b = table.addBuffer(Buffer.from(k, 'utf8'));
          const h = hint === 'next' ? near : hint === 'last' ? near - 1 : hint;
          const want = ref.get(k) ?? (add ? ref.size : -1);
          if (want === ref.size && add) ref.set(k, want);
          const got = table.lookup(b, 0, Buffer.byteLength(k), add, h);
          expect(got).toBe(want);
          if (got >= 0) {
            near = got + 1;
            expect(table.text(got)).toBe(k);
          }
        }
        expect(table.size).toBe(ref.size);
        // A room big enough is where the table's first slots and ids are (until it grows past them).
        if (made === 'room' && ref.size > 0) expect(new Int32Array(room!.meta!).some((x) => x !== 0)).toBe(true);
      }),
      { numRuns: 2000, seed: 19 },
    );
  });

  it('finds the rows of one key that follow each other (a split payment) by the hint, and keys in another order by probing', () => {
    const table = new KeyTable(16);
    const keys = Array.from({ length: 5000 }, (_, i) => `JF20251117${String(i).padStart(8, '0')}`);
    const rows = keys.flatMap((k, i) => (i % 3 === 0 ? [k, k, k] : [k]));
    const b = table.addBuffer(Buffer.from(rows.join('')));
    let at = 0;
    let near = -1;
    const ids = rows.map((k) => {
      const id = table.lookup(b, at, k.length, true, near);
      at += k.length;
      near = id + 1;
      return id;
    });
    expect(ids).toEqual(rows.map((k) => keys.indexOf(k)));
    const shuffled = [...keys].reverse();
    const b2 = table.addBuffer(Buffer.from(shuffled.join('')));
    at = 0;
    expect(shuffled.map((k) => {
      const id = table.lookup(b2, at, k.length, false, 0);
      at += k.length;
      return id;
    })).toEqual(shuffled.map((k) => keys.indexOf(k)));
  });
});
