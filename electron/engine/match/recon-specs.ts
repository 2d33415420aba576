// How each reconciliation kind reads its two sides, as data the SQL builder uses:
// which import kind is which side, and how a side's status and comparable amount
// derive from its rows. Rows group under their match key (source_row.gk: a
// cancellation under the settlement it reverses); a record's identity within a side
// is (gk, key, sub_key), so a second copy of the same record is a duplicate.
import type { ImportKind, ReconKind } from '../../../shared/domain';

export interface SideSpec {
  importKind: ImportKind;
  /** SQL over the grouped rows: the side's status. */
  status: string;
  /** SQL over the grouped rows: the amount compared with the other side. */
  compare: string;
}

/** A compared field read from a column of the covering index on both sides. */
export interface FieldSpec {
  name: string;
  column: 'certno' | 'insutype' | 'pay_year';
}

export interface ReconSpec {
  granularity: 'week' | 'month';
  ledger: SideSpec;
  external: SideSpec;
  fields: FieldSpec[];
  /**
   * 电子税票号码: compared where the ledger carries it too. Few ledgers do, so it is
   * read from the JSON of those batches only, against the external side's sub_key.
   */
  voucher?: { ledgerField: string; headerHint: string };
}

const settlementStatus = "CASE WHEN sum(status = 'cancel') > 0 AND sum(amount_fen) = 0 THEN 'cancelled' ELSE 'normal' END";

export const RECON_SPECS: Record<ReconKind, ReconSpec> = {
  premium: {
    granularity: 'week',
    ledger: {
      importKind: 'ledger-premium',
      status: "CASE WHEN sum(amount_fen) > 0 THEN 'paid' WHEN sum(status = 'reversed') > 0 AND sum(status = 'refunded') = 0 THEN 'reversed' ELSE 'refunded' END",
      // A fully refunded order is compared by what was paid before the refund.
      compare: 'CASE WHEN sum(amount_fen) <= 0 THEN sum(max(amount_fen, 0)) ELSE sum(amount_fen) END',
    },
    // The tax side's status is its latest record's (a bare column beside max(event_at)).
    external: { importKind: 'tax-premium', status: 'status', compare: 'sum(amount_fen)' },
    fields: [
      { name: 'certno', column: 'certno' },
      { name: 'insutype', column: 'insutype' },
      { name: 'pay_year', column: 'pay_year' },
    ],
    voucher: { ledgerField: 'tax_voucher_no', headerHint: '税票' },
  },
  settlement: {
    granularity: 'month',
    ledger: { importKind: 'ledger-settlement', status: settlementStatus, compare: 'sum(amount_fen)' },
    external: { importKind: 'settlement', status: settlementStatus, compare: 'sum(amount_fen)' },
    fields: [{ name: 'certno', column: 'certno' }],
  },
};

/** The compared fields in the order the aggregates carry them (f0, f1, …), the voucher last. */
export function comparedFields(spec: ReconSpec): string[] {
  return [...spec.fields.map((f) => f.name), ...(spec.voucher ? ['tax_voucher_no'] : [])];
}
