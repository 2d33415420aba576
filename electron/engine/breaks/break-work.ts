// Working breaks: assign, comment, dispose with a reason, propose and approve a
// write-off (核销, finance only, never the proposer), and undo one's last action.
// Each action over one or many breaks is one group: one transaction, one audit
// entry, one undo. Nothing is deleted: a disposed break is closed and stays findable.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import type { Disposition } from '../../../shared/break-work';
import { appendAudit } from '../audit/audit-log';
import { assertPeriodOpen, firstOpenFrom } from '../periods/period-lock';
import { findUser } from '../users/users';
import { LatestRuns } from './latest-run';

interface State {
  id: number;
  kind: string;
  match_key: string;
  status: string;
  resolution: string | null;
  assignee: string | null;
  note: string | null;
  pending: string | null;
  pending_by: string | null;
  disposed_by: string | null;
  closed_period: string | null;
  closed_at: string | null;
  opened_period: string;
  /** The latest run that wrote the break (LatestRuns: the latest that named it unchanged, too). */
  last_run: number;
}

const STATE_COLS = ['status', 'resolution', 'assignee', 'note', 'pending', 'pending_by', 'disposed_by', 'closed_period', 'closed_at'] as const;
type Mutable = Pick<State, (typeof STATE_COLS)[number]>;

