// Each user's SM2 key pair, kept in the workstation: the private key sealed under
// the user's own password, the public key and its fingerprint in the clear.
import type { Database } from 'better-sqlite3';
import type { KeyStatus } from '../../../shared/clearing-types';
import { EngineError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import { authenticate } from '../users/users';
import { generateKeyFile, makeKeyFile, openKeyFile, privateKeyFromPem, publicKeyPem, type KeyFile } from './sm2-keys';

export type { KeyStatus };

export function keyStatus(db: Database, user: string): KeyStatus {
  const r = db.prepare('SELECT public_key, fingerprint, created_at FROM user_key WHERE user = ?').get(user) as { public_key: string; fingerprint: string; created_at: string } | undefined;
  return { user, fingerprint: r?.fingerprint ?? null, publicKeyPem: r ? publicKeyPem(r.public_key) : null, createdAt: r?.created_at ?? null };
}

function store(db: Database, user: string, k: KeyFile, how: 'generate' | 'import'): KeyStatus {
  return db.transaction(() => {
    const before = keyStatus(db, user);
    db.prepare('INSERT INTO user_key (user, public_key, fingerprint, key_file, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(user) DO UPDATE SET public_key = excluded.public_key, fingerprint = excluded.fingerprint, key_file = excluded.key_file, created_at = excluded.created_at').run(
      user, k.publicKey, k.fingerprint, JSON.stringify(k), k.createdAt,
    );
    appendAudit(db, { actor: user, action: `key.${how}`, target: `user:${user}`, detail: { before: before.fingerprint, after: k.fingerprint } });
    return keyStatus(db, user);
  })();
}

/** A new key pair, sealed under the user's password (checked first). */
export function generateUserKey(db: Database, user: string, password: string): KeyStatus {
  authenticate(db, user, password);
  return store(db, user, generateKeyFile(user, password), 'generate');
}

export function importUserKey(db: Database, user: string, pem: string, password: string): KeyStatus {
  authenticate(db, user, password);
  return store(db, user, makeKeyFile(user, privateKeyFromPem(pem), password), 'import');
}

/** The user's key opened with their password, for one signature. */
export function unlockUserKey(db: Database, user: string, password: string): { privateKey: string; publicKey: string; fingerprint: string } {
  const r = db.prepare('SELECT key_file FROM user_key WHERE user = ?').get(user) as { key_file: string } | undefined;
  if (!r) throw new EngineError('NOT_FOUND', `${user} 还没有签名密钥：请先在“清算与报表”页生成或导入`);
  const k = JSON.parse(r.key_file) as KeyFile;
  return { privateKey: openKeyFile(k, password), publicKey: k.publicKey, fingerprint: k.fingerprint };
}
