// Turns the classified keys, the duplicate copies and the unpaired keyless rows
// into break records: type, key, both sides' amounts, the fields that differ,
// the records behind them (batch:line) and the beneficiary's name.
import type { Database } from 'better-sqlite3';
import type { BreakType } from '../../../shared/domain';
import type { FieldDiff } from '../../../shared/recon-types';
import { fenToText } from '../../../shared/money';
import { RowLookup } from '../rowstore/block-store';
import type { KeyedOutcome } from './classify-keys';
import type { FallbackResult } from './fallback';
import { eventAtText, sideText, type KeylessRow, type RunRows, type SideRows } from './side-rows';

export interface ProducedBreak {
  key: string;
  /** The key's id in the run (-1: a row without a key). */
  kid: number;
  /** Made from exactly the rows, and with the type, the carrying run wrote it with (carry.ts): an open one is not written again. */
  same: boolean;
  matchKey: string;
  type: BreakType;
  amountLedger: number | null;
  amountExternal: number | null;
  /** What else is written into the break, made when it is written (an open break found as it was never needs it). */
  detail(): BreakDetail;
}

export interface BreakDetail {
  fields: FieldDiff[];
  certno: string | null;
  name: string | null;
  eventAt: string | null;
  ledgerOrigin: string[];
  externalOrigin: string[];
}

const originOf = (s: SideRows, i: number) => `${s.batch[i]}:${s.line[i]}`;

/** The key of a break of a keyless row: the row itself (its side, batch and line). */
export const rowBreakKey = (side: 'l' | 'x', batchId: number, line: number) => `ROW:${side}:${batchId}:${line}`;
/** A break of a keyless row, not of a key. */
export const isRowBreak = (key: string) => key.startsWith('ROW:');

export function collectBreaks(db: Database, run: RunRows, keyed: KeyedOutcome, fallback: FallbackResult): ProducedBreak[] {
  const out: ProducedBreak[] = [];
  for (const b of keyed.breaks) {
    const latest = b.latest.side === 'l' ? run.l : run.x;
    out.push({
      key: b.key,
      kid: b.kid,
      same: b.same,
      matchKey: b.key,
      type: b.type,
      amountLedger: b.amountLedger,
      amountExternal: b.amountExternal,
      detail: () => ({
        fields: b.fields,
        certno: sideText(latest, 'certno', b.latest.row),
        // The beneficiary's name, from the first record behind the break (whichever side has one).
        name: b.ledgerRows.length ? sideText(run.l, 'name', b.ledgerRows[0]!) : b.externalRows.length ? sideText(run.x, 'name', b.externalRows[0]!) : null,
        eventAt: eventAtText(latest, b.latest.row),
        ledgerOrigin: b.ledgerRows.map((i) => originOf(run.l, i)),
        externalOrigin: b.externalRows.map((i) => originOf(run.x, i)),
      }),
    });
  }
  // A second copy of a record already counted: the same key twice on one side.
  for (const d of keyed.duplicates) {
    const s = d.side === 'l' ? run.l : run.x;
    const origin = originOf(s, d.row);
    out.push({
      key: `DUP:${d.side}:${origin}`,
      kid: s.kid[d.row]!,
      same: d.same,
      matchKey: d.gk,
      type: 'DUPLICATE',
      amountLedger: d.side === 'l' ? s.amount[d.row]! : null,
      amountExternal: d.side === 'x' ? s.amount[d.row]! : null,
      detail: () => ({
        fields: [{ field: 'duplicate_of', ledger: d.side === 'l' ? d.gk : null, external: d.side === 'x' ? d.gk : null }],
        certno: sideText(s, 'certno', d.row),
        name: sideText(s, 'name', d.row),
        eventAt: eventAtText(s, d.row),
        ledgerOrigin: d.side === 'l' ? [origin] : [],
        externalOrigin: d.side === 'x' ? [origin] : [],
      }),
    });
  }
  // Keyless rows are few: their names are looked up by origin, at once.
  const lookup = new RowLookup(db);
  const oneSided = (r: KeylessRow): ProducedBreak => {
    const origin = `${r.batch_id}:${r.line}`;
    const row = lookup.get(r.batch_id, r.line);
    const detail: BreakDetail = {
      fields: [{ field: 'amount', ledger: r.side === 'l' ? fenToText(r.amount_fen) : null, external: r.side === 'x' ? fenToText(r.amount_fen) : null }],
      certno: r.certno,
      name: row ? row.cols.strAt('name', row.index) : null,
      eventAt: r.event_at,
      ledgerOrigin: r.side === 'l' ? [origin] : [],
      externalOrigin: r.side === 'x' ? [origin] : [],
    };
    return {
      key: rowBreakKey(r.side, r.batch_id, r.line),
      kid: -1,
      same: false,
      matchKey: '（无单号）',
      type: r.side === 'l' ? 'LEDGER_ONLY' : 'EXTERNAL_ONLY',
      amountLedger: r.side === 'l' ? r.amount_fen : null,
      amountExternal: r.side === 'x' ? r.amount_fen : null,
      detail: () => detail,
    };
  };
  out.push(...[...fallback.ledgerOnly, ...fallback.externalOnly].map(oneSided));
  return out;
}
