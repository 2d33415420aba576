// Signatures that prove who signed (issue 14), tried as an attacker would: a bundle
// re-signed with a fresh key, an edited or missing confirmer record, another
// account's key, hostile bundles (extra files, links, FIFOs, zip bombs, duplicate and
// escaping zip names), and an audit trail cut or re-hashed after a statement.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyFile, publicKeyPem } from '../../electron/engine/sign/sm2-keys';
import { signBytes } from '../../electron/engine/sign/sm2-sign';
import { sm3Hex } from '../../electron/engine/sign/digests';
import { entryHash } from '../../electron/engine/audit/audit-log';
import { manifestBytes, signerRecordBytes, type Manifest, type SignerRecord } from '../../electron/engine/statements/manifest';
import { PASSWORD, refusal, signIn, tempDir, tempEngine, type TestEngine } from '../support/temp-engine';
import { cli } from '../support/cli';
import type { Caller } from '../../shared/contract';

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });
const REGION = '330100';

let e: TestEngine;
let chief: Caller;
let fin: Caller;
let fin2: Caller;
let adm: Caller;
let bundle: string;

beforeAll(async () => {
  e = await tempEngine();
  await e.call('demo/load', {}, e.caller);
  chief = await signIn(e, 'chief', ['officer']);
  fin = await signIn(e, 'fin', ['finance']);
  fin2 = await signIn(e, 'fin2', ['finance']);
  adm = await signIn(e, 'adm', ['admin']);
  for (const c of [chief, fin, adm]) await e.call('keys/generate', { password: PASSWORD }, c);
  const st = await e.call('statements/prepare', { period: '2025-11', region: REGION, password: PASSWORD }, chief);
  bundle = st.dir;
}, 120_000);

const copyOf = (name: string) => {
  const dir = path.join(tempDir(), path.basename(bundle));
  fs.cpSync(bundle, dir, { recursive: true });
  void name;
  return dir;
};

/** What an attacker does: change the manifest, re-sign it and the preparer record with a key of their own. */
function forge(dir: string, change: (m: Manifest) => void): void {
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const k = generateKeyFile('chief', 'x-pass-1');
  const priv = execPrivate(k);
  change(m);
  m.signers[0]!.fingerprint = k.fingerprint;
  const bytes = manifestBytes(m);
  const record: SignerRecord = { role: 'preparer', label: '编制', name: 'chief', displayName: 'chief', fingerprint: k.fingerprint, time: m.createdAt, manifestSm3: sm3Hex(bytes) };
  const rb = signerRecordBytes(record);
  fs.writeFileSync(path.join(dir, 'manifest.json'), bytes);
  fs.writeFileSync(path.join(dir, 'signatures/preparer.sig'), signBytes(bytes, priv, k.publicKey));
  fs.writeFileSync(path.join(dir, 'signatures/preparer.pem'), publicKeyPem(k.publicKey));
  fs.writeFileSync(path.join(dir, 'signatures/preparer.json'), rb);
  fs.writeFileSync(path.join(dir, 'signatures/preparer.json.sig'), signBytes(rb, priv, k.publicKey));
}

import { openKeyFile } from '../../electron/engine/sign/sm2-keys';
const execPrivate = (k: ReturnType<typeof generateKeyFile>) => openKeyFile(k, 'x-pass-1');

const locks = () => (e.db.prepare('SELECT count(*) n FROM period_lock').get() as { n: number }).n;

