// Breaks for the grid, the CLI and exports: a page of rows (ID numbers and names
// masked unless asked otherwise), and the per-type counts and amounts for the chips.
import type { Database } from 'better-sqlite3';
import type { BreakQuery } from '../../../shared/contract';
import { BREAK_TYPES } from '../../../shared/domain';
import { fenToText } from '../../../shared/money';
import { maskCertNo, maskName } from '../../../shared/gb11643';
import type { BreakFacets, BreakPage, BreakRow, FieldDiff } from '../../../shared/recon-types';
import { buildBreakFilter, type PiiSearch } from './break-filter';
import { beijingDate } from '../../../shared/beijing-time';
import { likelyPairs } from './likely-pairs';

export interface Raw {
  id: number; kind: BreakRow['kind']; type: BreakRow['type']; match_key: string; status: BreakRow['status']; fields: string;
  amount_ledger: number | null; amount_external: number | null; opened_period: string; closed_period: string | null;
  resolution: string | null; certno: string | null; name: string | null; event_at: string | null; ledger_origin: string; external_origin: string;
  assignee: string | null; note: string | null; pending: string | null; pending_by: string | null; disposed_by: string | null; matched_by: string | null;
  /** listBreaks only: whether the break has a likely other half (likely-pairs.ts). */
  paired?: boolean;
}

/** Today by the Beijing calendar, as records are dated: a break's age counts whole days from its record's date. */
export const todayOf = (now: Date) => beijingDate(now);

function maskFields(fields: FieldDiff[]): FieldDiff[] {
  return fields.map((f) => (f.field === 'certno' ? { ...f, ledger: f.ledger && maskCertNo(f.ledger), external: f.external && maskCertNo(f.external) } : f));
}

export function toBreakRow(r: Raw, today: number, mask: boolean): BreakRow {
  const at = r.event_at ? Date.parse(r.event_at.slice(0, 10) + 'T00:00:00Z') : today;
  const fields = JSON.parse(r.fields) as FieldDiff[];
  return {
    id: r.id,
    kind: r.kind,
    type: r.type,
    key: r.match_key,
    status: r.status,
    fields: mask ? maskFields(fields) : fields,
    amount_ledger: r.amount_ledger === null ? null : fenToText(r.amount_ledger),
    amount_external: r.amount_external === null ? null : fenToText(r.amount_external),
    difference: fenToText((r.amount_ledger ?? 0) - (r.amount_external ?? 0)),
    opened_period: r.opened_period,
    closed_period: r.closed_period,
    resolution: r.resolution,
    certno: mask ? maskCertNo(r.certno) : r.certno,
    name: mask ? maskName(r.name) : r.name,
    event_at: r.event_at,
    aging_days: Math.max(0, Math.floor((today - at) / 86400_000)),
    ledger_origin: JSON.parse(r.ledger_origin),
    external_origin: JSON.parse(r.external_origin),
    assignee: r.assignee,
    note: r.note,
    pending: r.pending,
    pending_by: r.pending_by,
    disposed_by: r.disposed_by,
    ...(r.paired !== undefined ? { paired: r.paired } : {}),
  };
}

export function listBreaks(db: Database, q: BreakQuery, opts: { now?: Date; mask?: boolean; piiSearch?: PiiSearch } = {}): BreakPage {
  const now = opts.now ?? new Date();
  const pairs = likelyPairs(db, q.kind);
  const f = buildBreakFilter(q, todayOf(now), { piiSearch: opts.piiSearch, pairedIds: pairs.ids });
  const total = (db.prepare(`SELECT count(*) n FROM recon_break WHERE ${f.where}`).get(...f.params) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM recon_break WHERE ${f.where} ORDER BY ${f.order} LIMIT ? OFFSET ?`).all(...f.params, q.limit ?? 200, q.offset ?? 0) as Raw[];
  const today = Date.parse(todayOf(now) + 'T00:00:00Z');
  // Each row of the page says whether it has a likely other half.
  return { total, rows: rows.map((r) => toBreakRow({ ...r, paired: pairs.has(r.id) }, today, opts.mask ?? false)) };
}

export function getBreakRaw(db: Database, id: number): Raw | undefined {
  return db.prepare('SELECT * FROM recon_break WHERE id = ?').get(id) as Raw | undefined;
}

/** Counts and amounts per type under the same filters (but the type filter), for the chips. */
export function breakFacets(db: Database, q: BreakQuery, now: Date = new Date(), piiSearch?: PiiSearch): BreakFacets {
  const f = buildBreakFilter(q, todayOf(now), { ignoreTypes: true, piiSearch, pairedIds: q.paired ? likelyPairs(db, q.kind).ids : undefined });
  const rows = db
    .prepare(`SELECT type, count(*) n, coalesce(sum(amount_ledger), 0) l, coalesce(sum(amount_external), 0) x, coalesce(sum(coalesce(amount_ledger, amount_external)), 0) a FROM recon_break WHERE ${f.where} GROUP BY type`)
    .all(...f.params) as { type: BreakRow['type']; n: number; l: number; x: number; a: number }[];
  const by = new Map(rows.map((r) => [r.type, r]));
  return BREAK_TYPES.map((type) => {
    const r = by.get(type);
    return { type, count: r?.n ?? 0, amountLedger: fenToText(r?.l ?? 0), amountExternal: fenToText(r?.x ?? 0), amount: fenToText(r?.a ?? 0) };
  });
}
