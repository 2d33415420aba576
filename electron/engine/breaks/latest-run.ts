// A break's latest run, as the view recon_break_latest gives it, for the breaks of
// one action. The view reads every later run's list of unchanged breaks as JSON for
// each break it is asked about — fine for one break, not for a disposition of five
// hundred after a year of weekly runs. Here each run's list is read once, newest
// first and only as far as needed (an open break is nearly always named by the
// latest run), and searched by halves.
import type { Database } from 'better-sqlite3';

interface Named {
  runId: number;
  /** [first, last] ranges of break ids, sorted by first (id-ranges.ts writes them disjoint). */
  ranges: [number, number][];
  /** Some ranges overlap (not a list a run wrote): searched one by one. */
  overlap: boolean;
}

export class LatestRuns {
  private readonly named: Named[] = [];
  private done = false;
  private readonly nextQ;

  constructor(db: Database) {
    this.nextQ = db.prepare('SELECT run_id, ids FROM recon_run_unchanged WHERE run_id < ? ORDER BY run_id DESC LIMIT 1');
  }

  /** The latest run of break `id` whose row says `lastRun` (the latest run that wrote it). */
  of(id: number, lastRun: number): number {
    for (let i = 0; ; i++) {
      if (i === this.named.length && !this.more()) return lastRun;
      const n = this.named[i]!;
      if (n.runId <= lastRun) return lastRun;
      if (n.overlap ? n.ranges.some(([a, b]) => a <= id && id <= b) : holds(n.ranges, id)) return n.runId;
    }
  }

  private more(): boolean {
    if (this.done) return false;
    const before = this.named.length ? this.named[this.named.length - 1]!.runId : Number.MAX_SAFE_INTEGER;
    const r = this.nextQ.get(before) as { run_id: number; ids: string } | undefined;
    if (!r) {
      this.done = true;
      return false;
    }
    const ranges = parseRanges(r.ids);
    this.named.push({ runId: r.run_id, ranges, overlap: ranges.some((x, i) => i > 0 && x[0] <= ranges[i - 1]![1]) });
    return true;
  }
}

/** The ranges as stored; anything else (a list not written by a run) names no break. */
function parseRanges(text: string): [number, number][] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  const out = v.filter((r): r is [number, number] => Array.isArray(r) && r.length === 2 && typeof r[0] === 'number' && typeof r[1] === 'number');
  // Sorted as a run writes them; sorted again for a list that is not.
  return out.sort((a, b) => a[0] - b[0]);
}

/** Whether one of the sorted, disjoint ranges holds id. */
function holds(ranges: [number, number][], id: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const [a, b] = ranges[mid]!;
    if (id < a) hi = mid - 1;
    else if (id > b) lo = mid + 1;
    else return true;
  }
  return false;
}
