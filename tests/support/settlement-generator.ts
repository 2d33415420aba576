// A month of care settlements: the institution/platform file and the 医保 共济
// ledger, with several payers per bill, cancellations, and chosen breaks.
import { makeCertNo } from './ids';

export const SETTLEMENT_HEADER = ['setl_id', 'mdtrt_id', 'psn_no', 'certno', 'psn_name', 'insuplc_admdvs', 'mdtrtarea_admvs', 'fixmedins_code', 'fixmedins_name', 'setl_time', 'medfee_sumamt', 'acct_pay', 'acct_mulaid_pay', 'refd_setl_flag', 'init_setl_id'];
export const LEDGER_SETTLEMENT_HEADER = ['结算ID', '原结算ID', '授权人人员编号', '授权人证件号码', '授权地', '就医人人员编号', '就医人证件号码', '参保地', '就医地', '共济支付金额', '支付时间', '扣款顺序'];

export interface Payer {
  region: string;
  amount: string;
}

export interface Bill {
  setlId: string;
  /** beneficiary's 参保地 */
  region: string;
  /** 就医地 */
  careRegion?: string;
  payers: Payer[];
  at: string;
  /** the institution's 共济 amount when it differs from the payers' sum */
  externalAmount?: string;
  cancelled?: { setlId: string; at: string; onLedger?: boolean; onExternal?: boolean };
  ledgerOnly?: boolean;
  externalOnly?: boolean;
}

const neg = (a: string) => (a.startsWith('-') ? a.slice(1) : `-${a}`);
const fen = (a: string) => Math.round(Number(a) * 100);
const yuan = (f: number) => `${f < 0 ? '-' : ''}${Math.floor(Math.abs(f) / 100)}.${String(Math.abs(f) % 100).padStart(2, '0')}`;

export function settlementFiles(bills: Bill[]): { ledger: string[][]; external: string[][] } {
  const ledger: string[][] = [];
  const external: string[][] = [];
  bills.forEach((b, n) => {
    const ben = makeCertNo(b.region, '19500101', n + 1);
    const care = b.careRegion ?? b.region;
    const sum = yuan(b.payers.reduce((s, p) => s + fen(p.amount), 0));
    const ext = (setlId: string, amount: string, at: string, flag: '0' | '1', init: string) =>
      external.push([setlId, `MD${b.setlId}`, `P${n}`, ben, `就医人${n}`, b.region, care, 'H001', '定点医药机构', at, '500.00', '0.00', amount, flag, init]);
    const led = (setlId: string, init: string, sign: (a: string) => string, at: string) =>
      b.payers.forEach((p, i) => {
        ledger.push([setlId, init, `A${n}${i}`, makeCertNo(p.region, '19700101', n * 10 + i + 1), p.region, `P${n}`, ben, b.region, care, sign(p.amount), at, String(i + 1)]);
      });
    if (!b.externalOnly) led(b.setlId, '', (a) => a, b.at);
    if (!b.ledgerOnly) ext(b.setlId, b.externalAmount ?? sum, b.at, '0', '');
    if (b.cancelled) {
      if (b.cancelled.onLedger !== false) led(b.cancelled.setlId, b.setlId, neg, b.cancelled.at);
      if (b.cancelled.onExternal !== false) ext(b.cancelled.setlId, neg(sum), b.cancelled.at, '1', b.setlId);
    }
  });
  return { ledger, external };
}
