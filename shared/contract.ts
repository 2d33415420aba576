// The one contract between UI and engine. Every call is named here with the schema
// of its argument (checked at run time by every host) and the type of its result
// (checked by the compiler on both sides); every event is named with its payload.
// A renamed call breaks the build, not the user.
import { z } from 'zod';
import { IMPORT_KINDS, RECON_KINDS, BREAK_TYPES } from './domain';
import { CALL_NAME_LIST, EVENT_NAME_LIST } from './call-names';
import { PERIOD_PATTERN } from './periods';
import type { BatchInfo, WorkstationInfo } from './domain';
import type { ImportSummary, ImportPreview, ColumnProfileInfo } from './import-types';
import type { ReconSummary, BreakRow, BreakPage, BreakFacets, BreakDetail, BreakQueue, DashboardData, PeriodInfo } from './recon-types';
import type { AuthStatus, LoginResult, UserInfo } from './auth-types';
import type { AuditPage } from './audit-types';
import type { PolicyCheckResult, PolicyFinding, PolicyInfo } from './policy-types';
import type { ClearingJson, Deadline, KeyStatus, LockPending, StatementInfo, TrustedSignerInfo, VerifyReport } from './clearing-types';
import { ROLES, type Role } from './roles';
import { AGING_BUCKETS, DISPOSITIONS } from './break-work';

// Validation messages in Chinese, in every host ("太小：应为 >= 1 个字符", not "Too small …").
z.config(z.locales.zhCN());

const importKind = z.enum(IMPORT_KINDS);
const reconKind = z.enum(RECON_KINDS);
const period = z.string().regex(PERIOD_PATTERN, '期间应为 2025-W47 或 2025-11');

export const importArgs = z.strictObject({
  path: z.string().min(1),
  kind: importKind.optional(),
  encoding: z.enum(['utf-8', 'gb18030', 'gbk']).optional(),
  profile: z.string().optional(),
  sheet: z.string().optional(),
  acceptPartial: z.boolean().optional(),
  /** The name the user knows the file by (browser uploads land in a staging folder). */
  displayName: z.string().optional(),
});
export type ImportArgs = z.infer<typeof importArgs>;

export const reconcileArgs = z.strictObject({
  kind: reconKind,
  period,
  windowHours: z.number().int().min(0).max(24 * 14).optional(),
});
export type ReconcileArgs = z.infer<typeof reconcileArgs>;

export const breakQuery = z.strictObject({
  kind: reconKind,
  period: period.optional(),
  status: z.enum(['open', 'closed', 'all']).optional(),
  types: z.array(z.enum(BREAK_TYPES)).optional(),
  search: z.string().max(100).optional(),
  aging: z.array(z.enum(AGING_BUCKETS)).optional(),
  /** A user name, or '' for breaks nobody is assigned. */
  assignee: z.string().max(32).optional(),
  /** Only write-offs waiting for finance. */
  pending: z.boolean().optional(),
  /** Only one-sided breaks with a likely other half (the same person and amount on the other side). */
  paired: z.boolean().optional(),
  /** Allow-listed columns only: the engine maps these names to SQL, never the text. */
  sort: z.array(z.strictObject({ col: z.string(), dir: z.enum(['asc', 'desc']) })).max(3).optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(5000).optional(),
});
export type BreakQuery = z.infer<typeof breakQuery>;

export const exportArgs = z.strictObject({ query: breakQuery, format: z.enum(['xlsx', 'csv']) });
export type ExportArgs = z.infer<typeof exportArgs>;

/** Long work: each job type with its argument and result. */
export const jobSchemas = {
  import: importArgs,
  reconcile: reconcileArgs,
  export: exportArgs,
} as const;
export type JobType = keyof typeof jobSchemas;
export interface JobResults {
  import: ImportSummary;
  reconcile: ReconSummary;
  export: { path: string; rows: number; download: string };
}
export type JobArgs<T extends JobType> = z.infer<(typeof jobSchemas)[T]>;

const jobStart = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('import'), args: importArgs }),
  z.strictObject({ type: z.literal('reconcile'), args: reconcileArgs }),
  z.strictObject({ type: z.literal('export'), args: exportArgs }),
]);



