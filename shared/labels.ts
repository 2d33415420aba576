import type { BreakType, ReconKind } from './domain';
import insutypeTable from './codes/insutype.json';
import { regionLabel } from './regions';
import { formatAmountText } from './money';

const INSUTYPE_NAMES = insutypeTable.codes as Record<string, string>;

/** 险种 as people read it: `城乡居民基本医疗保险（390）`, or the code alone when the table lacks it. */
export function insutypeLabel(code: string | null | undefined): string {
  if (!code) return '—';
  const n = INSUTYPE_NAMES[code];
  return n ? `${n}（${code}）` : code;
}

/** A stored code for people, by its field type: regions and 险种 with their names. */
export function codeLabel(type: string | undefined, value: string): string {
  if (type === 'region') return regionLabel(value);
  if (type === 'insutype') return insutypeLabel(value);
  return value;
}

/** Reconciliation kinds as people name them (a file name, a message, a sheet). */
export const RECON_KIND_LABELS: Record<ReconKind, string> = {
  premium: '缴费共济',
  settlement: '就医共济',
};

export const RECON_KIND_LABELS_EN: Record<ReconKind, string> = {
  premium: 'premium mutual aid',
  settlement: 'care mutual aid',
};

/** Break types: codes for machines, these labels for people. */
export const BREAK_LABELS: Record<BreakType, string> = {
  LEDGER_ONLY: '医保单边',
  EXTERNAL_ONLY: '对方单边',
  AMOUNT_MISMATCH: '金额不符',
  STATUS_MISMATCH: '状态不符',
  FIELD_MISMATCH: '信息不符',
  DUPLICATE: '重复',
  IN_TRANSIT: '在途',
  PLATFORM_FLAGGED: '平台对账不一致',
};

export const BREAK_LABELS_EN: Record<BreakType, string> = {
  LEDGER_ONLY: 'Ledger only',
  EXTERNAL_ONLY: 'Other side only',
  AMOUNT_MISMATCH: 'Amount mismatch',
  STATUS_MISMATCH: 'Status mismatch',
  FIELD_MISMATCH: 'Field mismatch',
  DUPLICATE: 'Duplicate',
  IN_TRANSIT: 'In transit',
  PLATFORM_FLAGGED: 'Platform reports a difference',
};

/** A break type's name for people, in `lang`. */
export const breakTypeLabel = (type: string, lang: Lang = 'zh'): string => (lang === 'en' ? BREAK_LABELS_EN : BREAK_LABELS)[type as BreakType] ?? type;

/** The language a shared label is given in: Chinese first, English second. */
export type Lang = 'zh' | 'en';

export const FIELD_LABELS: Record<string, string> = {
  amount: '金额',
  status: '状态',
  certno: '证件号码',
  insutype: '险种',
  pay_year: '缴费年度',
  tax_voucher_no: '电子税票号码',
  duplicate_of: '重复单号',
  platform_verdict: '平台对账结果（3202）',
  name: '姓名',
};

export const FIELD_LABELS_EN: Record<string, string> = {
  amount: 'Amount',
  status: 'Status',
  certno: 'ID number',
  insutype: 'Insurance type',
  pay_year: 'Premium year',
  tax_voucher_no: 'E-tax voucher no.',
  duplicate_of: 'Duplicate of',
  platform_verdict: 'Platform verdict (3202)',
  name: 'name',
};

/** A compared field's name for people, in `lang`. */
export const fieldLabel = (field: string, lang: Lang = 'zh'): string => (lang === 'en' ? FIELD_LABELS_EN : FIELD_LABELS)[field] ?? field;

/** Canonical statuses as people read them. */
export const STATUS_LABELS: Record<string, string> = {
  paid: '已缴费',
  refunded: '已退费',
  reversed: '已冲正',
  unpaid: '未缴费',
  normal: '正常',
  cancelled: '已撤销',
  cancel: '撤销',
  // The platform's 3202 stmt_rslt
  balanced: '对平',
  center_more: '中心多',
  institution_more: '医药机构多',
  inconsistent: '数据不一致',
};

export const STATUS_LABELS_EN: Record<string, string> = {
  paid: 'Paid',
  refunded: 'Refunded',
  reversed: 'Reversed',
  unpaid: 'Unpaid',
  normal: 'Normal',
  cancelled: 'Cancelled',
  cancel: 'Cancel',
  balanced: 'Balanced',
  center_more: 'Centre has more',
  institution_more: 'Institution has more',
  inconsistent: 'Inconsistent',
};

/** A differing value for people: statuses in words, everything else as it is. */
export function fieldValueLabel(field: string, value: string | null, lang: Lang = 'zh'): string {
  if (value === null) return lang === 'en' ? 'none' : '无';
  if (field === 'insutype') return insutypeLabel(value);
  if (field === 'amount') return formatAmountText(value);
  return field === 'status' ? ((lang === 'en' ? STATUS_LABELS_EN : STATUS_LABELS)[value] ?? value) : value;
}

/** Fields that are the other side's word on the record, not a value both sides hold: shown as one statement. */
export const ONE_SIDED_FIELDS = new Set(['platform_verdict']);

/** A differing field in one line, e.g. "金额: 10.00 → 11.00" or "平台对账结果（3202）: 1 中心多". */
export function fieldDiffText(f: { field: string; ledger: string | null; external: string | null }, lang: Lang = 'zh'): string {
  const label = fieldLabel(f.field, lang);
  if (ONE_SIDED_FIELDS.has(f.field)) return `${label}: ${f.external ?? f.ledger ?? (lang === 'en' ? 'none' : '无')}`;
  return `${label}: ${f.ledger === null ? '—' : fieldValueLabel(f.field, f.ledger, lang)} → ${f.external === null ? '—' : fieldValueLabel(f.field, f.external, lang)}`;
}

/** A break's history, in words: what happened to it. */
export const BREAK_EVENT_LABELS: Record<string, string> = {
  open: '开立',
  reclassify: '重新分类',
  'auto-close': '自动核销',
  assign: '分配',
  comment: '批注',
  dispose: '处理',
  'propose-writeoff': '提出核销',
  'approve-writeoff': '审批通过核销',
  'reject-writeoff': '驳回核销',
  undo: '撤销',
};

export const BREAK_EVENT_LABELS_EN: Record<string, string> = {
  open: 'Opened',
  reclassify: 'Reclassified',
  'auto-close': 'Closed by its counterpart',
  assign: 'Assigned',
  comment: 'Comment',
  dispose: 'Disposed',
  'propose-writeoff': 'Write-off proposed',
  'approve-writeoff': 'Write-off approved',
  'reject-writeoff': 'Write-off rejected',
  undo: 'Undone',
};

/** What happened to a break, in `lang`. */
export const breakEventLabel = (action: string, lang: Lang = 'zh'): string => (lang === 'en' ? BREAK_EVENT_LABELS_EN : BREAK_EVENT_LABELS)[action] ?? action;

/** Where rows came from, as people read it: `批次 3 第 62 行` / `batch 3 line 62` (stored as `3:62`); anything else as it is. */
export function originText(origin: readonly string[], lang: Lang = 'zh'): string {
  return origin
    .map((o) => {
      const m = /^(\d+):(\d+)$/.exec(o);
      return m ? (lang === 'en' ? `batch ${m[1]} line ${m[2]}` : `批次 ${m[1]} 第 ${m[2]} 行`) : o;
    })
    .join(lang === 'en' ? '; ' : '；');
}
