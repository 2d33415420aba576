import type { Role } from './roles';

export interface UserInfo {
  name: string;
  displayName: string;
  /** As assigned. */
  roles: Role[];
  /** As in force: every role while the database has a single account. */
  effectiveRoles: Role[];
  disabled: boolean;
}

export interface AuthStatus {
  needsSetup: boolean;
  session: { user: string; roles: Role[]; locked: boolean } | null;
  idleMinutes: number;
}

export interface LoginResult {
  session: string;
  user: UserInfo;
}
