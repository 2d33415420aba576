// Breaks for the grid and the CLI. Sorting and filtering go through an allow-list
// of columns: the grid's column names map to SQL here, never the other way round.
import type { Database } from 'better-sqlite3';
import type { BreakQuery } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';
import { fenToText } from '../../../shared/money';
import type { BreakPage, BreakRow } from '../../../shared/recon-types';

const SORTABLE: Record<string, string> = {
  type: 'type',
  key: 'match_key',
  status: 'status',
  amount_ledger: 'amount_ledger',
  amount_external: 'amount_external',
  difference: '(coalesce(amount_ledger, 0) - coalesce(amount_external, 0))',
  opened_period: 'opened_period',
  closed_period: 'closed_period',
  event_at: 'event_at',
  aging_days: 'event_at',
  certno: 'certno',
};

interface Raw {
  id: number; kind: BreakRow['kind']; type: BreakRow['type']; match_key: string; status: BreakRow['status']; fields: string;
  amount_ledger: number | null; amount_external: number | null; opened_period: string; closed_period: string | null;
  resolution: string | null; certno: string | null; name: string | null; event_at: string | null; ledger_origin: string; external_origin: string;
}

function toRow(r: Raw, today: number): BreakRow {
  const at = r.event_at ? Date.parse(r.event_at.replace(' ', 'T') + 'Z') : today;
  return {
    id: r.id,
    kind: r.kind,
    type: r.type,
    key: r.match_key,
    status: r.status,
    fields: JSON.parse(r.fields),
    amount_ledger: r.amount_ledger === null ? null : fenToText(r.amount_ledger),
    amount_external: r.amount_external === null ? null : fenToText(r.amount_external),
    difference: fenToText((r.amount_ledger ?? 0) - (r.amount_external ?? 0)),
    opened_period: r.opened_period,
    closed_period: r.closed_period,
    resolution: r.resolution,
    certno: r.certno,
    name: r.name,
    event_at: r.event_at,
    aging_days: Math.max(0, Math.floor((today - at) / 86400_000)),
    ledger_origin: JSON.parse(r.ledger_origin),
    external_origin: JSON.parse(r.external_origin),
  };
}

export function listBreaks(db: Database, q: BreakQuery, now: Date = new Date()): BreakPage {
  const where = ['kind = ?'];
  const params: (string | number)[] = [q.kind];
  const status = q.status ?? 'open';
  if (status !== 'all') {
    where.push('status = ?');
    params.push(status);
  }
  // A period shows the breaks open at its end: opened in it or before, not closed by then.
  if (q.period) {
    where.push('opened_period <= ? AND (closed_period IS NULL OR closed_period >= ?)');
    params.push(q.period, q.period);
  }
  if (q.types?.length) {
    where.push(`type IN (${q.types.map(() => '?').join(',')})`);
    params.push(...q.types);
  }
  if (q.search) {
    where.push('(match_key LIKE ? OR certno LIKE ? OR name LIKE ?)');
    const s = `%${q.search.replace(/[%_]/g, '')}%`;
    params.push(s, s.toUpperCase(), s);
  }
  const order = (q.sort ?? []).map((s) => {
    const col = SORTABLE[s.col];
    if (!col) throw new EngineError('BAD_REQUEST', `不能按“${s.col}”排序`);
    return `${col} ${s.dir === 'desc' ? 'DESC' : 'ASC'}`;
  });
  order.push('id');
  const sqlWhere = where.join(' AND ');
  const total = (db.prepare(`SELECT count(*) n FROM recon_break WHERE ${sqlWhere}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM recon_break WHERE ${sqlWhere} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`)
    .all(...params, q.limit ?? 200, q.offset ?? 0) as Raw[];
  const today = Date.parse(now.toISOString());
  return { total, rows: rows.map((r) => toRow(r, today)) };
}
