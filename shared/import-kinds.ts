// The five kinds of file and their canonical fields (formats.md), as data: the
// field's type drives normalisation, `columns` says which fields feed the indexed
// columns matching uses. Headers are in resources/profiles, not here.
import type { ImportKind } from './domain';
import type { Lang } from './labels';

export type FieldType = 'text' | 'key' | 'id' | 'amount' | 'datetime' | 'year' | 'insutype' | 'region' | 'int' | 'flag' | 'status' | 'relation';

export interface FieldSpec {
  type: FieldType;
  label: string;
}

export type IndexedColumn = 'key' | 'sub_key' | 'ref_key' | 'amount_fen' | 'status' | 'certno' | 'insutype' | 'pay_year' | 'event_at';

export interface KindSpec {
  label: string;
  /** The kind's name in the English interface (its files' columns keep their Chinese names). */
  labelEn: string;
  fields: Record<string, FieldSpec>;
  /** Required unless a profile says otherwise. */
  required: string[];
  columns: Partial<Record<IndexedColumn, string>>;
  /** The amount a 合计 line is checked against. */
  totalField: string | null;
  /** The status when the file has no status column, from a flag or the amount's sign. */
  derivedStatus?: { flagField?: string; positive: string; negative: string };
  /**
   * What a file of this kind must carry to serve any reconciliation: a file
   * without it (a platform result or clearing list) is refused at import, never
   * accepted and then left out of every run.
   */
  servesOnlyWith?: { field: string; what: string };
  /** When the file has no status column at all: the status its rows have (by the amount's sign). */
  statusWhenMissing?: { positive: string; negative: string };
  /** Rows in this status are matched under ref_key (a cancellation, under the settlement it reverses). */
  groupByRefWhen?: string;
}

const f = (type: FieldType, label: string): FieldSpec => ({ type, label });

