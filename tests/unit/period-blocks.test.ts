// A run's first pass reads this period's blocks in two threads (period-blocks.ts,
// block-reader.ts), and the reading thread first makes ready the buffers the run
// fills later (its rows' arrays and per-key sums). Whichever thread read a block,
// or made a buffer, the run must see and compute exactly what its own thread would; a block the reading thread cannot read must be refused
// in the run's thread with its own message; and a reading thread that fails, or
// claims a block and never hands it over, must not hold the run or change what it sees.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { importFile, reconcile, tempEngine, type TestEngine } from '../support/temp-engine';
import { openStore } from '../../electron/engine/store/open-store';
import { blockQuery, blockSpans } from '../../electron/engine/rowstore/block-store';
import { readPeriodBlock, type ReadBlock } from '../../electron/engine/match/period-block';
import { PeriodBlocks, type PeriodBlocksOptions } from '../../electron/engine/match/period-blocks';
import { CLAIMED, FREE } from '../../electron/engine/match/block-claims';
import { periodBounds } from '../../shared/periods';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, '..', 'fixtures', 'threads', name);
const W47 = periodBounds('2025-W47');

let e: TestEngine;
let ids: number[];

beforeAll(async () => {
  e = await tempEngine();
  // Some 45,000 rows a side: three blocks each, and a few breaks of every kind.
  const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 38_000, MATCHED_SPLIT: 3000, LEDGER_ONLY: 900, EXTERNAL_ONLY: 700, AMOUNT_MISMATCH: 400, IN_TRANSIT: 300 } });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
  await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
  ids = [...blockSpans(e.db, ['ledger-premium'], { from: W47.start, to: W47.end }), ...blockSpans(e.db, ['tax-premium'], { from: W47.start, to: W47.end })].map((b) => b.id);
}, 60_000);

afterAll(async () => {
  await e?.close();
});

/** Everything the first pass uses of a block, as plain values. */
function shape(r: ReadBlock) {
  const c = r.block.cols;
  const refs = c.byteRefs('gk');
  return {
    id: r.block.id,
    batchId: r.block.batchId,
    seq: r.block.seq,
    kind: r.block.kind,
    bytes: Buffer.from(c.bytes).toString('base64'),
    start: [...refs.start],
    len: [...refs.len],
    // NaN (a row without a key) compared as bytes.
    hashes: Buffer.from(r.hashes.buffer, r.hashes.byteOffset, r.hashes.byteLength).toString('base64'),
    made: r.made && { common: [...r.made.common], len: r.made.prefixes.len, prefixes: [...r.made.prefixes.hashes] },
    at: [...c.num('event_at')],
  };
}

/** The blocks as the run's own thread reads them, every third one with prefixes made. */
const prefixes = () => Uint8Array.from(ids, (_, i) => (i % 3 === 0 ? 1 : 0));
const inline = (db: Database) => {
  const q = blockQuery(db);
  const p = prefixes();
  return ids.map((id, i) => shape(readPeriodBlock(q, id, p[i] === 1)));
};

/**
 * All blocks taken in order, with `pause` ms between takes (the run's own work on
 * each); `started`: first wait (20 s at most) until the reading thread has claimed the first block.
 */
function takeAll(db: Database, opts: PeriodBlocksOptions, pause = 0, started = false) {
  const src = new PeriodBlocks(db, ids, prefixes(), opts);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  try {
    for (const t0 = Date.now(); started && !src.claimedByReader(0) && Date.now() - t0 < 20_000; ) Atomics.wait(nap, 0, 0, 10);
    const got = ids.map((_, i) => {
      const r = shape(src.take(i));
      if (pause) Atomics.wait(nap, 0, 0, pause);
      return r;
    });
    return { got, counts: { ...src.counts } };
  } finally {
    src.close();
  }
}

