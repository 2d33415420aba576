// Every action the engine writes to the audit trail is shown in words, in both
// languages of the interface: an action added without a label would show its code
// (`policy.select`) to an auditor, and an English label missing would show Chinese
// in the English interface.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, AUDIT_ACTION_LABELS_EN, auditActionLabel, auditDetailSummary } from '../../shared/audit-labels';

const ENGINE = path.resolve(import.meta.dirname, '../../electron/engine');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

describe('audit action labels', () => {
  it('name every action the engine writes, in Chinese and in English', () => {
    const written = new Set<string>();
    for (const file of sources(ENGINE)) for (const m of fs.readFileSync(file, 'utf8').matchAll(/action: '([a-z][a-z.-]*)'/g)) written.add(m[1]!);
    // Actions whose code is built from a variable, written out.
    for (const a of ['break.assign', 'break.dispose', 'break.propose-writeoff', 'break.approve-writeoff', 'break.reject-writeoff', 'key.generate', 'key.import']) written.add(a);
    expect(written.size).toBeGreaterThan(35);
    for (const a of written) {
      expect(AUDIT_ACTION_LABELS[a], a).toBeTruthy();
      expect(AUDIT_ACTION_LABELS_EN[a], a).toBeTruthy();
    }
    expect(Object.keys(AUDIT_ACTION_LABELS_EN).sort()).toEqual(Object.keys(AUDIT_ACTION_LABELS).sort());
  });

  it('reads a detail in either language, the JSON never shown as it is', () => {
    const detail = JSON.stringify({ after: { name: 'li', displayName: '李对账', roles: ['officer', 'finance'], disabled: false }, ids: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(auditDetailSummary(detail)).toBe('之后：名称 li，显示名 李对账，角色 对账员、财务复核，停用 否；差异：1、2、3、4、5、6 等 8 项');
    expect(auditDetailSummary(detail, 'en')).toBe('after: name li, display name 李对账, roles Officer, Finance, disabled no; breaks: 1, 2, 3, 4, 5, 6 and 2 more');
  });

  it('falls back to the code for an action not named (a newer workstation\'s trail)', () => {
    expect(auditActionLabel('policy.select')).toBe('切换政策方案');
    expect(auditActionLabel('policy.select', 'en')).toBe('Switched the policy profile');
    expect(auditActionLabel('future.action', 'en')).toBe('future.action');
  });
});
