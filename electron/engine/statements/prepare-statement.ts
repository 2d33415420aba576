// 编制: the officer's statement for a month and region — the balanced clearing
// tables as statement.xlsx, the manifest, the preparer's SM2 signature over it —
// as a folder and a zip. Refused when the table does not balance.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { balancedClearing, clearingJson } from '../clearing/balance-table';
import { appendAudit } from '../audit/audit-log';
import { publicKeyPem } from '../sign/sm2-keys';
import { signBytes } from '../sign/sm2-sign';
import { sm3Hex } from '../sign/digests';
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

export async function prepareStatement(db: Database, o: { period: string; region: string; outDir: string; signer: Signer }): Promise<StatementInfo> {
  if (!/^\d{6}$/.test(o.region)) throw new EngineError('BAD_REQUEST', `统筹区应为 6 位区划代码，收到 ${o.region}`);
  assertPeriodOpen(db, 'settlement', o.period, '再编制清算报表');
  const clearing = balancedClearing(db, o.period);
  const name = `清算_${o.region}_${o.period}_${BUNDLE_KIND}`;
  const dir = path.join(o.outDir, name);
  if (fs.existsSync(dir)) throw new EngineError('CONFLICT', `报表包已存在：${dir}（已编制的报表不覆盖）`);
  fs.mkdirSync(path.join(dir, 'signatures'), { recursive: true });
  const at = new Date().toISOString();
  const generator = `${pkg.productName} ${pkg.version}`;
  try {
    const xlsxPath = path.join(dir, 'statement.xlsx');
    const counts = await writeStatementXlsx(xlsxPath, clearing, { name, region: o.region, period: o.period, preparer: { user: o.signer.user, fingerprint: o.signer.fingerprint, at }, generator });
    const json = clearingJson(clearing);
    const own = json.care.regions.find((x) => x.region === o.region);
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
      requires: [{ role: 'finance', label: '复核', signature: 'signatures/finance.sig', publicKey: 'signatures/finance.pem', info: 'signatures/finance.json' }],
    };
    const bytes = manifestBytes(manifest);
    fs.writeFileSync(path.join(dir, 'manifest.json'), bytes);
    fs.writeFileSync(path.join(dir, 'signatures', 'preparer.sig'), signBytes(bytes, o.signer.privateKey, o.signer.publicKey));
    fs.writeFileSync(path.join(dir, 'signatures', 'preparer.pem'), publicKeyPem(o.signer.publicKey));
    const zip = zipFolder(dir);
    const manifestSm3 = sm3Hex(bytes);
    return db.transaction(() => {
      const id = Number(
        db.prepare(
          "INSERT INTO statement (period, region, name, dir, zip, manifest_sm3, prepared_by, prepared_at, preparer_fpr, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'prepared')",
        ).run(o.period, o.region, name, dir, zip, manifestSm3, o.signer.user, at, o.signer.fingerprint).lastInsertRowid,
      );
      appendAudit(db, { actor: o.signer.user, action: 'statement.prepare', target: `statement:${id}`, detail: { name, manifestSm3, fingerprint: o.signer.fingerprint, totals: { care: json.totals.care, premium: json.totals.premium } } });
      return getStatement(db, id);
    })();
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(`${dir}.zip`, { force: true });
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
  return (db.prepare('SELECT * FROM statement ORDER BY id DESC').all() as Row[]).map(toInfo);
}

export function findStatementByManifest(db: Database, manifestSm3: string): StatementInfo | null {
  const r = db.prepare('SELECT * FROM statement WHERE manifest_sm3 = ?').get(manifestSm3) as Row | undefined;
  return r ? toInfo(r) : null;
}
