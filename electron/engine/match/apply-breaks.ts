// Carries breaks across runs: a break still there is updated (it keeps the period
// it opened in), a new one opens, and an open break this run no longer produces —
// its counterpart arrived, or its rows were withdrawn — closes as 自动核销.
// Re-running a period changes nothing the first run did not.
import type { Database } from 'better-sqlite3';
import type { ReconKind } from '../../../shared/domain';
import { isRowBreak, rowBreakKey, type ProducedBreaks } from './collect-breaks';
import type { FallbackResult } from './fallback';
import { batchedInsert } from '../store/batched-insert';
import type { KeyTable } from './key-table';
import { idRanges, lowerBound } from './id-ranges';
import type { OpenKeys } from './side-rows';
import type { OpenList } from './open-list';
import { SparseTexts } from './sparse-texts';

/**
 * The kind's open breaks as a run needs them, a column per field (no object per
 * break: at week ten, 130,000 of them): their identity, key, the key people know
 * them by, and whether they opened after the run's period.
 */
export interface OpenBreaks {
  n: number;
  /** Ascending. */
  id: Float64Array;
  /** None: not read, the carry has it (`carried`). */
  key: SparseTexts;
  /** None: the match key is the key (a keyed break). */
  matchKey: SparseTexts;
  /** 1: opened in a period after the run's (outside its universe, never closed by it). */
  later: Uint8Array;
  /** Per break: where the carry has its key (an index into the `carried` given), or -1 (its key is read). */
  carried: Int32Array;
  /** Whether they were taken as the kind's last run left them (open-list.ts), not read. */
  listed: boolean;
}

/** The keyed breaks a carry names (their ids, `bid`), each with where its key lies in the carry (index into the carry's own list). */
export interface CarriedBreakIds {
  n: number;
  bid: Float64Array;
}

/**
 * The kind's open breaks, in the order they were opened, read once per run (not a
 * query per break), from the covering index recon_break_open: a column per query
 * (a row array apiece from the SQLite binding cost several times as much). A keyed
 * break of the period or before that the carry names (`carried`: its id written
 * beside its key, held-keys.ts) has its key taken from there, not read: at week ten
 * nearly every open break is one, and reading and encoding 130,000 keys had been a
 * tenth of a second and more of a run. `list`: the open breaks as the kind's last run
 * left them, where certainly still so (open-list.ts): their ids are not read at all.
 */
export function readOpenBreaks(db: Database, kind: ReconKind, period: string, carried: CarriedBreakIds | null = null, list: OpenList | null = null): OpenBreaks {
  const col = (expr: string, ...args: unknown[]) => db.prepare(`SELECT ${expr} FROM recon_break WHERE kind = ? AND status = 'open' ORDER BY id`).pluck().all(...args, kind);
  let id: Float64Array;
  let later: Uint8Array;
  // Nearly every open break is of a key (its match key is its key): only the few
  // others (duplicates, keyless rows) are read with their ids, in the same order,
  // instead of a column of 130,000 nulls; the list (below) has their keys too.
  let others: [id: number, key: string | null, matchKey: string][];
  if (list) {
    // As the kind's last run left them, and certainly still (open-list.ts): each opened in this period or before.
    id = list.ids;
    later = new Uint8Array(id.length);
    others = list.others;
  } else {
    // The id and the opened-later flag in one number (the flag its lowest bit): one query fewer.
    const idLater = col('id * 2 + coalesce(opened_period > ?, 0)', period) as number[];
    id = new Float64Array(idLater.length);
    later = new Uint8Array(idLater.length);
    for (let i = 0; i < idLater.length; i++) {
      later[i] = idLater[i]! % 2;
      id[i] = (idLater[i]! - later[i]!) / 2;
    }
    others = (db.prepare(`SELECT id, match_key FROM recon_break WHERE kind = ? AND status = 'open' AND match_key <> key ORDER BY id`).raw().all(kind) as [number, string][]).map(([oid, mk]) => [oid, null, mk]);
  }
  const n = id.length;
  const matchKey = new SparseTexts(n);
  /** A listed other's key, by its place. */
  const otherKey = new Map<number, string>();
  let o = 0;
  for (const [oid, k, mk] of others) {
    while (o < n && id[o]! < oid) o++;
    if (id[o] !== oid) throw new Error('readOpenBreaks: the open breaks changed while read');
    matchKey.set(o, mk);
    if (k !== null) otherKey.set(o, k);
  }
  // The carry's breaks among them (ids ascending: found by halves, or next to the last
  // found, as a part's keys mostly come in the order their breaks opened), keyed and of
  // the period or before.
  const from = new Int32Array(n).fill(-1);
  let fromCarry = 0;
  for (let c = 0, next = 0; c < (carried?.n ?? 0); c++) {
    const b = carried!.bid[c]!;
    const lo = next < n && id[next] === b ? next : lowerBound(id, b);
    next = lo + 1;
    if (lo < n && id[lo] === b && matchKey.at(lo) === null && !later[lo] && from[lo]! < 0) {
      from[lo] = c;
      fromCarry++;
    }
  }
  let key: SparseTexts;
  const rest = n - fromCarry - otherKey.size;
  if (rest * 4 > n) {
    // Most keys to read: read them all, as one column (in the order of the ids read, not of a list).
    if (list) return readOpenBreaks(db, kind, period, carried, null);
    const all = col('key') as string[];
    if (all.length !== n) throw new Error('readOpenBreaks: the open breaks changed while read');
    key = SparseTexts.of(all);
    from.fill(-1);
  } else {
    key = new SparseTexts(n);
    const one = db.prepare('SELECT key FROM recon_break WHERE id = ?').pluck();
    for (let i = 0; i < n; i++) {
      if (from[i]! >= 0) continue;
      const k = otherKey.get(i) ?? (one.get(id[i]) as string | undefined);
      if (k === undefined) throw new Error('readOpenBreaks: the open breaks changed while read');
      key.set(i, k);
    }
  }
  return { n, id, key, matchKey, later, carried: from, listed: list !== null };
}

