// Every contract call's handler, in one map the compiler checks against shared/contract.ts.
// Handlers stay thin: each delegates to the module that owns the concept. The
// engine has validated the argument and authorised the caller before any runs.
import path from 'node:path';
import type { BreakQuery, CallContext, Handlers } from '../../shared/contract';
import { mayReveal } from '../../shared/roles';
import type { PiiSearch } from './breaks/break-filter';
import { allBreaks, writeTaxFeedback } from './breaks/break-export';
import { EngineError } from '../../shared/errors';
import type { Engine } from './engine';
import { getBatch, listBatches, withdrawBatch } from './ingest/batches';
import { writeSourceFile } from './ingest/source-file';
import { previewFile } from './ingest/preview';
import { listProfiles, saveProfile } from './ingest/profiles';
import { listRuns } from './match/runs';
import { breakFacets, listBreaks } from './breaks/break-query';
import { myQueue } from './breaks/my-queue';
import { breakDetail, revealBreak } from './breaks/break-detail';
import { assignBreaks, commentBreak, decideWriteOff, disposeBreaks, undoLast } from './breaks/break-work';
import { dashboard } from './breaks/dashboard';
import { exportView } from './breaks/view-export';
import { loadDemo } from './demo/load-demo';
import { balancedClearing, clearingJson } from './clearing/balance-table';
import { clearingDeadlines } from './clearing/deadlines';
import { generateUserKey, importUserKey, keyStatus, registerKeyFile, signingKey } from './sign/user-keys';
import { importTrustFile, listSigners, readTrustFile, revokeSigner, trustFileBytes, workstationTrust } from './sign/trust-list';
import { sm3Hex } from './sign/digests';
import { writeNewFile } from './statements/write-signature';
import { getStatement, listStatements, prepareStatement } from './statements/prepare-statement';
import { confirmStatement } from './statements/confirm-statement';
import { lockPending } from './periods/lock-pending';
import { listPeriods } from './periods/period-list';
import { verifyBundle } from './statements/verify-bundle';
import { activePolicy, listPolicies, policyById, savePolicy, selectPolicy, type PolicyProfile } from './policy/policy-profiles';
import { runPolicyChecks } from './policy/run-checks';
import { disposeFindings, exportFindings, listFindings } from './policy/findings';

const policyInfo = (p: PolicyProfile, activeId: string) => ({ id: p.id, name: p.name, version: p.version, document: p.document, province: p.province, active: p.id === activeId, rules: p.rules });
import { appendAudit } from './audit/audit-log';
import { findAnchors, verifyAnchoredChain } from './audit/audit-anchors';
import { listAudit } from './audit/audit-query';
import { exportAudit } from './audit/audit-export';
import { backupsDir, ensureDir, exportsDir } from './system/exports-dir';
import { authenticate, createUser, getUser, listUsers, setPassword, updateUser, userCount } from './users/users';
import { backupTo, checkBackup, replaceWithBackup } from './system/backup';
import { beijingStamp } from '../../shared/beijing-time';
import { RECON_KIND_LABELS } from '../../shared/labels';
import pkg from '../../package.json';

/** Fragments of ID numbers and names are searched only for roles that may reveal them. */
const piiSearch = (ctx: CallContext): PiiSearch => (mayReveal(ctx.roles) ? 'fragment' : 'whole');

/** When a file the workstation writes was made, in its name: Beijing time, as the officer's clock reads. */
const stamp = () => beijingStamp();

/** Where an export of the workbench's view is written: the exports folder, named for the view. */
function breaksExportPath(engine: Engine, q: BreakQuery, format: 'xlsx' | 'csv'): string {
  return path.join(ensureDir(exportsDir(engine)), `差异清单-${RECON_KIND_LABELS[q.kind]}-${q.period ?? '全部'}-${stamp()}.${format}`);
}

