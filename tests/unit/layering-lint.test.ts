// The lint rule that keeps Electron out of the engine and the engine out of the
// renderer is itself tested: a bad import in each place must be an error.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function errors(file: string, code: string, rule = 'no-restricted-imports'): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return r!.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('layering lint', () => {
  it.each(['electron/engine/store/x.ts', 'electron/host/x.ts', 'shared/x.ts', 'renderer/src/x.tsx'])('refuses electron in %s', async (file) => {
    expect(await errors(file, "import { app } from 'electron';\nexport const a = app;\n")).not.toEqual([]);
  });
  it('allows electron in main and preload', async () => {
    expect(await errors('electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await errors('electron/preload/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toEqual([]);
  });
  it('refuses the engine in the renderer, and the renderer in shared', async () => {
    expect(await errors('renderer/src/pages/x.tsx', "import { openStore } from '../../../electron/engine/store/open-store';\nexport const a = openStore;\n")).toHaveLength(1);
    expect(await errors('shared/x.ts', "import { api } from '../renderer/src/api/client';\nexport const a = api;\n")).toHaveLength(1);
  });
  it('refuses a worker thread started other than through startThread', async () => {
    const code = "import { Worker } from 'node:worker_threads';\nexport const w = new Worker('x.js');\n";
    for (const file of ['electron/host/jobs/x.ts', 'electron/engine/ingest/x.ts', 'electron/engine/store/x.ts', 'electron/host/cli/x.ts']) {
      expect(await errors(file, code, 'no-restricted-syntax'), file).toHaveLength(1);
    }
    expect(await errors('electron/engine/start-thread.ts', code, 'no-restricted-syntax')).toEqual([]);
  });
  it('refuses the CLI reading the store around the contract', async () => {
    expect(await errors('electron/host/cli/commands/x.ts', 'export const f = (engine: { db: unknown }) => engine.db;\n', 'no-restricted-syntax')).toHaveLength(1);
  });
  it('refuses opening the database file by hand in the store', async () => {
    const code = "import fs from 'node:fs';\nexport const f = (p: string) => fs.closeSync(fs.openSync(p, 'r'));\n";
    expect(await errors('electron/engine/store/x.ts', code, 'no-restricted-syntax')).toHaveLength(2);
  });
  it('refuses the engine and the store in Electron’s main process (the window’s thread runs no SQL)', async () => {
    expect(await errors('electron/main/x.ts', "import { createEngine } from '../engine/engine';\nexport const a = createEngine;\n")).toHaveLength(1);
    expect(await errors('electron/main/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n")).toHaveLength(1);
  });
});
