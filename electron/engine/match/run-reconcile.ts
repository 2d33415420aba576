// A reconciliation run for one kind and period: match every open item, classify
// every difference, carry breaks across periods (open, update, close themselves
// when the counterpart arrives), and store a summary that ties out.
import type { Database } from 'better-sqlite3';
import type { ReconcileArgs } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';
import { hoursBefore, periodBounds } from '../../../shared/periods';
import type { ReconSummary } from '../../../shared/recon-types';
import { appendAudit } from '../audit/audit-log';
import type { TaskContext } from '../jobs/job-types';
import type { Window } from './window';
import { loadRunRows } from './side-rows';
import { startPeriodRead, type PeriodRead } from './period-read';
import { carriedBreakIds, loadCarry, saveCarry } from './carry';
import { classifyKeys } from './classify-keys';
import { ledgerVouchers, voucherKeyMap } from './ledger-vouchers';
import { matchKeyless } from './fallback';
import { RECON_SPECS } from './recon-specs';
import { platformVerdicts } from './platform-verdicts';
import { collectBreaks } from './collect-breaks';
import { applyBreaks, openKeyIds, openUniverse, readOpenBreaks, universeKeys } from './apply-breaks';
import { summarize } from './summarize';
import { loadOpenList, openBreakEstimate, saveOpenList } from './open-list';
import { assertPeriodOpen } from '../periods/period-lock';

export const DEFAULT_WINDOW_HOURS = 24;

