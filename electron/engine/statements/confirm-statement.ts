// 复核: finance opens the same bundle, which must verify; the confirmer must not be
// the preparer (nor use the preparer's key); the co-signature goes beside the
// preparer's over the same manifest bytes; then the month is locked.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { periodBounds, periodOf } from '../../../shared/periods';
import { appendAudit } from '../audit/audit-log';
import { publicKeyPem } from '../sign/sm2-keys';
import { signBytes } from '../sign/sm2-sign';
import { sm3Hex } from '../sign/digests';
import { readBundle, zipFolder } from './bundle-files';
import { verifyFiles, type VerifyReport } from './verify-bundle';
import { findStatementByManifest, getStatement, type Signer, type StatementInfo } from './prepare-statement';
import type { Manifest } from './manifest';

/** The ISO weeks whose Thursday falls in the month: the premium periods a month's confirmation locks. */
export function weeksOfMonth(month: string): string[] {
  const { start, end } = periodBounds(month);
  const weeks = new Set<string>();
  for (let t = Date.parse(start.replace(' ', 'T') + 'Z'); t < Date.parse(end.replace(' ', 'T') + 'Z'); t += 86400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 4) weeks.add(periodOf(d.toISOString().slice(0, 10), 'week'));
  }
  return [...weeks];
}

export function confirmStatement(db: Database, bundleDir: string, signer: Signer): { statement: StatementInfo | null; report: VerifyReport; locked: string[] } {
  if (!fs.existsSync(bundleDir) || !fs.statSync(bundleDir).isDirectory()) throw new EngineError('BAD_REQUEST', `复核需要报表包的文件夹：${bundleDir}`);
  const { files } = readBundle(bundleDir);
  const before = verifyFiles(files, bundleDir, 'folder');
  if (!before.ok) throw new EngineError('CONFLICT', `报表包验证不通过，不能复核：${before.problems.join('；')}`, { report: before });
  if (before.confirmed) throw new EngineError('CONFLICT', '这份报表已经复核过了');
  const manifestRaw = files.get('manifest.json')!;
  const m = JSON.parse(manifestRaw.toString('utf8')) as Manifest;
  const preparer = m.signers.find((s) => s.role === 'preparer')!;
  if (preparer.name === signer.user) throw new EngineError('FORBIDDEN', `${signer.user} 是这份报表的编制人，不能自己复核：须由另一位财务人员复核`);
  if (preparer.fingerprint === signer.fingerprint) throw new EngineError('FORBIDDEN', '复核不能使用编制人的密钥');

  const time = new Date().toISOString();
  fs.writeFileSync(path.join(bundleDir, 'signatures', 'finance.sig'), signBytes(manifestRaw, signer.privateKey, signer.publicKey));
  fs.writeFileSync(path.join(bundleDir, 'signatures', 'finance.pem'), publicKeyPem(signer.publicKey));
  fs.writeFileSync(path.join(bundleDir, 'signatures', 'finance.json'), JSON.stringify({ role: 'finance', label: '复核', name: signer.user, fingerprint: signer.fingerprint, time, manifestSm3: sm3Hex(manifestRaw) }, null, 2) + '\n');
  zipFolder(bundleDir);
  const report = verifyFiles(readBundle(bundleDir).files, bundleDir, 'folder');

  const locked = db.transaction(() => {
    const st = findStatementByManifest(db, sm3Hex(manifestRaw));
    if (st) db.prepare("UPDATE statement SET status = 'confirmed', confirmed_by = ?, confirmed_at = ?, confirmer_fpr = ? WHERE id = ?").run(signer.user, time, signer.fingerprint, st.id);
    const periods: [string, string][] = [['settlement', m.period], ...weeksOfMonth(m.period).map((w): [string, string] => ['premium', w])];
    const ins = db.prepare('INSERT OR IGNORE INTO period_lock (kind, period, locked_at, locked_by, reason) VALUES (?, ?, ?, ?, ?)');
    const done: string[] = [];
    for (const [kind, period] of periods) if (ins.run(kind, period, time, signer.user, `复核 ${m.name}`).changes) done.push(`${kind}:${period}`);
    appendAudit(db, { actor: signer.user, action: 'statement.confirm', target: st ? `statement:${st.id}` : m.name, detail: { name: m.name, manifestSm3: sm3Hex(manifestRaw), fingerprint: signer.fingerprint, preparer: preparer.name } });
    appendAudit(db, { actor: signer.user, action: 'period.lock', target: m.period, detail: { locked: done, by: m.name } });
    return done;
  })();
  const st = findStatementByManifest(db, sm3Hex(manifestRaw));
  return { statement: st ? getStatement(db, st.id) : null, report, locked };
}
