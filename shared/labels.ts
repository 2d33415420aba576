import type { BreakType } from './domain';

/** Break types: codes for machines, these labels for people. */
export const BREAK_LABELS: Record<BreakType, string> = {
  LEDGER_ONLY: '医保单边',
  EXTERNAL_ONLY: '对方单边',
  AMOUNT_MISMATCH: '金额不符',
  STATUS_MISMATCH: '状态不符',
  FIELD_MISMATCH: '信息不符',
  DUPLICATE: '重复',
  IN_TRANSIT: '在途',
};

export const FIELD_LABELS: Record<string, string> = {
  amount: '金额',
  status: '状态',
  certno: '证件号码',
  insutype: '险种',
  pay_year: '缴费年度',
  tax_voucher_no: '电子税票号码',
  duplicate_of: '重复单号',
};
