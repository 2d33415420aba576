// What the signed-in user may do, from the same table the engine checks on every
// call: a control the user's roles cannot use is disabled with the reason on hover,
// never shown live only to be refused after a click.
import { CALL_PERMISSIONS, JOB_PERMISSIONS, ROLE_LABELS, type Role } from '../../../shared/roles';
import type { CallName, JobType } from '../../../shared/contract';
import { useMe } from './AuthGate';

export interface Can {
  ok: boolean;
  /** Why not, for a tooltip: which roles may. */
  reason?: string;
}

export function canWith(roles: readonly Role[], what: { call: CallName } | { job: JobType }): Can {
  const allowed = 'call' in what ? CALL_PERMISSIONS[what.call] : JOB_PERMISSIONS[what.job];
  if (allowed === 'public' || allowed === 'any') return { ok: true };
  if (roles.some((r) => allowed.includes(r))) return { ok: true };
  return { ok: false, reason: `需要“${allowed.map((r) => ROLE_LABELS[r]).join('”或“')}”角色` };
}

export function useCan(): (what: { call: CallName } | { job: JobType }) => Can {
  const me = useMe();
  return (what) => canWith(me.roles, what);
}
