import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, schemaVersion } from '../../electron/engine/store/open-store';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/engine/store/migrations';
import { appendAudit, verifyAuditChain } from '../../electron/engine/audit/audit-log';
import { SYSTEM_ACTOR } from '../../shared/audit-labels';
import { EngineError } from '../../shared/errors';
import { tempDir } from '../support/temp-engine';
import { readStoredRecord } from '../../electron/engine/ingest/stored-record';
import { blockId, blockIds, blockSpans, RowLookup } from '../../electron/engine/rowstore/block-store';

// What each version's database holds, so the next migration is tested on real data.
const SEED: Record<number, (db: ReturnType<typeof openStore>) => void> = {
  1: (db) => {
    db.prepare("INSERT INTO import_batch (id, kind, file_name, file_size, sha256, encoding, delimiter, profile, rows, imported_by, imported_at) VALUES (1, 'tax-premium', 'a.txt', 10, 'abc', 'gb18030', '|', 'p', 1, 'u', '2025-11-20T00:00:00Z')").run();
    // From version 9 on a row needs its kind and JSON; before, they could come later.
    const cols = (db.prepare('PRAGMA table_info(source_row)').all() as { name: string; notnull: number }[]).filter((c) => c.notnull).map((c) => c.name);
    const need = cols.includes('kind') ? ", kind, norm) VALUES (1, 3, '[\"x\"]', 'tax-premium', '{}')" : ') VALUES (1, 3, \'["x"]\')';
    db.prepare(`INSERT INTO source_row (batch_id, line, raw${need}`).run();
    appendAudit(db, { actor: 'u', action: 'import', target: 'batch:1' });
  },
  2: (db) => {
    db.prepare("UPDATE source_row SET kind = 'tax-premium', key = 'JF1', amount_fen = 38000 WHERE batch_id = 1").run();
  },
};