/** The open breaks whose match keys are in the run's universe: opened in its period or before, of a key (not a keyless row). */
export function openUniverse(open: OpenBreaks): Int32Array {
  const out = new Int32Array(open.n);
  let m = 0;
  for (let o = 0; o < open.n; o++) {
    const key = open.key.at(o);
    if (!open.later[o] && !(key !== null && isRowBreak(key))) out[m++] = o;
  }
  return out.subarray(0, m);
}

/**
 * The keys of the universe's open breaks, in its order, as loadRunRows takes them:
 * a break's match key, or (null) where the carry has its key (`named`: part and place).
 */
export function universeKeys(open: OpenBreaks, universe: Int32Array, named: { part: Int32Array; place: Int32Array } | null): OpenKeys {
  const n = universe.length;
  const out = { text: new SparseTexts(n), part: new Int32Array(n), place: new Int32Array(n) };
  for (let j = 0; j < n; j++) {
    const o = universe[j]!;
    const c = open.carried[o]!;
    if (c < 0 || !named) out.text.set(j, open.matchKey.at(o) ?? open.key.at(o)!);
    else {
      out.part[j] = named.part[c]!;
      out.place[j] = named.place[c]!;
    }
  }
  return out;
}

/**
 * Each open break's key id in the run where it is a keyed break whose key the run
 * has, else -1: produced keyed breaks find theirs by key id, not by their text
 * (at week ten, 130,000 strings made and hashed for nothing). `universe` are the
 * open breaks whose match keys loadRunRows was given, `kids` their key ids in that
 * order; a keyed break outside it (opened in a later period than the one run
 * again) is looked up by its text.
 */
export function openKeyIds(open: OpenBreaks, universe: Int32Array, kids: Int32Array, keys: KeyTable): Int32Array {
  const out = new Int32Array(open.n).fill(-2);
  for (let j = 0; j < universe.length; j++) {
    const o = universe[j]!;
    out[o] = open.matchKey.at(o) === null ? kids[j]! : -1;
  }
  for (let o = 0; o < open.n; o++) if (out[o] === -2) out[o] = open.matchKey.at(o) === null ? keys.lookupText(open.key.at(o)!, false) : -1;
  return out;
}

/** Whether a break (kind, key, type, amounts) was closed once as it is now: a run does not open it again. */
export const CLOSED_AS_SQL = "SELECT 1 FROM recon_break WHERE kind = ? AND key = ? AND status = 'closed' AND type = ? AND amount_ledger IS ? AND amount_external IS ? LIMIT 1";