const role = z.enum(ROLES);
const month = z.string().regex(/^\d{4}-\d{2}$/, '清算期间应为月份，如 2025-11');
const breakIds = z.array(z.number().int().positive()).min(1).max(5000);
const userName = z.string().min(1).max(32);
const password = z.string().min(1).max(200);
/** A key file written by `keygen` (checked by the engine) and the passphrase that opens it. */
const keyFileArg = z.strictObject({ file: z.unknown(), passphrase: password });
const oneSigningKey = (a: { password?: string; key?: unknown }) => (a.password === undefined) !== (a.key === undefined);
const signingKeyMessage = '请给出签名口令（password）或密钥文件（key），只能二选一';

export const callSchemas = {
  'auth/status': z.strictObject({}),
  'auth/setup': z.strictObject({ name: userName, displayName: z.string().min(1).max(50), password }),
  'auth/login': z.strictObject({ name: userName, password }),
  'auth/logout': z.strictObject({}),
  'auth/unlock': z.strictObject({ password }),
  'workstation/info': z.strictObject({}),
  'users/list': z.strictObject({}),
  'users/create': z.strictObject({ name: userName, displayName: z.string().min(1).max(50), roles: z.array(role).min(1), password }),
  'users/update': z.strictObject({ name: userName, displayName: z.string().min(1).max(50).optional(), roles: z.array(role).min(1).optional(), disabled: z.boolean().optional() }),
  'users/password': z.strictObject({ name: userName.optional(), password }),
  'imports/list': z.strictObject({ kind: importKind.optional(), includeWithdrawn: z.boolean().optional() }),
  'imports/preview': z.strictObject({ path: z.string().min(1), kind: importKind.optional(), encoding: z.enum(['utf-8', 'gb18030', 'gbk']).optional() }),
  'imports/withdraw': z.strictObject({ batchId: z.number().int().positive(), reason: z.string().min(1).max(500) }),
  /** The batch's original file, written out from the store (to `path`, or the exports folder). */
  'imports/source': z.strictObject({ batchId: z.number().int().positive(), path: z.string().min(1).optional() }),
  'profiles/list': z.strictObject({ kind: importKind.optional() }),
  /** The engine validates the profile itself (fields of the kind, names not built in). */
  'profiles/save': z.strictObject({ profile: z.unknown() }),
  'jobs/start': jobStart,
  'jobs/cancel': z.strictObject({ jobId: z.string().min(1) }),
  'recon/runs': z.strictObject({ kind: reconKind.optional(), period: period.optional() }),
  /** The periods with data, runs or locks, newest first, each with its state (the period fields' list). */
  'periods/list': z.strictObject({ kind: reconKind }),
  /** reveal: full ID numbers and names (a permission of its own: REVEAL_ROLES), audited with what was shown. */
  'breaks/list': breakQuery.extend({ reveal: z.boolean().optional() }),
  /** 差异反馈 for the tax bureau: the extract's own rows (full IDs: they go back to the 中间库), written to `path` or the exports folder. */
  'breaks/tax-feedback': z.strictObject({ period: period.optional(), status: z.enum(['open', 'closed', 'all']).optional(), path: z.string().min(1).optional() }),
  'breaks/facets': breakQuery,
  /** The signed-in user's queue: their open breaks of every kind, and who last gave them one. */
  'breaks/queue': z.strictObject({}),
  'breaks/detail': z.strictObject({ id: z.number().int().positive() }),
  'breaks/assign': z.strictObject({ ids: breakIds, to: userName.nullable() }),
  'breaks/comment': z.strictObject({ id: z.number().int().positive(), text: z.string().min(1).max(2000) }),
  'breaks/dispose': z.strictObject({ ids: breakIds, reason: z.enum(DISPOSITIONS), note: z.string().max(2000), period: period.optional() }),
  'breaks/approve': z.strictObject({ ids: breakIds, approve: z.boolean(), note: z.string().max(2000).optional(), period: period.optional() }),
  'breaks/undo': z.strictObject({}),
  'breaks/export': z.strictObject({ query: breakQuery, format: z.enum(['xlsx', 'csv']) }),
  'pii/reveal': z.strictObject({ breakId: z.number().int().positive() }),
  'recon/dashboard': z.strictObject({ kind: reconKind, period }),
  'demo/load': z.strictObject({}),
  'clearing/compute': z.strictObject({ period: month }),
  'clearing/deadlines': z.strictObject({ period: month }),
  'keys/status': z.strictObject({}),
  'keys/generate': z.strictObject({ password }),
  'keys/import': z.strictObject({ pem: z.string().min(1).max(10_000), password }),
  'statements/list': z.strictObject({}),
  /** Signed with the user's stored key (password) or a key file from `keygen` (key: its JSON and passphrase; the CLI). */
  'statements/prepare': z
    .strictObject({ period: month, region: z.string().regex(/^\d{6}$/, '统筹区应为 6 位区划代码'), password: password.optional(), key: keyFileArg.optional(), outDir: z.string().min(1).optional() })
    .refine(oneSigningKey, signingKeyMessage),
  /** The statement by id, or a bundle folder by path (the CLI). */
  /** What confirming the month would lock while write-offs wait or breaks are open in it. */
  'statements/pending': z.strictObject({ period: month }),
  /** carry: finance's reason to lock a month with work still open in it (required then). */
  'statements/confirm': z
    .strictObject({ id: z.number().int().positive().optional(), bundle: z.string().min(1).optional(), password: password.optional(), key: keyFileArg.optional(), carry: z.string().max(500).optional() })
    .refine(oneSigningKey, signingKeyMessage)
    .refine((a) => (a.id === undefined) !== (a.bundle === undefined), '请指明报表（id）或报表包文件夹（bundle），只能二选一'),
  /** Judged against this workstation's trust list, or against a trust file named explicitly. */
  'statements/verify': z.strictObject({ path: z.string().min(1), trustFile: z.string().min(1).optional() }),
  /** A key file from `keygen` put on the trust list as the caller's own (opening it proves possession). */
  'keys/register': z.strictObject({ key: keyFileArg }),
  'signers/list': z.strictObject({}),
  'signers/revoke': z.strictObject({ fingerprint: z.string().min(64).max(100), reason: z.string().min(1).max(500) }),
  /** The trust list as a file signed by the administrator's own key. */
  'signers/export': z.strictObject({ password: password.optional(), key: keyFileArg.optional(), path: z.string().min(1).optional() }).refine(oneSigningKey, signingKeyMessage),
  'signers/import': z.strictObject({ path: z.string().min(1) }),
  'policy/list': z.strictObject({}),
  'policy/select': z.strictObject({ id: z.string().min(1) }),
  'policy/save': z.strictObject({ profile: z.unknown() }),
  /** profile: check against this profile for this run only (the workstation's own stays as it is). */
  'policy/check': z.strictObject({ period, profile: z.string().min(1).optional() }),
  'policy/findings': z.strictObject({ period: period.optional(), rule: z.string().optional(), status: z.enum(['open', 'closed', 'all']).optional() }),
  'policy/dispose': z.strictObject({ ids: breakIds, resolution: z.enum(['确认违规', '已追回', '误报', '已整改']), note: z.string().max(2000) }),
  'policy/export': z.strictObject({ period: period.optional() }),
  'audit/list': z.strictObject({
    actor: z.string().optional(),
    action: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  }),
  'audit/verify': z.strictObject({}),
  'audit/export': z.strictObject({ actor: z.string().optional(), action: z.string().optional(), from: z.string().optional(), to: z.string().optional() }),
  'system/backup': z.strictObject({ path: z.string().min(1).optional() }),
  /** foreignReason: restore another workstation's file on purpose (administrators; audited). */
  'system/restore': z.strictObject({ path: z.string().min(1), foreignReason: z.string().min(2).max(500).optional() }),
} as const;

