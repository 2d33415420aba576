// One break in full, for the detail panel: both sides' records field by field with
// their origin (file, line) and raw cells, and the break's history. Personal data
// is masked here; pii/reveal shows it, audited.
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { KINDS } from '../../../shared/import-kinds';
import { looksLikeCertNo, maskCertNo, maskName } from '../../../shared/gb11643';
import type { BreakDetail, BreakEvent, SourceRecord } from '../../../shared/recon-types';
import { getBreakRaw, todayOf, toBreakRow } from './break-query';
import { appendAudit } from '../audit/audit-log';
import { makeRecordReader } from '../ingest/stored-record';
import { likelyCounterparts } from './counterparts';

function record(origin: string, mask: boolean, read: ReturnType<typeof makeRecordReader>): SourceRecord | null {
  const [batchId, line] = origin.split(':').map(Number);
  const r = read(batchId!, line!);
  if (!r) return null;
  const norm: Record<string, unknown> = r.norm;
  let raw = r.raw;
  if (mask) {
    const names = new Set<string>();
    for (const [f, spec] of Object.entries(KINDS[r.kind].fields)) {
      const v = norm[f];
      if (typeof v !== 'string') continue;
      if (spec.type === 'id') norm[f] = maskCertNo(v);
      else if (/name$/.test(f) && !/fixmedins/.test(f)) {
        names.add(v);
        norm[f] = maskName(v);
      }
    }
    raw = raw.map((c) => (looksLikeCertNo(c) ? maskCertNo(c.trim().toUpperCase()) : names.has(c.trim()) ? maskName(c.trim()) : c));
  }
  return { origin, kind: r.kind, file: r.fileName, line: line!, norm, raw, header: r.header };
}

export function breakDetail(db: Database, id: number, mask = true, now: Date = new Date()): BreakDetail {
  const b = getBreakRaw(db, id);
  if (!b) throw new EngineError('NOT_FOUND', `没有差异 #${id}`);
  const read = makeRecordReader(db);
  const origins = (s: string) => (JSON.parse(s) as string[]).map((o) => record(o, mask, read)).filter((x): x is SourceRecord => x !== null);
  const history = (db.prepare('SELECT at, actor, action, detail FROM break_event WHERE break_id = ? ORDER BY id').all(id) as { at: string; actor: string; action: string; detail: string }[]).map(
    (e): BreakEvent => ({ at: e.at, actor: e.actor, action: e.action, detail: JSON.parse(e.detail) }),
  );
  const today = Date.parse(todayOf(now) + 'T00:00:00Z');
  return { row: toBreakRow(b, today, mask), ledger: origins(b.ledger_origin), external: origins(b.external_origin), history, counterparts: likelyCounterparts(db, b, today, mask) };
}

/** The full ID number and name behind a break, for a role that may see them; every reveal is audited. */
export function revealBreak(db: Database, id: number, user: string): { certno: string | null; name: string | null } {
  const b = getBreakRaw(db, id);
  if (!b) throw new EngineError('NOT_FOUND', `没有差异 #${id}`);
  let name = b.name;
  if (!name) {
    const d = breakDetail(db, id, false);
    const rec = d.ledger[0] ?? d.external[0];
    const n = rec && (rec.norm.beneficiary_name ?? rec.norm.name ?? rec.norm.psn_name);
    name = typeof n === 'string' ? n : null;
  }
  appendAudit(db, { actor: user, action: 'pii.reveal', target: `break:${id}`, detail: { key: b.match_key, fields: ['certno', 'name'] } });
  return { certno: b.certno, name };
}
