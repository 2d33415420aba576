// A kind's open breaks as its last run left them (table recon_open_list, migration
// 20). A run needs every open break's id (to find the one a produced break is, and
// to close the ones it no longer produces); reading 130,000 ids from their index cost
// 40–60 ms a run at week ten, for a list nearly always exactly the one the last run
// left. So each run keeps that list, and the next uses it only while it is certainly
// still the list:
//   · no break of the kind changed status, key, match key or opening period, and
//     none was deleted, since (recon_break_changes, counted by triggers whatever
//     program writes the file; it also counts changes of type, amounts and ID
//     number, which the likely pairs depend on: breaks/likely-pairs.ts);
//   · no break was added since (the highest break id; a run of any kind adds breaks
//     and then writes its own kind's list);
//   · every listed break opened in the run's period or before (a run of an earlier
//     period reads the list, to tell the later breaks apart).
// Otherwise the open breaks are read as before.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import { lowerBound } from './id-ranges';

export interface OpenList {
  /** The open breaks' ids, ascending. */
  ids: Float64Array;
  /** The listed breaks whose match key is not their key (a duplicate copy, a row without an order number): [id, key, match key]. */
  others: [id: number, key: string, matchKey: string][];
}

const stateQuery = (db: Database, kind: ReconKind) =>
  db.prepare('SELECT (SELECT coalesce(max(n), 0) FROM recon_break_changes WHERE kind = ?) AS changes, (SELECT coalesce(max(id), 0) FROM recon_break) AS max_break').get(kind) as {
    changes: number;
    max_break: number;
  };

/**
 * About how many breaks of the kind are open, for sizing only: as many as the kind's
 * last run left (its list's length, read without the list), else counted.
 */
export function openBreakEstimate(db: Database, kind: ReconKind): number {
  const listed = db.prepare('SELECT length(ids) / 8 FROM recon_open_list WHERE kind = ?').pluck().get(kind) as number | undefined;
  return listed ?? (db.prepare("SELECT count(*) FROM recon_break WHERE kind = ? AND status = 'open'").pluck().get(kind) as number);
}

/** The kind's open breaks as its last run left them, where that is certainly what they are now for a run of `period`; else null (read them). */
export function loadOpenList(db: Database, kind: ReconKind, period: string): OpenList | null {
  const r = db.prepare('SELECT changes, max_break, max_opened, ids, others FROM recon_open_list WHERE kind = ?').get(kind) as
    | { changes: number; max_break: number; max_opened: string; ids: Buffer; others: string }
    | undefined;
  if (!r || r.max_opened > period) return null;
  const now = stateQuery(db, kind);
  if (now.changes !== r.changes || now.max_break !== r.max_break || r.ids.length % 8 !== 0) return null;
  const ids = new Float64Array(r.ids.length / 8);
  new Uint8Array(ids.buffer).set(r.ids);
  let others: [number, string, string][];
  try {
    others = JSON.parse(r.others) as [number, string, string][];
  } catch {
    return null;
  }
  // What was written, ascending whole ids, or nothing is used.
  for (let i = 0; i < ids.length; i++) if (!Number.isInteger(ids[i]!) || (i > 0 && !(ids[i - 1]! < ids[i]!))) return null;
  if (!Array.isArray(others) || !others.every((o) => Array.isArray(o) && Number.isInteger(o[0]) && typeof o[1] === 'string' && typeof o[2] === 'string' && ids[lowerBound(ids, o[0])] === o[0])) return null;
  return { ids, others };
}

/**
 * Keeps the kind's open breaks after a run of `period` (`list`), or forgets them when
 * some opened after that period (a run of an earlier period: the next run reads them).
 */
export function saveOpenList(db: Database, kind: ReconKind, runId: number, period: string, list: OpenList | null): void {
  if (!list) {
    db.prepare('DELETE FROM recon_open_list WHERE kind = ?').run(kind);
    return;
  }
  const now = stateQuery(db, kind);
  db.prepare(
    `INSERT INTO recon_open_list (kind, run_id, changes, max_break, max_opened, ids, others) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET run_id = excluded.run_id, changes = excluded.changes, max_break = excluded.max_break,
       max_opened = excluded.max_opened, ids = excluded.ids, others = excluded.others`,
  ).run(kind, runId, now.changes, now.max_break, period, Buffer.from(list.ids.buffer, list.ids.byteOffset, list.ids.byteLength), JSON.stringify(list.others));
}
