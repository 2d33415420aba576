// Roles and who may call what. The engine checks this table on every call, in
// every host; the UI only uses it to hide what would be refused anyway.
import type { CallName, JobType } from './contract';

export const ROLES = ['officer', 'finance', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  officer: '对账员',
  finance: '财务复核',
  auditor: '审计',
  admin: '管理员',
};

/** The same roles in the English interface's words. */
export const ROLE_LABELS_EN: Record<Role, string> = {
  officer: 'Officer',
  finance: 'Finance',
  auditor: 'Auditor',
  admin: 'Administrator',
};

/** Who may see full ID numbers and names (each time audited): the detail panel's reveal, the CLI's --reveal. */
export const REVEAL_ROLES: readonly Role[] = ['officer', 'finance', 'auditor'];

export function mayReveal(roles: readonly Role[]): boolean {
  return roles.some((r) => REVEAL_ROLES.includes(r));
}

/** 'public': no login needed; 'any': any signed-in role (reading); otherwise the roles that may. */
export type Permission = 'public' | 'any' | readonly Role[];

export const CALL_PERMISSIONS: Record<CallName, Permission> = {
  'auth/status': 'public',
  'auth/setup': 'public',
  'auth/login': 'public',
  'auth/logout': 'any',
  'auth/unlock': 'public',
  'workstation/info': 'any',
  'users/list': 'any',
  'users/create': ['admin'],
  'users/update': ['admin'],
  'users/password': 'any',
  'imports/list': 'any',
  'imports/preview': ['officer'],
  'imports/withdraw': ['officer'],
  // The original file holds full ID numbers: the people who work with or audit the data.
  'imports/source': ['officer', 'auditor', 'admin'],
  'profiles/list': 'any',
  'profiles/save': ['officer', 'admin'],
  'jobs/start': 'any', // the job type decides, below
  'jobs/cancel': 'any',
  'recon/runs': 'any',
  'breaks/list': 'any', // with reveal: REVEAL_ROLES (checked by the engine before the handler runs)
  // The tax bureau's own rows, full IDs included, go back to it: the officers who work the breaks.
  'breaks/tax-feedback': ['officer'],
  'breaks/facets': 'any',
  'breaks/queue': 'any', // one's own queue: an account that is no officer has none
  'breaks/detail': 'any',
  'breaks/assign': ['officer'],
  'breaks/comment': ['officer', 'finance'],
  'breaks/dispose': ['officer'],
  'breaks/approve': ['finance'],
  'breaks/undo': ['officer', 'finance'],
  'breaks/export': 'any',
  'pii/reveal': REVEAL_ROLES,
  'recon/dashboard': 'any',
  'demo/load': ['officer'],
  'clearing/compute': 'any',
  'clearing/deadlines': 'any',
  'keys/status': 'any',
  // Administrators sign trust files, so they hold keys too.
  'keys/generate': ['officer', 'finance', 'admin'],
  'keys/import': ['officer', 'finance', 'admin'],
  'keys/register': ['officer', 'finance', 'admin'],
  'statements/list': 'any',
  'periods/list': 'any',
  'statements/prepare': ['officer'],
  'statements/pending': 'any',
  'statements/confirm': ['finance'],
  'statements/verify': 'any',
  'signers/list': 'any',
  'signers/revoke': ['admin'],
  'signers/export': ['admin'],
  'signers/import': ['admin'],
  'policy/list': 'any',
  'policy/select': ['admin'],
  'policy/save': ['admin'],
  // Checking writes findings, not money: auditors run it.
  'policy/check': ['auditor', 'officer'],
  'policy/findings': 'any',
  'policy/dispose': ['auditor', 'officer'],
  'policy/export': 'any',
  'audit/list': 'any',
  'audit/verify': 'any',
  'audit/export': 'any',
  'system/backup': ['admin', 'auditor'],
  'system/restore': ['admin'],
};

export const JOB_PERMISSIONS: Record<JobType, readonly Role[]> = {
  import: ['officer'],
  reconcile: ['officer'],
  export: ['officer', 'finance', 'auditor', 'admin'],
};
