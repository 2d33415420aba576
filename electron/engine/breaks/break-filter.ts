// The one place a break query becomes SQL. Every filter is a parameter; sort
// columns come from an allow-list, so nothing the grid sends is pasted into SQL.
import type { BreakQuery } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';
import type { AgingBucket } from '../../../shared/break-work';

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
  assignee: 'assignee',
  resolution: 'resolution',
};

/** Days of age as SQL, from the record's time to `today` (YYYY-MM-DD). */
const AGE = "(julianday(?) - julianday(substr(coalesce(event_at, ?), 1, 10)))";
const BUCKET_SQL: Record<AgingBucket, string> = {
  '0-7': `${AGE} <= 7`,
  '8-30': `${AGE} BETWEEN 8 AND 30`,
  '31-90': `${AGE} BETWEEN 31 AND 90`,
  '90+': `${AGE} > 90`,
};

/** Up to this many breaks with a likely other half are bound one parameter each (SQLite allows 32,766). */
export const FEW_PAIRED = 500;

export interface BuiltFilter {
  where: string;
  params: (string | number)[];
  order: string;
}

/**
 * How the search box may match personal data: 'fragment' (any part of an ID number
 * or name) only for a role that may reveal them anyway; otherwise 'whole' (the
 * exact ID or name), so a search cannot be used to read a masked ID digit by digit.
 */
export type PiiSearch = 'fragment' | 'whole';

export interface FilterOptions {
  ignoreTypes?: boolean;
  piiSearch?: PiiSearch;
  /** For `paired`: the kind's breaks with a likely other half (likely-pairs.ts). */
  pairedIds?: readonly number[];
}

export function buildBreakFilter(q: BreakQuery, today: string, opts: FilterOptions = {}): BuiltFilter {
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
  if (q.types?.length && !opts.ignoreTypes) {
    where.push(`type IN (${q.types.map(() => '?').join(',')})`);
    params.push(...q.types);
  }
  if (q.aging?.length) {
    where.push(`(${q.aging.map((b) => BUCKET_SQL[b]).join(' OR ')})`);
    for (const _b of q.aging) params.push(today, today);
  }
  if (q.assignee !== undefined) {
    if (q.assignee === '') where.push('assignee IS NULL');
    else {
      where.push('assignee = ?');
      params.push(q.assignee);
    }
  }
  if (q.pending) where.push('pending IS NOT NULL');
  if (q.paired) {
    const ids = opts.pairedIds;
    if (!ids) throw new Error('buildBreakFilter: a filter by likely pairs needs them (likelyPairs)');
    // None (as is usual): no row, at once; tested against an empty list, the chip's count
    // read the whole period (9–40 ms at 133,000 open breaks). A few: a parameter each; more
    // than SQLite binds comfortably: one JSON list.
    if (ids.length === 0) where.push('0');
    else if (ids.length <= FEW_PAIRED) {
      where.push(`id IN (${ids.map(() => '?').join(', ')})`);
      params.push(...ids);
    } else {
      where.push('id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(ids));
    }
  }
  if (q.search?.trim()) {
    // Order, settlement ID, ID number or name: the text is a parameter, never SQL.
    const text = q.search.trim();
    const s = `%${text.replace(/[%_]/g, '')}%`;
    if (opts.piiSearch === 'fragment') {
      where.push('(match_key LIKE ? OR certno LIKE ? OR name LIKE ?)');
      params.push(s, s.toUpperCase(), s);
    } else {
      where.push('(match_key LIKE ? OR certno = ? OR name = ?)');
      params.push(s, text.toUpperCase(), text);
    }
  }
  const order = (q.sort ?? []).map((s) => {
    const col = SORTABLE[s.col];
    if (!col) throw new EngineError('BAD_REQUEST', `不能按“${s.col}”排序`);
    return `${col} ${s.dir === 'desc' ? 'DESC' : 'ASC'}`;
  });
  order.push('id');
  return { where: where.join(' AND '), params, order: order.join(', ') };
}
