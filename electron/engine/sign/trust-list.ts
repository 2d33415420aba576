// The trust list of signers (受信任签章人): every public key the workstation knows,
// bound to exactly one account, with that account's roles when the key was added,
// who added it and when, and whether it was revoked. A valid signature by a key
// that is not on the list proves nothing, so verification judges the signer here.
// The list travels as a trust file signed by an administrator's key, for another
// workstation or an auditor to use.
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { EngineError } from '../../../shared/errors';
import type { Role } from '../../../shared/roles';
import type { TrustedSignerInfo } from '../../../shared/clearing-types';
import { beijingIso } from '../../../shared/beijing-time';
import { appendAudit } from '../audit/audit-log';
import { getSetting } from '../system/settings';
import { readSmallFile } from '../system/read-small-file';
import { effectiveRoles } from '../users/users';
import { fingerprint, publicKeyFromPem, publicKeyPem } from './sm2-keys';
import { signBytes, verifyBytes } from './sm2-sign';

export type TrustedSigner = TrustedSignerInfo;

/** The signers a verification trusts, and where that trust came from. */
export interface TrustList {
  /** 本工作站 or the trust file's name: said in the report. */
  source: string;
  signers: Map<string, TrustedSigner>;
}

interface Row {
  fingerprint: string; public_key: string; person: string; display_name: string; roles: string; source: TrustedSigner['source'];
  added_at: string; added_by: string; revoked_at: string | null; revoked_by: string | null; revoke_reason: string | null;
}

const toSigner = (r: Row): TrustedSigner => ({
  fingerprint: r.fingerprint, publicKey: r.public_key, person: r.person, displayName: r.display_name, roles: JSON.parse(r.roles) as Role[], source: r.source,
  addedAt: r.added_at, addedBy: r.added_by, revokedAt: r.revoked_at, revokedBy: r.revoked_by, revokeReason: r.revoke_reason,
});

export function listSigners(db: Database): TrustedSigner[] {
  return (db.prepare('SELECT * FROM trusted_signer ORDER BY id').all() as Row[]).map(toSigner);
}

export function workstationTrust(db: Database): TrustList {
  return { source: '本工作站的受信任签章人', signers: new Map(listSigners(db).map((s) => [s.fingerprint, s])) };
}

/**
 * Puts a public key on the list, bound to `person`. A key already bound to another
 * account is refused (a key belongs to exactly one account); the same key for the
 * same person is kept as it was.
 */
export function trustKey(db: Database, k: { publicKey: string; person: string; source: TrustedSigner['source']; by: string }): TrustedSigner {
  const fpr = fingerprint(k.publicKey);
  return db.transaction(() => {
    const had = db.prepare('SELECT * FROM trusted_signer WHERE fingerprint = ?').get(fpr) as Row | undefined;
    if (had && had.person !== k.person) throw new EngineError('CONFLICT', `这把密钥（指纹 ${fpr.slice(0, 16)}…）已属于用户“${had.person}”，不能再登记给“${k.person}”：一把密钥只属于一个账户`);
    if (had?.revoked_at) throw new EngineError('CONFLICT', `这把密钥（指纹 ${fpr.slice(0, 16)}…）已于 ${had.revoked_at.slice(0, 19).replace('T', ' ')} 被吊销，不能再用`);
    if (had) return toSigner(had);
    const u = db.prepare('SELECT display_name, roles FROM app_user WHERE name = ?').get(k.person) as { display_name: string; roles: string } | undefined;
    if (!u) throw new EngineError('NOT_FOUND', `没有用户“${k.person}”`);
    // The roles the account holds now (a workstation's only account holds every role).
    const roles = effectiveRoles(db, JSON.parse(u.roles) as Role[]);
    db.prepare('INSERT INTO trusted_signer (fingerprint, public_key, person, display_name, roles, source, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      fpr, k.publicKey.toLowerCase(), k.person, u.display_name, JSON.stringify(roles), k.source, beijingIso(), k.by,
    );
    appendAudit(db, { actor: k.by, action: 'signer.add', target: `user:${k.person}`, detail: { fingerprint: fpr, source: k.source, roles } });
    return toSigner(db.prepare('SELECT * FROM trusted_signer WHERE fingerprint = ?').get(fpr) as Row);
  })();
}