function load(db: Database, ids: number[]): State[] {
  const rows = db.prepare(`SELECT * FROM recon_break WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as State[];
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new EngineError('NOT_FOUND', `没有这些差异：${missing.join('、')}`);
  return rows;
}

const pick = (s: State): Mutable => Object.fromEntries(STATE_COLS.map((c) => [c, s[c]])) as Mutable;

function write(db: Database, id: number, m: Mutable): void {
  db.prepare(`UPDATE recon_break SET ${STATE_COLS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...STATE_COLS.map((c) => m[c]), id);
}

function group(db: Database, user: string, action: string, rows: State[], change: (s: State) => Mutable, extra: Record<string, unknown> = {}): { count: number } {
  const grp = randomUUID();
  const at = new Date().toISOString();
  const ev = db.prepare('INSERT INTO break_event (break_id, at, actor, action, detail, grp) VALUES (?, ?, ?, ?, ?, ?)');
  for (const r of rows) {
    const before = pick(r);
    const after = change(r);
    write(db, r.id, after);
    ev.run(r.id, at, user, action, JSON.stringify({ ...extra, before, after }), grp);
  }
  appendAudit(db, { actor: user, action: `break.${action}`, target: rows.length === 1 ? `break:${rows[0]!.id}` : `breaks:${rows.length}`, detail: { ...extra, ids: rows.map((r) => r.id), keys: rows.map((r) => r.match_key), grp } });
  return { count: rows.length };
}

/**
 * The period an action on an open break is recorded in. One rule, whichever
 * period the user looks from: the period they work in, else the break's latest
 * run; when that period is locked (a confirmed month carried the break on), the
 * first open period after it. A locked period itself is never written to.
 */
function workPeriod(db: Database, latest: LatestRuns, r: State, given?: string): string {
  const run = given ? undefined : (db.prepare('SELECT period FROM recon_run WHERE id = ?').get(latest.of(r.id, r.last_run)) as { period: string } | undefined);
  return firstOpenFrom(db, r.kind, given ?? run?.period ?? r.opened_period);
}

export function assignBreaks(db: Database, ids: number[], to: string | null, user: string) {
  return db.transaction(() => {
    const rows = load(db, ids);
    if (to) {
      const u = findUser(db, to);
      if (!u || u.disabled) throw new EngineError('NOT_FOUND', `没有可用的用户“${to}”`);
      // A break is worked by an officer: one given to an auditor or to finance alone would sit with nobody able to dispose of it.
      if (!u.effectiveRoles.includes('officer')) throw new EngineError('BAD_REQUEST', `用户“${to}”不是对账员，不能把差异分配给他`);
    }
    return group(db, user, 'assign', rows, (r) => ({ ...pick(r), assignee: to }), { to });
  })();
}

export function commentBreak(db: Database, id: number, text: string, user: string) {
  return db.transaction(() => {
    const [r] = load(db, [id]);
    db.prepare('INSERT INTO break_event (break_id, at, actor, action, detail, grp) VALUES (?, ?, ?, ?, ?, NULL)').run(id, new Date().toISOString(), user, 'comment', JSON.stringify({ text }));
    appendAudit(db, { actor: user, action: 'break.comment', target: `break:${id}`, detail: { key: r!.match_key, text } });
    return { count: 1 };
  })();
}

export function disposeBreaks(db: Database, ids: number[], reason: Disposition, note: string, user: string, period?: string) {
  return db.transaction(() => {
    const rows = load(db, ids);
    const closed = rows.filter((r) => r.status !== 'open');
    if (closed.length) throw new EngineError('CONFLICT', `这些差异已经关闭：${closed.map((r) => r.match_key).join('、')}`);
    if (reason === '核销') {
      // A write-off only proposes: finance approves it, and not the proposer.
      return group(db, user, 'propose-writeoff', rows, (r) => ({ ...pick(r), pending: '核销', pending_by: user, note }), { reason, note });
    }
    const at = new Date().toISOString();
    const latest = new LatestRuns(db);
    return group(db, user, 'dispose', rows, (r) => ({ ...pick(r), status: 'closed', resolution: reason, note, disposed_by: user, pending: null, pending_by: null, closed_period: workPeriod(db, latest, r, period), closed_at: at }), { reason, note });
  })();
}

export function decideWriteOff(db: Database, ids: number[], approve: boolean, note: string, user: string, period?: string) {
  return db.transaction(() => {
    const rows = load(db, ids);
    const notPending = rows.filter((r) => r.pending !== '核销' || r.status !== 'open');
    if (notPending.length) throw new EngineError('CONFLICT', `这些差异没有待审批的核销：${notPending.map((r) => r.match_key).join('、')}`);
    const own = rows.filter((r) => r.pending_by === user);
    if (own.length) throw new EngineError('FORBIDDEN', `不能审批自己提出的核销（${own.map((r) => r.match_key).join('、')}）：须由另一位财务人员审批`);
    const at = new Date().toISOString();
    const latest = new LatestRuns(db);
    return approve
      ? group(db, user, 'approve-writeoff', rows, (r) => ({ ...pick(r), status: 'closed', resolution: '核销', disposed_by: r.pending_by, pending: null, closed_period: workPeriod(db, latest, r, period), closed_at: at, note: note || r.note }), { note })
      : group(db, user, 'reject-writeoff', rows, (r) => ({ ...pick(r), pending: null, pending_by: null }), { note });
  })();
}

const UNDOABLE = ['dispose', 'propose-writeoff', 'assign', 'approve-writeoff', 'reject-writeoff'];

/** Takes back the user's last action group, if nothing has changed those breaks since. */
export function undoLast(db: Database, user: string) {
  return db.transaction(() => {
    const last = db
      .prepare(
        `SELECT grp, action FROM break_event WHERE actor = ? AND action IN (${UNDOABLE.map(() => '?').join(',')})
         AND grp NOT IN (SELECT json_extract(detail, '$.grp') FROM break_event WHERE action = 'undo')
         ORDER BY id DESC LIMIT 1`,
      )
      .get(user, ...UNDOABLE) as { grp: string; action: string } | undefined;
    if (!last) throw new EngineError('NOT_FOUND', '没有可以撤销的操作');
    const events = db.prepare('SELECT break_id, detail FROM break_event WHERE grp = ?').all(last.grp) as { break_id: number; detail: string }[];
    const rows = load(db, events.map((e) => e.break_id));
    const latest = new LatestRuns(db);
    for (const e of events) {
      const { before, after } = JSON.parse(e.detail) as { before: Mutable; after: Mutable };
      const now = pick(rows.find((r) => r.id === e.break_id)!);
      if (JSON.stringify(now) !== JSON.stringify(after)) throw new EngineError('CONFLICT', `差异 #${e.break_id} 在这之后又被改动过，不能撤销`);
      const r = rows.find((x) => x.id === e.break_id)!;
      assertPeriodOpen(db, r.kind, after.closed_period ?? workPeriod(db, latest, r), `撤销对差异 ${r.match_key} 的处理`);
      write(db, e.break_id, before);
    }
    const at = new Date().toISOString();
    const ev = db.prepare('INSERT INTO break_event (break_id, at, actor, action, detail, grp) VALUES (?, ?, ?, ?, ?, NULL)');
    for (const e of events) ev.run(e.break_id, at, user, 'undo', JSON.stringify({ grp: last.grp, undid: last.action }));
    appendAudit(db, { actor: user, action: 'break.undo', target: `breaks:${events.length}`, detail: { grp: last.grp, undid: last.action, ids: events.map((e) => e.break_id) } });
    return { undone: events.length, action: last.action };
  })();
}
