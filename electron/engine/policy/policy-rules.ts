// The policy checks, one function a rule, over a period's 共济 payments and the
// imported binding lists (read in SQL from temp.source_row, which run-checks fills
// from the column blocks: rowstore/row-view). Each finding names the rows involved (batch:line), the
// document and clause it breaks, and says in plain Chinese what is wrong. Rules
// about bindings "at the same time" are judged on intervals (binding-intervals).
import { ORDER_STEPS, ORDER_STEP_LABELS, RULE_LABELS, type OrderStep } from '../../../shared/policy-types';
import type { Database } from 'better-sqlite3';
import { maskCertNo } from '../../../shared/gb11643';
import { fenToText } from '../../../shared/money';
import type { PolicyProfile } from './policy-profiles';
import { distinct, firstCrowdedInstant, groupBy, liveIn, type Binding, type Crowded } from './binding-intervals';

export type RuleId = keyof PolicyProfile['rules'];

export interface Finding {
  rule: RuleId;
  subject: string;
  rows: string[];
  explanation: string;
  citation: string;
}

export interface Window {
  start: string;
  end: string;
}

/** Bindings as a temp table, indexed for the checks that look them up. */
export function loadBindings(db: Database): number {
  db.exec('DROP TABLE IF EXISTS temp.pb');
  db.exec(`CREATE TEMP TABLE pb AS
    SELECT key AS payer, sub_key AS ben, event_at AS bound_at, json_extract(norm, '$.unbound_at') AS unbound_at,
           json_extract(norm, '$.relation') AS relation, json_extract(norm, '$.payer_admdvs') AS pr,
           json_extract(norm, '$.beneficiary_admdvs') AS br, batch_id || ':' || line AS origin
    FROM source_row WHERE kind = 'binding'`);
  db.exec('CREATE INDEX temp.pb_pair ON pb(payer, ben)');
  db.exec('CREATE INDEX temp.pb_ben ON pb(ben)');
  return (db.prepare('SELECT count(*) n FROM pb').get() as { n: number }).n;
}

/** Bindings in force at some time within the window. */
const ACTIVE = '(b.bound_at < ? AND (b.unbound_at IS NULL OR b.unbound_at > ?))';

function readBindings(db: Database): Binding[] {
  return db.prepare('SELECT payer, ben, bound_at, unbound_at, relation, pr, br, origin FROM pb ORDER BY bound_at, origin').all() as Binding[];
}

const when = (at: string, w: Window) => (at === w.start ? `${w.start.slice(0, 10)}（期初）` : at.slice(0, 16));

interface Payment {
  origin: string;
  kind: string;
  key: string;
  payer: string;
  ben: string;
  pr: string | null;
  br: string | null;
  at: string;
  amount: number;
  seq: number | null;
}

function payments(db: Database, w: Window): Payment[] {
  return db
    .prepare(
      `SELECT batch_id || ':' || line AS origin, kind, key, json_extract(norm, '$.payer_certno') AS payer, certno AS ben,
              json_extract(norm, '$.payer_admdvs') AS pr, json_extract(norm, '$.beneficiary_admdvs') AS br,
              event_at AS at, amount_fen AS amount, CAST(sub_key AS INTEGER) AS seq
       FROM source_row WHERE kind IN ('ledger-settlement', 'ledger-premium') AND event_at >= ? AND event_at < ? AND amount_fen > 0`,
    )
    .all(w.start, w.end) as Payment[];
}

export function checkBindingRequired(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const has = db.prepare(`SELECT 1 FROM pb b WHERE b.payer = ? AND b.ben = ? AND b.bound_at <= ? AND (b.unbound_at IS NULL OR b.unbound_at > ?) LIMIT 1`);
  return payments(db, w)
    .filter((x) => x.payer && x.payer !== x.ben && !has.get(x.payer, x.ben, x.at, x.at))
    .map((x) => ({
      rule: 'binding_required' as const,
      subject: x.key,
      rows: [x.origin],
      explanation: `${x.kind === 'ledger-premium' ? '缴费' : '就医'}共济 ${x.key}：授权人 ${maskCertNo(x.payer)} 于 ${x.at} 为 ${maskCertNo(x.ben)} 支付 ${fenToText(x.amount)} 元，当时两人之间没有有效的家庭共济绑定关系（违反${p.rules.binding_required.citation}）。`,
      citation: p.rules.binding_required.citation,
    }));
}

export function checkRelations(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const allowed = new Set(p.rules.relations.allowed);
  const rows = db.prepare(`SELECT * FROM pb b WHERE ${ACTIVE}`).all(w.end, w.start) as { payer: string; ben: string; relation: string; origin: string }[];
  return rows
    .filter((b) => !allowed.has(b.relation))
    .map((b) => ({
      rule: 'relations' as const,
      subject: `${b.payer}>${b.ben}`,
      rows: [b.origin],
      explanation: `授权人 ${maskCertNo(b.payer)} 与 ${maskCertNo(b.ben)} 的关系为“${b.relation}”，不在本省允许的范围（${p.rules.relations.allowed.join('、')}）内（违反${p.rules.relations.citation}）。`,
      citation: p.rules.relations.citation,
    }));
}

