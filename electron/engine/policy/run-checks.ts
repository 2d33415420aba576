// A policy check of one period under the workstation's profile: every enabled rule
// runs, the period's findings are replaced (a re-run gives the same list), and the
// run is audited.
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { periodBounds } from '../../../shared/periods';
import { appendAudit } from '../audit/audit-log';
import { activePolicy, type PolicyProfile } from './policy-profiles';
import { loadBindings, RULES, RULE_LABELS, type Finding, type RuleId } from './policy-rules';
import type { PolicyCheckResult } from '../../../shared/policy-types';
import { dropRowView, materializeRows } from '../rowstore/row-view';
import { blockIds, loadBlock } from '../rowstore/block-store';


export function runPolicyChecks(db: Database, period: string, user: string, profile: PolicyProfile = activePolicy(db)): PolicyCheckResult {
  let w;
  try {
    w = periodBounds(period);
  } catch (e) {
    throw new EngineError('BAD_REQUEST', (e as Error).message);
  }
  return db.transaction(() => {
    viewRowsOf(db, w);
    const bindings = loadBindings(db);
    const skipped: string[] = [];
    const found: Finding[] = [];
    for (const [id, rule] of Object.entries(profile.rules) as [RuleId, { enabled: boolean }][]) {
      if (!rule.enabled) continue;
      if (id !== 'premium_no_partial' && id !== 'excluded_regions' && bindings === 0) {
        skipped.push(`${RULE_LABELS[id]}：没有导入绑定关系（binding），无法判断`);
        continue;
      }
      found.push(...RULES[id](db, profile, w));
    }
    // A re-run replaces the period's open findings; worked ones stay as they were.
    const kept = db.prepare("SELECT rule, subject FROM policy_finding WHERE period = ? AND profile = ? AND status = 'closed'").all(period, profile.id) as { rule: string; subject: string }[];
    const done = new Set(kept.map((k) => `${k.rule}|${k.subject}`));
    db.prepare("DELETE FROM policy_finding WHERE period = ? AND profile = ? AND status = 'open'").run(period, profile.id);
    const ins = db.prepare('INSERT INTO policy_finding (period, rule, profile, profile_version, subject, rows, explanation, citation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const at = new Date().toISOString();
    const findings = found.filter((f) => !done.has(`${f.rule}|${f.subject}`)).map((f) => ({
      id: Number(ins.run(period, f.rule, profile.id, profile.version, f.subject, JSON.stringify(f.rows), f.explanation, f.citation, at).lastInsertRowid),
      period,
      rule: f.rule,
      label: RULE_LABELS[f.rule],
      profile: profile.id,
      profileVersion: profile.version,
      rows: f.rows,
      explanation: f.explanation,
      citation: f.citation,
      status: 'open',
      resolution: null,
      note: null,
    }));
    appendAudit(db, { actor: user, action: 'policy.check', target: period, detail: { profile: `${profile.id}@${profile.version}`, findings: findings.length, skipped } });
    db.exec('DROP TABLE IF EXISTS temp.pb');
    dropRowView(db);
    return { period, profile: profile.id, profileVersion: profile.version, findings, skipped };
  })();
}

/**
 * The rows the rules read, as temp.source_row: every binding, the period's 共济
 * payments, and the tax records of the orders paid in the period.
 */
function viewRowsOf(db: Database, w: { start: string; end: string }): void {
  const orders = new Set<string>();
  for (const id of blockIds(db, ['ledger-premium'], { from: w.start, to: w.end })) {
    const c = loadBlock(db, id).cols;
    const gk = c.str('gk');
    const at = c.str('event_at');
    for (let i = 0; i < c.n; i++) if (gk[i] && at[i]! >= w.start && at[i]! < w.end) orders.add(gk[i]!);
  }
  materializeRows(db, [
    { kinds: ['binding'] },
    { kinds: ['ledger-settlement', 'ledger-premium'], from: w.start, to: w.end },
    { kinds: ['tax-premium'], keep: (gk) => gk !== null && orders.has(gk) },
  ]);
}
