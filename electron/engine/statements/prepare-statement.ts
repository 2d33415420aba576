// 编制: the officer's statement for a month and region — the balanced clearing
// tables as statement.xlsx, the manifest, the preparer's SM2 signature over it —
// as a folder and a zip. Refused when the table does not balance.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { balancedClearing, clearingJson } from '../clearing/balance-table';
import { appendAudit } from '../audit/audit-log';
import { sm3Hex } from '../sign/digests';
import { assertOwnKey } from '../sign/trust-list';
import { beijingIso } from '../../../shared/beijing-time';
import { crashPoint } from '../system/crash-point';
import { writeSignature } from './write-signature';
import { assertPeriodOpen } from '../periods/period-lock';
import { describeFile, manifestBytes, BUNDLE_FORMAT, BUNDLE_VERSION, type Manifest } from './manifest';
import { statementLines, writeStatementXlsx } from './statement-xlsx';
import { zipFolder } from './bundle-files';
import pkg from '../../../package.json';
import type { StatementInfo } from '../../../shared/clearing-types';

export const BUNDLE_KIND = '家庭共济';

export interface Signer {
  user: string;
  privateKey: string;
  publicKey: string;
  fingerprint: string;
}

export type { StatementInfo };

/** The display name of an account, for the records and sheets people read. */
export function displayNameOf(db: Database, user: string): string {
  return (db.prepare('SELECT display_name d FROM app_user WHERE name = ?').get(user) as { d: string } | undefined)?.d ?? user;
}

const TEMP_PREFIX = '.编制中-';

/**
 * Preparation is atomic: the bundle is built in a temporary folder beside the
 * target, the database records it, and only then is it renamed into place. What a
 * crash leaves is finished here before the next preparation: a temporary folder
 * whose manifest the database knows is moved into place; any other is removed.
 */
