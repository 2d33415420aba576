// The audit chain anchored outside the database. A chain can be cut at its tail, or
// re-hashed end to end by someone who edits the file, and still verify on its own.
// So every statement bundle records the chain's head when it was prepared (inside
// its signed manifest), and every backup writes the head beside itself; `audit
// verify` looks for these anchors on disk and fails when the chain no longer holds
// the entry an anchor names with the hash it names.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AuditAnchor, ChainCheck } from '../../../shared/audit-types';
import { publicKeyFromPem } from '../sign/sm2-keys';
import { verifyBytes } from '../sign/sm2-sign';
import { readSmallFile } from '../system/read-small-file';
import { verifyAuditChain } from './audit-log';

const HEAD = (seq: unknown, hash: unknown) => Number.isSafeInteger(seq) && (seq as number) > 0 && typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash);

/** The head a statement bundle's manifest recorded, if its preparer's signature over the manifest holds. */
function bundleAnchor(dir: string): AuditAnchor | null {
  try {
    const manifest = readSmallFile(path.join(dir, 'manifest.json'), 1024 * 1024);
    const sig = readSmallFile(path.join(dir, 'signatures', 'preparer.sig'), 4096);
    const pem = readSmallFile(path.join(dir, 'signatures', 'preparer.pem'), 4096).toString('utf8');
    if (!verifyBytes(manifest, sig, publicKeyFromPem(pem))) return null;
    const h = (JSON.parse(manifest.toString('utf8')) as { auditHead?: { seq?: unknown; hash?: unknown } }).auditHead;
    return h && HEAD(h.seq, h.hash) ? { seq: h.seq as number, hash: h.hash as string, source: `报表包 ${path.basename(dir)}` } : null;
  } catch {
    return null;
  }
}

/** The head a backup wrote beside itself (`<backup>.head.json`). */
function backupAnchor(file: string): AuditAnchor | null {
  try {
    const h = JSON.parse(readSmallFile(file, 64 * 1024).toString('utf8')) as { seq?: unknown; hash?: unknown };
    return HEAD(h.seq, h.hash) ? { seq: h.seq as number, hash: h.hash as string, source: `备份 ${path.basename(file, '.head.json')}` } : null;
  } catch {
    return null;
  }
}

export function writeBackupAnchor(backup: string, head: { seq: number; hash: string }, workstation: string, at: string): void {
  fs.writeFileSync(`${backup}.head.json`, JSON.stringify({ format: 'gongji-audit-anchor', seq: head.seq, hash: head.hash, workstation, at }, null, 2) + '\n', { flag: 'wx' });
}

/** Every anchor on disk: the statements the database records and the bundles and backups in their folders. */
export function findAnchors(db: Database, folders: { exports: string; backups: string }): AuditAnchor[] {
  const dirs = new Set((db.prepare('SELECT dir FROM statement').all() as { dir: string }[]).map((r) => r.dir));
  const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []);
  for (const e of list(folders.exports)) if (e.isDirectory() && e.name.startsWith('清算_')) dirs.add(path.join(folders.exports, e.name));
  const out: AuditAnchor[] = [];
  for (const d of dirs) {
    const a = bundleAnchor(d);
    if (a) out.push(a);
  }
  for (const e of list(folders.backups)) {
    if (!e.isFile() || !e.name.endsWith('.head.json')) continue;
    const a = backupAnchor(path.join(folders.backups, e.name));
    if (a) out.push(a);
  }
  return out;
}

/** The chain on its own, then against every anchor: the latest anchor it holds is reported. */
export function verifyAnchoredChain(db: Database, anchors: AuditAnchor[]): ChainCheck {
  const chain = verifyAuditChain(db);
  if (!chain.ok) return chain;
  const at = db.prepare('SELECT hash FROM audit_log WHERE seq = ?');
  for (const a of [...anchors].sort((x, y) => y.seq - x.seq)) {
    const e = at.get(a.seq) as { hash: string } | undefined;
    if (!e) return { ok: false, entries: chain.entries, brokenAt: a.seq, reason: `${a.source} 记录的第 ${a.seq} 条不在审计链中（链只有 ${chain.entries} 条）：日志尾部被截去`, anchor: a };
    if (e.hash !== a.hash) return { ok: false, entries: chain.entries, brokenAt: a.seq, reason: `第 ${a.seq} 条的哈希与 ${a.source} 记录的不符：审计链在此之前被改写并重新计算了哈希，或尾部被截去后又追加了新记录`, anchor: a };
  }
  const latest = anchors.reduce<AuditAnchor | null>((m, a) => (!m || a.seq > m.seq ? a : m), null);
  return { ...chain, anchor: latest, anchors: anchors.length };
}
