// Verifies a bundle the way an auditor needs it: each file's size and digests
// against the manifest; each signature over the manifest's exact bytes; each
// signer's own record (who, role, when, which manifest) signed by that signer;
// and each signer's key judged against a trust list — a valid signature by an
// unknown or revoked key proves nothing, so it fails. A clear failure names the
// file that does not fit.
import { EngineError } from '../../../shared/errors';
import { fingerprint, publicKeyFromPem } from '../sign/sm2-keys';
import { verifyBytes } from '../sign/sm2-sign';
import { sha256Hex, sm3Hex } from '../sign/digests';
import type { TrustList } from '../sign/trust-list';
import { BUNDLE_FORMAT, SIGNER_ROLES, type Manifest, type SignerRecord } from './manifest';
import { readBundle, type ReadBundle } from './bundle-files';
import type { VerifyReport } from '../../../shared/clearing-types';
import type { Role } from '../../../shared/roles';

export type { VerifyReport };

/** The account role a signer must hold for each signature. */
const NEEDS: Record<'preparer' | 'finance', Role> = { preparer: 'officer', finance: 'finance' };

function parseJson<T>(bytes: Buffer | undefined): T | null {
  if (!bytes) return null;
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    return null;
  }
}

export function verifyFiles(bundle: ReadBundle, path: string, trust: TrustList | null): VerifyReport {
  const { files, source } = bundle;
  const report: VerifyReport = {
    ok: false, confirmed: false, path, source, name: null, region: null, period: null, files: [], signatures: [], totals: null, auditHead: null,
    trustSource: trust?.source ?? null, problems: [],
  };
  for (const x of bundle.extra) report.problems.push(`${x}：清单中没有这个文件（报表包里不能有其他文件）`);
  for (const x of bundle.wrongSize) report.problems.push(`${x.name}：大小 ${x.size} 字节与清单不符（文件被改动）`);
  const manifestRaw = files.get('manifest.json');
  if (!manifestRaw) {
    report.problems.push('manifest.json：包里没有清单文件');
    return report;
  }
  const m = parseJson<Manifest>(manifestRaw);
  if (!m || m.format !== BUNDLE_FORMAT || !Array.isArray(m.files) || !Array.isArray(m.signers)) {
    report.problems.push('manifest.json：无法解析，不是清算报表包的清单，文件可能被改动');
    return report;
  }
  report.name = m.name;
  report.region = m.region;
  report.period = m.period;
  report.totals = m.totals;
  report.auditHead = m.auditHead ?? null;
  const manifestSm3 = sm3Hex(manifestRaw);

  for (const f of m.files) {
    const bytes = files.get(f.name);
    if (!bytes) {
      if (!bundle.wrongSize.some((w) => w.name === f.name)) report.problems.push(`${f.name}：清单中有，包里没有`);
      report.files.push({ name: f.name, size: f.size, sizeOk: false, sm3Ok: false, sha256Ok: false, ok: false });
      continue;
    }
    const entry = { name: f.name, size: bytes.length, sizeOk: bytes.length === f.size, sm3Ok: sm3Hex(bytes) === f.sm3, sha256Ok: sha256Hex(bytes) === f.sha256, ok: false };
    entry.ok = entry.sizeOk && entry.sm3Ok && entry.sha256Ok;
    if (!entry.ok) report.problems.push(`${f.name}：大小或摘要与清单不符（文件被改动）`);
    report.files.push(entry);
  }

  for (const r of SIGNER_ROLES) {
    const base = `signatures/${r.role}`;
    const sig = files.get(`${base}.sig`);
    const pem = files.get(`${base}.pem`);
    const recordRaw = files.get(`${base}.json`);
    const recordSig = files.get(`${base}.json.sig`);
    const present = [sig, pem, recordRaw, recordSig].filter(Boolean).length;
    if (present === 0) {
      if (r.required) report.problems.push(`${base}.sig：缺少${r.label}签名`);
      continue;
    }
    const out: VerifyReport['signatures'][number] = { role: r.role, label: r.label, ok: false, signer: null, displayName: null, time: null, fingerprint: null, trusted: false, trust: '', file: `${base}.sig` };
    report.signatures.push(out);
    if (!sig || !pem || !recordRaw || !recordSig) {
      report.problems.push(`${base}.*：${r.label}签名不完整（须有 .sig、.pem、.json 和 .json.sig）`);
      continue;
    }
    let pub: string;
    try {
      pub = publicKeyFromPem(pem.toString('utf8'));
    } catch (e) {
      report.problems.push(`${base}.pem：${(e as Error).message}`);
      continue;
    }
    out.fingerprint = fingerprint(pub);
    const manifestOk = verifyBytes(manifestRaw, sig, pub);
    if (!manifestOk) report.problems.push(`manifest.json：${r.label}签名验证失败（manifest.json 或 ${base}.sig 被改动）`);
    // The signer's record — who, in which role, when, over which manifest — is signed by the same key.
    const recordOk = verifyBytes(recordRaw, recordSig, pub);
    const record = parseJson<SignerRecord>(recordRaw);
    if (!recordOk || !record) report.problems.push(`${base}.json：${r.label}人记录的签名验证失败（签署人、时间被改动）`);
    else {
      out.signer = record.name;
      out.displayName = record.displayName ?? null;
      out.time = record.time;
      if (record.role !== r.role) report.problems.push(`${base}.json：记录的角色“${record.role}”与签名文件不符`);
      if (record.manifestSm3 !== manifestSm3) report.problems.push(`${base}.json：记录所签的清单摘要与 manifest.json 不符`);
      if (record.fingerprint !== out.fingerprint) report.problems.push(`${base}.json：记录的密钥指纹与 ${base}.pem 不符`);
    }
    if (r.role === 'preparer') {
      const declared = m.signers.find((s) => s.role === 'preparer');
      if (!declared || declared.fingerprint !== out.fingerprint || (record && declared.name !== record.name)) report.problems.push(`${base}.pem：清单记载的编制人或密钥指纹与签名不符`);
    }
    // The signer, judged against the trust list.
    const t = trust?.signers.get(out.fingerprint);
    if (!trust) out.trust = '未指定信任列表：无法确认签署人';
    else if (!t) out.trust = `密钥不在${trust.source}中`;
    else if (t.revokedAt) out.trust = `密钥已于 ${t.revokedAt.slice(0, 19).replace('T', ' ')} 被 ${t.revokedBy ?? ''} 吊销（${t.revokeReason ?? ''}）`;
    else if (record && t.person !== record.name) out.trust = `密钥属于“${t.person}”，记录却写“${record.name}”`;
    else if (!t.roles.includes(NEEDS[r.role])) out.trust = `“${t.person}”登记的角色中没有${r.role === 'preparer' ? '对账员' : '财务复核'}`;
    else {
      out.trusted = true;
      out.trust = `受信任：${t.displayName}（${t.person}），${trust.source}`;
      out.displayName = t.displayName;
    }
    if (!out.trusted) report.problems.push(`${base}.pem：${r.label}签署人不受信任——${out.trust}`);
    out.ok = manifestOk && recordOk && out.trusted && !report.problems.some((x) => x.startsWith(`${base}.`));
  }
  const preparer = report.signatures.find((s) => s.role === 'preparer');
  const finance = report.signatures.find((s) => s.role === 'finance');
  if (preparer?.fingerprint && finance?.fingerprint && preparer.fingerprint === finance.fingerprint) report.problems.push('signatures/finance.sig：复核与编制用的是同一把密钥');
  if (preparer?.signer && finance?.signer && preparer.signer === finance.signer) report.problems.push('signatures/finance.json：复核人与编制人是同一人');
  report.confirmed = !!finance?.ok;
  report.ok = report.problems.length === 0;
  return report;
}

export function verifyBundle(p: string, trust: TrustList | null): VerifyReport {
  const bundle = readBundle(p);
  if (!bundle.files.size && !bundle.extra.length) throw new EngineError('BAD_REQUEST', `报表包是空的：${p}`);
  return verifyFiles(bundle, p, trust);
}
