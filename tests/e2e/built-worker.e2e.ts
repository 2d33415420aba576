// The app's build ships its job worker as out/main/job-worker.js, the import's
// parsing thread as out/main/parse-worker.js and the match's reading thread as
// out/main/block-reader.js: they must run on their own, without tsx.
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EventBus } from '../../electron/engine/event-bus';
import { openStore } from '../../electron/engine/store/open-store';
import { WORKER_MIN_BYTES } from '../../electron/engine/ingest/parse-runner';
import { readStoredRecord } from '../../electron/engine/ingest/stored-record';
import { WorkerJobRunner } from '../../electron/host/jobs/worker-runner';
import { startEngineThread } from '../../electron/host/engine-thread/remote-engine';
import { writeTextFile } from '../support/files';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';
import { tempDir } from '../support/temp-engine';

/** A module's static `import … from "x"` and `export … from "x"` (its specifier in group 1). */
const STATIC_IMPORT = /^(?:import|export)\b[^;]*?from\s*"([^"]+)"/gm;

describe('the built engine thread', () => {
  it('runs the engine from out/main/engine-thread.js, with its jobs in out/main/job-worker.js', async () => {
    const dir = tempDir();
    const out = path.resolve(import.meta.dirname, '../../out/main');
    const remote = await startEngineThread({ dbPath: path.join(dir, 'w.sqlite'), host: 'electron', threadFile: path.join(out, 'engine-thread.js'), jobWorkerFile: path.join(out, 'job-worker.js') });
    onTestFinished(() => remote.close());
    const { session } = await remote.call('auth/setup', { name: 'admin', displayName: '管理员', password: 'Passw0rd-2025' }, { host: 'electron' });
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 10 } });
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const done = new Promise<unknown>((resolve) => remote.bus.on('job/finished', resolve));
    await remote.call('jobs/start', { type: 'import', args: { path: file } }, { host: 'electron', session });
    expect(await done).toMatchObject({ outcome: 'result', result: { rows: 10 } });
    expect(await remote.call('imports/list', {}, { host: 'electron', session })).toHaveLength(1);
  });
});