/** A fingerprint as people type it (any case, with or without spaces) in the form the list keeps: `9F57 80CD …`. */
export function normalFingerprint(text: string): string {
  const hex = text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length !== 64) throw new EngineError('BAD_REQUEST', `密钥指纹应为 64 位十六进制（SM3），收到“${text.slice(0, 100)}”`);
  return hex.match(/.{4}/g)!.join(' ');
}

export function revokeSigner(db: Database, fingerprintText: string, reason: string, by: string): TrustedSigner {
  const fpr = normalFingerprint(fingerprintText);
  return db.transaction(() => {
    const r = db.prepare('SELECT * FROM trusted_signer WHERE fingerprint = ?').get(fpr) as Row | undefined;
    if (!r) throw new EngineError('NOT_FOUND', `受信任签章人中没有指纹 ${fpr}`);
    if (r.revoked_at) throw new EngineError('CONFLICT', `这把密钥已于 ${r.revoked_at.slice(0, 19).replace('T', ' ')} 被吊销`);
    db.prepare('UPDATE trusted_signer SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE fingerprint = ?').run(beijingIso(), by, reason, fpr);
    appendAudit(db, { actor: by, action: 'signer.revoke', target: `user:${r.person}`, detail: { fingerprint: fpr, reason } });
    return toSigner(db.prepare('SELECT * FROM trusted_signer WHERE fingerprint = ?').get(fpr) as Row);
  })();
}

/** Signing with a key that is not the signing user's own (on the list, not revoked) is refused. */
export function assertOwnKey(db: Database, user: string, fpr: string): void {
  const r = db.prepare('SELECT person, revoked_at FROM trusted_signer WHERE fingerprint = ?').get(fpr) as { person: string; revoked_at: string | null } | undefined;
  if (!r) throw new EngineError('FORBIDDEN', `这把密钥（指纹 ${fpr.slice(0, 16)}…）不在受信任签章人中：请先用 keygen（或在“清算与报表”页生成、导入）登记为 ${user} 的密钥`);
  if (r.person !== user) throw new EngineError('FORBIDDEN', `这把密钥属于用户“${r.person}”，${user} 不能用它签名`);
  if (r.revoked_at) throw new EngineError('FORBIDDEN', `这把密钥已于 ${r.revoked_at.slice(0, 19).replace('T', ' ')} 被吊销，不能再用于签名`);
}

// ——— The trust file ———

export const TRUST_FORMAT = 'gongji-trust-list';
const MAX_TRUST_FILE = 1024 * 1024;

const signerShape = z.strictObject({
  fingerprint: z.string().regex(/^[0-9A-F]{4}( [0-9A-F]{4}){15}$/),
  publicKey: z.string().regex(/^04[0-9a-f]{128}$/),
  person: z.string().min(1).max(64),
  displayName: z.string().max(100),
  roles: z.array(z.enum(['officer', 'finance', 'auditor', 'admin'])).max(4),
  source: z.enum(['generated', 'imported', 'key-file', 'trust-file', 'migrated']),
  addedAt: z.string().max(40),
  addedBy: z.string().max(64),
  revokedAt: z.string().max(40).nullable(),
  revokedBy: z.string().max(64).nullable(),
  revokeReason: z.string().max(500).nullable(),
});
const bodyShape = z.strictObject({ workstation: z.string().max(64), exportedAt: z.string().max(40), exportedBy: z.string().max(64), signers: z.array(signerShape).max(10_000) });
const fileShape = z.strictObject({ format: z.literal(TRUST_FORMAT), version: z.literal(1), body: z.string().max(MAX_TRUST_FILE), signature: z.string().regex(/^[0-9a-f]{16,400}$/), publicKeyPem: z.string().max(1000) });