export function applyBreaks(
  db: Database,
  kind: ReconKind,
  period: string,
  runId: number,
  open: OpenBreaks,
  /** Per open break, its key id in the run (openKeyIds). */
  openKid: Int32Array,
  produced: ProducedBreaks,
  fallback: FallbackResult,
  keyCount: number,
  user: string,
  now: string,
  /** Per open break, 1 where its key was held apart (held-apart.ts): not produced, open as it was, named unchanged. */
  heldApart: Uint8Array | null = null,
): { opened: number; updated: number; autoClosed: number; ids: Float64Array; openAfter: OpenList | null } {
  // Most produced breaks are found open as they were: only their ids are needed.
  // An open break's key is unique in its kind (recon_break_one_open), so a flag per
  // open break says whether the run produced it (no set of every produced key). A
  // keyed one is found by key id; the others (duplicates, keyless rows) by key.
  const openOfKid = new Int32Array(keyCount).fill(-1);
  const openByKey = new Map<string, number>();
  const reproduced = new Uint8Array(open.n);
  /** Per open break, 1 where the run found it as the carrying run wrote it (carry.ts): not written again, only named (recon_run_unchanged). */
  const unchanged = new Uint8Array(open.n);
  let updated = 0;
  for (let i = 0; i < open.n; i++) {
    if (heldApart?.[i]) {
      reproduced[i] = 1;
      unchanged[i] = 1;
      updated++;
    } else if (openKid[i]! >= 0) openOfKid[openKid[i]!] = i;
    else if (open.key.at(i) !== null) openByKey.set(open.key.at(i)!, i);
    else throw new Error('applyBreaks: an open break the carry named has no key id');
  }
  // Closed once as it is now (disposed by an officer, say)? Asked per break not open
  // (closed breaks pile up over the months), on recon_break_closed_key, which holds
  // closed breaks only (migration 24): the run's new breaks never enter it.
  const closedAs = db.prepare(CLOSED_AS_SQL).pluck();
  // New breaks go in many to a statement (a first run may open tens of thousands).
  const insert = batchedInsert(
    db,
    `INSERT INTO recon_break (kind, key, match_key, type, status, fields, amount_ledger, amount_external, certno, name, event_at,
      ledger_origin, external_origin, opened_period, opened_run, last_run)`,
    "(?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    15,
  );
  const update = db.prepare(`UPDATE recon_break SET type = ?, fields = ?, amount_ledger = ?, amount_external = ?, certno = ?, name = ?, event_at = ?,
    ledger_origin = ?, external_origin = ?, last_run = ? WHERE id = ?`);
  // The open breaks the run writes again, in the order met: [id, type, amount on each side].
  // Their reclassification events are written from this list in one statement, which
  // reads what each break was where it lies (a query, an update and an event statement
  // per break had cost ~40–60 µs apiece: some 1,200 a week of the bench at week ten).
  const rewritten: [number, string, number | null, number | null][] = [];
  // A break from the same rows whose closing window alone moved it (在途 became 单边:
  // some 1,200 a week of the bench) has only its type rewritten — its fields, record,
  // amounts and origins are what its rows gave before (collect-breaks' rowsSame) —
  // in one statement per type; the others each have all their columns rewritten.
  const retyped = new Map<string, number[]>();
  const full: unknown[][] = [];
  // New breaks have ids above every break's before this run (the 'open' events below take them by that).
  const firstNew = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM recon_break').pluck().get() as number);
  /** Per produced break open after this run (what the next run is carried): its id (NaN: not open), which the carry keeps beside its key (readOpenBreaks). */
  const ids = new Float64Array(produced.length).fill(NaN);
  /** The produced breaks opened, in the order inserted (their ids follow that order). */
  const inserted: number[] = [];

  // Keyed breaks found open as they were (at week ten, 132,000 of 148,000) are settled
  // first, in a loop of their own over the keyed breaks' arrays: named unchanged,
  // nothing more read (in the loop below, among the breaks written, they had cost
  // 20–40 ms). The loop below takes the rest, in the same order.
  const kb = produced.keyedBreaks;
  const rest = new Int32Array(produced.length);
  let nRest = 0;
  for (let p = 0; p < kb.length; p++) {
    const o = openOfKid[kb.kid(p)]!;
    if (o >= 0 && kb.same(p)) {
      reproduced[o] = 1;
      unchanged[o] = 1;
      ids[p] = open.id[o]!;
      updated++;
    } else rest[nRest++] = p;
  }
  for (let p = kb.length; p < produced.length; p++) rest[nRest++] = p;
  let opened = 0;
  for (let r = 0; r < nRest; r++) {
    const p = rest[r]!;
    const keyed = produced.keyed(p);
    let o = keyed ? openOfKid[produced.kid(p)]! : -1;
    // Its key is decoded only here, for a break not found by key id.
    const key = o < 0 ? produced.key(p) : null;
    if (o < 0) o = openByKey.get(key!) ?? -1;
    if (o >= 0) {
      const openId = open.id[o]!;
      reproduced[o] = 1;
      ids[p] = openId;
      updated++;
      // Found as it was (at week ten, 133,000 of 148,000): nothing more of it is read.
      if (produced.same(p)) {
        unchanged[o] = 1;
        continue;
      }
      const type = produced.type(p);
      const amountLedger = produced.amountLedger(p);
      const amountExternal = produced.amountExternal(p);
      rewritten.push([openId, type, amountLedger, amountExternal]);
      if (produced.rowsSame(p)) {
        const same = retyped.get(type);
        if (same) same.push(openId);
        else retyped.set(type, [openId]);
      } else {
        const d = produced.detail(p);
        full.push([type, JSON.stringify(d.fields), amountLedger, amountExternal, d.certno, d.name, d.eventAt, JSON.stringify(d.ledgerOrigin), JSON.stringify(d.externalOrigin), runId, openId]);
      }
      continue;
    }
    const type = produced.type(p);
    const amountLedger = produced.amountLedger(p);
    const amountExternal = produced.amountExternal(p);
    // Closed once as it is now (disposed by an officer, say): not opened again.
    if (closedAs.get(kind, key, type, amountLedger, amountExternal)) continue;
    const d = produced.detail(p);
    insert.add([kind, key, keyed ? key : produced.matchKey(p), type, JSON.stringify(d.fields), amountLedger, amountExternal, d.certno, d.name, d.eventAt, JSON.stringify(d.ledgerOrigin), JSON.stringify(d.externalOrigin), period, runId, runId]);
    inserted.push(p);
    opened++;
  }
  insert.flush();
  if (rewritten.length) {
    // Each rewritten break whose type or an amount changes gets its event, in the order
    // met, with the type it had (read before it is rewritten, below).
    db.prepare(
      `INSERT INTO break_event (break_id, at, actor, action, detail)
       SELECT b.id, ?, ?, 'reclassify', json_object('period', ?, 'from', b.type, 'to', json_extract(j.value, '$[1]'))
       FROM json_each(?) j JOIN recon_break b ON b.id = json_extract(j.value, '$[0]')
       WHERE b.type IS NOT json_extract(j.value, '$[1]') OR b.amount_ledger IS NOT json_extract(j.value, '$[2]') OR b.amount_external IS NOT json_extract(j.value, '$[3]')
       ORDER BY j.key`,
    ).run(now, user, period, JSON.stringify(rewritten));
    const retype = db.prepare('UPDATE recon_break SET type = ?, last_run = ? WHERE id IN (SELECT value FROM json_each(?))');
    for (const [type, ids] of retyped) retype.run(type, runId, JSON.stringify(ids));
    for (const args of full) update.run(...args);
  }
  // Each new break's id: rowids are given in increasing order, so in the order inserted.
  const newIds = inserted.length ? (db.prepare('SELECT id FROM recon_break WHERE id >= ? AND +kind = ? AND opened_run = ? ORDER BY id').pluck().all(firstNew, kind, runId) as number[]) : [];
  if (newIds.length !== inserted.length) throw new Error('applyBreaks: the breaks opened are not the ones inserted');
  inserted.forEach((p, i) => (ids[p] = newIds[i]!));
  // Rewriting each unchanged break's latest run rewrote 130,000 wide rows a week
  // at week ten; the run names them instead, as ranges of ids (recon_break_latest reads them).
  // In the open breaks' order, so ascending.
  let nUnchanged = 0;
  for (let o = 0; o < open.n; o++) nUnchanged += unchanged[o]!;
  const unchangedIds = new Float64Array(nUnchanged);
  for (let o = 0, u = 0; o < open.n; o++) if (unchanged[o]) unchangedIds[u++] = open.id[o]!;
  if (nUnchanged) db.prepare('INSERT INTO recon_run_unchanged (run_id, ids) VALUES (?, ?)').run(runId, JSON.stringify(idRanges(unchangedIds)));
  // Each new break's 'open' event, in one statement: the breaks this run opened carry
  // its id and lie above firstNew (`+kind` keeps the planner on that id range, not on
  // an index of every break of the kind).
  db.prepare(
    "INSERT INTO break_event (break_id, at, actor, action, detail) SELECT id, ?, ?, 'open', json_object('period', ?, 'type', type) FROM recon_break WHERE id >= ? AND +kind = ? AND opened_run = ? ORDER BY id",
  ).run(now, user, period, firstNew, kind, runId);

  // Open breaks whose record this run looked at and found in order close themselves.
  // Every open break of the period or before is in the run's universe (its key is
  // added to it); a keyless one closes only when the fallback paired its row.
  const pairedRows = new Set(fallback.pairs.flatMap(([l, x]) => [rowBreakKey('l', l.batch_id, l.line), rowBreakKey('x', x.batch_id, x.line)]));
  // (The breaks open before this run, read above: the ones it opened were all produced.)
  const closed = new Uint8Array(open.n);
  const closing: number[] = [];
  for (let o = 0; o < open.n; o++) {
    if (open.later[o] || reproduced[o]) continue;
    const key = open.key.at(o);
    if (key !== null && isRowBreak(key) && !pairedRows.has(key)) continue;
    closing.push(open.id[o]!);
    closed[o] = 1;
  }
  // Closed, and each given its event, in two statements (in ascending ids, as the
  // events were): a statement per break had cost ~80 µs apiece, 70–100 ms for the
  // ~900 in-transit breaks a week of the bench closes.
  const autoClosed = closing.length;
  if (autoClosed) {
    const list = JSON.stringify(closing);
    const n = db
      .prepare("UPDATE recon_break SET status = 'closed', closed_period = ?, closed_at = ?, resolution = '自动核销', last_run = ? WHERE id IN (SELECT value FROM json_each(?)) AND status = 'open'")
      .run(period, now, runId, list).changes;
    if (n !== autoClosed) throw new Error('applyBreaks: the open breaks changed while closed');
    db.prepare("INSERT INTO break_event (break_id, at, actor, action, detail) SELECT value, ?, ?, 'auto-close', ? FROM json_each(?) ORDER BY key").run(now, user, JSON.stringify({ period, resolution: '自动核销' }), list);
  }
  return { opened, updated, autoClosed, ids, openAfter: openAfter(open, closed, newIds, inserted, produced) };
}

/**
 * The kind's open breaks after the run (open-list.ts): those open before it that it
 * did not close, then the ones it opened (their ids are above all others), or null
 * where one opened after the run's period is still open (the list is of breaks of
 * the period or before).
 */
function openAfter(open: OpenBreaks, closed: Uint8Array, newIds: number[], inserted: number[], produced: ProducedBreaks): OpenList | null {
  let n = newIds.length;
  for (let o = 0; o < open.n; o++) {
    if (closed[o]) continue;
    if (open.later[o]) return null;
    n++;
  }
  const ids = new Float64Array(n);
  const others: [number, string, string][] = [];
  let at = 0;
  for (let o = 0; o < open.n; o++) {
    if (closed[o]) continue;
    ids[at++] = open.id[o]!;
    // Not keyed: its key was read (readOpenBreaks takes only keyed breaks' from the carry).
    if (open.matchKey.at(o) !== null) others.push([open.id[o]!, open.key.at(o)!, open.matchKey.at(o)!]);
  }
  inserted.forEach((p, i) => {
    ids[at++] = newIds[i]!;
    if (!produced.keyed(p)) others.push([newIds[i]!, produced.key(p), produced.matchKey(p)]);
  });
  return { ids, others };
}