describe('the built job worker', () => {
  it('imports a file in a worker thread from out/main/job-worker.js', async () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'w.sqlite');
    openStore(dbPath).close();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 10 } });
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const runner = new WorkerJobRunner({ dbPath, workerFile: path.resolve(import.meta.dirname, '../../out/main/job-worker.js') }, new EventBus());
    const fin = await runner.wait(runner.start('import', { path: file }, 'officer-a'));
    expect(fin).toMatchObject({ outcome: 'result', result: { rows: 10, kind: 'tax-premium' } });
    await runner.close();
  });

  it('loads the code of a task only when a task of its type runs: a match or an import starts without exceljs or zod', async () => {
    const out = path.resolve(import.meta.dirname, '../../out/main');
    // What a thread loads before its task (static imports, followed) and what a match adds.
    const reached = (entry: string, seen = new Set<string>()): Set<string> => {
      for (const m of fs.readFileSync(entry, 'utf8').matchAll(STATIC_IMPORT)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) seen.add(spec);
        else {
          const f = path.resolve(path.dirname(entry), spec);
          if (!seen.has(f)) {
            seen.add(f);
            reached(f, seen);
          }
        }
      }
      return seen;
    };
    const start = reached(path.join(out, 'job-worker.js'));
    expect(start.has('better-sqlite3')).toBe(true);
    const chunks = fs.readdirSync(path.join(out, 'chunks'));
    const matchChunk = path.join(out, 'chunks', chunks.find((c) => c.startsWith('run-reconcile-'))!);
    const match = reached(matchChunk, new Set(start));
    // An import loads zod only to check a profile from outside (profiles.ts), never with its code.
    const importChunk = path.join(out, 'chunks', chunks.find((c) => c.startsWith('run-import-'))!);
    const imports = reached(importChunk, new Set(start));
    for (const heavy of ['exceljs', 'zod']) {
      expect(start.has(heavy), heavy).toBe(false);
      expect(match.has(heavy), heavy).toBe(false);
      expect(imports.has(heavy), heavy).toBe(false);
    }
    // And the match, loaded that way, runs.
    const dir = tempDir();
    const dbPath = path.join(dir, 'w.sqlite');
    openStore(dbPath).close();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 10 } });
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    // Its period's blocks left to the reading thread (period-blocks.ts), which the built
    // match finds beside it as out/main/block-reader.js (the threads take the variable as they start).
    process.env.GONGJI_BLOCK_READER = 'only';
    onTestFinished(() => {
      delete process.env.GONGJI_BLOCK_READER;
    });
    const runner = new WorkerJobRunner({ dbPath, workerFile: path.join(out, 'job-worker.js') }, new EventBus());
    onTestFinished(() => runner.close());
    expect(await runner.wait(runner.start('import', { path: file }, 'officer-a'))).toMatchObject({ outcome: 'result' });
    const fin = await runner.wait(runner.start('reconcile', { kind: 'premium', period: '2025-W47' }, 'officer-a'));
    expect(fin).toMatchObject({ outcome: 'result', result: { period: '2025-W47' } });
    await runner.quiet();
    const db = openStore(dbPath);
    const detail = JSON.parse(db.prepare("SELECT detail FROM audit_log WHERE action = 'reconcile'").pluck().get() as string) as { blockReads: unknown };
    db.close();
    expect(detail.blockReads).toEqual({ reader: 1, own: 0 });
  });

  it('ships the match’s reading thread as one file that loads only modules built into Node and better-sqlite3', () => {
    const code = fs.readFileSync(path.resolve(import.meta.dirname, '../../out/main/block-reader.js'), 'utf8');
    const imported = [...code.matchAll(STATIC_IMPORT), ...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!);
    const required = [...code.matchAll(/\b\w*require\(\s*["'`]([^"'`]+)["'`]\s*\)/gi)].map((m) => m[1]!);
    expect(imported).toContain('better-sqlite3');
    for (const spec of [...imported, ...required]) expect(isBuiltin(spec) || spec === 'better-sqlite3', spec).toBe(true);
  });

  it('ships the parsing thread as one file that loads nothing but the modules built into Node', () => {
    // Each big import starts two parsing threads; one file loads in about half the
    // time of an entry that resolves shared chunks and packages (electron.vite.config.ts).
    const code = fs.readFileSync(path.resolve(import.meta.dirname, '../../out/main/parse-worker.js'), 'utf8');
    const imported = [...code.matchAll(STATIC_IMPORT), ...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!);
    // Whatever the bundler names its require helper (\`__require\`, \`require\`, …). The
    // parsing tests below also run a copy of the file where no node_modules can be found.
    const required = [...code.matchAll(/\b\w*require\(\s*["'`]([^"'`]+)["'`]\s*\)/gi)].map((m) => m[1]!);
    expect(imported.length).toBeGreaterThan(0);
    for (const spec of imported) expect(spec, spec).toMatch(/^node:/);
    for (const spec of required) expect(isBuiltin(spec), spec).toBe(true);
  });

  it.each(['always', 'split'])('parses a big file in out/main/parse-worker.js and keeps its raw records (%s)', async (mode) => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'w.sqlite');
    openStore(dbPath).close();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 40000 } });
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030' });
    expect(fs.statSync(file).size).toBeGreaterThan(WORKER_MIN_BYTES);
    // A copy of the built file in a temporary folder, where no node_modules is found
    // above it: a package it still needed would fail the parse, not pass unseen.
    const alone = path.join(dir, 'parse-worker.js');
    fs.copyFileSync(path.resolve(import.meta.dirname, '../../out/main/parse-worker.js'), alone);
    // The premise, checked rather than assumed (a TMPDIR inside a project would break it).
    for (let up = dir; ; up = path.dirname(up)) {
      expect(fs.existsSync(path.join(up, 'node_modules')), `node_modules above ${alone}`).toBe(false);
      if (path.dirname(up) === up) break;
    }
    // 'always' and 'split' refuse to fall back to parsing in line when the entry is missing.
    process.env.GONGJI_PARSE_WORKER = mode;
    process.env.GONGJI_PARSE_WORKER_FILE = alone;
    onTestFinished(() => {
      delete process.env.GONGJI_PARSE_WORKER;
      delete process.env.GONGJI_PARSE_WORKER_FILE;
    });
    const runner = new WorkerJobRunner({ dbPath, workerFile: path.resolve(import.meta.dirname, '../../out/main/job-worker.js') }, new EventBus());
    const fin = await runner.wait(runner.start('import', { path: file }, 'officer-a'));
    expect(fin).toMatchObject({ outcome: 'result', result: { rows: 40000, kind: 'tax-premium', encoding: 'gb18030' } });
    await runner.close();
    const db = openStore(dbPath);
    expect(readStoredRecord(db, 1, 40001)!.raw).toEqual(g.tax[39999]);
    expect(readStoredRecord(db, 1, 20001)!.raw).toEqual(g.tax[19999]);
    // Split in two: the second half's blocks are numbered from 2^19.
    const parts = (db.prepare('SELECT count(*) n FROM row_block WHERE seq >= ?').get(2 ** 19) as { n: number }).n;
    expect(parts > 0).toBe(mode === 'split');
    db.close();
  });
});
