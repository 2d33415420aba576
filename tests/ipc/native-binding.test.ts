// The desktop app opens the workstation with its own build of better-sqlite3 (built
// for Electron's ABI, passed as nativeBinding): every connection the engine opens —
// the engine thread's, each job thread's, a match's reading thread's — must load that
// build, for the one in node_modules is built for Node and cannot load in Electron.
// The app itself cannot be started here (no Electron binary), so its engine is started
// as main starts it, in a process of its own, with a copy of the Node build under
// another path standing in for the app's, and glibc's dynamic loader logs every library
// the process loads, in any thread (LD_DEBUG=files; Linux, as CI).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-engine';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the app’s build of better-sqlite3 (nativeBinding)', () => {
  it('is the only build loaded by the engine thread, its job threads and a match’s reading thread', () => {
    const dir = tempDir();
    expect(process.platform).toBe('linux');
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'tests/support/native-binding-run.ts'), dir], {
      cwd: root,
      encoding: 'utf8',
      // Every block of the match to the reading thread, so that it opens the store.
      env: { ...process.env, GONGJI_BLOCK_READER: 'only', LD_DEBUG: 'files' },
      timeout: 90_000,
      maxBuffer: 1 << 24,
    });
    expect(child.status, child.stderr.split('\n').filter((l) => !/^\s*\d+:/.test(l)).join('\n')).toBe(0);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { dbPath: string; own: string; shipped: string };
    // Each build of better-sqlite3 the loader mapped (a build already mapped is not logged
    // again: the engine thread keeps the app's open while the job threads come and go).
    const loads = [...child.stderr.matchAll(/file=(\S*better_sqlite3\.node) \[0\];\s+dynamically loaded/g)].map((m) => m[1]);
    expect(new Set(loads)).toEqual(new Set([r.own]));
    // The match did read in its reading thread (with that build), and matched.
    const db = new Database(r.dbPath, { readonly: true });
    try {
      const detail = JSON.parse(db.prepare("SELECT detail FROM audit_log WHERE action = 'reconcile'").pluck().get() as string) as { blockReads: { reader: number; own: number }; matched: number };
      expect(detail.blockReads.reader).toBeGreaterThan(0);
      expect(detail.blockReads.own).toBe(0);
      expect(detail.matched).toBe(2000);
    } finally {
      db.close();
    }
  });
});
