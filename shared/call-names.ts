// The call and event names alone, free of any library, for the sandboxed preload
// (which can load nothing but what is bundled). contract.ts checks that this list
// and its schemas agree, so neither can drift.
export const CALL_NAME_LIST = [
  'auth/status',
  'auth/setup',
  'auth/login',
  'auth/logout',
  'auth/unlock',
  'workstation/info',
  'users/list',
  'users/create',
  'users/update',
  'users/password',
  'imports/list',
  'imports/preview',
  'imports/withdraw',
  'jobs/start',
  'jobs/cancel',
  'recon/runs',
  'breaks/list',
  'breaks/facets',
  'breaks/detail',
  'breaks/assign',
  'breaks/comment',
  'breaks/dispose',
  'breaks/approve',
  'breaks/undo',
  'breaks/export',
  'pii/reveal',
  'recon/dashboard',
  'demo/load',
  'clearing/compute',
  'clearing/deadlines',
  'keys/status',
  'keys/generate',
  'keys/import',
  'statements/list',
  'statements/prepare',
  'statements/confirm',
  'statements/verify',
  'policy/list',
  'policy/select',
  'policy/save',
  'policy/check',
  'policy/findings',
  'audit/list',
  'audit/verify',
  'audit/export',
  'system/backup',
  'system/restore',
] as const;

export const EVENT_NAME_LIST = ['job/progress', 'job/finished'] as const;

/** The IPC channels the preload uses; nothing else crosses. */
export const IPC_CALL_CHANNEL = 'gongji:call';
export const IPC_EVENT_CHANNEL = 'gongji:event';