export function recoverPreparations(db: Database, outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  for (const e of fs.readdirSync(outDir, { withFileTypes: true })) {
    if (!e.isDirectory() || !e.name.startsWith(TEMP_PREFIX)) continue;
    const tmp = path.join(outDir, e.name);
    const { inner, known } = tempBundle(db, tmp);
    if (inner && known && !fs.existsSync(known.dir)) {
      fs.renameSync(path.join(tmp, inner), known.dir);
      if (fs.existsSync(path.join(tmp, `${inner}.zip`))) fs.renameSync(path.join(tmp, `${inner}.zip`), known.zip);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The bundle folder a temporary folder holds, and the statement the database records for its manifest (if any). */
function tempBundle(db: Database, tmp: string): { inner: string | null; known: StatementInfo | null } {
  const inner = fs.readdirSync(tmp, { withFileTypes: true }).find((x) => x.isDirectory())?.name ?? null;
  const manifest = inner && path.join(tmp, inner, 'manifest.json');
  return { inner, known: manifest && fs.existsSync(manifest) ? findStatementByManifest(db, sm3Hex(fs.readFileSync(manifest))) : null };
}

/** Finishes what crashed preparations left for every recorded statement whose folder is missing. */
export function recoverStatements(db: Database): void {
  const dirs = new Set((db.prepare('SELECT dir FROM statement').all() as { dir: string }[]).filter((r) => !fs.existsSync(r.dir)).map((r) => path.dirname(r.dir)));
  for (const d of dirs) recoverPreparations(db, d);
}

export async function prepareStatement(db: Database, o: { period: string; region: string; outDir: string; signer: Signer }): Promise<StatementInfo> {
  if (!/^\d{6}$/.test(o.region)) throw new EngineError('BAD_REQUEST', `统筹区应为 6 位区划代码，收到 ${o.region}`);
  assertOwnKey(db, o.signer.user, o.signer.fingerprint);
  assertPeriodOpen(db, 'settlement', o.period, '再编制清算报表');
  recoverPreparations(db, o.outDir);
  const clearing = balancedClearing(db, o.period);
  const name = `清算_${o.region}_${o.period}_${BUNDLE_KIND}`;
  const dir = path.join(o.outDir, name);
  if (fs.existsSync(dir) || fs.existsSync(`${dir}.zip`)) {
    const known = db.prepare('SELECT id FROM statement WHERE dir = ?').get(dir) as { id: number } | undefined;
    throw new EngineError(
      'CONFLICT',
      known ? `报表包已存在：${dir}（报表 #${known.id}，已编制的报表不覆盖）` : `报表包文件夹已存在，但工作站没有它的记录：${dir}。请把它（及同名 .zip）移走或删除后再编制。`,
    );
  }
  const tmp = fs.mkdtempSync(path.join(o.outDir, TEMP_PREFIX));
  const work = path.join(tmp, name);
  fs.mkdirSync(path.join(work, 'signatures'), { recursive: true });
  const at = beijingIso();
  const displayName = displayNameOf(db, o.signer.user);
  const generator = `${pkg.productName} ${pkg.version}`;
  try {
    const xlsxPath = path.join(work, 'statement.xlsx');
    const counts = await writeStatementXlsx(xlsxPath, clearing, { name, region: o.region, period: o.period, preparer: { user: o.signer.user, displayName, fingerprint: o.signer.fingerprint, at }, generator });
    const json = clearingJson(clearing);
    const own = json.care.regions.find((x) => x.region === o.region);
    const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const manifest: Manifest = {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      name,
      region: o.region,
      period: o.period,
      kind: BUNDLE_KIND,
      generator,
      createdAt: at,
      files: [describeFile('statement.xlsx', fs.readFileSync(xlsxPath))],
      totals: {
        care: json.care,
        premium: json.premium,
        careTotal: json.totals.care,
        premiumTotal: json.totals.premium,
        region: own ?? { region: o.region, receivable: '0.00', payable: '0.00', net: '0.00' },
        rows: { detail: counts.detailRows, openBreaks: counts.breakRows, careLines: statementLines(clearing, o.region).filter((l) => l.section === 'care').length },
      },
      signers: [{ role: 'preparer', label: '编制', name: o.signer.user, fingerprint: o.signer.fingerprint, time: at, signature: 'signatures/preparer.sig', publicKey: 'signatures/preparer.pem' }],
      requires: [{ role: 'finance', label: '复核', signature: 'signatures/finance.sig', publicKey: 'signatures/finance.pem', info: 'signatures/finance.json', infoSignature: 'signatures/finance.json.sig' }],
      auditHead: head ? { seq: head.seq, hash: head.hash } : null,
    };
    const bytes = manifestBytes(manifest);
    const manifestSm3 = sm3Hex(bytes);
    fs.writeFileSync(path.join(work, 'manifest.json'), bytes);
    writeSignature(path.join(work, 'signatures'), 'preparer', bytes, { role: 'preparer', label: '编制', name: o.signer.user, displayName, fingerprint: o.signer.fingerprint, time: at, manifestSm3 }, o.signer);
    zipFolder(work);
    crashPoint('prepare:signed');
    const st = db.transaction(() => {
      const id = Number(
        db.prepare(
          "INSERT INTO statement (period, region, name, dir, zip, manifest_sm3, prepared_by, prepared_at, preparer_fpr, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'prepared')",
        ).run(o.period, o.region, name, dir, `${dir}.zip`, manifestSm3, o.signer.user, at, o.signer.fingerprint).lastInsertRowid,
      );
      appendAudit(db, { actor: o.signer.user, action: 'statement.prepare', target: `statement:${id}`, detail: { name, manifestSm3, fingerprint: o.signer.fingerprint, auditHead: manifest.auditHead, totals: { care: json.totals.care, premium: json.totals.premium } } });
      return getStatement(db, id);
    })();
    // Committed: the bundle goes into place (a crash from here on is finished by recoverPreparations).
    crashPoint('prepare:committed');
    fs.renameSync(work, dir);
    fs.renameSync(`${work}.zip`, `${dir}.zip`);
    fs.rmSync(tmp, { recursive: true, force: true });
    return st;
  } catch (e) {
    // A failure after the commit keeps the folder: the next open moves it into place.
    let recorded = false;
    try {
      recorded = tempBundle(db, tmp).known !== null;
    } catch {
      // Nothing readable in it: nothing recorded.
    }
    if (!recorded) fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

interface Row {
  id: number; name: string; dir: string; zip: string; period: string; region: string; manifest_sm3: string; prepared_by: string; prepared_at: string;
  preparer_fpr: string; confirmed_by: string | null; confirmed_at: string | null; status: 'prepared' | 'confirmed';
}

const toInfo = (r: Row): StatementInfo => ({
  id: r.id, name: r.name, dir: r.dir, zip: r.zip, period: r.period, region: r.region, manifestSm3: r.manifest_sm3, preparedBy: r.prepared_by, preparedAt: r.prepared_at,
  preparerFingerprint: r.preparer_fpr, confirmedBy: r.confirmed_by, confirmedAt: r.confirmed_at, status: r.status,
});

export function getStatement(db: Database, id: number): StatementInfo {
  const r = db.prepare('SELECT * FROM statement WHERE id = ?').get(id) as Row | undefined;
  if (!r) throw new EngineError('NOT_FOUND', `没有报表 #${id}`);
  return toInfo(r);
}

export function listStatements(db: Database): StatementInfo[] {
  recoverStatements(db);
  return (db.prepare('SELECT * FROM statement ORDER BY id DESC').all() as Row[]).map(toInfo);
}

export function findStatementByManifest(db: Database, manifestSm3: string): StatementInfo | null {
  const r = db.prepare('SELECT * FROM statement WHERE manifest_sm3 = ?').get(manifestSm3) as Row | undefined;
  return r ? toInfo(r) : null;
}
