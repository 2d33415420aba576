// How each reconciliation kind reads its two sides, as data the SQL builder uses:
// which import kind is which side, how rows group to one match key (a cancellation
// nets against its original), what makes two rows the same record (duplicates),
// and how a side's status and comparable amount derive from its rows.
import type { ImportKind, ReconKind } from '../../../shared/domain';

export interface SideSpec {
  importKind: ImportKind;
  /** SQL over source_row r: the record's identity within its side. */
  identity: string;
  /** SQL over the grouped rows (aliases: net, gross): the side's status. */
  status: string;
  /** SQL over the grouped rows: the amount compared with the other side. */
  compare: string;
}

export interface ReconSpec {
  granularity: 'week' | 'month';
  /** SQL over source_row r: the match key rows group under. */
  groupKey: string;
  ledger: SideSpec;
  external: SideSpec;
  /** Other fields compared where both sides carry them. */
  fields: { name: string; ledgerSql: string; externalSql: string }[];
}

const settlementStatus = "CASE WHEN sum(status = 'cancel') > 0 AND sum(amount_fen) = 0 THEN 'cancelled' ELSE 'normal' END";

export const RECON_SPECS: Record<ReconKind, ReconSpec> = {
  premium: {
    granularity: 'week',
    groupKey: 'r.key',
    ledger: {
      importKind: 'ledger-premium',
      identity: 'r.sub_key',
      status: "CASE WHEN sum(amount_fen) > 0 THEN 'paid' WHEN sum(status = 'reversed') > 0 AND sum(status = 'refunded') = 0 THEN 'reversed' ELSE 'refunded' END",
      // A fully refunded order is compared by what was paid before the refund.
      compare: 'CASE WHEN sum(amount_fen) <= 0 THEN sum(max(amount_fen, 0)) ELSE sum(amount_fen) END',
    },
    external: {
      importKind: 'tax-premium',
      identity: 'r.key',
      status: 'max(status)',
      compare: 'sum(amount_fen)',
    },
    fields: [
      { name: 'certno', ledgerSql: 'max(certno)', externalSql: 'max(certno)' },
      { name: 'insutype', ledgerSql: 'max(insutype)', externalSql: 'max(insutype)' },
      { name: 'pay_year', ledgerSql: 'max(pay_year)', externalSql: 'max(pay_year)' },
      // Few ledgers carry the voucher: look inside the JSON only where the key is there.
      { name: 'tax_voucher_no', ledgerSql: "max(CASE WHEN instr(norm, '\"tax_voucher_no\"') THEN json_extract(norm, '$.tax_voucher_no') END)", externalSql: 'max(sub_key)' },
    ],
  },
  settlement: {
    granularity: 'month',
    groupKey: "CASE WHEN r.status = 'cancel' AND r.ref_key IS NOT NULL THEN r.ref_key ELSE r.key END",
    ledger: {
      importKind: 'ledger-settlement',
      identity: "r.key || '|' || coalesce(json_extract(r.norm, '$.payer_certno'), '') || '|' || coalesce(r.sub_key, '')",
      status: settlementStatus,
      compare: 'sum(amount_fen)',
    },
    external: {
      importKind: 'settlement',
      identity: 'r.key',
      status: settlementStatus,
      compare: 'sum(amount_fen)',
    },
    fields: [{ name: 'certno', ledgerSql: 'max(certno)', externalSql: 'max(certno)' }],
  },
};
