// Threads start without the TypeScript loader a host running from sources was
// started with (start-thread.ts): each of our entries is built JavaScript or
// registers tsx itself, and an inherited loader cost every thread its set-up again.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { threadExecArgv } from '../../electron/engine/start-thread';

describe('threadExecArgv', () => {
  it('drops tsx loaders in each form a host is started with, and keeps every other option', () => {
    // `node --import tsx …`
    expect(threadExecArgv(['--import', 'tsx', '--trace-warnings'])).toEqual(['--trace-warnings']);
    // The tsx command itself.
    expect(threadExecArgv(['--require', '/app/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///app/node_modules/tsx/dist/loader.mjs'])).toEqual([]);
    // Joined with '=', and the older loader flags.
    expect(threadExecArgv(['--import=tsx', '--loader=tsx/esm', '-r', 'tsx/cjs', '--max-old-space-size=4096'])).toEqual(['--max-old-space-size=4096']);
    // Other preloads stay, with their values; a name that merely contains "tsx" is not tsx.
    expect(threadExecArgv(['--require', './trace.cjs', '--import', 'my-tsx-helper', '--enable-source-maps'])).toEqual(['--require', './trace.cjs', '--import', 'my-tsx-helper', '--enable-source-maps']);
  });

  it('starts a thread without the tsx loader of a process started with --import tsx', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--trace-warnings', path.join(root, 'tests/support/thread-argv.ts')], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { parent, thread } = JSON.parse(r.stdout) as { parent: string[]; thread: string[] };
    expect(parent).toEqual(expect.arrayContaining(['--import', 'tsx', '--trace-warnings']));
    expect(thread).toEqual(['--trace-warnings']);
  });
});
