// The rows behind a month's clearing: 共济 payments whose authorizer is insured in a
// different region from the beneficiary, dated in the month, and not part of any
// break still open (those are listed in the 单边账清单, not cleared). The month's
// rows are read in SQL from temp.source_row, filled from the column blocks (rowstore/row-view).
import type { Database } from 'better-sqlite3';
import type { ClearingLine } from './clearing-types';
import { dropRowView, materializeRows } from '../rowstore/row-view';

const SOURCES = {
  care: {
    importKind: 'ledger-settlement',
    breakKind: 'settlement',
    careRegion: "json_extract(s.norm, '$.mdtrtarea_admvs')",
  },
  premium: {
    importKind: 'ledger-premium',
    breakKind: 'premium',
    careRegion: 'NULL',
  },
} as const;

export function clearingLines(db: Database, section: 'care' | 'premium', start: string, end: string): ClearingLine[] {
  const src = SOURCES[section];
  materializeRows(db, [{ kinds: [src.importKind], from: start, to: end }]);
  const rows = db
    .prepare(
      `SELECT s.gk AS key, s.sub_key AS subKey,
              json_extract(s.norm, '$.payer_admdvs') AS "from", json_extract(s.norm, '$.beneficiary_admdvs') AS "to",
              ${src.careRegion} AS careRegion, json_extract(s.norm, '$.payer_certno') AS payerCertno, s.certno AS beneficiaryCertno,
              s.amount_fen AS amountFen, s.event_at AS at, b.file_name AS file, s.line AS line
       FROM source_row s JOIN import_batch b ON b.id = s.batch_id
       WHERE s.kind = ? AND s.event_at >= ? AND s.event_at < ?
         AND json_extract(s.norm, '$.payer_admdvs') <> json_extract(s.norm, '$.beneficiary_admdvs')
         AND s.gk NOT IN (SELECT match_key FROM recon_break WHERE kind = ? AND status = 'open')
       ORDER BY "from", "to", key, s.batch_id, s.line`,
    )
    .all(src.importKind, start, end, src.breakKind) as Omit<ClearingLine, 'section'>[];
  dropRowView(db);
  return rows.map((r) => ({ section, ...r }));
}
