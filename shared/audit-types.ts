export interface AuditQuery {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  offset?: number;
  limit?: number;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditPage {
  total: number;
  rows: AuditRow[];
  head: { seq: number; hash: string } | null;
}

/** A chain head recorded outside the database: in a statement's signed manifest, or beside a backup. */
export interface AuditAnchor {
  seq: number;
  hash: string;
  source: string;
}

export type ChainCheck =
  | { ok: true; entries: number; head: string; anchor?: AuditAnchor | null; anchors?: number }
  | { ok: false; entries: number; brokenAt: number; reason: string; anchor?: AuditAnchor };
