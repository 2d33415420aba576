// 复核: finance opens the same bundle, which must verify; the confirmer must not be
// the preparer (nor use the preparer's key); the co-signature goes beside the
// preparer's over the same manifest bytes, with the confirmer's own signed record;
// then the month is locked.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { weeksOfMonth } from '../periods/weeks-of-month';
import { lockPending } from '../periods/lock-pending';
import { appendAudit } from '../audit/audit-log';
import { sm3Hex } from '../sign/digests';
import { assertOwnKey, workstationTrust } from '../sign/trust-list';
import { beijingIso } from '../../../shared/beijing-time';
import { RECON_KIND_LABELS } from '../../../shared/labels';
import { readBundle, zipFolder } from './bundle-files';
import { verifyFiles, type VerifyReport } from './verify-bundle';
import { displayNameOf, findStatementByManifest, getStatement, type Signer, type StatementInfo } from './prepare-statement';
import { writeSignature } from './write-signature';
import type { Manifest } from './manifest';


/**
 * `carry`: finance's reason to lock the month while write-offs wait or breaks are
 * open in it (lockPending); without one, such a month is not locked. The carried
 * breaks stay open and are worked in the next open period.
 */
export function confirmStatement(db: Database, bundleDir: string, signer: Signer, carry?: string): { statement: StatementInfo | null; report: VerifyReport; locked: string[] } {
  const st0 = fs.lstatSync(bundleDir, { throwIfNoEntry: false });
  if (!st0 || st0.isSymbolicLink() || !st0.isDirectory()) throw new EngineError('BAD_REQUEST', `复核需要报表包的文件夹（不能是链接）：${bundleDir}`);
  assertOwnKey(db, signer.user, signer.fingerprint);
  // The bundle must verify against this workstation's trust list: a preparer whose
  // key is unknown or revoked is refused, and no period is locked for it.
  const bundle = readBundle(bundleDir);
  const before = verifyFiles(bundle, bundleDir, workstationTrust(db));
  if (before.confirmed) throw new EngineError('CONFLICT', '这份报表已经复核过了');
  if (!before.ok) throw new EngineError('CONFLICT', `报表包验证不通过，不能复核：${before.problems.join('；')}`, { report: before });
  const manifestRaw = bundle.files.get('manifest.json')!;
  const m = JSON.parse(manifestRaw.toString('utf8')) as Manifest;
  const preparer = m.signers.find((s) => s.role === 'preparer')!;
  if (preparer.name === signer.user) throw new EngineError('FORBIDDEN', `${signer.user} 是这份报表的编制人，不能自己复核：须由另一位财务人员复核`);
  if (preparer.fingerprint === signer.fingerprint) throw new EngineError('FORBIDDEN', '复核不能使用编制人的密钥');

  const pending = lockPending(db, m.period);
  const waiting = pending.writeOffs.length + pending.openBreaks.reduce((s, b) => s + b.count, 0);
  if (waiting && !carry?.trim()) {
    const parts = [
      pending.writeOffs.length ? `${pending.writeOffs.length} 笔核销待审批（${pending.writeOffs.slice(0, 3).map((w) => w.key).join('、')}${pending.writeOffs.length > 3 ? ' 等' : ''}）` : '',
      ...pending.openBreaks.filter((b) => b.count).map((b) => `${RECON_KIND_LABELS[b.kind]} ${b.count} 笔差异未处理`),
    ].filter(Boolean);
    throw new EngineError('CONFLICT', `复核会锁定 ${pending.periods.map((p) => p.split(':')[1]).join('、')}，其中还有 ${parts.join('，')}：请先处理，或填写结转理由后再复核（结转的差异在下一个未锁定的期间继续处理）`, { pending });
  }
  const time = beijingIso();
  const manifestSm3 = sm3Hex(manifestRaw);
  writeSignature(path.join(bundleDir, 'signatures'), 'finance', manifestRaw, { role: 'finance', label: '复核', name: signer.user, displayName: displayNameOf(db, signer.user), fingerprint: signer.fingerprint, time, manifestSm3 }, signer);
  // The zip is rewritten whole beside the old one, then replaces it.
  const zip = zipFolder(bundleDir);
  const report = verifyFiles(readBundle(bundleDir), bundleDir, workstationTrust(db));

  const locked = db.transaction(() => {
    const st = findStatementByManifest(db, manifestSm3);
    if (st) db.prepare("UPDATE statement SET status = 'confirmed', confirmed_by = ?, confirmed_at = ?, confirmer_fpr = ? WHERE id = ?").run(signer.user, time, signer.fingerprint, st.id);
    const periods: [string, string][] = [['settlement', m.period], ...weeksOfMonth(m.period).map((w): [string, string] => ['premium', w])];
    const ins = db.prepare('INSERT OR IGNORE INTO period_lock (kind, period, locked_at, locked_by, reason) VALUES (?, ?, ?, ?, ?)');
    const done: string[] = [];
    for (const [kind, period] of periods) if (ins.run(kind, period, time, signer.user, `复核 ${m.name}`).changes) done.push(`${kind}:${period}`);
    appendAudit(db, { actor: signer.user, action: 'statement.confirm', target: st ? `statement:${st.id}` : m.name, detail: { name: m.name, manifestSm3, fingerprint: signer.fingerprint, preparer: preparer.name, zip } });
    appendAudit(db, { actor: signer.user, action: 'period.lock', target: m.period, detail: { locked: done, by: m.name } });
    if (waiting) appendAudit(db, { actor: signer.user, action: 'period.carry', target: m.period, detail: { reason: carry!.trim(), writeOffs: pending.writeOffs.map((w) => w.id), breaks: pending.breakIds } });
    return done;
  })();
  const st = findStatementByManifest(db, manifestSm3);
  return { statement: st ? getStatement(db, st.id) : null, report, locked };
}
