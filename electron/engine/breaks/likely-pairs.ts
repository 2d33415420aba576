// Which open breaks are likely the two halves of one payment: one with a record on
// the ledger side only (医保单边, 在途), the other on the other side only (对方单边),
// of the same kind, ID number and amount. The break detail lists them
// (counterparts.ts), the grid marks them ⇄ and filters by them.
//
// Found when asked, not kept by an index on ID numbers: such an index took each new
// break at a random place among the kind's open ones, and a run's inserts into it
// cost 0.2–0.35 s at ten weeks of 130,000 open breaks (migration 22). The open
// one-sided breaks are read from their own index, in id order, to which a run only
// appends: the ID numbers and amounts found on both sides, then those ID numbers'
// breaks (~40 ms at 88,000 one-sided breaks); the pairs are then kept for the
// connection until the kind's breaks change.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';

export interface LikelyPairs {
  /** The breaks with a likely other half, ascending. */
  readonly ids: readonly number[];
  has(id: number): boolean;
  /** The likely other halves of break `id` (none: empty). */
  partners(id: number): readonly number[];
}

// Exactly recon_break_open_sided's condition (migration 22), so the planner reads that index.
const ONE_SIDED_OPEN = "status = 'open' AND type IN ('LEDGER_ONLY', 'IN_TRANSIT', 'EXTERNAL_ONLY')";

/**
 * The ID numbers and amounts that have an open one-sided break on each side. A set
 * intersection (two sorted lists merged) took half the time of grouping every such
 * break by ID number and amount (31 against 58–76 ms at 88,000). Without an amount,
 * or an ID number, nothing pairs (the intersection would take two missing values as equal).
 */
export const BOTH_SIDES = `
  SELECT certno, amount_ledger FROM recon_break
    WHERE kind = ? AND ${ONE_SIDED_OPEN} AND type <> 'EXTERNAL_ONLY' AND certno <> '' AND amount_ledger IS NOT NULL
  INTERSECT
  SELECT certno, amount_external FROM recon_break
    WHERE kind = ? AND ${ONE_SIDED_OPEN} AND type = 'EXTERNAL_ONLY' AND certno <> '' AND amount_external IS NOT NULL`;

/** The open one-sided breaks of some ID numbers (a JSON list): id, side (1: external), ID number, amount. */
export const BREAKS_OF = `
  SELECT id, type = 'EXTERNAL_ONLY', certno, CASE WHEN type = 'EXTERNAL_ONLY' THEN amount_external ELSE amount_ledger END
  FROM recon_break WHERE kind = ? AND ${ONE_SIDED_OPEN} AND certno IN (SELECT value FROM json_each(?))`;

/**
 * What the pairs were found from: the kind's count of changes to its breaks (status,
 * type, amounts, ID number …, kept by triggers whatever program writes the file:
 * migrations 20 and 22) and the highest break id (breaks are added by runs). Committed
 * counts only grow, so equal stamps outside a transaction mean the same breaks.
 */
const stampOf = (db: Database, kind: ReconKind) =>
  db.prepare("SELECT (SELECT coalesce(max(n), 0) FROM recon_break_changes WHERE kind = ?) || ':' || (SELECT coalesce(max(id), 0) FROM recon_break)").pluck().get(kind) as string;

const kept = new WeakMap<Database, Map<ReconKind, { stamp: string; pairs: LikelyPairs }>>();

/** The kind's likely pairs as the breaks are now. */
export function likelyPairs(db: Database, kind: ReconKind): LikelyPairs {
  const stamp = stampOf(db, kind);
  const byKind = kept.get(db) ?? new Map<ReconKind, { stamp: string; pairs: LikelyPairs }>();
  const k = byKind.get(kind);
  if (k && k.stamp === stamp) return k.pairs;
  const pairs = findPairs(db, kind);
  // Inside a transaction the counts may yet be rolled back, and later reach the same stamp with other breaks.
  if (!db.inTransaction) {
    byKind.set(kind, { stamp, pairs });
    kept.set(db, byKind);
  }
  return pairs;
}

function findPairs(db: Database, kind: ReconKind): LikelyPairs {
  const partners = new Map<number, number[]>();
  const both = db.prepare(BOTH_SIDES).raw().all(kind, kind) as [string, number][];
  if (both.length) {
    const group = (certno: string, amount: number) => `${certno}\u0000${amount}`;
    // Each side's breaks per ID number and amount that has both.
    const sides = new Map(both.map(([c, a]) => [group(c, a), { l: [] as number[], x: [] as number[] }]));
    const certnos = [...new Set(both.map(([c]) => c))];
    for (const [id, ext, certno, amount] of db.prepare(BREAKS_OF).raw().all(kind, JSON.stringify(certnos)) as [number, number, string, number | null][]) {
      const g = amount === null ? undefined : sides.get(group(certno, amount));
      if (g) (ext ? g.x : g.l).push(id);
    }
    for (const { l, x } of sides.values()) {
      for (const id of l) partners.set(id, x);
      for (const id of x) partners.set(id, l);
    }
  }
  const sorted = [...partners.keys()].sort((a, b) => a - b);
  return { ids: sorted, has: (id) => partners.has(id), partners: (id) => partners.get(id) ?? [] };
}