/** The list as a file signed by an administrator's key (which must itself be on the list). */
export function trustFileBytes(db: Database, admin: { user: string; privateKey: string; publicKey: string; fingerprint: string }): Buffer {
  const signers = listSigners(db);
  const own = signers.find((s) => s.fingerprint === admin.fingerprint);
  if (!own || own.person !== admin.user || own.revokedAt || !own.roles.includes('admin')) {
    throw new EngineError('FORBIDDEN', `导出信任文件须用管理员本人在受信任签章人中的有效密钥签名（${admin.user} 的密钥不符合）`);
  }
  const body = JSON.stringify({ workstation: getSetting(db, 'workstation_id', ''), exportedAt: beijingIso(), exportedBy: admin.user, signers }, null, 2);
  const signature = signBytes(Buffer.from(body, 'utf8'), admin.privateKey, admin.publicKey).toString('hex');
  return Buffer.from(JSON.stringify({ format: TRUST_FORMAT, version: 1, body, signature, publicKeyPem: publicKeyPem(admin.publicKey) }, null, 2) + '\n', 'utf8');
}

/**
 * Reads a trust file: its signature must verify, and the key that made it must be
 * on the list it carries as an administrator's, not revoked. Its own claims (names,
 * fingerprints) are checked against the keys, never believed.
 */
export function readTrustFile(file: string): TrustList {
  const name = path.basename(file);
  const bytes = readSmallFile(file, MAX_TRUST_FILE);
  let parsed: z.infer<typeof fileShape>;
  let body: z.infer<typeof bodyShape>;
  try {
    parsed = fileShape.parse(JSON.parse(bytes.toString('utf8')));
    body = bodyShape.parse(JSON.parse(parsed.body));
  } catch {
    throw new EngineError('BAD_REQUEST', `${name} 不是工作站导出的信任文件（${TRUST_FORMAT}）`);
  }
  const signerKey = publicKeyFromPem(parsed.publicKeyPem);
  if (!verifyBytes(Buffer.from(parsed.body, 'utf8'), Buffer.from(parsed.signature, 'hex'), signerKey)) throw new EngineError('BAD_REQUEST', `${name}：信任文件的签名验证失败（文件被改动）`);
  const signers = new Map<string, TrustedSigner>();
  for (const s of body.signers) {
    if (fingerprint(s.publicKey) !== s.fingerprint) throw new EngineError('BAD_REQUEST', `${name}：${s.person} 的密钥指纹与公钥不符`);
    signers.set(s.fingerprint, s);
  }
  const admin = signers.get(fingerprint(signerKey));
  if (!admin || admin.revokedAt || !admin.roles.includes('admin') || admin.person !== body.exportedBy) {
    throw new EngineError('BAD_REQUEST', `${name}：签署信任文件的密钥不是其中列出的有效管理员密钥`);
  }
  return { source: `信任文件 ${name}（${body.exportedBy} 于 ${body.exportedAt} 导出）`, signers };
}

/** Adds a trust file's signers to this workstation's list (revocations included), audited. */
export function importTrustFile(db: Database, file: string, by: string): { added: number; revoked: number; unchanged: number } {
  const list = readTrustFile(file);
  const name = path.basename(file);
  return db.transaction(() => {
    let added = 0;
    let revoked = 0;
    let unchanged = 0;
    for (const s of list.signers.values()) {
      const had = db.prepare('SELECT person, revoked_at FROM trusted_signer WHERE fingerprint = ?').get(s.fingerprint) as { person: string; revoked_at: string | null } | undefined;
      if (had && had.person !== s.person) throw new EngineError('CONFLICT', `${name}：指纹 ${s.fingerprint.slice(0, 16)}… 在本工作站属于“${had.person}”，信任文件却记为“${s.person}”`);
      if (!had) {
        db.prepare('INSERT INTO trusted_signer (fingerprint, public_key, person, display_name, roles, source, added_at, added_by, revoked_at, revoked_by, revoke_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          s.fingerprint, s.publicKey, s.person, s.displayName, JSON.stringify(s.roles), 'trust-file', beijingIso(), by, s.revokedAt, s.revokedBy, s.revokeReason,
        );
        added++;
      } else if (s.revokedAt && !had.revoked_at) {
        db.prepare('UPDATE trusted_signer SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE fingerprint = ?').run(s.revokedAt, s.revokedBy, s.revokeReason, s.fingerprint);
        revoked++;
      } else unchanged++;
    }
    appendAudit(db, { actor: by, action: 'signer.import', target: name, detail: { source: list.source, added, revoked, unchanged } });
    return { added, revoked, unchanged };
  })();
}