/** One finding per group whose live bindings break the rule at some instant (the first such instant). */
function crowdedFindings(groups: Map<string, Binding[]>, w: Window, tooMany: (live: Binding[]) => boolean, finding: (subject: string, c: Crowded) => Finding): Finding[] {
  const out: Finding[] = [];
  for (const [subject, list] of groups) {
    const c = firstCrowdedInstant(list, w, tooMany);
    if (c) out.push(finding(subject, c));
  }
  return out;
}

const payersOf = (live: Binding[]) => distinct(live.map((b) => b.payer));

export function checkFamilySize(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const { max, citation } = p.rules.family_size;
  const people = (live: Binding[]) => distinct(live.map((b) => b.ben)) + 1;
  return crowdedFindings(groupBy(readBindings(db), (b) => b.payer), w, (live) => people(live) > max, (payer, c) => ({
    rule: 'family_size',
    subject: payer,
    rows: c.live.map((b) => b.origin),
    explanation: `授权人 ${maskCertNo(payer)} 的家庭账户在 ${when(c.at, w)} 同时有效的绑定连同本人共 ${people(c.live)} 人，超过上限 ${max} 人（违反${citation}）。`,
    citation,
  }));
}

export function checkCrossRegionSingleAuthorizer(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const { citation } = p.rules.cross_region_single_authorizer;
  const cross = readBindings(db).filter((b) => b.pr !== null && b.br !== null && b.pr !== b.br);
  return crowdedFindings(groupBy(cross, (b) => b.ben), w, (live) => payersOf(live) > 1, (ben, c) => ({
    rule: 'cross_region_single_authorizer',
    subject: ben,
    rows: c.live.map((b) => b.origin),
    explanation: `被授权人 ${maskCertNo(ben)} 在 ${when(c.at, w)} 同时被 ${payersOf(c.live)} 位省内跨统筹区的授权人绑定，只允许一位（违反${citation}）。`,
    citation,
  }));
}

export function checkOneFamily(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const { citation } = p.rules.one_family;
  const bindings = readBindings(db);
  const out = crowdedFindings(groupBy(bindings, (b) => b.ben), w, (live) => payersOf(live) > 1, (ben, c) => ({
    rule: 'one_family',
    subject: ben,
    rows: c.live.map((b) => b.origin),
    explanation: `${maskCertNo(ben)} 在 ${when(c.at, w)} 同时是 ${payersOf(c.live)} 个家庭共济关系的家庭成员，每人只能加入一个家庭共济关系（退出后可再加入新的）（违反${citation}）。`,
    citation,
  }));
  // Authorizer of one's own family while a member of another, at the same instant.
  const asPayer = groupBy(bindings.filter((b) => liveIn(b, w)), (b) => b.payer);
  const reported = new Set<string>();
  for (const member of bindings) {
    if (!liveIn(member, w) || reported.has(member.ben)) continue;
    for (const own of asPayer.get(member.ben) ?? []) {
      const from = [member.bound_at, own.bound_at, w.start].reduce((x, y) => (x > y ? x : y));
      const to = [member.unbound_at ?? w.end, own.unbound_at ?? w.end, w.end].reduce((x, y) => (x < y ? x : y));
      if (from >= to) continue;
      reported.add(member.ben);
      out.push({
        rule: 'one_family',
        subject: member.ben,
        rows: [own.origin, member.origin],
        explanation: `${maskCertNo(member.ben)} 在 ${when(from, w)} 既是自己家庭共济关系的主账户人，又是另一家庭共济关系的家庭成员，每人只能加入一个家庭共济关系（违反${p.rules.one_family.citation}）。`,
        citation: p.rules.one_family.citation,
      });
      break;
    }
  }
  return out;
}

/**
 * The order of the deductions that paid one bill: a care settlement (by the
 * ledger's 扣款顺序) or one premium order (by the time of each deduction). Each
 * step the profile names is judged from what the data shows: the person's own
 * account before family members', members insured where the beneficiary is
 * before other regions, local members in the order they were bound.
 */
