// Carries breaks across runs: a break still there is updated (it keeps the period
// it opened in), a new one opens, and an open break this run no longer produces —
// its counterpart arrived, or its rows were withdrawn — closes as 自动核销.
// Re-running a period changes nothing the first run did not.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import { isRowBreak, rowBreakKey, type ProducedBreak } from './collect-breaks';
import type { FallbackResult } from './fallback';
import { batchedInsert } from '../store/batched-insert';

/** An open break as a run needs it: its identity, the key people know it by, and the period it opened in. */
export interface OpenBreak {
  id: number;
  key: string;
  matchKey: string;
  openedPeriod: string;
}

/**
 * The kind's open breaks, in the order they were opened, read once per run (not a
 * query per break: a run may produce tens of thousands), from recon_break_open.
 */
export function readOpenBreaks(db: Database, kind: ReconKind): OpenBreak[] {
  const rows = db.prepare("SELECT id, key, match_key, opened_period FROM recon_break WHERE kind = ? AND status = 'open' ORDER BY id").raw().all(kind) as [number, string, string, string][];
  return rows.map(([id, key, matchKey, openedPeriod]) => ({ id, key, matchKey, openedPeriod }));
}

export function applyBreaks(
  db: Database,
  kind: ReconKind,
  period: string,
  runId: number,
  open: OpenBreak[],
  produced: ProducedBreak[],
  fallback: FallbackResult,
  user: string,
  now: string,
): { opened: number; updated: number; autoClosed: number; open: Uint8Array } {
  // Most produced breaks are found open as they were: only their ids are needed.
  // An open break's key is unique in its kind (recon_break_one_open), so a flag per
  // open break says whether the run produced it (no set of every produced key).
  const openByKey = new Map<string, number>();
  open.forEach((b, i) => openByKey.set(b.key, i));
  const reproduced = new Uint8Array(open.length);
  const before = db.prepare('SELECT type, amount_ledger, amount_external FROM recon_break WHERE id = ?');
  // Closed once as it is now (disposed by an officer, say)? Asked per break not open
  // (closed breaks pile up over the months), on recon_break_key (kind, key, status);
  // `+type` keeps the planner off the (kind, status, type) index.
  const closedAs = db
    .prepare("SELECT 1 FROM recon_break WHERE kind = ? AND key = ? AND status = 'closed' AND +type = ? AND amount_ledger IS ? AND amount_external IS ? LIMIT 1")
    .pluck();
  // New breaks go in many to a statement (a first run may open tens of thousands).
  const insert = batchedInsert(
    db,
    `INSERT INTO recon_break (kind, key, match_key, type, status, fields, amount_ledger, amount_external, certno, name, event_at,
      ledger_origin, external_origin, opened_period, opened_run, last_run)`,
    "(?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    15,
  );
  const update = db.prepare(`UPDATE recon_break SET type = ?, fields = ?, amount_ledger = ?, amount_external = ?, certno = ?, name = ?, event_at = ?,
    ledger_origin = ?, external_origin = ?, last_run = ? WHERE id = ?`);
  const event = db.prepare('INSERT INTO break_event (break_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)');
  const close = db.prepare("UPDATE recon_break SET status = 'closed', closed_period = ?, closed_at = ?, resolution = '自动核销', last_run = ? WHERE id = ?");
  /** Open breaks the run found as the carrying run wrote them (carry.ts): only their latest run changes, in one statement. */
  const unchanged: number[] = [];
  /** Per produced break: 1 if it is an open break after this run (what the next run is carried). */
  const isOpen = new Uint8Array(produced.length);

  let opened = 0;
  let updated = 0;
  produced.forEach((b, p) => {
    const o = openByKey.get(b.key);
    if (o !== undefined) {
      const openId = open[o]!.id;
      reproduced[o] = 1;
      isOpen[p] = 1;
      updated++;
      if (b.same) {
        unchanged.push(openId);
        return;
      }
      const was = before.get(openId) as { type: string; amount_ledger: number | null; amount_external: number | null };
      const d = b.detail();
      update.run(b.type, JSON.stringify(d.fields), b.amountLedger, b.amountExternal, d.certno, d.name, d.eventAt, JSON.stringify(d.ledgerOrigin), JSON.stringify(d.externalOrigin), runId, openId);
      if (was.type !== b.type || was.amount_ledger !== b.amountLedger || was.amount_external !== b.amountExternal) {
        event.run(openId, now, user, 'reclassify', JSON.stringify({ period, from: was.type, to: b.type }));
      }
      return;
    }
    // Closed once as it is now (disposed by an officer, say): not opened again.
    if (closedAs.get(kind, b.key, b.type, b.amountLedger, b.amountExternal)) return;
    const d = b.detail();
    insert.add([kind, b.key, b.matchKey, b.type, JSON.stringify(d.fields), b.amountLedger, b.amountExternal, d.certno, d.name, d.eventAt, JSON.stringify(d.ledgerOrigin), JSON.stringify(d.externalOrigin), period, runId, runId]);
    isOpen[p] = 1;
    opened++;
  });
  insert.flush();
  db.prepare('UPDATE recon_break SET last_run = ? WHERE id IN (SELECT value FROM json_each(?))').run(runId, JSON.stringify(unchanged));
  // Each new break's 'open' event, in one statement: the breaks this run opened carry its id.
  db.prepare(
    "INSERT INTO break_event (break_id, at, actor, action, detail) SELECT id, ?, ?, 'open', json_object('period', ?, 'type', type) FROM recon_break WHERE kind = ? AND opened_run = ? ORDER BY id",
  ).run(now, user, period, kind, runId);

  // Open breaks whose record this run looked at and found in order close themselves.
  // Every open break of the period or before is in the run's universe (its key is
  // added to it); a keyless one closes only when the fallback paired its row.
  const pairedRows = new Set(fallback.pairs.flatMap(([l, x]) => [rowBreakKey('l', l.batch_id, l.line), rowBreakKey('x', x.batch_id, x.line)]));
  // (The breaks open before this run, read above: the ones it opened were all produced.)
  let autoClosed = 0;
  for (let o = 0; o < open.length; o++) {
    const { key, id, openedPeriod } = open[o]!;
    if (openedPeriod > period || reproduced[o]) continue;
    if (isRowBreak(key) && !pairedRows.has(key)) continue;
    close.run(period, now, runId, id);
    event.run(id, now, user, 'auto-close', JSON.stringify({ period, resolution: '自动核销' }));
    autoClosed++;
  }
  return { opened, updated, autoClosed, open: isOpen };
}
