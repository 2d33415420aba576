// How officers dispose of breaks: the reasons, as codes for machines and labels
// for people, and the keys the workbench binds them to.
import type { Lang } from './labels';

export const DISPOSITIONS = ['补记', '冲正', '退费', '挂账', '核销', '误报'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const DISPOSITION_HINTS: Record<Disposition, string> = {
  补记: '补记：在缺少记录的一方补做记录',
  冲正: '冲正：撤销错误的划扣或结算',
  退费: '退费：把钱退回个人账户',
  挂账: '挂账：暂列往来，待后续处理',
  核销: '核销：确认无法追回，须财务审批',
  误报: '误报：不是差异，无需处理',
};

/** The reasons in English, for the English interface (the stored code stays Chinese). */
export const DISPOSITION_LABELS_EN: Record<Disposition, string> = {
  补记: 'Book entry',
  冲正: 'Reverse',
  退费: 'Refund',
  挂账: 'Hold in suspense',
  核销: 'Write off',
  误报: 'Not a difference',
};

export const DISPOSITION_HINTS_EN: Record<Disposition, string> = {
  补记: 'Book the missing entry on the side that lacks it',
  冲正: 'Reverse a wrong deduction or settlement',
  退费: 'Return the money to the personal account',
  挂账: 'Hold in suspense, to be dealt with later',
  核销: 'Write off as unrecoverable; needs finance approval',
  误报: 'Not a difference; nothing to do',
};

/** A reason for people: the Chinese word, or its English one in the English interface. */
export const dispositionLabel = (r: string, lang: Lang = 'zh'): string => (lang === 'en' ? (DISPOSITION_LABELS_EN[r as Disposition] ?? r) : r);
export const dispositionHint = (r: Disposition, lang: Lang = 'zh'): string => (lang === 'en' ? DISPOSITION_HINTS_EN : DISPOSITION_HINTS)[r];

/** Single keys on the workbench grid. */
export const DISPOSITION_KEYS: Record<string, Disposition> = { b: '补记', c: '冲正', t: '退费', g: '挂账', h: '核销', w: '误报' };

export const AGING_BUCKETS = ['0-7', '8-30', '31-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
