// The policy checks, one function a rule, over a period's 共济 payments and the
// imported binding lists (read in SQL from temp.source_row, which run-checks fills
// from the column blocks: rowstore/row-view). Each finding names the rows involved (batch:line), the
// document and clause it breaks, and says in plain Chinese what is wrong.
import type { Database } from 'better-sqlite3';
import { maskCertNo } from '../../../shared/gb11643';
import { fenToText } from '../../../shared/money';
import type { PolicyProfile } from './policy-profiles';

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

export function checkFamilySize(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const max = p.rules.family_size.max;
  const rows = db
    .prepare(`SELECT payer, count(DISTINCT ben) AS n, group_concat(origin) AS origins FROM pb b WHERE ${ACTIVE} GROUP BY payer HAVING count(DISTINCT ben) + 1 > ?`)
    .all(w.end, w.start, max) as { payer: string; n: number; origins: string }[];
  return rows.map((r) => ({
    rule: 'family_size' as const,
    subject: r.payer,
    rows: r.origins.split(','),
    explanation: `授权人 ${maskCertNo(r.payer)} 的家庭账户连同本人共 ${r.n + 1} 人，超过上限 ${max} 人（违反${p.rules.family_size.citation}）。`,
    citation: p.rules.family_size.citation,
  }));
}

export function checkCrossRegionSingleAuthorizer(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const rows = db
    .prepare(
      `SELECT ben, count(DISTINCT payer) AS n, group_concat(origin) AS origins FROM pb b
       WHERE ${ACTIVE} AND pr <> br GROUP BY ben HAVING count(DISTINCT payer) > 1`,
    )
    .all(w.end, w.start) as { ben: string; n: number; origins: string }[];
  return rows.map((r) => ({
    rule: 'cross_region_single_authorizer' as const,
    subject: r.ben,
    rows: r.origins.split(','),
    explanation: `被授权人 ${maskCertNo(r.ben)} 同时被 ${r.n} 位省内跨统筹区的授权人绑定，只允许一位（违反${p.rules.cross_region_single_authorizer.citation}）。`,
    citation: p.rules.cross_region_single_authorizer.citation,
  }));
}

export function checkOneFamily(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const out: Finding[] = [];
  const twoPayers = db
    .prepare(`SELECT ben, count(DISTINCT payer) AS n, group_concat(origin) AS origins FROM pb b WHERE ${ACTIVE} GROUP BY ben HAVING count(DISTINCT payer) > 1`)
    .all(w.end, w.start) as { ben: string; n: number; origins: string }[];
  for (const r of twoPayers) {
    out.push({
      rule: 'one_family',
      subject: r.ben,
      rows: r.origins.split(','),
      explanation: `${maskCertNo(r.ben)} 同时是 ${r.n} 个家庭共济关系的家庭成员，每人只能加入一个家庭共济关系（违反${p.rules.one_family.citation}）。`,
      citation: p.rules.one_family.citation,
    });
  }
  const both = db
    .prepare(
      `SELECT a.payer AS person, a.origin AS o1, c.origin AS o2 FROM pb a JOIN pb c ON c.ben = a.payer
       WHERE a.bound_at < ? AND (a.unbound_at IS NULL OR a.unbound_at > ?) AND c.bound_at < ? AND (c.unbound_at IS NULL OR c.unbound_at > ?)`,
    )
    .all(w.end, w.start, w.end, w.start) as { person: string; o1: string; o2: string }[];
  for (const r of both) {
    out.push({
      rule: 'one_family',
      subject: r.person,
      rows: [r.o1, r.o2],
      explanation: `${maskCertNo(r.person)} 既是自己家庭共济关系的主账户人，又是另一家庭共济关系的家庭成员，每人只能加入一个家庭共济关系（违反${p.rules.one_family.citation}）。`,
      citation: p.rules.one_family.citation,
    });
  }
  return out;
}

/**
 * Anhui's order within one settlement: local family members (same region as the
 * beneficiary) before other regions, and local members in binding-time order.
 * Judged from the ledger's deduction sequence (扣款顺序) and the binding times.
 */
export function checkPaymentOrder(db: Database, p: PolicyProfile, w: Window): Finding[] {
  const rows = payments(db, w).filter((x) => x.kind === 'ledger-settlement' && x.seq !== null);
  const bySetl = new Map<string, Payment[]>();
  for (const r of rows) bySetl.set(r.key, [...(bySetl.get(r.key) ?? []), r]);
  const boundAt = db.prepare('SELECT min(bound_at) AS t FROM pb WHERE payer = ? AND ben = ?');
  const out: Finding[] = [];
  for (const [key, ps] of bySetl) {
    if (ps.length < 2) continue;
    const ordered = [...ps].sort((a, b) => a.seq! - b.seq!);
    const rank = (x: Payment) => [x.pr === x.br ? 0 : 1, (boundAt.get(x.payer, x.ben) as { t: string | null }).t ?? '9999'] as const;
    for (let i = 1; i < ordered.length; i++) {
      const a = rank(ordered[i - 1]!);
      const b = rank(ordered[i]!);
      const wrong = a[0] > b[0] || (a[0] === b[0] && a[0] === 0 && a[1] > b[1]);
      if (wrong) {
        const why = a[0] > b[0] ? '异地授权人先于本地家庭成员扣款' : '本地家庭成员没有按绑定时间先后扣款';
        out.push({
          rule: 'payment_order',
          subject: key,
          rows: ordered.map((x) => x.origin),
          explanation: `结算 ${key} 的共济扣款顺序不对：${why}（第 ${ordered[i - 1]!.seq} 位 ${maskCertNo(ordered[i - 1]!.payer)}、第 ${ordered[i]!.seq} 位 ${maskCertNo(ordered[i]!.payer)}），应“先本地后异地、本地内按绑定时间顺序”（违反${p.rules.payment_order.citation}）。`,
          citation: p.rules.payment_order.citation,
        });
        break;
      }
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

export const RULE_LABELS: Record<RuleId, string> = {
  binding_required: '无有效绑定关系的共济支付',
  relations: '亲属关系超出范围',
  family_size: '家庭账户人数超限',
  cross_region_single_authorizer: '被授权人被多位跨统筹区授权人绑定',
  one_family: '一人加入多个家庭共济关系',
  payment_order: '共济扣款顺序不符',
  premium_no_partial: '部分代缴保费',
  excluded_regions: '不纳入共济范围的参保人使用共济',
};