export function makeHandlers(engine: Engine): Handlers {
  const db = () => engine.db;
  return {
    'auth/status': (_a, ctx) => {
      const peek = engine.sessions.peek(ctx.session);
      let session = null;
      if (peek) {
        const u = getUser(db(), peek.user);
        session = { user: u.name, roles: u.effectiveRoles, locked: peek.locked };
      }
      return { needsSetup: userCount(db()) === 0, session, idleMinutes: engine.sessions.idleMs() / 60_000 };
    },
    'auth/setup': async (a, ctx) => {
      if (userCount(db()) > 0) throw new EngineError('CONFLICT', '工作站已经有管理员了，请登录');
      const user = await createUser(db(), { name: a.name, displayName: a.displayName, roles: ['admin'], password: a.password }, a.name);
      appendAudit(db(), { actor: user.name, action: 'auth.login', target: `host:${ctx.host}`, detail: { first: true } });
      return { session: engine.sessions.open(user.name), user };
    },
    'auth/login': async (a, ctx) => {
      const user = await authenticate(db(), a.name, a.password, { host: ctx.host, purpose: '登录', now: engine.options.now?.() });
      appendAudit(db(), { actor: user.name, action: 'auth.login', target: `host:${ctx.host}` });
      return { session: engine.sessions.open(user.name), user };
    },
    'auth/logout': (_a, ctx) => {
      if (ctx.session) engine.sessions.close(ctx.session);
      return { ok: true };
    },
    'auth/unlock': async (a, ctx) => {
      await engine.sessions.unlock(ctx.session, a.password, ctx.host);
      return { ok: true };
    },
    'workstation/info': (_a, ctx) => ({
      product: pkg.productName,
      version: pkg.version,
      dbPath: engine.dbPath,
      schemaVersion: engine.schemaVersion(),
      host: ctx.host,
      user: ctx.user,
    }),
    'users/list': () => listUsers(db()),
    'users/create': (a, ctx) => createUser(db(), a, ctx.user),
    'users/update': (a, ctx) => updateUser(db(), a.name, a, ctx.user),
    'users/password': async (a, ctx) => {
      const name = a.name ?? ctx.user;
      if (name !== ctx.user && !ctx.roles.includes('admin')) throw new EngineError('FORBIDDEN', '只有管理员可以重设他人的口令');
      await setPassword(db(), name, a.password, ctx.user, ctx.host);
      return { ok: true };
    },
    'imports/list': (a) => listBatches(db(), a),
    'imports/preview': (a) => previewFile(db(), a.path, { kind: a.kind, encoding: a.encoding }),
    'imports/withdraw': (a, ctx) => withdrawBatch(db(), a.batchId, a.reason, ctx.user),
    'imports/source': (a, ctx) => {
      const name = `原始文件-批次${a.batchId}-${getBatch(db(), a.batchId).fileName}`;
      const r = writeSourceFile(db(), a.batchId, a.path ?? path.join(ensureDir(exportsDir(engine)), name), ctx.user);
      return { ...r, download: a.path ? path.basename(a.path) : name };
    },
    'profiles/list': (a) => listProfiles(db(), a.kind),
    'profiles/save': (a, ctx) => saveProfile(db(), a.profile, ctx.user),
    'jobs/start': (a, ctx) => {
      // An export's file goes in the workstation's exports folder, named here; its
      // search matches personal data as the caller's roles allow.
      const args = a.type === 'export' ? { ...a.args, out: breaksExportPath(engine, a.args.query, a.args.format), piiSearch: piiSearch(ctx) } : a.args;
      return { jobId: engine.jobs.start(a.type, args as never, ctx.user) };
    },
    'jobs/cancel': (a) => ({ cancelled: engine.jobs.cancel(a.jobId) }),
    'recon/runs': (a) => listRuns(db(), a),
    'breaks/list': (a, ctx) => {
      const { reveal, ...q } = a;
      const page = listBreaks(db(), q, { mask: !reveal, piiSearch: piiSearch(ctx) });
      // The engine has checked the reveal permission; each use says what it showed.
      if (reveal) appendAudit(db(), { actor: ctx.user, action: 'pii.reveal', target: `breaks:${q.kind}`, detail: { host: ctx.host, query: q, breaks: page.rows.map((r) => r.id), fields: ['certno', 'name'] } });
      return page;
    },
    'breaks/tax-feedback': (a, ctx) => {
      const name = `差异反馈-${a.period ?? '全部'}-${stamp()}.txt`;
      const out = a.path ?? path.join(ensureDir(exportsDir(engine)), name);
      const rows = allBreaks(db(), { kind: 'premium', period: a.period, status: a.status ?? 'open' });
      return db().transaction(() => {
        const r = writeTaxFeedback(db(), rows, out);
        appendAudit(db(), { actor: ctx.user, action: 'breaks.tax-feedback', target: path.basename(out), detail: { host: ctx.host, period: a.period ?? null, status: a.status ?? 'open', rows: r.rows, breaks: rows.map((b) => b.id), fullIds: true } });
        return { path: out, ...r, download: path.basename(out) };
      })();
    },
    'breaks/facets': (a, ctx) => breakFacets(db(), a, new Date(), piiSearch(ctx)),
    'breaks/queue': (_a, ctx) => myQueue(db(), ctx.user),
    'breaks/detail': (a) => breakDetail(db(), a.id),
    'breaks/assign': (a, ctx) => assignBreaks(db(), a.ids, a.to, ctx.user),
    'breaks/comment': (a, ctx) => commentBreak(db(), a.id, a.text, ctx.user),
    'breaks/dispose': (a, ctx) => disposeBreaks(db(), a.ids, a.reason, a.note, ctx.user, a.period),
    'breaks/approve': (a, ctx) => decideWriteOff(db(), a.ids, a.approve, a.note ?? '', ctx.user, a.period),
    'breaks/undo': (_a, ctx) => undoLast(db(), ctx.user),
    'breaks/export': async (a, ctx) => {
      const out = breaksExportPath(engine, a.query, a.format);
      return { ...(await exportView(db(), a.query, a.format, out, ctx.user, undefined, piiSearch(ctx))), download: path.basename(out) };
    },
    'pii/reveal': (a, ctx) => revealBreak(db(), a.breakId, ctx.user),
    'recon/dashboard': (a) => dashboard(db(), a.kind, a.period),
    'demo/load': (_a, ctx) => loadDemo(db(), path.join(path.dirname(path.resolve(engine.dbPath)), 'demo'), ctx.user),
    'clearing/compute': (a) => clearingJson(balancedClearing(db(), a.period)),
    'clearing/deadlines': (a) => clearingDeadlines(db(), a.period),
    'keys/status': (_a, ctx) => keyStatus(db(), ctx.user),
    'keys/generate': (a, ctx) => generateUserKey(db(), ctx.user, a.password, ctx.host),
    'keys/import': (a, ctx) => importUserKey(db(), ctx.user, a.pem, a.password, ctx.host),
    'statements/list': () => listStatements(db()),
    'statements/pending': (a) => lockPending(db(), a.period),
    'periods/list': (a) => listPeriods(db(), a.kind),
    'statements/prepare': (a, ctx) =>
      prepareStatement(db(), { period: a.period, region: a.region, outDir: ensureDir(a.outDir ?? exportsDir(engine)), signer: { user: ctx.user, ...signingKey(db(), ctx.user, a) } }),
    'statements/confirm': (a, ctx) => {
      const dir = a.bundle ?? getStatement(db(), a.id!).dir;
      const r = confirmStatement(db(), dir, { user: ctx.user, ...signingKey(db(), ctx.user, a) }, a.carry);
      return { statement: r.statement, locked: r.locked, report: r.report };
    },
    'statements/verify': (a) => verifyBundle(a.path, a.trustFile ? readTrustFile(a.trustFile) : workstationTrust(db())),
    'keys/register': (a, ctx) => registerKeyFile(db(), ctx.user, a.key),
    'signers/list': () => listSigners(db()),
    'signers/revoke': (a, ctx) => revokeSigner(db(), a.fingerprint, a.reason, ctx.user),
    'signers/export': (a, ctx) => {
      const bytes = trustFileBytes(db(), { user: ctx.user, ...signingKey(db(), ctx.user, a) });
      const name = `受信任签章人-${stamp()}.json`;
      const out = a.path ?? path.join(ensureDir(exportsDir(engine)), name);
      writeNewFile(out, bytes);
      const signers = listSigners(db()).length;
      appendAudit(db(), { actor: ctx.user, action: 'signer.export', target: path.basename(out), detail: { signers, sm3: sm3Hex(bytes) } });
      return { path: out, signers, download: path.basename(out) };
    },
    'signers/import': (a, ctx) => importTrustFile(db(), a.path, ctx.user),
    'policy/list': () => {
      const active = activePolicy(db()).id;
      return listPolicies(db()).map((p) => policyInfo(p, active));
    },
    'policy/select': (a, ctx) => policyInfo(selectPolicy(db(), a.id, ctx.user), a.id),
    'policy/save': (a, ctx) => policyInfo(savePolicy(db(), a.profile, ctx.user), activePolicy(db()).id),
    // A named profile is used for this run only: checking never changes the workstation's profile.
    'policy/check': (a, ctx) => runPolicyChecks(db(), a.period, ctx.user, a.profile ? policyById(db(), a.profile) : activePolicy(db())),
    'policy/findings': (a) => listFindings(db(), a),
    'policy/dispose': (a, ctx) => disposeFindings(db(), a.ids, a.resolution, a.note, ctx.user),
    'policy/export': async (a, ctx) => {
      const name = `政策检查-${a.period ?? '全部'}-${stamp()}.xlsx`;
      const r = await exportFindings(db(), a, path.join(ensureDir(exportsDir(engine)), name), ctx.user);
      return { ...r, download: name };
    },
    'audit/list': (a) => listAudit(db(), a),
    'audit/verify': () => verifyAnchoredChain(db(), findAnchors(db(), { exports: exportsDir(engine), backups: backupsDir(engine) })),
    'audit/export': async (a, ctx) => {
      const name = `审计日志-${stamp()}.xlsx`;
      const r = await exportAudit(db(), a, path.join(ensureDir(exportsDir(engine)), name), ctx.user);
      return { ...r, download: name };
    },
    'system/backup': (a, ctx) => backupTo(db(), a.path ?? path.join(backupsDir(engine), `workstation-${stamp()}.sqlite`), ctx.user),
    'system/restore': (a, ctx) => {
      const checked = checkBackup(db(), a.path, a.foreignReason);
      db().close();
      const keptAside = replaceWithBackup(engine.dbPath, checked.copy);
      engine.reopen();
      appendAudit(db(), {
        actor: ctx.user,
        action: 'system.restore',
        target: path.basename(a.path),
        detail: { from: a.path, keptAside, auditEntries: checked.entries, head: checked.head, ...(checked.foreign ? { foreign: checked.workstation, reason: a.foreignReason } : {}) },
      });
      return { restored: a.path, keptAside, auditEntries: checked.entries };
    },
  };
}
