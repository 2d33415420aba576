// An officer's queue: the open breaks assigned to them. A break given to an officer
// (分配…) showed only under the workbench's 我经办的 chip, once they opened the
// right kind and period; the shell now shows their count beside 单边账 wherever they
// are, with who last gave them one and when.
import type { Database } from 'better-sqlite3';
import type { BreakQueue } from '../../../shared/recon-types';
import type { ReconKind } from '../../../shared/domain';

export function myQueue(db: Database, user: string): BreakQueue {
  // recon_break_assigned (migration 23) holds only breaks someone was given: a run's new breaks never enter it.
  const byKind = db
    .prepare("SELECT kind, count(*) AS count FROM recon_break WHERE assignee = ? AND status = 'open' GROUP BY kind ORDER BY kind")
    .all(user) as { kind: ReconKind; count: number }[];
  // The latest assignment to them by someone else, of a break still open and still theirs.
  const latest = db
    .prepare(
      `SELECT e.at, e.actor AS by, b.kind FROM recon_break b JOIN break_event e ON e.break_id = b.id
       WHERE b.assignee = ? AND b.status = 'open' AND e.action = 'assign' AND e.actor <> ? AND json_extract(e.detail, '$.to') = ?
       ORDER BY e.id DESC LIMIT 1`,
    )
    .get(user, user, user) as { at: string; by: string; kind: ReconKind } | undefined;
  return { open: byKind.reduce((n, k) => n + k.count, 0), byKind, latest: latest ?? null };
}