export function runReconcile(db: Database, args: ReconcileArgs, ctx: TaskContext): ReconSummary {
  const spec = RECON_SPECS[args.kind];
  let bounds;
  try {
    bounds = periodBounds(args.period);
  } catch (e) {
    throw new EngineError('BAD_REQUEST', (e as Error).message);
  }
  const isWeek = args.period.includes('W');
  if (isWeek !== (spec.granularity === 'week')) {
    throw new EngineError('BAD_REQUEST', `${args.kind === 'premium' ? '缴费共济按周对账（如 2025-W47）' : '就医共济按月对账（如 2025-11）'}，收到期间 ${args.period}`);
  }
  assertPeriodOpen(db, args.kind, args.period, '重新对账');
  const windowHours = args.windowHours ?? DEFAULT_WINDOW_HOURS;
  const w: Window = { ...bounds, windowStart: hoursBefore(bounds.end, windowHours) };
  const steps = 5;
  const step = (i: number, stage: string) => {
    if (ctx.cancelled()) throw new EngineError('CANCELLED', '对账已取消');
    ctx.progress(i, steps, 'keys', stage);
  };

  db.exec('BEGIN IMMEDIATE');
  let read: PeriodRead | null = null;
  try {
    step(0, '确定对账范围');
    const kinds = { l: spec.ledger.importKind, x: spec.external.importKind };
    // This period's blocks first: their reading thread starts on them while the carry and the open breaks are read.
    read = startPeriodRead(db, kinds, w, openBreakEstimate(db, args.kind));
    // Breaks still open keep their keys in the run, so they close when their counterpart arrives.
    const carry = loadCarry(db, args.kind);
    // The open breaks the carry names have their keys taken from it, not read.
    const named = carry ? carriedBreakIds(carry) : null;
    // The open breaks as the kind's last run left them, where certainly still so (open-list.ts); else read.
    const open = readOpenBreaks(db, args.kind, w.period, named, loadOpenList(db, args.kind, w.period));
    const universe = openUniverse(open);
    const openKeys = universeKeys(open, universe, named);
    const borrow = voucherKeyMap(db, spec, w.end);
    // A run with the platform's verdicts (read afresh each run) holds no key (held-keys.ts); one without may, for a keyed break's key.
    const hold = spec.platformVerdicts ? null : { keyed: new Uint8Array(universe.length) };
    if (hold) for (let j = 0; j < universe.length; j++) hold.keyed[j] = open.matchKey.at(universe[j]!) === null ? 1 : 0;
    const run = loadRunRows(db, kinds, openKeys, w, borrow, carry, hold, read);
    step(1, `汇总两侧记录（${run.keys.size + (run.heldApart?.n ?? 0)} 个单号）`);
    const verdicts = spec.platformVerdicts ? platformVerdicts(db, run.keys) : { byKey: new Map(), rows: 0 };
    const keyed = classifyKeys(spec, run, w, ledgerVouchers(db, spec), verdicts.byKey);
    step(2, '无单号记录按证件号、险种、年度、金额匹配');
    const fallback = matchKeyless(run.keyless.l, run.keyless.x);
    step(3, '分类差异');
    const now = new Date().toISOString();
    const runId = Number(
      db.prepare('INSERT INTO recon_run (kind, period, ran_at, ran_by, window_hours, summary) VALUES (?, ?, ?, ?, ?, ?)').run(args.kind, args.period, now, ctx.user, windowHours, '{}').lastInsertRowid,
    );
    const produced = collectBreaks(db, run, keyed, fallback);
    step(4, '结转与自动核销');
    const openKid = openKeyIds(open, universe, run.openKids, run.keys);
    // The open breaks of the keys held apart (held-apart.ts): open as they were.
    let apartOpen: Uint8Array | null = null;
    if (run.heldApart?.n) {
      apartOpen = new Uint8Array(open.n);
      for (let j = 0; j < universe.length; j++) if (run.heldApart.open[j]) apartOpen[universe[j]!] = 1;
    }
    const applied = applyBreaks(db, args.kind, args.period, runId, open, openKid, produced, fallback, run.keys.size, ctx.user, now, apartOpen);
    saveOpenList(db, args.kind, runId, args.period, applied.openAfter);
    // What the next run takes instead of reopening history: the rows of the keys left open.
    const openKids = new Uint8Array(run.keys.size);
    for (let p = 0; p < produced.length; p++) if (!Number.isNaN(applied.ids[p]!) && produced.kid(p) >= 0) openKids[produced.kid(p)] = 1;
    const duplicateKids = keyed.duplicates.map((d) => (d.side === 'l' ? run.l : run.x).kid[d.row]!);
    saveCarry(
      db,
      args.kind,
      { runId, end: w.end, windowStart: w.windowStart, keys: run.keys, texts: run.texts, l: run.l, x: run.x, history: run.history, breaks: keyed.breaks, breakIds: applied.ids, duplicateKids },
      openKids,
      borrow.size === 0,
      carry && { carry, partKids: run.partKids, held: run.held, apart: run.heldApart?.n ? run.heldApart.places : null, largest: run.largest },
    );
    const summary = summarize({ runId, kind: args.kind, period: args.period, ranAt: now, ranBy: ctx.user, windowHours }, keyed, produced, fallback, applied.autoClosed, spec.zeroExternalIsNot, run.heldApart?.byType);
    summary.sources = batchSources(db, run.perBatch, spec.ledger.importKind);
    if (spec.platformVerdicts) summary.platform = { rows: verdicts.rows, keys: verdicts.byKey.size, flagged: keyed.platform.flagged, annotated: keyed.platform.annotated };
    db.prepare('UPDATE recon_run SET summary = ? WHERE id = ?').run(JSON.stringify(summary), runId);
    appendAudit(db, {
      actor: ctx.user,
      action: 'reconcile',
      target: `${args.kind}:${args.period}`,
      // held: open breaks found as they were without reading their rows again (held-keys.ts),
      // of which heldApart never entered the run (held-apart.ts);
      // listed: the open breaks taken as the last run left them, not read (open-list.ts);
      // blockReads: the period's blocks read by the run's reading thread and by its own (period-blocks.ts).
      detail: { runId, matched: summary.matched.count, breaks: summary.breaks.map((b) => [b.type, b.count]), opened: applied.opened, autoClosed: applied.autoClosed, held: (run.held?.n ?? 0) + (run.heldApart?.n ?? 0), heldApart: run.heldApart?.n ?? 0, listed: open.listed, blockReads: run.blockReads, tieOut: summary.tieOut.ok },
    });
    db.exec('COMMIT');
    ctx.progress(steps, steps, 'keys', '完成');
    return summary;
  } finally {
    read?.source.close();
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/** The batches with a row in the period (or a row placed in none), each row accounted for. */
function batchSources(db: Database, perBatch: Map<number, { inPeriod: number; unplaced: number }>, ledgerKind: string): NonNullable<ReconSummary['sources']> {
  const q = db.prepare('SELECT kind, file_name, rows FROM import_batch WHERE id = ?');
  const out: NonNullable<ReconSummary['sources']> = [];
  for (const [batchId, c] of [...perBatch].sort((a, b) => a[0] - b[0])) {
    if (c.inPeriod === 0 && c.unplaced === 0) continue;
    const b = q.get(batchId) as { kind: string; file_name: string; rows: number };
    out.push({ batchId, file: b.file_name, side: b.kind === ledgerKind ? 'ledger' : 'external', rows: b.rows, inPeriod: c.inPeriod, otherPeriods: b.rows - c.inPeriod - c.unplaced, unplaced: c.unplaced });
  }
  return out;
}