export type CallName = keyof typeof callSchemas;
export type CallArgs<K extends CallName> = z.infer<(typeof callSchemas)[K]>;

export interface CallResults {
  'auth/status': AuthStatus;
  'auth/setup': LoginResult;
  'auth/login': LoginResult;
  'auth/logout': { ok: true };
  'auth/unlock': { ok: true };
  'workstation/info': WorkstationInfo;
  'users/list': UserInfo[];
  'users/create': UserInfo;
  'users/update': UserInfo;
  'users/password': { ok: true };
  'imports/list': BatchInfo[];
  'imports/preview': ImportPreview;
  'imports/withdraw': BatchInfo;
  'imports/source': { path: string; bytes: number; sha256: string; matches: boolean; download: string };
  'profiles/list': ColumnProfileInfo[];
  'profiles/save': ColumnProfileInfo;
  'jobs/start': { jobId: string };
  'jobs/cancel': { cancelled: boolean };
  'recon/runs': ReconSummary[];
  'periods/list': PeriodInfo[];
  'breaks/list': BreakPage;
  'breaks/tax-feedback': { path: string; rows: number; encoding: string; delimiter: string; download: string };
  'breaks/facets': BreakFacets;
  'breaks/queue': BreakQueue;
  'breaks/detail': BreakDetail;
  'breaks/assign': { count: number };
  'breaks/comment': { count: number };
  'breaks/dispose': { count: number };
  'breaks/approve': { count: number };
  'breaks/undo': { undone: number; action: string };
  'breaks/export': { path: string; rows: number; download: string };
  'pii/reveal': { certno: string | null; name: string | null };
  'recon/dashboard': DashboardData;
  'demo/load': { files: string[]; premium: ReconSummary; settlement: ReconSummary };
  'clearing/compute': ClearingJson;
  'clearing/deadlines': Deadline[];
  'keys/status': KeyStatus;
  'keys/generate': KeyStatus;
  'keys/import': KeyStatus;
  'statements/list': StatementInfo[];
  'statements/prepare': StatementInfo;
  'statements/pending': LockPending;
  'statements/confirm': { statement: StatementInfo | null; locked: string[]; report: VerifyReport };
  'statements/verify': VerifyReport;
  'keys/register': KeyStatus & { signer: TrustedSignerInfo };
  'signers/list': TrustedSignerInfo[];
  'signers/revoke': TrustedSignerInfo;
  'signers/export': { path: string; signers: number; download: string };
  'signers/import': { added: number; revoked: number; unchanged: number };
  'policy/list': PolicyInfo[];
  'policy/select': PolicyInfo;
  'policy/save': PolicyInfo;
  'policy/check': PolicyCheckResult;
  'policy/findings': PolicyFinding[];
  'policy/dispose': { count: number };
  'policy/export': { path: string; rows: number; download: string };
  'audit/list': AuditPage;
  'audit/verify': import('./audit-types').ChainCheck;
  'audit/export': { path: string; rows: number; head: string | null; chainOk: boolean; download: string };
  'system/backup': { path: string; bytes: number; auditHead: string | null };
  'system/restore': { restored: string; keptAside: string; auditEntries: number };
}

