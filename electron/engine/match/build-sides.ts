// Builds each side's per-key aggregates into temp WITHOUT ROWID tables keyed by the
// match key, then joins them. Rows are read in key order from the covering index
// source_row_match, so neither the grouping nor the duplicate check needs a sort. (SQLite plans a FULL OUTER JOIN of two
// grouped CTEs as a nested loop; keyed tables join in one pass.)
import type { Database, Statement } from 'better-sqlite3';
import { comparedFields, type ReconSpec, type SideSpec } from './recon-specs';

export interface Window {
  period: string;
  start: string;
  end: string;
  /** One-sided records at or after this time are 在途. */
  windowStart: string;
}

export function dropTemp(db: Database): void {
  for (const t of ['u_keys', 'l_dups', 'x_dups', 'l_agg', 'x_agg', 'j']) db.exec(`DROP TABLE IF EXISTS temp.${t}`);
}

/** The keys this run decides: any dated in the period, and any still open from before. */
export function buildUniverse(db: Database, spec: ReconSpec, kind: string, w: Window): number {
  db.exec('CREATE TEMP TABLE u_keys (gk TEXT PRIMARY KEY) WITHOUT ROWID');
  // Both sides' keys come in key order from the index; the ordered UNION merges
  // them (no sort, no second pass of lookups) and the table only appends.
  const active = 'SELECT gk FROM source_row INDEXED BY source_row_match WHERE kind = ? AND event_at >= ? AND event_at < ? AND gk IS NOT NULL';
  db.prepare(`INSERT INTO u_keys ${active} UNION ${active} ORDER BY 1`).run(spec.ledger.importKind, w.start, w.end, spec.external.importKind, w.start, w.end);
  db.prepare(
    `INSERT OR IGNORE INTO u_keys SELECT match_key FROM recon_break
     WHERE kind = ? AND status = 'open' AND opened_period <= ? AND key NOT LIKE 'ROW:%'`,
  ).run(kind, w.period);
  return (db.prepare('SELECT count(*) n FROM u_keys').get() as { n: number }).n;
}

/** The side's rows in the universe, read in key order from the covering index. */
const IN_UNIVERSE = `r.kind = ? AND r.event_at < ? AND r.amount_fen IS NOT NULL AND r.gk IN (SELECT gk FROM u_keys)`;

function buildSide(db: Database, spec: ReconSpec, side: SideSpec, prefix: 'l' | 'x', w: Window): void {
  const fields = comparedFields(spec);
  const defs = fields.map((_f, i) => `, f${i}`).join('');
  db.exec(`CREATE TEMP TABLE ${prefix}_agg (gk TEXT PRIMARY KEY, n INTEGER, net INTEGER, cmp INTEGER, status TEXT, event_at TEXT${defs}) WITHOUT ROWID`);
  db.exec(`CREATE TEMP TABLE ${prefix}_dups (batch_id INTEGER, line INTEGER, gk TEXT, amount_fen INTEGER, certno TEXT, event_at TEXT, PRIMARY KEY (batch_id, line)) WITHOUT ROWID`);
  // max(event_at) is the one min/max aggregate, so the compared fields are bare
  // columns that SQLite takes from the latest record of the key: no string
  // aggregates over a million rows, and the latest record is the one to compare.
  // The external side keeps the voucher in sub_key (in the index); the ledger's is filled below.
  const cols = spec.fields.map((f) => `, ${f.column}`).join('') + (spec.voucher ? (prefix === 'x' ? ', sub_key' : ', NULL') : '');
  const aggregate = (extra: string) => db.prepare(
    `INSERT INTO ${prefix}_agg
     SELECT gk, count(*), sum(amount_fen), ${side.compare}, ${side.status}, max(event_at)${cols}
     FROM source_row r INDEXED BY source_row_match
     WHERE ${IN_UNIVERSE}${extra}
     GROUP BY gk`,
  );
  aggregate('').run(side.importKind, w.end);
  setAsideDuplicates(db, side, prefix, w, aggregate);
  if (spec.voucher && prefix === 'l') fillLedgerVoucher(db, spec, side, fields.length - 1);
}

function setAsideDuplicates(db: Database, side: SideSpec, prefix: 'l' | 'x', w: Window, aggregate: (extra: string) => Statement): void {
  // A second copy of a record (same gk, key and sub_key) is a duplicate: it is set
  // aside and the key summed again without it. Only keys with more than one row
  // can hold one, and they are few, so they are looked at after the one pass.
  // Driven from the keys with several rows: a seek per such key, no second pass over all rows.
  const groups = db
    .prepare(
      `SELECT r.gk, r.key, r.sub_key FROM ${prefix}_agg a CROSS JOIN source_row r INDEXED BY source_row_match ON r.kind = ? AND r.gk = a.gk
       WHERE a.n > 1 AND r.event_at < ? AND r.amount_fen IS NOT NULL
       GROUP BY r.gk, r.key, r.sub_key HAVING count(*) > 1`,
    )
    .all(side.importKind, w.end) as { gk: string; key: string | null; sub_key: string | null }[];
  if (!groups.length) return;
  const copies = db.prepare(
    `SELECT batch_id, line, gk, amount_fen, certno, event_at FROM source_row r
     WHERE r.kind = ? AND r.gk = ? AND r.key IS ? AND r.sub_key IS ? AND r.event_at < ? AND r.amount_fen IS NOT NULL ORDER BY batch_id, line`,
  );
  const setAside = db.prepare(`INSERT INTO ${prefix}_dups VALUES (?, ?, ?, ?, ?, ?)`);
  for (const g of groups) {
    const rows = copies.all(side.importKind, g.gk, g.key, g.sub_key, w.end) as { batch_id: number; line: number; gk: string; amount_fen: number; certno: string | null; event_at: string }[];
    for (const c of rows.slice(1)) setAside.run(c.batch_id, c.line, c.gk, c.amount_fen, c.certno, c.event_at);
  }
  db.exec(`DELETE FROM ${prefix}_agg WHERE gk IN (SELECT gk FROM ${prefix}_dups)`);
  aggregate(` AND r.gk IN (SELECT gk FROM ${prefix}_dups) AND NOT EXISTS (SELECT 1 FROM ${prefix}_dups d WHERE d.batch_id = r.batch_id AND d.line = r.line)`).run(side.importKind, w.end);
}

