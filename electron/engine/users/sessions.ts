// Signed-in sessions of the UI hosts, held in memory by the engine's process. A
// session idle longer than the workstation's setting locks; the user's password
// unlocks it. Roles are read afresh on every call, so a change applies at once.
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import type { Role } from '../../../shared/roles';
import { authenticate, getUser } from './users';
import { getSetting } from '../system/settings';

interface Session {
  user: string;
  lastActive: number;
  locked: boolean;
}

export interface SessionUser {
  user: string;
  roles: Role[];
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly db: () => Database, private readonly now: () => number = Date.now) {}

  idleMs(): number {
    return Number(getSetting(this.db(), 'session_idle_minutes', '15')) * 60_000;
  }

  open(user: string): string {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { user, lastActive: this.now(), locked: false });
    return id;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  /** The session's user and current roles; refuses an unknown, locked or disabled one. */
  resolve(id: string | null | undefined, touch = true): SessionUser {
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) throw new EngineError('UNAUTHENTICATED', '请先登录');
    if (!s.locked && this.now() - s.lastActive > this.idleMs()) s.locked = true;
    if (s.locked) throw new EngineError('LOCKED', '会话因长时间未操作已锁定，请输入口令解锁');
    const u = getUser(this.db(), s.user);
    if (u.disabled) throw new EngineError('FORBIDDEN', `用户“${s.user}”已停用`);
    if (touch) s.lastActive = this.now();
    return { user: u.name, roles: u.effectiveRoles };
  }

  peek(id: string | null | undefined): { user: string; locked: boolean } | null {
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) return null;
    if (!s.locked && this.now() - s.lastActive > this.idleMs()) s.locked = true;
    return { user: s.user, locked: s.locked };
  }

  async unlock(id: string | null | undefined, password: string, host: string): Promise<SessionUser> {
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) throw new EngineError('UNAUTHENTICATED', '请先登录');
    await authenticate(this.db(), s.user, password, { host, purpose: '解锁', now: this.now() });
    s.locked = false;
    s.lastActive = this.now();
    return this.resolve(id);
  }
}
