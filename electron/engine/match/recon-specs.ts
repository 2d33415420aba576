// How each reconciliation kind reads its two sides, as data the matcher uses:
// which import kind is which side, and how a side's status and comparable amount
// derive from a key's rows. Rows group under their match key (gk: a cancellation
// under the settlement it reverses); a record's identity within a side is
// (gk, key, sub_key), so a second copy of the same record is a duplicate.
import type { ImportKind, ReconKind } from '../../../shared/domain';

/** What a side knows of one key after its rows are summed. */
export interface KeyAggregate {
  /** Sum of the amounts (fen). */
  net: number;
  /** Sum of the positive amounts (fen): what was paid before refunds. */
  paid: number;
  /** Rows in each of the side's `counted` statuses. */
  counts: number[];
  /** The status of the key's latest record. */
  latest: string | null;
}

export interface SideSpec {
  importKind: ImportKind;
  /** The statuses whose rows are counted per key (for `status`). */
  counted: string[];
  status(a: KeyAggregate): string;
  /** The amount compared with the other side. */
  compare(a: KeyAggregate): number;
}

/** A compared field, read from the key's latest record on both sides. */
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
  /**
   * A key only on the external side whose rows carry no 共济 amount at all is not a
   * 共济 record (a platform settlement file lists every settlement, most paid
   * without 共济): counted in the summary with this reason, never a break.
   */
  zeroExternalIsNot?: string;
  /** The platform's 3202 verdicts are read for the run's keys (settlements only). */
  platformVerdicts?: boolean;
}

const settlementSide = (importKind: ImportKind): SideSpec => ({
  importKind,
  counted: ['cancel'],
  // Cancelled only when a cancellation nets the settlement to nothing.
  status: (a) => (a.counts[0]! > 0 && a.net === 0 ? 'cancelled' : 'normal'),
  compare: (a) => a.net,
});

export const RECON_SPECS: Record<ReconKind, ReconSpec> = {
  premium: {
    granularity: 'week',
    ledger: {
      importKind: 'ledger-premium',
      counted: ['reversed', 'refunded'],
      status: (a) => (a.net > 0 ? 'paid' : a.counts[0]! > 0 && a.counts[1] === 0 ? 'reversed' : 'refunded'),
      // A fully refunded order is compared by what was paid before the refund.
      compare: (a) => (a.net <= 0 ? a.paid : a.net),
    },
    // The tax side's status is its latest record's.
    external: { importKind: 'tax-premium', counted: [], status: (a) => a.latest ?? '', compare: (a) => a.net },
    fields: [
      { name: 'certno', column: 'certno' },
      { name: 'insutype', column: 'insutype' },
      { name: 'pay_year', column: 'pay_year' },
    ],
    voucher: { ledgerField: 'tax_voucher_no', headerHint: '税票' },
  },
  settlement: {
    granularity: 'month',
    ledger: settlementSide('ledger-settlement'),
    external: settlementSide('settlement'),
    fields: [{ name: 'certno', column: 'certno' }],
    zeroExternalIsNot: '个人账户共济支付金额为 0：不是共济结算',
    platformVerdicts: true,
  },
};

/** The compared fields in the order they are compared, the voucher last. */
export function comparedFields(spec: ReconSpec): string[] {
  return [...spec.fields.map((f) => f.name), ...(spec.voucher ? ['tax_voucher_no'] : [])];
}