describe('who signed', () => {
  it('writes Beijing times with their offset, the audit head, and a signed preparer record that OpenSSL verifies', () => {
    const m = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(m.auditHead).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const rec = JSON.parse(fs.readFileSync(path.join(bundle, 'signatures/preparer.json'), 'utf8')) as SignerRecord;
    expect(rec).toMatchObject({ role: 'preparer', name: 'chief', manifestSm3: sm3Hex(fs.readFileSync(path.join(bundle, 'manifest.json'))) });
    expect(rec.time).toMatch(/\+08:00$/);
    for (const [file, sig] of [['manifest.json', 'preparer.sig'], ['signatures/preparer.json', 'preparer.json.sig']]) {
      const out = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', path.join(bundle, 'signatures/preparer.pem'), '-rawin', '-digest', 'sm3', '-in', path.join(bundle, file!), '-sigfile', path.join(bundle, 'signatures', sig!), '-pkeyopt', 'distid:1234567812345678']);
      expect(out).toContain('Signature Verified Successfully');
    }
  });

  it('fails a bundle re-signed with an unknown key (app and CLI), and confirm refuses it and locks nothing', async () => {
    const dir = copyOf('forged');
    forge(dir, (m) => {
      (m.totals as { careTotal: string }).careTotal = '999999.99';
    });
    // The forgery is internally consistent: OpenSSL accepts its signature.
    expect(openssl(['pkeyutl', '-verify', '-pubin', '-inkey', path.join(dir, 'signatures/preparer.pem'), '-rawin', '-digest', 'sm3', '-in', path.join(dir, 'manifest.json'), '-sigfile', path.join(dir, 'signatures/preparer.sig'), '-pkeyopt', 'distid:1234567812345678'])).toContain('Verified');
    const r = await e.call('statements/verify', { path: dir }, fin);
    expect(r.ok).toBe(false);
    expect(r.signatures[0]).toMatchObject({ role: 'preparer', trusted: false });
    expect(r.problems.join('；')).toContain('签署人不受信任');
    const c = cli(['--db', e.dbPath, '--user', 'fin', 'verify', dir]);
    expect(c.code).toBe(1);
    const before = locks();
    const err = await refusal(() => e.call('statements/confirm', { bundle: dir, password: PASSWORD }, fin));
    expect(err.message).toContain('不受信任');
    expect(locks()).toBe(before);
    expect(fs.existsSync(path.join(dir, 'signatures/finance.sig'))).toBe(false);
  });

  it('confirms with finance’s own key; editing the confirmer’s name or time, or deleting the record, fails verification', async () => {
    const other = await refusal(() => e.call('statements/confirm', { bundle, key: { file: fileOf(fin), passphrase: 'k-pass-123' } }, fin2));
    expect(other.code).toBe('FORBIDDEN');
    expect(other.message).toContain('属于用户“fin”');
    expect(locks()).toBe(0);

    const r = await e.call('statements/confirm', { bundle, password: PASSWORD, carry: '演示数据的差异结转下月' }, fin);
    expect(r.report).toMatchObject({ ok: true, confirmed: true });
    expect(r.report.signatures.map((s) => [s.role, s.signer, s.trusted])).toEqual([['preparer', 'chief', true], ['finance', 'fin', true]]);
    expect(locks()).toBeGreaterThan(0);
    expect(openssl(['pkeyutl', '-verify', '-pubin', '-inkey', path.join(bundle, 'signatures/finance.pem'), '-rawin', '-digest', 'sm3', '-in', path.join(bundle, 'signatures/finance.json'), '-sigfile', path.join(bundle, 'signatures/finance.json.sig'), '-pkeyopt', 'distid:1234567812345678'])).toContain('Verified');

    const renamed = copyOf('renamed');
    const rec = path.join(renamed, 'signatures/finance.json');
    fs.writeFileSync(rec, fs.readFileSync(rec, 'utf8').replace('"name": "fin"', '"name": "someone"'));
    expect((await e.call('statements/verify', { path: renamed }, fin)).ok).toBe(false);
    const redated = copyOf('redated');
    const rec2 = path.join(redated, 'signatures/finance.json');
    fs.writeFileSync(rec2, fs.readFileSync(rec2, 'utf8').replace(/"time": "\d{4}/, '"time": "2020'));
    const v2 = await e.call('statements/verify', { path: redated }, fin);
    expect(v2.ok).toBe(false);
    expect(v2.problems.join('；')).toContain('finance.json');
    const deleted = copyOf('deleted');
    fs.rmSync(path.join(deleted, 'signatures/finance.json'));
    const v3 = await e.call('statements/verify', { path: deleted }, fin);
    expect(v3.ok).toBe(false);
    expect(v3.problems.join('；')).toContain('复核签名不完整');
  });

  it('exports a trust file signed by the administrator; verify --trust needs no database; a revoked key fails', async () => {
    const trust = path.join(tempDir(), 'trust.json');
    await e.call('signers/export', { password: PASSWORD, path: trust }, adm);
    const v = cli(['verify', `${bundle}.zip`, '--trust', trust], { RECON_PASSWORD: '' });
    expect(v.code, v.stderr).toBe(0);
    expect(v.json()).toMatchObject({ ok: true, confirmed: true, source: 'zip' });
    const bad = path.join(path.dirname(trust), 'bad.json');
    fs.writeFileSync(bad, fs.readFileSync(trust, 'utf8').replace('\\"person\\": \\"chief\\"', '\\"person\\": \\"mallory\\"'));
    const vb = cli(['verify', bundle, '--trust', bad]);
    expect(vb.code).not.toBe(0);
    expect(vb.stderr).toContain('签名验证失败');
    const none = cli(['verify', bundle, '--trust', path.join(path.dirname(trust), 'nope.json')]);
    expect(none.code).toBe(1);

    const fpr = (await e.call('keys/status', {}, chief)).fingerprint!;
    await e.call('signers/revoke', { fingerprint: fpr, reason: '密钥遗失' }, adm);
    const after = await e.call('statements/verify', { path: bundle }, fin);
    expect(after.ok).toBe(false);
    expect(after.problems.join('；')).toContain('吊销');
    // A trust file exported after the revocation carries it.
    const trust2 = path.join(path.dirname(trust), 'trust2.json');
    await e.call('signers/export', { password: PASSWORD, path: trust2 }, adm);
    expect(cli(['verify', bundle, '--trust', trust2]).code).toBe(1);
  });
});

const keyFiles = new Map<Caller, ReturnType<typeof generateKeyFile>>();
/** A keygen key file registered to the caller (once). */
function fileOf(c: Caller) {
  return keyFiles.get(c)!;
}
beforeAll(async () => {
  const k = generateKeyFile('fin', 'k-pass-123');
  await e.call('keys/register', { key: { file: k, passphrase: 'k-pass-123' } }, fin);
  keyFiles.set(fin, k);
  // The same key cannot be bound to a second account.
  const err = await refusal(() => e.call('keys/register', { key: { file: k, passphrase: 'k-pass-123' } }, fin2));
  expect(err.message).toContain('已属于用户“fin”');
}, 60_000);

describe('hostile bundles', () => {
  const timed = async (what: () => Promise<unknown>) => {
    const t = Date.now();
    const err = await refusal(what);
    expect(Date.now() - t).toBeLessThan(5000);
    return err;
  };
  const verify = (p: string) => e.call('statements/verify', { path: p }, fin);

  it('reports a file the manifest does not list', async () => {
    const dir = copyOf('extra');
    fs.writeFileSync(path.join(dir, 'readme.txt'), 'x');
    const r = await verify(dir);
    expect(r.ok).toBe(false);
    expect(r.problems.join('；')).toContain('readme.txt：清单中没有这个文件');
  });

  it('refuses links in and out, FIFOs and a /dev/zero link, without following them', async () => {
    const out = copyOf('link-out');
    fs.rmSync(path.join(out, 'signatures/preparer.pem'));
    fs.symlinkSync('/etc/passwd', path.join(out, 'signatures/preparer.pem'));
    expect((await timed(() => verify(out))).message).toContain('符号链接');
    const zero = copyOf('dev-zero');
    fs.rmSync(path.join(zero, 'statement.xlsx'));
    fs.symlinkSync('/dev/zero', path.join(zero, 'statement.xlsx'));
    expect((await timed(() => verify(zero))).message).toContain('符号链接');
    const fifo = copyOf('fifo');
    execFileSync('mkfifo', [path.join(fifo, 'signatures/extra.sig')]);
    expect((await timed(() => verify(fifo))).message).toContain('特殊文件');
    const linkIn = path.join(tempDir(), 'bundle-link');
    fs.symlinkSync(bundle, linkIn);
    expect((await timed(() => verify(linkIn))).message).toContain('符号链接');
    // confirm does not write through a link either.
    const c = copyOf('confirm-link');
    fs.rmSync(path.join(c, 'signatures/finance.sig'));
    const target = path.join(tempDir(), 'outside.sig');
    fs.symlinkSync(target, path.join(c, 'signatures/finance.sig'));
    await timed(() => e.call('statements/confirm', { bundle: c, password: PASSWORD, carry: '演示数据的差异结转下月' }, fin2));
    expect(fs.existsSync(target)).toBe(false);
  });

  /** The bundle's zip with its bytes changed by `patch` (names and sizes live in the headers). */
  const patchedZip = (patch: (b: Buffer) => Buffer, build?: (z: AdmZip) => void) => {
    const z = new AdmZip(`${bundle}.zip`);
    build?.(z);
    const file = path.join(tempDir(), 'b.zip');
    fs.writeFileSync(file, patch(z.toBuffer()));
    return file;
  };
  /** Sets the uncompressed size an entry declares, in both of its headers. */
  const declareSize = (b: Buffer, suffix: string, size: number) => {
    for (let i = 0; i < b.length - 46; i++) {
      const sig = b.readUInt32LE(i);
      if (sig === 0x02014b50) {
        const n = b.readUInt16LE(i + 28);
        if (b.subarray(i + 46, i + 46 + n).toString().endsWith(suffix)) b.writeUInt32LE(size, i + 24);
      } else if (sig === 0x04034b50) {
        const n = b.readUInt16LE(i + 26);
        if (b.subarray(i + 30, i + 30 + n).toString().endsWith(suffix)) b.writeUInt32LE(size, i + 22);
      }
    }
    return b;
  };
  const replaceAll = (b: Buffer, from: string, to: string) => {
    const f = Buffer.from(from);
    const t = Buffer.from(to);
    expect(t.length).toBe(f.length);
    let i = b.indexOf(f);
    expect(i).toBeGreaterThanOrEqual(0);
    while (i >= 0) {
      t.copy(b, i);
      i = b.indexOf(f, i + 1);
    }
    return b;
  };

  it('refuses a zip entry declaring 3 GiB, and one that inflates past what it declares, in seconds', async () => {
    // The statement's entry declares 3 GiB (central directory and local header).
    const big = patchedZip((b) => declareSize(b, 'statement.xlsx', 3 * 1024 ** 3));
    // adm-zip writes the declared size as set; the reader must not believe it either way.
    const r1 = await timed(() => verify(big));
    expect(r1.message).toMatch(/上限|不符/);
    const bomb = path.join(tempDir(), 'bomb.zip');
    const z = new AdmZip(`${bundle}.zip`);
    const top = z.getEntries()[0]!.entryName.split('/')[0];
    z.addFile(`${top}/signatures/finance.json`, Buffer.alloc(64 * 1024 * 1024));
    fs.writeFileSync(bomb, z.toBuffer());
    expect(fs.statSync(bomb).size).toBeLessThan(2 * 1024 * 1024);
    const r2 = await timed(() => verify(bomb));
    expect(r2.message).toContain('上限');
  });

  it('refuses duplicate, absolute and escaping zip entry names; nothing is written outside', async () => {
    const dup = patchedZip((b) => replaceAll(b, 'signatures/finance.siG', 'signatures/finance.sig'), (z) => {
      const top = z.getEntries()[0]!.entryName.split('/')[0];
      z.addFile(`${top}/signatures/finance.siG`, Buffer.from('x'));
      z.addFile(`${top}/signatures/finance.sig`, Buffer.from('y'));
    });
    expect((await timed(() => verify(dup))).message).toContain('重名');
    const up = patchedZip((b) => replaceAll(b, 'ZZZZZZZZ/evil.txt', '../../../evil.txt'), (z) => z.addFile('ZZZZZZZZ/evil.txt', Buffer.from('x')));
    expect((await timed(() => verify(up))).message).toContain('不是普通的相对路径');
    const abs = patchedZip((b) => replaceAll(b, 'ZZZZZZZZZ/evil.txt', '/tmp/gjzz/evil.txt'), (z) => z.addFile('ZZZZZZZZZ/evil.txt', Buffer.from('x')));
    expect((await timed(() => verify(abs))).message).toContain('不是普通的相对路径');
    expect(fs.existsSync('/tmp/gjzz/evil.txt')).toBe(false);
  });
});

describe('the audit chain anchored in statements', () => {
  const edit = (fn: (raw: Database.Database) => void) => {
    const raw = new Database(e.dbPath);
    raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    fn(raw);
    raw.close();
    e.reopen();
  };

  it('catches a tail cut after a statement was prepared, and a chain re-hashed end to end', async () => {
    const anchor = (JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as Manifest).auditHead!;
    const ok = await e.call('audit/verify', {}, adm);
    expect(ok).toMatchObject({ ok: true, anchor: { seq: expect.any(Number) } });
    expect((ok as { anchors: number }).anchors).toBeGreaterThan(0);

    // Re-hash: change an entry before the anchor and recompute every hash after it.
    const saved = e.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, unknown>[];
    edit((raw) => {
      raw.prepare('UPDATE audit_log SET actor = ? WHERE seq = 2').run('someone-else');
      let prev = '0'.repeat(64);
      for (const r of raw.prepare('SELECT * FROM audit_log ORDER BY seq').all() as { seq: number; at: string; actor: string; action: string; target: string | null; detail: string; prev_hash: string; hash: string }[]) {
        const row = { ...r, prev_hash: prev };
        const { hash: _h, ...rest } = row;
        const hash = entryHash(rest);
        raw.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
        prev = hash;
      }
    });
    const rehashed = await e.call('audit/verify', {}, adm);
    expect(rehashed.ok).toBe(false);
    expect(rehashed.ok === false && rehashed.reason).toContain('重新计算');

    // Put it back, then cut the tail from the anchored entry on.
    edit((raw) => {
      raw.exec('DELETE FROM audit_log');
      const ins = raw.prepare('INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @target, @detail, @prev_hash, @hash)');
      for (const r of saved) ins.run(r);
      raw.prepare('DELETE FROM audit_log WHERE seq >= ?').run(anchor.seq);
    });
    const cut = cli(['--db', e.dbPath, '--user', 'adm', 'audit', 'verify']);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('截去');
  });
});

describe('statement preparation killed midway', () => {
  it('leaves nothing before the commit, and a recorded bundle put in place after it; never a signed bundle the database does not know', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'w.sqlite');
    const env = { KEY_PW: 'Key-pass-2025' };
    expect(cli(['--db', db, 'demo']).code).toBe(0);
    expect(cli(['--db', db, 'keygen', '--out', path.join(dir, 'k'), '--passphrase-env', 'KEY_PW'], env).code).toBe(0);
    const out = path.join(dir, 'out');
    const prepare = (crash?: string) => cli(['--db', db, 'statement', '--period', '2025-11', '--region', REGION, '--out', out, '--key', path.join(dir, 'k'), '--passphrase-env', 'KEY_PW'], { ...env, ...(crash ? { GONGJI_CRASH_AT: crash } : {}) });
    const statements = () => {
      const raw = new Database(db, { readonly: true });
      const n = raw.prepare('SELECT count(*) n FROM statement').get() as { n: number };
      const a = raw.prepare("SELECT count(*) n FROM audit_log WHERE action = 'statement.prepare'").get() as { n: number };
      raw.close();
      return [n.n, a.n];
    };
    const name = `清算_${REGION}_2025-11_家庭共济`;

    // Killed after signing, before the commit: no record, and no bundle in place.
    expect(prepare('prepare:signed').code).not.toBe(0);
    expect(statements()).toEqual([0, 0]);
    expect(fs.existsSync(path.join(out, name))).toBe(false);
    // The leftover is cleaned by the next preparation, which succeeds.
    // Killed after the commit: the record exists; the bundle is put in place when next looked at.
    const killed = prepare('prepare:committed');
    expect(killed.code).not.toBe(0);
    expect(statements()).toEqual([1, 1]);
    expect(fs.readdirSync(out).some((f) => f.startsWith('.编制中-'))).toBe(true);
    // Any host that opens the workstation finishes it; the bundle then verifies.
    const v = cli(['--db', db, 'verify', path.join(out, name)]);
    expect(v.code, v.stderr).toBe(0);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(fs.existsSync(path.join(out, `${name}.zip`))).toBe(true);
  });
});