export function checkPaymentOrder(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const steps = new Set<OrderStep>(p.rules.payment_order.order ?? ORDER_STEPS);
  const bills = new Map<string, Payment[]>();
  for (const x of payments(db, w)) {
    if (!x.key || (x.kind === 'ledger-settlement' && x.seq === null)) continue;
    const id = `${x.kind}|${x.key}`;
    const list = bills.get(id);
    if (list) list.push(x);
    else bills.set(id, [x]);
  }
  const boundAt = db.prepare('SELECT min(bound_at) AS t FROM pb WHERE payer = ? AND ben = ?');
  const line = (x: Payment) => Number(x.origin.split(':')[1]);
  const out: Finding[] = [];
  for (const ps of bills.values()) {
    if (ps.length < 2) continue;
    const premium = ps[0]!.kind === 'ledger-premium';
    const ordered = [...ps].sort((a, b) => (premium ? (a.at < b.at ? -1 : a.at > b.at ? 1 : line(a) - line(b)) : a.seq! - b.seq!));
    const tier = (x: Payment) => (x.payer === x.ben ? 0 : x.pr !== null && x.pr === x.br ? 1 : 2);
    const bound = (x: Payment) => (boundAt.get(x.payer, x.ben) as { t: string | null }).t ?? '9999';
    for (let i = 1; i < ordered.length; i++) {
      const a = ordered[i - 1]!;
      const b = ordered[i]!;
      const [ta, tb] = [tier(a), tier(b)];
      let why: string | null = null;
      if (steps.has('own') && tb === 0 && ta > 0) why = '家庭成员的账户先于本人账户扣款';
      else if (steps.has('local') && ta === 2 && tb === 1) why = '异地授权人先于本地家庭成员扣款';
      else if (steps.has('binding_time') && ta === 1 && tb === 1 && bound(a) > bound(b)) why = '本地家庭成员没有按绑定时间先后扣款';
      if (!why) continue;
      const pos = (x: Payment, k: number) => (premium ? `第 ${k} 笔（${x.at.slice(0, 16)}）` : `第 ${x.seq} 位`);
      const rule = [...steps].map((st) => ORDER_STEP_LABELS[st]).join('、');
      out.push({
        rule: 'payment_order',
        subject: premium ? `缴费:${a.key}` : a.key,
        rows: ordered.map((x) => x.origin),
        explanation: `${premium ? '缴费单' : '结算'} ${a.key} 的共济扣款顺序不对：${why}（${pos(a, i)} ${maskCertNo(a.payer)}、${pos(b, i + 1)} ${maskCertNo(b.payer)}），应“${rule}”（违反${p.rules.payment_order.citation}）。`,
        citation: p.rules.payment_order.citation,
      });
      break;
    }
  }
  return out;
}

/** A premium the tax bureau recorded in full, of which 共济 paid only part. */
export function checkPremiumNoPartial(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const rows = db
    .prepare(
      `SELECT l.gk AS key, sum(l.amount_fen) AS paid, t.amount_fen AS due, group_concat(l.batch_id || ':' || l.line) AS origins, t.batch_id || ':' || t.line AS tax
       FROM source_row l JOIN source_row t ON t.kind = 'tax-premium' AND t.gk = l.gk
       WHERE l.kind = 'ledger-premium' AND l.event_at >= ? AND l.event_at < ?
       GROUP BY l.gk HAVING sum(l.amount_fen) > 0 AND sum(l.amount_fen) < t.amount_fen`,
    )
    .all(w.start, w.end) as { key: string; paid: number; due: number; origins: string; tax: string }[];
  return rows.map((r) => ({
    rule: 'premium_no_partial' as const,
    subject: r.key,
    rows: [...r.origins.split(','), r.tax],
    explanation: `缴费单 ${r.key} 应缴 ${fenToText(r.due)} 元，家庭共济只划扣了 ${fenToText(r.paid)} 元，属于部分代缴；本省规定家庭账户资金不足以支付全部个人缴费时不能使用共济（违反${p.rules.premium_no_partial.citation}）。`,
    citation: p.rules.premium_no_partial.citation,
  }));
}

export function checkExcludedRegions(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const excluded = new Set(p.rules.excluded_regions.regions);
  return payments(db, w)
    .filter((x) => (x.pr && excluded.has(x.pr)) || (x.br && excluded.has(x.br)))
    .map((x) => ({
      rule: 'excluded_regions' as const,
      subject: x.key,
      rows: [x.origin],
      explanation: `${x.key}：${x.pr && excluded.has(x.pr) ? `授权人参保地 ${x.pr}` : `就医人参保地 ${x.br}`} 属于不纳入共济的范围（如省直实账管理），不能使用家庭共济（违反${p.rules.excluded_regions.citation}）。`,
      citation: p.rules.excluded_regions.citation,
    }));
}

export const RULES: Record<RuleId, (db: Database, p: PolicyProfile, w: Window) => Finding[]> = {
  binding_required: checkBindingRequired,
  relations: checkRelations,
  family_size: checkFamilySize,
  cross_region_single_authorizer: checkCrossRegionSingleAuthorizer,
  one_family: checkOneFamily,
  payment_order: checkPaymentOrder,
  premium_no_partial: checkPremiumNoPartial,
  excluded_regions: checkExcludedRegions,
};

export { RULE_LABELS };
