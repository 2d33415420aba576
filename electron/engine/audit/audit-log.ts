// The audit trail: every change appends an entry whose hash covers the previous
// entry's hash, so an edit anywhere breaks the chain from that entry on.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditEntry = AuditRow;

export interface AuditInput {
  actor: string;
  action: string;
  target?: string | null;
  detail?: unknown;
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const body = JSON.stringify([e.seq, e.at, e.actor, e.action, e.target, e.detail, e.prev_hash]);
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * Appends one entry. Call it inside the transaction that makes the change, so the
 * change and its record commit together or not at all.
 */
export function appendAudit(db: Database, input: AuditInput, now: Date = new Date()): AuditEntry {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const partial = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: input.actor,
    action: input.action,
    target: input.target ?? null,
    detail: JSON.stringify(input.detail ?? {}),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const entry: AuditEntry = { ...partial, hash: entryHash(partial) };
  db.prepare(
    'INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @target, @detail, @prev_hash, @hash)',
  ).run(entry);
  return entry;
}

export type { ChainCheck } from '../../../shared/audit-types';
import type { AuditRow, ChainCheck } from '../../../shared/audit-types';

/** Walks the whole chain and names the first entry that does not fit. */
export function verifyAuditChain(db: Database): ChainCheck {
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  let count = 0;
  for (const e of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditEntry>) {
    count++;
    if (e.seq !== expectSeq) return { ok: false, entries: count, brokenAt: expectSeq, reason: `第 ${expectSeq} 条缺失（下一条是 ${e.seq}）` };
    if (e.prev_hash !== prev) return { ok: false, entries: count, brokenAt: e.seq, reason: `第 ${e.seq} 条的前一哈希与第 ${e.seq - 1} 条不符` };
    const { hash, ...rest } = e;
    if (entryHash(rest) !== hash) return { ok: false, entries: count, brokenAt: e.seq, reason: `第 ${e.seq} 条的内容与其哈希不符（被改动过）` };
    prev = hash;
    expectSeq++;
  }
  return { ok: true, entries: count, head: prev };
}