export type JobOutcome =
  | { outcome: 'result'; result: unknown }
  | { outcome: 'error'; error: import('./errors').ErrorData }
  | { outcome: 'cancelled' };

export interface JobProgress {
  jobId: string;
  type: JobType;
  done: number;
  total: number;
  /** Units per second, over the job so far. */
  rate: number;
  unit: 'rows' | 'bytes' | 'keys';
  stage: string;
}

export type JobFinished = { jobId: string; type: JobType } & JobOutcome;

export interface EventPayloads {
  'job/progress': JobProgress;
  'job/finished': JobFinished;
}
export type EventName = keyof EventPayloads;
export const EVENT_NAMES: readonly EventName[] = EVENT_NAME_LIST;
export const CALL_NAMES: readonly CallName[] = CALL_NAME_LIST;

// The library-free name lists (for the preload) must be exactly the contract's names.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _callsAgree: Same<(typeof CALL_NAME_LIST)[number], CallName> = true;
const _eventsAgree: Same<(typeof EVENT_NAME_LIST)[number], EventName> = true;
void _callsAgree;
void _eventsAgree;

export type HostKind = WorkstationInfo['host'];

/** What a host knows of its caller: which host, and the session it presented. */
export interface Caller {
  host: HostKind;
  session?: string | null;
}

/** Who is calling, as the engine resolved it: every handler receives it. */
export interface CallContext {
  user: string;
  roles: Role[];
  host: HostKind;
  session: string | null;
}

export type Handlers = {
  [K in CallName]: (args: CallArgs<K>, ctx: CallContext) => Promise<CallResults[K]> | CallResults[K];
};

/** What the UI holds: one typed function for calls and one for events. */
export interface ContractClient {
  call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallResults[K]>;
  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

export type { BreakRow };
