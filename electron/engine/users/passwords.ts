// Passwords are kept only as scrypt hashes (node:crypto), each with its own salt,
// at OWASP's recommended cost (N = 2^17, r = 8, p = 1: 128 MiB and some hundreds of
// milliseconds a guess). Hashing runs on libuv's thread pool, so a login never
// holds the engine's thread. A hash made at a lower cost verifies as before and is
// re-made at the current cost the next time its owner signs in.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 17;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scryptAsync(password: string, salt: Buffer, keylen: number, o: { N: number; r: number; p: number }): Promise<Buffer> {
  // maxmem must cover 128 · N · r bytes (Node's default stops at 32 MiB).
  const opts: ScryptOptions = { ...o, maxmem: 128 * o.N * o.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keylen, opts, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEYLEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function parse(stored: string): { n: number; r: number; p: number; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return null;
  const cost = { n: Number(n), r: Number(r), p: Number(p) };
  // A stored hash is data: a cost beyond what this program writes is refused, not run.
  if (![cost.n, cost.r, cost.p].every(Number.isInteger) || cost.n < 2 || cost.n > N || cost.r < 1 || cost.r > R || cost.p < 1 || cost.p > 4) return null;
  return { ...cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const s = parse(stored);
  if (!s || s.hash.length === 0) return false;
  const got = await scryptAsync(password, s.salt, s.hash.length, { N: s.n, r: s.r, p: s.p });
  return got.length === s.hash.length && timingSafeEqual(got, s.hash);
}

/** A hash made at less than today's cost: re-made at the next successful sign-in. */
export function needsRehash(stored: string): boolean {
  const s = parse(stored);
  return !s || s.n < N || s.r < R;
}

/** Spends the time of one verification, so an unknown name answers as slowly as a wrong password. */
export async function burnVerification(password: string): Promise<void> {
  await scryptAsync(password, randomBytes(16), KEYLEN, { N, r: R, p: P });
}

export function checkPasswordStrength(password: string): string | null {
  if (password.length < 8) return '口令至少 8 位';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '口令须同时包含字母和数字';
  return null;
}