/** The ledger's voucher, from the JSON of the batches whose header has one. */
function fillLedgerVoucher(db: Database, spec: ReconSpec, side: SideSpec, index: number): void {
  const v = spec.voucher!;
  const batches = (db.prepare("SELECT id FROM import_batch WHERE kind = ? AND status = 'active' AND header LIKE ?").all(side.importKind, `%${v.headerHint}%`) as { id: number }[]).map((b) => b.id);
  if (!batches.length) return;
  db.prepare(
    `UPDATE l_agg SET f${index} = (SELECT max(json_extract(norm, '$.${v.ledgerField}')) FROM source_row r
       WHERE r.kind = ? AND r.gk = l_agg.gk AND r.batch_id IN (${batches.map(() => '?').join(',')}))`,
  ).run(side.importKind, ...batches);
}

/**
 * The keys that are not simply matched, classified: every key of both sides is
 * compared, but only the differing ones (and the refunds that net to nothing on
 * one side) are written out; the summary counts the matched ones from the sides.
 */
export function buildJoin(db: Database, spec: ReconSpec, w: Window): void {
  buildSide(db, spec, spec.ledger, 'l', w);
  buildSide(db, spec, spec.external, 'x', w);
  const f = comparedFields(spec).map((_x, i) => i);
  const cols = ['gk', 'n', 'net', 'cmp', 'status', 'event_at', ...f.map((i) => `f${i}`)];
  const sel = (p: 'l' | 'x', present: boolean) => cols.map((c) => (present ? `${p}.${c} AS ${p}_${c}` : `NULL AS ${p}_${c}`)).join(', ');
  const fieldDiff = f.map((i) => `(l.f${i} IS NOT NULL AND x.f${i} IS NOT NULL AND l.f${i} <> x.f${i})`).join(' OR ');
  db.exec(`CREATE TEMP TABLE j AS
    SELECT * FROM (
      SELECT coalesce(l.gk, x.gk) AS gk, ${sel('l', true)}, ${sel('x', true)},
        CASE
          WHEN x.gk IS NULL THEN CASE WHEN l.net = 0 AND l.status <> 'paid' AND l.status <> 'normal' THEN 'NETTED' ELSE 'LEDGER_ONLY' END
          WHEN l.cmp <> x.cmp THEN 'AMOUNT_MISMATCH'
          WHEN l.status <> x.status THEN 'STATUS_MISMATCH'
          ${fieldDiff ? `WHEN ${fieldDiff} THEN 'FIELD_MISMATCH'` : ''}
          ELSE 'MATCHED'
        END AS cls
      FROM l_agg l LEFT JOIN x_agg x ON x.gk = l.gk
    ) WHERE cls <> 'MATCHED'
    UNION ALL
    SELECT x.gk, ${sel('l', false)}, ${sel('x', true)}, 'EXTERNAL_ONLY'
    FROM x_agg x WHERE NOT EXISTS (SELECT 1 FROM l_agg l WHERE l.gk = x.gk)`);
  // One-sided records dated inside the closing window are expected next period.
  db.prepare(
    `UPDATE j SET cls = 'IN_TRANSIT' WHERE (cls = 'LEDGER_ONLY' AND l_event_at >= ?) OR (cls = 'EXTERNAL_ONLY' AND x_event_at >= ?)`,
  ).run(w.windowStart, w.windowStart);
}

/**
 * The records behind each key that became a break, as batch:line in file order —
 * one pass over the breaks' keys, so the pass over every row builds no strings.
 */
export function originsOf(db: Database, side: SideSpec, prefix: 'l' | 'x', w: Window): Map<string, string[]> {
  const rows = db
    .prepare(
      `SELECT j.gk, group_concat(r.batch_id || ':' || r.line, ',' ORDER BY r.batch_id, r.line) AS o
       FROM j CROSS JOIN source_row r INDEXED BY source_row_match ON r.kind = ? AND r.gk = j.gk
       WHERE j.${prefix}_gk IS NOT NULL AND r.event_at < ? AND r.amount_fen IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM ${prefix}_dups d WHERE d.batch_id = r.batch_id AND d.line = r.line)
       GROUP BY j.gk`,
    )
    .all(side.importKind, w.end) as { gk: string; o: string }[];
  return new Map(rows.map((r) => [r.gk, r.o.split(',')]));
}
