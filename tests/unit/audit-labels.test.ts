// Every action the engine writes to the audit trail is shown in words, in both
// languages of the interface: an action added without a label would show its code
// (`policy.select`) to an auditor, and an English label missing would show Chinese
// in the English interface.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakQuery } from '../../shared/contract';
import { AUDIT_ACTION_LABELS, AUDIT_ACTION_LABELS_EN, AUDIT_DETAIL_KEYS, auditActionLabel, auditDetailSummary, auditTargetText } from '../../shared/audit-labels';

const ENGINE = path.resolve(import.meta.dirname, '../../electron/engine');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

/** The object literal after each `detail: ` in a source, its parenthesised parts (calls, spreads) left out. */
function detailLiterals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/detail: \{/g)) {
    let depth = 0;
    let paren = 0;
    let lit = '';
    for (let i = m.index! + 'detail: '.length; i < text.length; i++) {
      const c = text[i]!;
      if (c === '(') paren++;
      if (paren === 0) lit += c;
      if (c === ')') paren--;
      if (paren > 0) continue;
      if (c === '{') depth++;
      if (c === '}' && --depth === 0) break;
    }
    out.push(lit);
  }
  return out;
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

  it('name every key of the details the engine writes, in both languages', () => {
    const keys = new Set<string>();
    for (const file of sources(ENGINE)) {
      for (const lit of detailLiterals(fs.readFileSync(file, 'utf8'))) {
        for (const m of lit.matchAll(/[{,]\s*([A-Za-z_$][\w$]*)\s*:/g)) keys.add(m[1]!);
        for (const m of lit.matchAll(/[{,]\s*([A-Za-z_$][\w$]*)\s*(?=[,}])/g)) keys.add(m[1]!);
      }
    }
    // Keys inside a spread the scan leaves out (a restore from another workstation).
    keys.add('foreign').add('workstation');
    // An export's query is the contract's break query, whole: each of its filters.
    for (const k of Object.keys(breakQuery.shape)) keys.add(k);
    expect(keys.size).toBeGreaterThan(50);
    for (const k of keys) {
      expect(AUDIT_DETAIL_KEYS, k).toContain(k);
      expect(auditDetailSummary(JSON.stringify({ [k]: 1 }), 'en'), k).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('reads the codes a detail holds as words: kinds, statuses, fields, break types, an undone action', () => {
    const run = JSON.stringify({ runId: 3, breaks: [['LEDGER_ONLY', 3], ['IN_TRANSIT', 2]], held: 0, listed: true });
    expect(auditDetailSummary(run)).toBe('对账批次：3；差异：医保单边 3、在途 2；保持不变：0；沿用未结清单：是');
    expect(auditDetailSummary(run, 'en')).toBe('run: 3; breaks: Ledger only 3, In transit 2; held as they were: 0; open list reused: yes');
    const exported = JSON.stringify({ query: { kind: 'premium', status: 'all' }, format: 'xlsx', rows: 21 });
    expect(auditDetailSummary(exported)).toBe('条件：类型 缴费共济，状态 全部；格式：xlsx；行数：21');
    expect(auditDetailSummary(JSON.stringify({ file: 'a.csv', kind: 'tax-premium' }), 'en')).toBe('file: a.csv; kind: Tax bureau: premium extract');
    expect(auditDetailSummary(JSON.stringify({ key: 'JF1', fields: ['certno', 'name'] }))).toBe('单号：JF1；字段：证件号码、姓名');
    expect(auditDetailSummary(JSON.stringify({ grp: 'g', undid: 'dispose', ids: [4] }), 'en')).toBe('group: g; undid: Disposed; breaks: 4');
    // No filter: a dash, not an empty value after its label.
    expect(auditDetailSummary(JSON.stringify({ query: {}, rows: 3 }))).toBe('条件：—；行数：3');
    // Nothing skipped, no roles: a dash too; a policy profile by its version, not `id@version`.
    const check = JSON.stringify({ profile: 'zhejiang-2024@0', findings: 11, skipped: [] });
    expect(auditDetailSummary(check)).toBe('方案：zhejiang-2024 v0；发现：11；未检查：—');
    expect(auditDetailSummary(check, 'en')).toBe('profile: zhejiang-2024 v0; findings: 11; not checked: —');
    expect(auditDetailSummary(JSON.stringify({ roles: [] }))).toBe('角色：—');
    // An export's filters in the workbench's words.
    const filtered = JSON.stringify({ query: { kind: 'premium', types: ['LEDGER_ONLY', 'EXTERNAL_ONLY'], paired: true }, rows: 2 });
    expect(auditDetailSummary(filtered)).toBe('条件：类型 缴费共济，差异类型 医保单边、对方单边，只看可能成对 是；行数：2');
    expect(auditDetailSummary(filtered, 'en')).toBe('query: kind premium mutual aid, break types Ledger only, Other side only, likely pairs only yes; rows: 2');
  });

  it('reads a detail in either language, the JSON never shown as it is', () => {
    const detail = JSON.stringify({ after: { name: 'li', displayName: '李对账', roles: ['officer', 'finance'], disabled: false }, ids: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(auditDetailSummary(detail)).toBe('之后：名称 li，显示名 李对账，角色 对账员、财务复核，停用 否；差异：1、2、3、4、5、6 等 8 项');
    expect(auditDetailSummary(detail, 'en')).toBe('after: name li, display name 李对账, roles Officer, Finance, disabled no; breaks: 1, 2, 3, 4, 5, 6 and 2 more');
  });

  it('names what an entry acted on in words, and leaves a file name or a period as it is', () => {
    const cases: [string, string, string][] = [
      ['host:cli', '命令行', 'command line'],
      ['host:http', '浏览器', 'browser'],
      ['user:li', '用户 li', 'user li'],
      ['batch:3', '批次 3', 'batch 3'],
      ['break:12', '差异 12', 'break 12'],
      ['breaks:5', '5 条差异', '5 breaks'],
      ['breaks:premium', '缴费共济差异', 'breaks of premium mutual aid'],
      ['findings:2', '2 项发现', '2 findings'],
      ['statement:7', '清算报表 7', 'statement 7'],
      ['premium:2025-W47', '缴费共济 2025-W47', 'premium mutual aid 2025-W47'],
      ['settlement:2025-11', '就医共济 2025-11', 'care mutual aid 2025-11'],
      ['审计日志-20261202225520.xlsx', '审计日志-20261202225520.xlsx', '审计日志-20261202225520.xlsx'],
      ['2025-11', '2025-11', '2025-11'],
      ['zhejiang-2024@1', 'zhejiang-2024@1', 'zhejiang-2024@1'],
      ['batch:x', 'batch:x', 'batch:x'],
    ];
    for (const [stored, zh, en] of cases) {
      expect(auditTargetText(stored), stored).toBe(zh);
      expect(auditTargetText(stored, 'en'), stored).toBe(en);
    }
    expect(auditTargetText(null)).toBe('');
    // The host an action came through, inside its detail too.
    expect(auditDetailSummary(JSON.stringify({ host: 'electron' }))).toBe('来自：桌面程序');
  });

  it('falls back to the code for an action not named (a newer workstation\'s trail)', () => {
    expect(auditActionLabel('policy.select')).toBe('切换政策方案');
    expect(auditActionLabel('policy.select', 'en')).toBe('Switched the policy profile');
    expect(auditActionLabel('future.action', 'en')).toBe('future.action');
  });
});
