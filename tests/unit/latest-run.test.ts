// A break's latest run is either the run that last wrote it (recon_break.last_run)
// or a later run that found it unchanged and only named it (recon_run_unchanged).
// The view recon_break_latest says which, for any program reading the file; the
// workbench asks LatestRuns, which reads each run's list once for a whole action.
// Both must give the same answer for every break, whatever the runs named.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store/open-store';
import { LatestRuns } from '../../electron/engine/breaks/latest-run';
import { idRanges } from '../../electron/engine/match/id-ranges';
import { tempDir } from '../support/temp-engine';

const BREAKS = 60;

describe('a break’s latest run', () => {
  it('is the same from LatestRuns as from the view recon_break_latest, whatever the runs named', () => {
    const db = openStore(path.join(tempDir(), 'latest.sqlite'));
    try {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 12 }),
          fc.array(fc.integer({ min: 1, max: 12 }), { minLength: BREAKS, maxLength: BREAKS }),
          fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.array(fc.integer({ min: 1, max: BREAKS }), { maxLength: 40 }), fc.constantFrom('ranges', 'ranges', 'ranges', 'overlapping', 'not json')), { maxLength: 10 }),
          (runs, lastRuns, named) => {
            db.exec('DELETE FROM recon_run_unchanged; DELETE FROM recon_break; DELETE FROM recon_run;');
            const run = db.prepare("INSERT INTO recon_run (id, kind, period, ran_at, ran_by, window_hours, summary) VALUES (?, 'premium', '2025-W47', 'T', 't', 24, '{}')");
            for (let r = 1; r <= runs; r++) run.run(r);
            const brk = db.prepare(`INSERT INTO recon_break (id, kind, key, match_key, type, status, fields, ledger_origin, external_origin, opened_period, opened_run, last_run)
              VALUES (?, 'premium', ?, ?, 'AMOUNT_MISMATCH', 'open', '[]', '[]', '[]', '2025-W47', 1, ?)`);
            lastRuns.forEach((l, i) => brk.run(i + 1, `K${i}`, `K${i}`, Math.min(l, runs)));
            const name = db.prepare('INSERT OR IGNORE INTO recon_run_unchanged (run_id, ids) VALUES (?, ?)');
            for (const [r, ids, form] of named) {
              if (r > runs) continue;
              const ranges = idRanges(ids);
              const text = form === 'ranges' ? JSON.stringify(ranges) : form === 'overlapping' ? JSON.stringify([...ranges, ...ranges.map(([a, b]) => [a, b + 3])].reverse()) : '[[1,';
              name.run(r, text);
            }
            const latest = new LatestRuns(db);
            const rows = db.prepare('SELECT id, last_run FROM recon_break ORDER BY id').all() as { id: number; last_run: number }[];
            // A list that is not JSON names no break in LatestRuns; the view cannot read it at all.
            const readable = !named.some(([r, , form]) => r <= runs && form === 'not json');
            if (readable) {
              const view = db.prepare('SELECT break_id, last_run FROM recon_break_latest ORDER BY break_id').all();
              expect(rows.map((b) => ({ break_id: b.id, last_run: latest.of(b.id, b.last_run) }))).toEqual(view);
            }
            // Asked again (lists read once), the same.
            for (const b of rows) expect(latest.of(b.id, b.last_run)).toBe(latest.of(b.id, b.last_run));
          },
        ),
        { numRuns: 150, seed: 20261201 },
      );
    } finally {
      db.close();
    }
  });
});