describe('a run reading its period blocks in two threads', () => {
  it('sees every block the reading thread read exactly as its own thread reads it', () => {
    expect(ids.length).toBeGreaterThanOrEqual(6);
    const want = inline(e.db);
    const only = takeAll(e.db, { mode: 'only' });
    expect(only.counts).toEqual({ reader: ids.length, own: 0 });
    expect(only.got).toEqual(want);
  }, 30_000);

  it('shares the blocks between the threads when both are at work', () => {
    const want = inline(e.db);
    // The thread under way: the run takes what it has read and, while it waits for a
    // block the thread is reading, reads blocks from the back itself (how many of each
    // depends on the machine's load; together, every block once).
    for (const pause of [0, 20]) {
      const shared = takeAll(e.db, { mode: 'always' }, pause, true);
      expect(shared.counts.reader + shared.counts.own).toBe(ids.length);
      expect(shared.counts.reader).toBeGreaterThan(0);
      expect(shared.got).toEqual(want);
    }
    // Without a thread the run reads them all itself.
    expect(takeAll(e.db, { mode: 'never' })).toEqual({ got: want, counts: { reader: 0, own: ids.length } });
  }, 30_000);

  it('refuses a damaged block in the run’s own thread, with the message reading it there gives', () => {
    const copy = path.join(e.dir, 'damaged.sqlite');
    e.db.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(path.join(e.dir, 'workstation.sqlite'), copy);
    const db = openStore(copy, { skipIntegrityCheck: true });
    try {
      const bad = ids[2]!;
      db.prepare('UPDATE row_block SET cols = ? WHERE id = ?').run(Buffer.from([8, 0, 0, 0, 0x7b, 0x22, 0x76, 0x22]), bad);
      let own: unknown;
      try {
        readPeriodBlock(blockQuery(db), bad, false);
      } catch (err) {
        own = (err as Error).message;
      }
      expect(typeof own).toBe('string');
      const src = new PeriodBlocks(db, ids, prefixes(), { mode: 'only', giveUpMs: 20_000 });
      try {
        const t0 = Date.now();
        src.take(0);
        src.take(1);
        expect(() => src.take(2)).toThrow(own as string);
        expect(Date.now() - t0).toBeLessThan(15_000);
        // The thread failed that one block only: the next comes from it as before.
        expect(shape(src.take(3)).id).toBe(ids[3]);
        expect(src.counts.reader).toBe(3);
      } finally {
        src.close();
      }
    } finally {
      db.close();
    }
  }, 30_000);

  it('reads everything itself when the reading thread breaks as it starts', () => {
    const want = inline(e.db);
    for (const mode of ['always', 'only'] as const) {
      const r = takeAll(e.db, { mode, file: fixture('broken-reader.mjs'), giveUpMs: 300 });
      expect(r).toEqual({ got: want, counts: { reader: 0, own: ids.length } });
    }
  }, 30_000);

  it('does not wait for ever on a block the reading thread claimed and never handed over', () => {
    expect([FREE, CLAIMED]).toEqual([0, 1]);
    const want = inline(e.db);
    // 'only': the run waits for the thread from the first block; 'always', the run slow: the thread claims a later one.
    for (const [mode, pause] of [['only', 0], ['always', 40]] as const) {
      const t0 = Date.now();
      const r = takeAll(e.db, { mode, file: fixture('stuck-reader.mjs'), giveUpMs: 400 }, pause);
      const took = Date.now() - t0;
      expect(r).toEqual({ got: want, counts: { reader: 0, own: ids.length } });
      // It waited for the claimed block (the claim happened), gave up, and read it itself.
      expect(took).toBeGreaterThanOrEqual(400);
      expect(took).toBeLessThan(10_000);
    }
  }, 30_000);

  it('has buffers made ready by the reading thread, zeroed, each once, and makes none itself where the thread did not', () => {
    const nap = new Int32Array(new SharedArrayBuffer(4));
    const sizes = [3 * 4096 + 8, 24];
    const src = new PeriodBlocks(e.db, ids, prefixes(), { mode: 'only', warm: sizes });
    try {
      // The thread makes its buffers before it reads a block.
      src.take(0);
      const a = src.warmBuffer(0);
      const b = src.warmBuffer(1);
      expect([a?.byteLength, b?.byteLength]).toEqual(sizes);
      expect(new Uint8Array(a!).every((x) => x === 0)).toBe(true);
      // Asked again, or for one never asked for: none, at once (a buffer is handed over once).
      const t0 = Date.now();
      expect(src.warmBuffer(0)).toBeNull();
      expect(src.warmBuffer(2)).toBeNull();
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      src.close();
    }
    // No thread, or one that never got to it: the run makes its own (null), at once.
    for (const opts of [{ mode: 'never' as const }, { mode: 'always' as const, file: fixture('stuck-reader.mjs'), giveUpMs: 400 }]) {
      const other = new PeriodBlocks(e.db, ids, prefixes(), { ...opts, warm: sizes });
      try {
        Atomics.wait(nap, 0, 0, 300);
        if (opts.mode === 'always') {
          // Asked patiently (the run's first need), of a thread that never makes it: the
          // run reads every block it can meanwhile, then makes its own; nothing is read twice.
          expect(other.warmBuffer(0, true)).toBeNull();
          expect(other.counts.own).toBeGreaterThanOrEqual(ids.length - 1);
          expect(ids.map((_, i) => shape(other.take(i)))).toEqual(inline(e.db));
          expect(other.counts).toEqual({ reader: 0, own: ids.length });
        }
        const t0 = Date.now();
        expect([other.warmBuffer(0), other.warmBuffer(1)]).toEqual([null, null]);
        expect(Date.now() - t0).toBeLessThan(1000);
      } finally {
        other.close();
      }
    }
  }, 30_000);

  it('makes a buffer whose size is given after it started, between two blocks or once its blocks are read, and none whose size never came', () => {
    const nap = new Int32Array(new SharedArrayBuffer(4));
    // Given while its blocks are read ('always', the run slow), and once they are all read ('only', given at the end).
    for (const [mode, at] of [['always', 1], ['only', ids.length]] as const) {
      const src = new PeriodBlocks(e.db, ids, prefixes(), { mode, warm: [24, Number.NaN, Number.NaN] });
      try {
        expect(src.warmBuffer(1)).toBeNull();
        const got = ids.map((_, i) => {
          if (i === at) src.setWarmSize(1, 2 * 4096 + 8);
          Atomics.wait(nap, 0, 0, mode === 'always' ? 30 : 0);
          return shape(src.take(i));
        });
        if (at === ids.length) src.setWarmSize(1, 2 * 4096 + 8);
        expect(got).toEqual(inline(e.db));
        expect(() => src.setWarmSize(1, 8)).toThrow();
        // The thread makes it as soon as it sees the size: asked for after that, it is handed over.
        for (const t0 = Date.now(); !src.claimedBuffer(1) && Date.now() - t0 < 10_000; ) Atomics.wait(nap, 0, 0, 10);
        const b = src.warmBuffer(1);
        expect(b?.byteLength).toBe(2 * 4096 + 8);
        expect(new Uint8Array(b!).every((x) => x === 0)).toBe(true);
        // A size never given: no buffer, at once (the run makes its own).
        const t0 = Date.now();
        expect(src.warmBuffer(2)).toBeNull();
        expect(Date.now() - t0).toBeLessThan(1000);
      } finally {
        src.close();
      }
    }
  }, 30_000);

  it('reconciles to the same breaks, carry and summaries whichever thread read the blocks', async () => {
    const results: string[] = [];
    for (const mode of ['never', 'only', 'always']) {
      process.env.GONGJI_BLOCK_READER = mode;
      try {
        const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
        const dump = ['recon_break', 'block_keys', 'block_prefixes', 'recon_carry_part'].map((t) =>
          (e.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).raw().all() as unknown[][]).map((r) => r.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v))),
        );
        const trail = JSON.parse((e.db.prepare("SELECT detail FROM audit_log WHERE action = 'reconcile' ORDER BY seq DESC LIMIT 1").pluck().get() as string) ?? '{}') as { blockReads: { reader: number; own: number } };
        if (mode === 'always') expect(trail.blockReads.reader + trail.blockReads.own).toBe(ids.length);
        else expect(trail.blockReads).toEqual(mode === 'never' ? { reader: 0, own: ids.length } : { reader: ids.length, own: 0 });
        // Which run made them, and when, differ by design; the rest may not.
        results.push(JSON.stringify({ ...s, runId: 0, ranAt: 0 }) + JSON.stringify(dump).replace(/"20\d\d-\d\d-\d\dT[^"]*"/g, '').replace(/,\d+,(\d+),"premium"/g, ''));
        // Back to the imports alone for the next mode (the run's summaries and prefixes too).
        e.db.exec('DELETE FROM break_event; DELETE FROM recon_break; DELETE FROM recon_carry_part; DELETE FROM recon_carry_live; DELETE FROM recon_carry; DELETE FROM recon_open_list; DELETE FROM recon_run_unchanged; DELETE FROM recon_run; DELETE FROM block_keys; DELETE FROM block_prefixes');
      } finally {
        delete process.env.GONGJI_BLOCK_READER;
      }
    }
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
  }, 60_000);
});
