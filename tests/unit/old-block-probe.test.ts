// Small old blocks asked by their summaries of the key table itself (old-block-probe.ts):
// the probe must pass exactly the rows a set of the sought keys' hashes passes
// (KeyHashes, what a block's summary was asked before), whatever keys are skipped
// (carried) and whatever the summary holds — hashes of keys in the table, of keys
// not in it, and rows without a key (NaN); and only small blocks, within the cap,
// are asked this way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyHashes } from '../../electron/engine/match/key-hashes';
import { keyHash } from '../../electron/engine/match/key-hash';
import { KeyTable } from '../../electron/engine/match/key-table';
import { oldBlockChecks, PROBE_ROWS, probedBlocks, TableHashes } from '../../electron/engine/match/old-block-probe';

const bytes = (k: string) => Buffer.from(k, 'utf8');
const hashOf = (k: string) => keyHash(bytes(k), 0, bytes(k).length);
const summary = (hashes: number[]) => Buffer.from(Float64Array.from(hashes).buffer);

describe('TableHashes', () => {
  it('passes the rows a set of the sought keys’ hashes passes, with any keys skipped', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 24 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.string({ minLength: 1, maxLength: 24 }), { maxLength: 50 }),
        fc.array(fc.boolean(), { maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        (inTable, others, skipped, picks) => {
          const keys = new KeyTable(4);
          const ids = inTable.map((k) => keys.lookup(keys.addBuffer(bytes(k)), 0, bytes(k).length, true));
          const skip = Uint8Array.from(ids, (_, i) => (skipped[i] ? 1 : 0));
          // The summary: rows of keys in the table, of keys not in it, and without a key.
          const pool = [...inTable.map(hashOf), ...others.map(hashOf), NaN];
          const rows = picks.map((p) => pool[p % pool.length]!);
          const sought = ids.filter((id) => !skip[id]).map((id) => keys.hashOf(id));
          for (const s of [skip, null]) {
            const want = new KeyHashes(Float64Array.from(s ? sought : ids.map((id) => keys.hashOf(id)))).matches(summary(rows));
            expect(new TableHashes(keys, s).matches(summary(rows))).toEqual(want);
          }
        },
      ),
    );
  });

  it('finds a key’s row in a summary read from an unaligned buffer', () => {
    const keys = new KeyTable(4);
    keys.lookup(keys.addBuffer(bytes('JF2025111700000001')), 0, 18, true);
    const raw = Buffer.alloc(8 * 3 + 1);
    summary([hashOf('JF2025111700000002'), hashOf('JF2025111700000001'), NaN]).copy(raw, 1);
    const r = new TableHashes(keys, null).matches(raw.subarray(1));
    expect(r.count).toBe(1);
    expect([...r.mask!]).toEqual([0, 1, 0]);
  });
});

describe('probedBlocks', () => {
  const span = (id: number, n: number) => ({ id, n, minAt: null, maxAt: null });
  it('asks the small old blocks, in order, while their rows stay within the cap; never a block of the period', () => {
    const spans = [span(1, 16_384), span(2, 900), span(3, 4_096), span(4, 4_097), span(5, 10)];
    expect([...probedBlocks(spans, (id) => id === 5, 4_096)]).toEqual([2, 3]);
    expect([...probedBlocks(spans, () => false, 0)]).toEqual([]);
    const many = Array.from({ length: 100 }, (_, i) => span(i, 4_096));
    expect(probedBlocks(many, () => false, 4_096).size).toBe(PROBE_ROWS / 4_096);
  });

  it('makes prefixes only at the lengths of the old blocks asked by their prefixes', () => {
    // 1, 4: full old blocks (lengths 15, 13); 2: small (17, probed); 3: a period block (16); 5: full, without prefixes.
    const spans = [span(1, 16_384), span(2, 600), span(3, 16_384), span(4, 16_384), span(5, 16_384)];
    const len: Record<number, number> = { 1: 15, 2: 17, 3: 16, 4: 13 };
    const c = oldBlockChecks(spans, (id) => id === 3, (id) => len[id]);
    expect([...c.probed]).toEqual([2]);
    expect(c.lengths.sort()).toEqual([13, 15]);
  });
});
