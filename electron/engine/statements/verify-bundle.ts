// Verifies a bundle the way an auditor needs it: each file's size and digests
// against the manifest, each signature over the manifest's exact bytes, who signed
// with which key and when — and a clear failure naming the file that does not fit.
import { EngineError } from '../../../shared/errors';
import { fingerprint, publicKeyFromPem } from '../sign/sm2-keys';
import { verifyBytes } from '../sign/sm2-sign';
import { sha256Hex, sm3Hex } from '../sign/digests';
import { BUNDLE_FORMAT, type Manifest } from './manifest';
import { readBundle, type BundleFiles } from './bundle-files';
import type { VerifyReport } from '../../../shared/clearing-types';

export type { VerifyReport };

const ROLES = [
  { role: 'preparer', label: '编制', required: true },
  { role: 'finance', label: '复核', required: false },
] as const;

export function verifyFiles(files: BundleFiles, path: string, source: 'folder' | 'zip'): VerifyReport {
  const report: VerifyReport = { ok: false, confirmed: false, path, source, name: null, region: null, period: null, files: [], signatures: [], totals: null, problems: [] };
  const manifestRaw = files.get('manifest.json');
  if (!manifestRaw) {
    report.problems.push('manifest.json：包里没有清单文件');
    return report;
  }
  let m: Manifest;
  try {
    m = JSON.parse(manifestRaw.toString('utf8')) as Manifest;
    if (m.format !== BUNDLE_FORMAT || !Array.isArray(m.files) || !Array.isArray(m.signers)) throw new Error('不是清算报表包的清单');
  } catch (e) {
    report.problems.push(`manifest.json：无法解析（${(e as Error).message}），文件可能被改动`);
    return report;
  }
  report.name = m.name;
  report.region = m.region;
  report.period = m.period;
  report.totals = m.totals;

  for (const f of m.files) {
    const bytes = files.get(f.name);
    if (!bytes) {
      report.problems.push(`${f.name}：清单中有，包里没有`);
      report.files.push({ name: f.name, size: f.size, sizeOk: false, sm3Ok: false, sha256Ok: false, ok: false });
      continue;
    }
    const entry = { name: f.name, size: bytes.length, sizeOk: bytes.length === f.size, sm3Ok: sm3Hex(bytes) === f.sm3, sha256Ok: sha256Hex(bytes) === f.sha256, ok: false };
    entry.ok = entry.sizeOk && entry.sm3Ok && entry.sha256Ok;
    if (!entry.ok) report.problems.push(`${f.name}：大小或摘要与清单不符（文件被改动）`);
    report.files.push(entry);
  }
  const known = new Set(['manifest.json', ...m.files.map((f) => f.name)]);
  for (const name of files.keys()) {
    if (!known.has(name) && !name.startsWith('signatures/')) report.problems.push(`${name}：清单中没有这个文件`);
  }

  for (const r of ROLES) {
    const sigFile = `signatures/${r.role}.sig`;
    const sig = files.get(sigFile);
    const pem = files.get(`signatures/${r.role}.pem`);
    if (!sig || !pem) {
      if (r.required) report.problems.push(`${sigFile}：缺少${r.label}签名`);
      continue;
    }
    let fpr: string | null = null;
    let ok = false;
    try {
      const pub = publicKeyFromPem(pem.toString('utf8'));
      fpr = fingerprint(pub);
      ok = verifyBytes(manifestRaw, sig, pub);
    } catch (e) {
      report.problems.push(`signatures/${r.role}.pem：${(e as Error).message}`);
    }
    const declared = r.role === 'preparer' ? m.signers.find((s) => s.role === 'preparer') : readInfo(files.get('signatures/finance.json'));
    if (!ok) report.problems.push(`manifest.json：${r.label}签名验证失败（manifest.json 或 ${sigFile} 被改动）`);
    if (ok && declared && declared.fingerprint !== fpr) {
      report.problems.push(`signatures/${r.role}.pem：公钥指纹与${r.role === 'preparer' ? '清单' : 'finance.json'}记载的不符`);
      ok = false;
    }
    report.signatures.push({ role: r.role, label: r.label, ok, signer: declared?.name ?? null, time: declared?.time ?? null, fingerprint: fpr, file: sigFile });
  }
  const preparer = report.signatures.find((s) => s.role === 'preparer');
  const finance = report.signatures.find((s) => s.role === 'finance');
  if (preparer && finance && preparer.fingerprint === finance.fingerprint) report.problems.push('signatures/finance.sig：复核与编制用的是同一把密钥');
  if (preparer && finance && preparer.signer && preparer.signer === finance.signer) report.problems.push('signatures/finance.json：复核人与编制人是同一人');
  report.confirmed = !!finance?.ok;
  report.ok = report.problems.length === 0;
  return report;
}

function readInfo(bytes: Buffer | undefined): { name: string; fingerprint: string; time: string } | null {
  if (!bytes) return null;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}

export function verifyBundle(p: string): VerifyReport {
  const { files, source } = readBundle(p);
  if (!files.size) throw new EngineError('BAD_REQUEST', `报表包是空的：${p}`);
  return verifyFiles(files, p, source);
}
