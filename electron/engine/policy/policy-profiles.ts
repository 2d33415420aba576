// Policy profiles: the provinces' rules as data (resources/policy/*.json), each rule
// citing its document and clause. Edits are kept as new versions in the database;
// the workstation's profile is a setting.
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { EngineError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import { getSetting, setSetting } from '../system/settings';
import zhejiang from '../../../resources/policy/zhejiang-2024.json';
import anhui from '../../../resources/policy/anhui-2024.json';
import jiangsu from '../../../resources/policy/jiangsu-2022.json';

const rule = z.object({ enabled: z.boolean(), citation: z.string() });
export const policySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  province: z.string().regex(/^\d{6}$/),
  document: z.string().min(1),
  rules: z.object({
    binding_required: rule,
    relations: rule.extend({ allowed: z.array(z.string()) }),
    family_size: rule.extend({ max: z.number().int().min(0) }),
    cross_region_single_authorizer: rule,
    one_family: rule,
    /** The steps of the province's order, judged where the data shows them (all three when absent). */
    payment_order: rule.extend({ order: z.array(z.enum(['own', 'local', 'binding_time'])).optional() }),
    premium_no_partial: rule,
    excluded_regions: rule.extend({ regions: z.array(z.string().regex(/^\d{6}$/)) }),
  }),
});
export type PolicyProfile = z.infer<typeof policySchema> & { version: number };

const BUILTIN = [zhejiang, anhui, jiangsu].map((p) => ({ ...policySchema.parse(p), version: 0 }));

export function listPolicies(db: Database): PolicyProfile[] {
  const latest = db.prepare('SELECT id, max(version) v, definition FROM policy_profile GROUP BY id').all() as { id: string; v: number; definition: string }[];
  const saved = latest.map((r) => ({ ...policySchema.parse(JSON.parse(r.definition)), version: r.v }));
  return [...saved, ...BUILTIN.filter((b) => !saved.some((s) => s.id === b.id))];
}

/** A profile's latest version by its id. */
export function policyById(db: Database, id: string): PolicyProfile {
  const p = listPolicies(db).find((x) => x.id === id);
  if (!p) throw new EngineError('NOT_FOUND', `没有政策方案 ${id}（可用：${listPolicies(db).map((x) => x.id).join('、')}）`);
  return p;
}

export function activePolicy(db: Database): PolicyProfile {
  return policyById(db, getSetting(db, 'policy_profile', 'zhejiang-2024'));
}

export function selectPolicy(db: Database, id: string, user: string): PolicyProfile {
  const p = policyById(db, id);
  db.transaction(() => {
    const before = getSetting(db, 'policy_profile', 'zhejiang-2024');
    setSetting(db, 'policy_profile', id);
    appendAudit(db, { actor: user, action: 'policy.select', target: id, detail: { before, after: id } });
  })();
  return p;
}

/** Saves an edited profile as its next version; earlier versions stay for the findings that cite them. */
export function savePolicy(db: Database, def: unknown, user: string): PolicyProfile {
  const p = policySchema.parse(def);
  return db.transaction(() => {
    const v = ((db.prepare('SELECT max(version) v FROM policy_profile WHERE id = ?').get(p.id) as { v: number | null }).v ?? 0) + 1;
    db.prepare('INSERT INTO policy_profile (id, version, definition, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(p.id, v, JSON.stringify(p), user, new Date().toISOString());
    appendAudit(db, { actor: user, action: 'policy.save', target: `${p.id}@${v}`, detail: { after: p } });
    return { ...p, version: v };
  })();
}
