// SM2 key pairs: generated here (sm-crypto-v2), or imported from an OpenSSL PEM;
// the private key kept only encrypted under the owner's password (scrypt +
// AES-256-GCM from node:crypto); the public key as a standard SubjectPublicKeyInfo
// PEM that OpenSSL reads, identified by the SM3 fingerprint of its DER.
import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, scryptSync } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { EngineError } from '../../../shared/errors';
import { sm3Hex } from './digests';

/** SEQUENCE { SEQUENCE { id-ecPublicKey, SM2 curve }, BIT STRING } up to the point bytes. */
const SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';

export interface KeyFile {
  format: 'gongji-sm2-key/1';
  owner: string;
  publicKey: string;
  fingerprint: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string; data: string };
  createdAt: string;
}

export function spkiDer(publicKeyHex: string): Buffer {
  if (!/^04[0-9a-f]{128}$/i.test(publicKeyHex)) throw new EngineError('BAD_REQUEST', 'SM2 公钥应为 04 开头的 65 字节非压缩点');
  return Buffer.from(SPKI_PREFIX + publicKeyHex.toLowerCase(), 'hex');
}

export function publicKeyPem(publicKeyHex: string): string {
  const b64 = spkiDer(publicKeyHex).toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}

export function publicKeyFromPem(pem: string): string {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const hex = Buffer.from(b64, 'base64').toString('hex');
  if (!hex.startsWith(SPKI_PREFIX) || hex.length !== SPKI_PREFIX.length + 130) throw new EngineError('BAD_REQUEST', '不是 SM2 公钥（PEM）');
  return hex.slice(SPKI_PREFIX.length);
}

/** SM3 of the public key's DER, as people compare it: groups of four hex digits. */
export function fingerprint(publicKeyHex: string): string {
  return sm3Hex(spkiDer(publicKeyHex)).toUpperCase().match(/.{4}/g)!.join(' ');
}

function seal(privateKeyHex: string, password: string) {
  const salt = randomBytes(16);
  const kdf = { name: 'scrypt' as const, N: 16384, r: 8, p: 1, salt: salt.toString('base64') };
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p });
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([c.update(Buffer.from(privateKeyHex, 'hex')), c.final()]);
  return { kdf, cipher: { name: 'aes-256-gcm' as const, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') } };
}

export function makeKeyFile(owner: string, privateKeyHex: string, password: string): KeyFile {
  const publicKey = sm2.getPublicKeyFromPrivateKey(privateKeyHex);
  return { format: 'gongji-sm2-key/1', owner, publicKey, fingerprint: fingerprint(publicKey), ...seal(privateKeyHex, password), createdAt: new Date().toISOString() };
}

export function generateKeyFile(owner: string, password: string): KeyFile {
  return makeKeyFile(owner, sm2.generateKeyPairHex().privateKey, password);
}

/** The private key, if the password is right; a clear refusal if not. */
export function openKeyFile(k: KeyFile, password: string): string {
  if (k.format !== 'gongji-sm2-key/1') throw new EngineError('BAD_REQUEST', '不认识的密钥文件格式');
  const key = scryptSync(password.normalize('NFC'), Buffer.from(k.kdf.salt, 'base64'), 32, { N: k.kdf.N, r: k.kdf.r, p: k.kdf.p });
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(k.cipher.iv, 'base64'));
    d.setAuthTag(Buffer.from(k.cipher.tag, 'base64'));
    const hex = Buffer.concat([d.update(Buffer.from(k.cipher.data, 'base64')), d.final()]).toString('hex');
    if (sm2.getPublicKeyFromPrivateKey(hex).toLowerCase() !== k.publicKey.toLowerCase()) throw new Error('mismatch');
    return hex;
  } catch {
    throw new EngineError('UNAUTHENTICATED', '密钥口令不对，无法解开私钥');
  }
}

/** The private scalar of an SM2 key in PEM (PKCS#8 or SEC1, unencrypted), as OpenSSL writes them. */
export function privateKeyFromPem(pem: string): string {
  let der: Buffer;
  try {
    der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }) as Buffer;
  } catch (e) {
    throw new EngineError('BAD_REQUEST', `无法读取私钥 PEM：${(e as Error).message}`);
  }
  const hex = der.toString('hex');
  if (!hex.includes('2a811ccf5501822d')) throw new EngineError('BAD_REQUEST', '这不是 SM2 私钥');
  // ECPrivateKey: INTEGER 1, OCTET STRING (32) privateKey
  const at = hex.indexOf('0201010420');
  if (at < 0) throw new EngineError('BAD_REQUEST', '私钥结构不认识');
  return hex.slice(at + 10, at + 10 + 64);
}