export const KINDS: Record<ImportKind, KindSpec> = {
  'ledger-premium': {
    label: '医保共济代缴划扣明细',
    labelEn: 'Ledger: premium deductions',
    fields: {
      order_no: f('key', '缴费单号'),
      deduction_no: f('key', '划扣流水号'),
      payer_certno: f('id', '授权人证件号码'),
      payer_name: f('text', '授权人姓名'),
      payer_admdvs: f('region', '授权人参保地'),
      beneficiary_certno: f('id', '被代缴人证件号码'),
      beneficiary_name: f('text', '被代缴人姓名'),
      beneficiary_admdvs: f('region', '被代缴人参保地'),
      relation: f('relation', '关系'),
      insutype: f('insutype', '险种'),
      pay_year: f('year', '缴费年度'),
      amount: f('amount', '划扣金额'),
      status: f('status', '状态'),
      deducted_at: f('datetime', '划扣时间'),
      orig_deduction_no: f('key', '原划扣流水号'),
      tax_voucher_no: f('key', '电子税票号码'),
    },
    required: ['deduction_no', 'payer_certno', 'beneficiary_certno', 'insutype', 'pay_year', 'amount', 'status', 'deducted_at'],
    columns: { key: 'order_no', sub_key: 'deduction_no', ref_key: 'orig_deduction_no', amount_fen: 'amount', status: 'status', certno: 'beneficiary_certno', insutype: 'insutype', pay_year: 'pay_year', event_at: 'deducted_at' },
    totalField: 'amount',
  },
  'tax-premium': {
    label: '税务对账中间库共济代缴明细',
    labelEn: 'Tax bureau: premium extract',
    fields: {
      order_no: f('key', '缴费单号'),
      tax_voucher_no: f('key', '电子税票号码'),
      certno: f('id', '缴费人证件号码'),
      name: f('text', '缴费人姓名'),
      admdvs: f('region', '参保地'),
      insutype: f('insutype', '征收品目'),
      pay_year: f('year', '费款所属期'),
      amount: f('amount', '实缴金额'),
      status: f('status', '缴费状态'),
      paid_at: f('datetime', '缴款日期'),
      channel: f('text', '缴费方式'),
    },
    // order_no may be missing: such rows are matched by the fallback composite key.
    // 金税三期 exports of 入库 records carry no 缴费状态: every row is paid (a negative one, refunded).
    required: ['certno', 'insutype', 'pay_year', 'amount', 'paid_at'],
    statusWhenMissing: { positive: 'paid', negative: 'refunded' },
    columns: { key: 'order_no', sub_key: 'tax_voucher_no', amount_fen: 'amount', status: 'status', certno: 'certno', insutype: 'insutype', pay_year: 'pay_year', event_at: 'paid_at' },
    totalField: 'amount',
  },
  settlement: {
    label: '结算明细（机构/平台）',
    labelEn: 'Settlements (institution/platform)',
    fields: {
      setl_id: f('key', '结算ID'),
      mdtrt_id: f('key', '就诊ID'),
      psn_no: f('key', '人员编号'),
      certno: f('id', '证件号码'),
      psn_name: f('text', '姓名'),
      insuplc_admdvs: f('region', '参保地医保区划'),
      mdtrtarea_admvs: f('region', '就医地医保区划'),
      fixmedins_code: f('text', '定点医药机构编号'),
      fixmedins_name: f('text', '定点医药机构名称'),
      setl_time: f('datetime', '结算时间'),
      medfee_sumamt: f('amount', '医疗费总额'),
      acct_pay: f('amount', '个人账户支出'),
      acct_mulaid_pay: f('amount', '个人账户共济支付金额'),
      refd_setl_flag: f('flag', '退费结算标志'),
      init_setl_id: f('key', '原结算ID'),
      fund_pay_sumamt: f('amount', '基金支付总额'),
      cash_payamt: f('amount', '现金支付金额'),
      msgid: f('key', '报文ID'),
      stmt_rslt: f('text', '对账结果'),
      memo: f('text', '备注'),
      seqno: f('int', '序号'),
      fulamt_advpay_flag: f('flag', '全额垫付标志'),
      optins_pay_sumamt: f('amount', '清分金额'),
    },
    required: ['setl_id', 'certno', 'setl_time', 'acct_mulaid_pay'],
    servesOnlyWith: { field: 'acct_mulaid_pay', what: '个人账户共济支付金额（acct_mulaid_pay）' },
    columns: { key: 'setl_id', ref_key: 'init_setl_id', amount_fen: 'acct_mulaid_pay', certno: 'certno', event_at: 'setl_time' },
    totalField: 'acct_mulaid_pay',
    derivedStatus: { flagField: 'refd_setl_flag', positive: 'normal', negative: 'cancel' },
    groupByRefWhen: 'cancel',
  },
  'ledger-settlement': {
    label: '医保个人账户共济支出明细',
    labelEn: 'Ledger: personal-account care payments',
    fields: {
      setl_id: f('key', '结算ID'),
      init_setl_id: f('key', '原结算ID'),
      payer_psn_no: f('key', '授权人人员编号'),
      payer_certno: f('id', '授权人证件号码'),
      payer_admdvs: f('region', '授权地'),
      beneficiary_psn_no: f('key', '就医人人员编号'),
      beneficiary_certno: f('id', '就医人证件号码'),
      beneficiary_admdvs: f('region', '参保地'),
      mdtrtarea_admvs: f('region', '就医地'),
      amount: f('amount', '共济支付金额'),
      paid_at: f('datetime', '支付时间'),
      seq: f('int', '扣款顺序'),
    },
    required: ['setl_id', 'payer_certno', 'payer_admdvs', 'beneficiary_certno', 'beneficiary_admdvs', 'amount', 'paid_at'],
    columns: { key: 'setl_id', sub_key: 'seq', ref_key: 'init_setl_id', amount_fen: 'amount', certno: 'beneficiary_certno', event_at: 'paid_at' },
    totalField: 'amount',
    derivedStatus: { positive: 'normal', negative: 'cancel' },
    groupByRefWhen: 'cancel',
  },
  // The platform's 3202 对明细账 result (result.txt of interface 9102): its verdict per
  // settlement, shown beside the 共济 settlement with the same setl_id. It carries no
  // 共济 amount, so it is never a side of the amount match.
  'platform-result': {
    label: '平台对明细账结果（3202）',
    labelEn: 'Platform detail check result (3202)',
    fields: {
      psn_no: f('key', '人员编号'),
      mdtrt_id: f('key', '就诊ID'),
      setl_id: f('key', '结算ID'),
      msgid: f('key', '报文ID'),
      stmt_rslt: f('status', '对账结果'),
      refd_setl_flag: f('flag', '退费结算标志'),
      memo: f('text', '备注'),
      medfee_sumamt: f('amount', '医疗费总额'),
      fund_pay_sumamt: f('amount', '基金支付总额'),
      acct_pay: f('amount', '个人账户支出'),
    },
    required: ['setl_id', 'stmt_rslt'],
    columns: { key: 'setl_id', status: 'stmt_rslt', amount_fen: 'acct_pay' },
    totalField: null,
  },
  binding: {
    label: '家庭共济绑定关系',
    labelEn: 'Family binding list',
    fields: {
      payer_certno: f('id', '授权人证件号码'),
      payer_admdvs: f('region', '授权人参保地'),
      beneficiary_certno: f('id', '被授权人证件号码'),
      beneficiary_admdvs: f('region', '被授权人参保地'),
      relation: f('relation', '关系'),
      bound_at: f('datetime', '绑定时间'),
      unbound_at: f('datetime', '解绑时间'),
    },
    required: ['payer_certno', 'beneficiary_certno', 'relation', 'bound_at'],
    columns: { key: 'payer_certno', sub_key: 'beneficiary_certno', certno: 'beneficiary_certno', event_at: 'bound_at' },
    totalField: null,
  },
};

/** A kind's name for people, in `lang`. */
export const kindName = (kind: ImportKind, lang: Lang = 'zh'): string => (lang === 'en' ? KINDS[kind].labelEn : KINDS[kind].label);
