// Materialises each side's rows and per-key aggregates into temp WITHOUT ROWID
// tables keyed by the match key, then joins them. (SQLite plans a FULL OUTER JOIN of
// two grouped CTEs as a nested loop; keyed tables join in one pass.)
import type { Database } from 'better-sqlite3';
import type { ReconSpec, SideSpec } from './recon-specs';

export interface Window {
  period: string;
  start: string;
  end: string;
  /** One-sided records at or after this time are 在途. */
  windowStart: string;
}

export function dropTemp(db: Database): void {
  for (const t of ['u_keys', 'l_rows', 'x_rows', 'l_agg', 'x_agg', 'j']) db.exec(`DROP TABLE IF EXISTS temp.${t}`);
}

/** The keys this run decides: any dated in the period, and any still open from before. */
export function buildUniverse(db: Database, spec: ReconSpec, kind: string, w: Window): number {
  db.exec('CREATE TEMP TABLE u_keys (gk TEXT PRIMARY KEY) WITHOUT ROWID');
  for (const side of [spec.ledger, spec.external]) {
    db.prepare(
      `INSERT OR IGNORE INTO u_keys SELECT ${spec.groupKey} FROM source_row r
       WHERE r.kind = ? AND r.event_at >= ? AND r.event_at < ? AND ${spec.groupKey} IS NOT NULL`,
    ).run(side.importKind, w.start, w.end);
  }
  db.prepare(
    `INSERT OR IGNORE INTO u_keys SELECT match_key FROM recon_break
     WHERE kind = ? AND status = 'open' AND opened_period <= ? AND key NOT LIKE 'ROW:%'`,
  ).run(kind, w.period);
  return (db.prepare('SELECT count(*) n FROM u_keys').get() as { n: number }).n;
}

function buildSide(db: Database, spec: ReconSpec, side: SideSpec, prefix: 'l' | 'x', w: Window): void {
  // rn > 1 marks a second copy of the same record: a duplicate, kept out of the sums.
  db.exec(`CREATE TEMP TABLE ${prefix}_rows AS SELECT 0 AS batch_id, 0 AS line, '' AS gk, 0 AS rn, 0 AS amount_fen, '' AS status,
    '' AS certno, '' AS insutype, 0 AS pay_year, '' AS event_at, '' AS norm, '' AS sub_key WHERE 0`);
  db.prepare(
    `INSERT INTO ${prefix}_rows
     SELECT r.batch_id, r.line, ${spec.groupKey} AS gk,
            row_number() OVER (PARTITION BY ${side.identity} ORDER BY r.batch_id, r.line) AS rn,
            r.amount_fen, r.status, r.certno, r.insutype, r.pay_year, r.event_at, r.norm, r.sub_key
     FROM source_row r JOIN u_keys u ON u.gk = ${spec.groupKey}
     WHERE r.kind = ? AND r.event_at < ? AND r.amount_fen IS NOT NULL`,
  ).run(side.importKind, w.end);
  const fieldCols = spec.fields.map((f, i) => `${prefix === 'l' ? f.ledgerSql : f.externalSql} AS f${i}`).join(', ');
  const fieldDefs = spec.fields.map((_f, i) => `f${i}`).join(', ');
  db.exec(`CREATE TEMP TABLE ${prefix}_agg (gk TEXT PRIMARY KEY, n INTEGER, net INTEGER, cmp INTEGER, status TEXT, event_at TEXT, origins TEXT${
    spec.fields.length ? ', ' + fieldDefs : ''
  }) WITHOUT ROWID`);
  db.exec(
    `INSERT INTO ${prefix}_agg
     SELECT gk, count(*), sum(amount_fen), ${side.compare}, ${side.status}, max(event_at), group_concat(batch_id || ':' || line)${
       spec.fields.length ? ', ' + fieldCols : ''
     }
     FROM ${prefix}_rows WHERE rn = 1 GROUP BY gk`,
  );
}

export function buildJoin(db: Database, spec: ReconSpec, w: Window): void {
  buildSide(db, spec, spec.ledger, 'l', w);
  buildSide(db, spec, spec.external, 'x', w);
  const f = spec.fields.map((_x, i) => i);
  const lCols = ['gk', 'n', 'net', 'cmp', 'status', 'event_at', 'origins', ...f.map((i) => `f${i}`)];
  const sel = (p: 'l' | 'x', present: boolean) => lCols.map((c) => (present ? `${p}.${c} AS ${p}_${c}` : `NULL AS ${p}_${c}`)).join(', ');
  const fieldDiff = f
    .map((i) => `(l.f${i} IS NOT NULL AND x.f${i} IS NOT NULL AND l.f${i} <> x.f${i})`)
    .join(' OR ');
  db.exec(`CREATE TEMP TABLE j AS
    SELECT coalesce(l.gk, x.gk) AS gk, ${sel('l', true)}, ${sel('x', true)},
      CASE
        WHEN x.gk IS NULL THEN CASE WHEN l.net = 0 AND l.status <> 'paid' AND l.status <> 'normal' THEN 'NETTED' ELSE 'LEDGER_ONLY' END
        WHEN l.gk IS NULL THEN 'EXTERNAL_ONLY'
        WHEN l.cmp <> x.cmp THEN 'AMOUNT_MISMATCH'
        WHEN l.status <> x.status THEN 'STATUS_MISMATCH'
        ${fieldDiff ? `WHEN ${fieldDiff} THEN 'FIELD_MISMATCH'` : ''}
        ELSE 'MATCHED'
      END AS cls
    FROM l_agg l LEFT JOIN x_agg x ON x.gk = l.gk
    UNION ALL
    SELECT x.gk, ${sel('l', false)}, ${sel('x', true)}, 'EXTERNAL_ONLY'
    FROM x_agg x WHERE NOT EXISTS (SELECT 1 FROM l_agg l WHERE l.gk = x.gk)`);
  // One-sided records dated inside the closing window are expected next period.
  db.prepare(
    `UPDATE j SET cls = 'IN_TRANSIT' WHERE (cls = 'LEDGER_ONLY' AND l_event_at >= ?) OR (cls = 'EXTERNAL_ONLY' AND x_event_at >= ?)`,
  ).run(w.windowStart, w.windowStart);
}
