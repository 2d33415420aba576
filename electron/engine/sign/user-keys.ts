// Each user's SM2 key pair, kept in the workstation: the private key sealed under
// the user's own password, the public key and its fingerprint in the clear.
import type { Database } from 'better-sqlite3';
import type { KeyStatus } from '../../../shared/clearing-types';
import { EngineError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import { authenticate } from '../users/users';
import { z } from 'zod';
import { trustKey, type TrustedSigner } from './trust-list';
import { fingerprint, generateKeyFile, makeKeyFile, openKeyFile, privateKeyFromPem, publicKeyPem, type KeyFile } from './sm2-keys';

export type { KeyStatus };

export function keyStatus(db: Database, user: string): KeyStatus {
  const r = db.prepare('SELECT public_key, fingerprint, created_at FROM user_key WHERE user = ?').get(user) as { public_key: string; fingerprint: string; created_at: string } | undefined;
  return { user, fingerprint: r?.fingerprint ?? null, publicKeyPem: r ? publicKeyPem(r.public_key) : null, createdAt: r?.created_at ?? null };
}

function store(db: Database, user: string, k: KeyFile, how: 'generate' | 'import'): KeyStatus {
  return db.transaction(() => {
    const before = keyStatus(db, user);
    // On the trust list, bound to this account (refused if the key is another's).
    trustKey(db, { publicKey: k.publicKey, person: user, source: how === 'generate' ? 'generated' : 'imported', by: user });
    db.prepare('INSERT INTO user_key (user, public_key, fingerprint, key_file, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(user) DO UPDATE SET public_key = excluded.public_key, fingerprint = excluded.fingerprint, key_file = excluded.key_file, created_at = excluded.created_at').run(
      user, k.publicKey, k.fingerprint, JSON.stringify(k), k.createdAt,
    );
    appendAudit(db, { actor: user, action: `key.${how}`, target: `user:${user}`, detail: { before: before.fingerprint, after: k.fingerprint } });
    return keyStatus(db, user);
  })();
}

/** A new key pair, sealed under the user's password (checked first). */
export async function generateUserKey(db: Database, user: string, password: string, host: string): Promise<KeyStatus> {
  await authenticate(db, user, password, { host, purpose: '生成签名密钥' });
  return store(db, user, generateKeyFile(user, password), 'generate');
}

export async function importUserKey(db: Database, user: string, pem: string, password: string, host: string): Promise<KeyStatus> {
  await authenticate(db, user, password, { host, purpose: '导入签名密钥' });
  return store(db, user, makeKeyFile(user, privateKeyFromPem(pem), password), 'import');
}

/** The user's key opened with their password, for one signature. */
export function unlockUserKey(db: Database, user: string, password: string): { privateKey: string; publicKey: string; fingerprint: string } {
  const r = db.prepare('SELECT key_file FROM user_key WHERE user = ?').get(user) as { key_file: string } | undefined;
  if (!r) throw new EngineError('NOT_FOUND', `${user} 还没有签名密钥：请先在“清算与报表”页生成或导入`);
  const k = JSON.parse(r.key_file) as KeyFile;
  return { privateKey: openKeyFile(k, password), publicKey: k.publicKey, fingerprint: k.fingerprint };
}

/** A key file as `keygen` writes it; anything else is refused before it is opened. */
const keyFileShape = z.strictObject({
  format: z.literal('gongji-sm2-key/1'),
  owner: z.string().max(64),
  publicKey: z.string().regex(/^04[0-9a-fA-F]{128}$/),
  fingerprint: z.string().max(128),
  kdf: z.strictObject({ name: z.literal('scrypt'), N: z.number().int().min(2).max(2 ** 17), r: z.number().int().min(1).max(8), p: z.number().int().min(1).max(4), salt: z.string().max(64) }),
  cipher: z.strictObject({ name: z.literal('aes-256-gcm'), iv: z.string().max(64), tag: z.string().max(64), data: z.string().max(256) }),
  createdAt: z.string().max(64),
});

/**
 * The key a statement is signed with: the user's stored key opened with their
 * password, or a key file from `keygen` opened with its passphrase (the CLI's way).
 */
export function signingKey(db: Database, user: string, a: { password?: string; key?: { file: unknown; passphrase: string } }): { privateKey: string; publicKey: string; fingerprint: string } {
  if (a.key) return openKeyArg(a.key);
  return unlockUserKey(db, user, a.password ?? '');
}

function openKeyArg(key: { file: unknown; passphrase: string }): { privateKey: string; publicKey: string; fingerprint: string } {
  const parsed = keyFileShape.safeParse(key.file);
  if (!parsed.success) throw new EngineError('BAD_REQUEST', '密钥文件不是 keygen 生成的格式（gongji-sm2-key/1）');
  const k = parsed.data as KeyFile;
  return { privateKey: openKeyFile(k, key.passphrase), publicKey: k.publicKey, fingerprint: fingerprint(k.publicKey) };
}

/** A key file from `keygen`, opened with its passphrase (proof of possession), put on the trust list as the user's own. */
export function registerKeyFile(db: Database, user: string, key: { file: unknown; passphrase: string }): KeyStatus & { signer: TrustedSigner } {
  const k = openKeyArg(key);
  const signer = trustKey(db, { publicKey: k.publicKey, person: user, source: 'key-file', by: user });
  return { user, fingerprint: k.fingerprint, publicKeyPem: publicKeyPem(k.publicKey), createdAt: signer.addedAt, signer };
}
