import type { BreakType, ReconKind } from './domain';

export interface FieldDiff {
  field: string;
  ledger: string | null;
  external: string | null;
}

/** A period of a reconciliation as the period fields offer it. */
export interface PeriodInfo {
  period: string;
  /** data: files imported, not yet reconciled; reconciled; locked (confirmed by finance). */
  state: 'data' | 'reconciled' | 'locked';
  lastRun: string | null;
  openBreaks: number;
}

export interface BreakTypeTotal {
  type: BreakType;
  count: number;
  amountLedger: string;
  amountExternal: string;
}

export interface SideTotals {
  rows: number;
  keys: number;
  total: string;
}

export interface ReconSummary {
  runId: number;
  kind: ReconKind;
  period: string;
  ranAt: string;
  ranBy: string;
  windowHours: number;
  ledger: SideTotals;
  external: SideTotals;
  matched: { count: number; byFallback: number; amountLedger: string; amountExternal: string };
  breaks: BreakTypeTotal[];
  autoClosed: number;
  tieOut: { ledger: string; external: string; ok: boolean };
  /** Rows read and counted, but not 共济 and so neither matched nor a break, each with its reason. */
  notCounted?: { reason: string; rows: number; keys: number }[];
  /** Settlements: the platform's 3202 verdicts read for this run's keys, how many flagged a matched settlement, how many sit beside a break. */
  platform?: { rows: number; keys: number; flagged: number; annotated: number };
  /**
   * Every batch the run used, and where each of its rows went: dated in this
   * period (counted above), in other periods (counted when they are reconciled),
   * or placed in none (no date or amount: never matched, listed here).
   */
  sources?: { batchId: number; file: string; side: 'ledger' | 'external'; rows: number; inPeriod: number; otherPeriods: number; unplaced: number }[];
}

export interface BreakRow {
  id: number;
  kind: ReconKind;
  type: BreakType;
  key: string;
  status: 'open' | 'closed';
  fields: FieldDiff[];
  amount_ledger: string | null;
  amount_external: string | null;
  difference: string;
  opened_period: string;
  closed_period: string | null;
  resolution: string | null;
  certno: string | null;
  name: string | null;
  event_at: string | null;
  aging_days: number;
  ledger_origin: string[];
  external_origin: string[];
  assignee: string | null;
  note: string | null;
  /** '核销' while a write-off waits for finance. */
  pending: string | null;
  pending_by: string | null;
  disposed_by: string | null;
  /** Whether an open one-sided break has a likely other half (breaks/counterparts.ts); absent where not asked. */
  paired?: boolean;
}

/** Per type, with the amount at stake: the 医保 side's, or the other side's where the 医保 side has none (对方单边, a duplicate there). */
export type BreakFacets = (BreakTypeTotal & { amount: string })[];

/** A user's queue: the open breaks assigned to them, per kind, and the latest assignment to them still open. */
export interface BreakQueue {
  open: number;
  byKind: { kind: ReconKind; count: number }[];
  /** When and by whom the most recent of those breaks was given to them (null: none open, or none by assignment). */
  latest: { at: string; by: string; kind: ReconKind } | null;
}

export interface SourceRecord {
  origin: string;
  /** The kind of file the record came from: its fields' labels and types. */
  kind: import('./domain').ImportKind;
  file: string;
  line: number;
  norm: Record<string, unknown>;
  raw: string[];
  header: string[] | null;
}

export interface BreakEvent {
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface BreakDetail {
  row: BreakRow;
  ledger: SourceRecord[];
  external: SourceRecord[];
  history: BreakEvent[];
  /** For an open one-sided break: the other side's open one-sided breaks of the same person and amount, likely the same payment under another number (counterparts.ts). */
  counterparts: BreakRow[];
}

export interface DashboardData {
  kind: ReconKind;
  period: string;
  summary: ReconSummary | null;
  byType: BreakTypeTotal[];
  aging: { bucket: string; counts: Partial<Record<import('./domain').BreakType, number>> }[];
  trend: { period: string; matchRate: number | null; breaks: number; open: number }[];
}

export interface BreakPage {
  rows: BreakRow[];
  total: number;
}
