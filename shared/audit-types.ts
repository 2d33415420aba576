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

export type ChainCheck =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: string };
