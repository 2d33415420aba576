// Small old blocks asked by their summaries alone. An old block is passed by when
// none of its keys' prefixes begins a key the run looks for (key-prefixes.ts); to
// ask that, the run makes the prefixes of the million keys it looks for at each
// length old blocks' prefixes have. A full block of keys in sequence has short
// prefixes (all of a bench week's full blocks: 13 or 15 bytes), but a file's last
// block holds a few hundred rows, and few keys fit longer prefixes (16 or 17 bytes):
// at week ten those two lengths made some 120,000 prefixes for 18 blocks of 17,000
// rows in all, and the run's plan of old blocks took 52–93 ms (39 and less asked
// this way: 36–54 ms, measured alternating in fresh processes). A small block is instead asked by
// its summary (each row's key hash, block-keys.ts) of the run's key table itself,
// a probe per row, with no set of the sought keys' hashes made: what its summary
// would be asked anyway once its prefixes let it through.
import type { BlockSpan } from '../rowstore/block-store';
import { summaryHashes, type SummaryTest } from './key-hashes';
import type { KeyTable } from './key-table';

/** A block of at most this many rows is asked by its summary (a file's last block; a full one holds 16,384). */
export const PROBE_BLOCK_ROWS = 4_096;
/** PROBE_BLOCK_ROWS, or GONGJI_PROBE_BLOCK_ROWS (≥ 0) where set: tests set 0 so that their small blocks go by their prefixes too. */
export const probeBlockRows = (): number => {
  const v = Number(process.env.GONGJI_PROBE_BLOCK_ROWS);
  return process.env.GONGJI_PROBE_BLOCK_ROWS !== undefined && Number.isInteger(v) && v >= 0 ? v : PROBE_BLOCK_ROWS;
};
/**
 * And no more rows than this in all: a probe per row is a cache miss or two, so
 * history made of many small files (a run per day's file, say) is asked by prefixes
 * beyond it, as every block was, and a run's cost stays bounded.
 */
export const PROBE_ROWS = 262_144;

/** The old blocks (not `isPeriod`) a run asks by their summaries: the small ones, in the order given, while their rows stay within PROBE_ROWS. */
export function probedBlocks(spans: readonly BlockSpan[], isPeriod: (id: number) => boolean, most = probeBlockRows()): Set<number> {
  const out = new Set<number>();
  let rows = 0;
  for (const b of spans) {
    if (isPeriod(b.id) || b.n > most || rows + b.n > PROBE_ROWS) continue;
    out.add(b.id);
    rows += b.n;
  }
  return out;
}

/**
 * How a run asks its old blocks (`asked`: the blocks it may read, period's included):
 * the small ones by their summaries (probedBlocks), the others by their prefixes, at the
 * lengths given here (`lengthOf`: a block's prefix length, undefined without prefixes),
 * which the run makes all at once when the first is asked (key-prefixes.ts).
 */
export function oldBlockChecks(asked: readonly BlockSpan[], isPeriod: (id: number) => boolean, lengthOf: (id: number) => number | undefined): { probed: Set<number>; lengths: number[] } {
  const probed = probedBlocks(asked, isPeriod);
  const lengths = new Set<number>();
  for (const b of asked) {
    if (isPeriod(b.id) || probed.has(b.id)) continue;
    const len = lengthOf(b.id);
    if (len !== undefined) lengths.add(len);
  }
  return { probed, lengths: [...lengths] };
}

/** The run's keys not `skip`ped (1 per key id), as a summary's test: each row's hash looked up in the key table. */
export class TableHashes implements SummaryTest {
  private scratch = new Float64Array(0);

  constructor(
    private readonly keys: KeyTable,
    private readonly skip: Uint8Array | null,
  ) {}

  matches(summary: Buffer): { mask: Uint8Array | null; count: number } {
    const n = summary.length >>> 3;
    const f = (this.scratch = summaryHashes(summary, this.scratch));
    let mask: Uint8Array | null = null;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!this.keys.hasHash(f[i]!, this.skip)) continue;
      mask ??= new Uint8Array(n);
      mask[i] = 1;
      count++;
    }
    return { mask, count };
  }
}
