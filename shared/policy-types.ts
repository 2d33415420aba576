import type { Lang } from './labels';

export interface PolicyFinding {
  id: number;
  period: string;
  rule: string;
  label: string;
  profile: string;
  profileVersion: number;
  /** The records involved, as batch:line. */
  rows: string[];
  explanation: string;
  citation: string;
  status: string;
  resolution: string | null;
  note: string | null;
}

export interface PolicyInfo {
  id: string;
  name: string;
  version: number;
  document: string;
  active: boolean;
  province: string;
  /** Each rule with its parameters (allowed relations, max family size, payment order, excluded regions). */
  rules: Record<string, { enabled: boolean; citation: string; [param: string]: unknown }>;
}

export interface PolicyCheckResult {
  period: string;
  profile: string;
  profileVersion: number;
  findings: PolicyFinding[];
  skipped: string[];
}

/** The rules of a policy profile, as people read them. */
export const RULE_IDS = ['binding_required', 'relations', 'family_size', 'cross_region_single_authorizer', 'one_family', 'payment_order', 'premium_no_partial', 'excluded_regions'] as const;
export const RULE_LABELS: Record<(typeof RULE_IDS)[number], string> = {
  binding_required: '无有效绑定关系的共济支付',
  relations: '亲属关系超出范围',
  family_size: '家庭账户人数超限',
  cross_region_single_authorizer: '被授权人被多位跨统筹区授权人绑定',
  one_family: '一人加入多个家庭共济关系',
  payment_order: '共济扣款顺序不符',
  premium_no_partial: '部分代缴保费',
  excluded_regions: '不纳入共济范围的参保人使用共济',
};

export const RULE_LABELS_EN: Record<(typeof RULE_IDS)[number], string> = {
  binding_required: 'Mutual-aid payment without a valid binding',
  relations: 'Relation outside the allowed ones',
  family_size: 'Too many people on one family account',
  cross_region_single_authorizer: 'Beneficiary bound by several cross-region authorisers',
  one_family: 'One person in several family groups',
  payment_order: 'Deductions in the wrong order',
  premium_no_partial: 'Premium paid in part',
  excluded_regions: 'Mutual aid used by an insured person outside its scope',
};

/** A rule's name for people, in `lang`. */
export const ruleLabel = (id: string, lang: Lang = 'zh'): string => (lang === 'en' ? RULE_LABELS_EN : RULE_LABELS)[id as (typeof RULE_IDS)[number]] ?? id;

/**
 * The steps of a province's order of payment (its profile stores the codes), in
 * words: one table for the policy editor's boxes and the findings' explanations.
 */
export const ORDER_STEPS = ['own', 'local', 'binding_time'] as const;
export type OrderStep = (typeof ORDER_STEPS)[number];
export const ORDER_STEP_LABELS: Record<OrderStep, string> = { own: '先本人后共济', local: '先本地后异地', binding_time: '本地内按绑定时间顺序' };
export const ORDER_STEP_LABELS_EN: Record<OrderStep, string> = { own: 'own account before family', local: 'local before other regions', binding_time: 'local members by binding time' };

/** A payment-order step in words, in `lang`. */
export const orderStepLabel = (step: string, lang: Lang = 'zh'): string => (lang === 'en' ? ORDER_STEP_LABELS_EN : ORDER_STEP_LABELS)[step as OrderStep] ?? step;