describe('the workstation store', () => {
  it('opens a new file in WAL mode with foreign keys on, at the newest schema', () => {
    const db = openStore(path.join(tempDir(), 'w.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  for (const m of MIGRATIONS.slice(1)) {
    it(`upgrades a version ${m.version - 1} database to ${SCHEMA_VERSION} keeping its data (${m.name})`, () => {
      const file = path.join(tempDir(), 'old.sqlite');
      // Rows are seeded into a version-9 file at most (source_row, which v10 turned
      // into column blocks), then brought to the version before the migration.
      const seedAt = Math.min(m.version - 1, 9);
      const old = openStore(file, { targetVersion: seedAt });
      for (let v = 1; v <= seedAt; v++) SEED[v]?.(old);
      old.close();
      const before = openStore(file, { targetVersion: m.version - 1 });
      expect(schemaVersion(before)).toBe(m.version - 1);
      before.close();
      const db = openStore(file);
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT file_name FROM import_batch WHERE id = 1').get()).toEqual({ file_name: 'a.txt' });
      expect(readStoredRecord(db, 1, 3)).toMatchObject({ raw: ['x'], fileName: 'a.txt' });
      // The seeded entry, then each upgrade of the file, by the program, in the trail (the chain whole).
      const trail = db.prepare('SELECT actor, action, detail FROM audit_log ORDER BY seq').all() as { actor: string; action: string; detail: string }[];
      expect(trail[0]).toMatchObject({ actor: 'u', action: 'import' });
      expect(trail.slice(1).every((e) => e.actor === SYSTEM_ACTOR && e.action === 'store.migrate')).toBe(true);
      const last = JSON.parse(trail.at(-1)!.detail) as { fromVersion: number; toVersion: number; steps: string[] };
      expect(last).toEqual({ fromVersion: m.version - 1, toVersion: SCHEMA_VERSION, steps: MIGRATIONS.slice(m.version - 1).map((x) => x.name) });
      expect(verifyAuditChain(db).ok).toBe(true);
      db.close();
      // Opened again with nothing to upgrade: no entry.
      const again = openStore(file);
      expect((again.prepare('SELECT count(*) n FROM audit_log').get() as { n: number }).n).toBe(trail.length);
      again.close();
    });
  }

  it('gives existing cancellations the key of the settlement they reverse when matching keys arrive (v8)', () => {
    const file = path.join(tempDir(), 'v7.sqlite');
    const old = openStore(file, { targetVersion: 7 });
    SEED[1]!(old);
    old.prepare("INSERT INTO source_row (batch_id, line, raw, kind, key, ref_key, status, amount_fen) VALUES (1, 4, '[]', 'settlement', 'S1C', 'S1', 'cancel', -100)").run();
    old.prepare("INSERT INTO source_row (batch_id, line, raw, kind, key, status, amount_fen) VALUES (1, 5, '[]', 'settlement', 'S2', 'normal', 100)").run();
    old.close();
    const db = openStore(file);
    const lookup = new RowLookup(db);
    const gk = (line: number) => {
      const r = lookup.get(1, line)!;
      return r.cols.str('gk')[r.index];
    };
    expect([gk(4), gk(5)]).toEqual(['S1', 'S2']);
    db.close();
  });

  it('moves rows into column blocks by (batch, line) and keeps the raw cells of rows imported before readable (v9, v10)', () => {
    const file = path.join(tempDir(), 'v8.sqlite');
    const old = openStore(file, { targetVersion: 8 });
    SEED[1]!(old);
    SEED[2]!(old);
    old.close();
    const db = openStore(file);
    expect(db.prepare('SELECT id, kind, n, first_line, last_line FROM row_block').all()).toEqual([{ id: 2 ** 20, kind: 'tax-premium', n: 1, first_line: 3, last_line: 3 }]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'source_row'").get()).toBeUndefined();
    expect(readStoredRecord(db, 1, 3)).toMatchObject({ raw: ['x'], norm: { order_no: 'JF1', amount: 38000 }, fileName: 'a.txt' });
    db.close();
  });

  it('refuses a damaged file at open with a message that names it', () => {
    const file = path.join(tempDir(), 'broken.sqlite');
    const db = openStore(file);
    for (let i = 0; i < 2000; i++) appendAudit(db, { actor: 'u', action: 'x', detail: { i, pad: 'x'.repeat(200) } });
    const page = db.pragma('page_size', { simple: true }) as number;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Scribble over the middle pages, as a failing disk would.
    const buf = fs.readFileSync(file);
    expect(buf.length).toBeGreaterThan(page * 6);
    buf.fill(0x5a, page * 2, page * 6);
    fs.writeFileSync(file, buf);
    let err: unknown;
    try {
      openStore(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('DB_DAMAGED');
    expect((err as EngineError).message).toContain(file);
    expect((err as EngineError).message).toContain('已损坏');
  });

  it('refuses a file that is not a SQLite database at all', () => {
    const file = path.join(tempDir(), 'notdb.sqlite');
    fs.writeFileSync(file, '缴费单号,金额\nJF1,380\n');
    expect(() => openStore(file)).toThrow(/已损坏.*文件头不是 SQLite/);
  });

  it('refuses a database written by a newer version of the program', () => {
    const file = path.join(tempDir(), 'new.sqlite');
    const db = openStore(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(file)).toThrow(/请升级工作站程序/);
  });
});

describe('listing blocks', () => {
  it('answers which blocks of a kind, dates and batches from the covering index alone, as a plain filter would', () => {
    const db = openStore(path.join(tempDir(), 'spans.sqlite'));
    // A block's own row holds 64 KB of its data: listing through it read that much per block.
    const big = Buffer.alloc(100_000, 7);
    const blocks: { id: number; kind: 'tax-premium' | 'ledger-premium'; n: number; min: string | null; max: string | null; batch: number }[] = [];
    const put = db.prepare('INSERT INTO row_block (id, batch_id, kind, seq, n, first_line, last_line, min_at, max_at, cols, extra) VALUES (?, ?, ?, ?, ?, 2, 3, ?, ?, ?, ?)');
    for (let batch = 1; batch <= 6; batch++) {
      for (let seq = 0; seq < 3; seq++) {
        const day = String(10 + batch + seq).padStart(2, '0');
        const b = { id: blockId(batch, seq), kind: batch % 2 ? ('tax-premium' as const) : ('ledger-premium' as const), n: 100 * batch + seq, min: seq === 2 ? null : `2025-11-${day} 00:00:00`, max: seq === 2 ? null : `2025-11-${day} 12:00:00`, batch };
        blocks.push(b);
        put.run(b.id, batch, b.kind, seq, b.n, b.min, b.max, big, big);
      }
    }
    const cases = [
      { kinds: ['tax-premium'] as const, range: {} },
      { kinds: ['ledger-premium'] as const, range: { to: '2025-11-15 00:00:00' } },
      { kinds: ['tax-premium', 'ledger-premium'] as const, range: { from: '2025-11-13 00:00:00', to: '2025-11-16 00:00:00' } },
      { kinds: ['ledger-premium'] as const, range: { batches: [2, 6], to: '2025-11-18 00:00:00' } },
      { kinds: ['ledger-premium'] as const, range: { batches: [] } },
    ];
    for (const { kinds, range } of cases) {
      const want = blocks
        .filter((b) => (kinds as readonly string[]).includes(b.kind))
        .filter((b) => !('batches' in range) || (range.batches as number[]).includes(b.batch))
        .filter((b) => !('to' in range) || b.min === null || b.min < range.to!)
        .filter((b) => !('from' in range) || b.max === null || b.max >= range.from!)
        .map((b) => ({ id: b.id, n: b.n, minAt: b.min, maxAt: b.max }));
      expect(blockSpans(db, kinds, range)).toEqual(want);
      expect(blockIds(db, kinds, range)).toEqual(want.map((b) => b.id));
    }
    // Every form the store asks in is answered by the index, never by the blocks' pages.
    const plans: string[] = [];
    const prepare = db.prepare.bind(db);
    (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      if (sql.includes('FROM row_block')) plans.push(...(prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from(sql.matchAll(/\?/g), () => 'x')) as { detail: string }[]).map((r) => r.detail));
      return prepare(sql);
    };
    for (const { kinds, range } of cases) blockSpans(db, kinds, range);
    // (No batches: nothing asked at all.)
    expect(plans.filter((p) => p.startsWith('SEARCH') || p.startsWith('SCAN'))).toEqual(Array(cases.length - 1).fill('SEARCH row_block USING COVERING INDEX row_block_span (kind=?)'));
    db.close();
  });
});

describe('carry marks (v19)', () => {
  it('moves each carry part\'s marks beside it, byte for byte, and lets them go with their part', () => {
    const file = path.join(tempDir(), 'carry.sqlite');
    const old = openStore(file, { targetVersion: 18 });
    old.prepare("INSERT INTO recon_run (id, kind, period, ran_at, ran_by, window_hours, summary) VALUES (7, 'premium', '2025-W47', 'x', 'u', 24, '{}')").run();
    old.prepare("INSERT INTO recon_carry (kind, run_id, version, period_end, window_start, max_batch) VALUES ('premium', 7, 2, '2025-11-24 00:00:00', '2025-11-23 00:00:00', 1)").run();
    old.prepare("INSERT INTO recon_carry_part (kind, run_id, keys, live, ledger, external) VALUES ('premium', 7, x'01', x'010001', x'02', NULL)").run();
    old.close();
    const db = openStore(file);
    expect(db.prepare('SELECT kind, run_id, hex(live) AS live FROM recon_carry_live').all()).toEqual([{ kind: 'premium', run_id: 7, live: '010001' }]);
    expect((db.prepare('PRAGMA table_info(recon_carry_part)').all() as { name: string }[]).map((c) => c.name)).not.toContain('live');
    db.prepare('DELETE FROM recon_carry').run();
    expect(db.prepare('SELECT count(*) FROM recon_carry_live').pluck().get()).toBe(0);
    db.close();
  });
});
