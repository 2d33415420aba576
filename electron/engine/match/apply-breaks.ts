// Carries breaks across runs: a break still there is updated (it keeps the period
// it opened in), a new one opens, and an open break this run no longer produces —
// its counterpart arrived, or its rows were withdrawn — closes as 自动核销.
// Re-running a period changes nothing the first run did not.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import type { ProducedBreak } from './collect-breaks';
import type { FallbackResult } from './fallback';
import { batchedInsert } from '../store/batched-insert';

interface Existing {
  id: number;
  key: string;
  match_key: string;
  type: string;
  status: string;
  amount_ledger: number | null;
  amount_external: number | null;
}

export function applyBreaks(
  db: Database,
  kind: ReconKind,
  period: string,
  runId: number,
  produced: ProducedBreak[],
  fallback: FallbackResult,
  user: string,
  now: string,
): { opened: number; updated: number; autoClosed: number } {
  // The kind's open breaks, and what its closed ones were, read once (not a query per break:
  // a run may produce tens of thousands, and closed breaks pile up over the months).
  const openByKey = new Map(
    (db.prepare("SELECT id, key, match_key, type, status, amount_ledger, amount_external FROM recon_break WHERE kind = ? AND status = 'open'").all(kind) as Existing[]).map((b) => [b.key, b]),
  );
  const closedAs = new Set(
    (db.prepare("SELECT key, type, amount_ledger, amount_external FROM recon_break WHERE kind = ? AND status = 'closed'").all(kind) as Existing[]).map((b) => closedShape(b.key, b.type, b.amount_ledger, b.amount_external)),
  );
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

  let opened = 0;
  let updated = 0;
  const producedKeys = new Set<string>();
  for (const b of produced) {
    producedKeys.add(b.key);
    const fields = JSON.stringify(b.fields);
    const lo = JSON.stringify(b.ledgerOrigin);
    const xo = JSON.stringify(b.externalOrigin);
    const open = openByKey.get(b.key);
    if (open) {
      update.run(b.type, fields, b.amountLedger, b.amountExternal, b.certno, b.name, b.eventAt, lo, xo, runId, open.id);
      if (open.type !== b.type || open.amount_ledger !== b.amountLedger || open.amount_external !== b.amountExternal) {
        event.run(open.id, now, user, 'reclassify', JSON.stringify({ period, from: open.type, to: b.type }));
      }
      updated++;
      continue;
    }
    // Closed once as it is now (disposed by an officer, say): not opened again.
    if (closedAs.has(closedShape(b.key, b.type, b.amountLedger, b.amountExternal))) continue;
    insert.add([kind, b.key, b.matchKey, b.type, fields, b.amountLedger, b.amountExternal, b.certno, b.name, b.eventAt, lo, xo, period, runId, runId]);
    opened++;
  }
  insert.flush();
  // Each new break's 'open' event, in one statement: the breaks this run opened carry its id.
  db.prepare(
    "INSERT INTO break_event (break_id, at, actor, action, detail) SELECT id, ?, ?, 'open', json_object('period', ?, 'type', type) FROM recon_break WHERE kind = ? AND opened_run = ? ORDER BY id",
  ).run(now, user, period, kind, runId);

  // Open breaks whose record this run looked at and found in order close themselves.
  // Every open break of the period or before is in the run's universe (its key is
  // added to it); a keyless one closes only when the fallback paired its row.
  const pairedRows = new Set(fallback.pairs.flatMap(([l, x]) => [`ROW:l:${l.batch_id}:${l.line}`, `ROW:x:${x.batch_id}:${x.line}`]));
  const candidates = db
    .prepare(
      "SELECT b.id, b.key FROM recon_break b WHERE b.kind = ? AND b.status = 'open' AND b.opened_period <= ?",
    )
    .all(kind, period) as { id: number; key: string }[];
  let autoClosed = 0;
  for (const c of candidates) {
    if (producedKeys.has(c.key)) continue;
    if (c.key.startsWith('ROW:') && !pairedRows.has(c.key)) continue;
    close.run(period, now, runId, c.id);
    event.run(c.id, now, user, 'auto-close', JSON.stringify({ period, resolution: '自动核销' }));
    autoClosed++;
  }
  return { opened, updated, autoClosed };
}

const closedShape = (key: string, type: string, ledger: number | null, external: number | null) => `${key}\u0000${type}\u0000${ledger}\u0000${external}`;
