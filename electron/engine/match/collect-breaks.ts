// Turns the classified join, the duplicate copies and the unpaired keyless rows
// into break records: type, key, both sides' amounts, the fields that differ.
import type { Database } from 'better-sqlite3';
import type { BreakType } from '../../../shared/domain';
import type { FieldDiff } from '../../../shared/recon-types';
import { fenToText } from '../../../shared/money';
import { comparedFields, type ReconSpec } from './recon-specs';
import { originsOf, type Window } from './build-sides';
import type { FallbackResult, KeylessRow } from './fallback';
import { originRowId } from '../ingest/raw-record';

export interface ProducedBreak {
  key: string;
  matchKey: string;
  type: BreakType;
  fields: FieldDiff[];
  amountLedger: number | null;
  amountExternal: number | null;
  certno: string | null;
  name: string | null;
  eventAt: string | null;
  ledgerOrigin: string[];
  externalOrigin: string[];
}

type JRow = Record<string, string | number | null> & { gk: string; cls: BreakType | 'MATCHED' | 'NETTED' };

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? null : String(v));
const money = (v: string | number | null | undefined) => (v === null || v === undefined ? null : fenToText(Number(v)));

function diffs(spec: ReconSpec, r: JRow): FieldDiff[] {
  const out: FieldDiff[] = [];
  const l = r.l_gk !== null;
  const x = r.x_gk !== null;
  if (!l || !x || r.l_cmp !== r.x_cmp) out.push({ field: 'amount', ledger: l ? money(r.l_cmp) : null, external: x ? money(r.x_cmp) : null });
  if (l && x && r.l_status !== r.x_status) out.push({ field: 'status', ledger: text(r.l_status), external: text(r.x_status) });
  comparedFields(spec).forEach((name, i) => {
    const a = r[`l_f${i}`];
    const b = r[`x_f${i}`];
    if (l && x && a !== null && b !== null && a !== b) out.push({ field: name, ledger: text(a), external: text(b) });
  });
  return out;
}

export function collectBreaks(db: Database, spec: ReconSpec, fallback: FallbackResult, w: Window): ProducedBreak[] {
  const ledgerOrigins = originsOf(db, spec.ledger, 'l', w);
  const externalOrigins = originsOf(db, spec.external, 'x', w);
  const out: ProducedBreak[] = [];
  // The beneficiary's name, from the first record behind the break (whichever side has one).
  const nameOf = db.prepare(
    "SELECT coalesce(json_extract(norm, '$.beneficiary_name'), json_extract(norm, '$.name'), json_extract(norm, '$.psn_name')) AS n FROM source_row WHERE id = ?",
  );
  const name = (origins: string[]) => (origins.length ? ((nameOf.get(originRowId(origins[0]!)) as { n: string | null } | undefined)?.n ?? null) : null);
  for (const r of db.prepare("SELECT * FROM j WHERE cls NOT IN ('MATCHED', 'NETTED')").all() as JRow[]) {
    const lo = r.l_gk !== null ? (ledgerOrigins.get(r.gk) ?? []) : [];
    const xo = r.x_gk !== null ? (externalOrigins.get(r.gk) ?? []) : [];
    out.push({
      key: r.gk,
      matchKey: r.gk,
      type: r.cls as BreakType,
      fields: diffs(spec, r),
      amountLedger: r.l_gk !== null ? Number(r.l_net) : null,
      amountExternal: r.x_gk !== null ? Number(r.x_net) : null,
      certno: text(r.l_f0 ?? r.x_f0),
      name: name(lo.concat(xo)),
      eventAt: text(r.l_event_at ?? r.x_event_at),
      ledgerOrigin: lo,
      externalOrigin: xo,
    });
  }
  // A second copy of a record already counted: the same key twice on one side.
  for (const side of ['l', 'x'] as const) {
    const rows = db.prepare(`SELECT batch_id, line, gk, amount_fen, certno, event_at FROM ${side}_dups`).all() as {
      batch_id: number; line: number; gk: string; amount_fen: number; certno: string | null; event_at: string;
    }[];
    for (const d of rows) {
      const origin = `${d.batch_id}:${d.line}`;
      out.push({
        key: `DUP:${side}:${origin}`,
        matchKey: d.gk,
        type: 'DUPLICATE',
        fields: [{ field: 'duplicate_of', ledger: side === 'l' ? d.gk : null, external: side === 'x' ? d.gk : null }],
        amountLedger: side === 'l' ? d.amount_fen : null,
        amountExternal: side === 'x' ? d.amount_fen : null,
        certno: d.certno,
        name: name([origin]),
        eventAt: d.event_at,
        ledgerOrigin: side === 'l' ? [origin] : [],
        externalOrigin: side === 'x' ? [origin] : [],
      });
    }
  }
  const oneSided = (r: KeylessRow): ProducedBreak => {
    const origin = `${r.batch_id}:${r.line}`;
    return {
      key: `ROW:${r.side}:${origin}`,
      matchKey: '（无单号）',
      type: r.side === 'l' ? 'LEDGER_ONLY' : 'EXTERNAL_ONLY',
      fields: [{ field: 'amount', ledger: r.side === 'l' ? fenToText(r.amount_fen) : null, external: r.side === 'x' ? fenToText(r.amount_fen) : null }],
      amountLedger: r.side === 'l' ? r.amount_fen : null,
      amountExternal: r.side === 'x' ? r.amount_fen : null,
      certno: r.certno,
      name: name([origin]),
      eventAt: r.event_at,
      ledgerOrigin: r.side === 'l' ? [origin] : [],
      externalOrigin: r.side === 'x' ? [origin] : [],
    };
  };
  out.push(...fallback.ledgerOnly.map(oneSided), ...fallback.externalOnly.map(oneSided));
  return out;
}
