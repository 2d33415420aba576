// Every worker thread the workstation starts (the engine's thread, a job's thread,
// an import's parsing threads) starts here, so each gets the same Node options.
import fs from 'node:fs';
import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The flags that load code into a thread before its entry, with a value (`--import x` or `--import=x`). */
const PRELOADS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The parent's Node options, less any TypeScript loader (tsx) a host running from
 * sources was started with. Every entry a thread is started with is either built
 * JavaScript or a `*-tsx.mjs` bootstrap that registers tsx in its own thread;
 * inherited, the loader was set up again first in every thread — some 0.1 s before
 * a job's first step, and before each parsing thread of an import read a line.
 */
export function threadExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (PRELOADS.has(flag)) {
      const value = eq > 0 ? a.slice(eq + 1) : (argv[i + 1] ?? '');
      const joined = eq < 0;
      if (/(^|[\\/@])tsx([\\/]|$)/.test(value)) {
        if (joined) i++;
        continue;
      }
      out.push(a);
      if (joined && i + 1 < argv.length) out.push(argv[++i]!);
      continue;
    }
    out.push(a);
  }
  return out;
}

/** A worker thread on `file`, with the options above. */
export function startThread(file: string, options: WorkerOptions = {}): Worker {
  return new Worker(file, { ...options, execArgv: options.execArgv ?? threadExecArgv() });
}

/**
 * A thread's entry file named `name`: the one `envVar` names (a host running from
 * sources that has the built file at hand), else `<name>.js` built beside the
 * module in `dir` or in the folder above it (a bundle's chunk), else the TypeScript
 * bootstrap `<name>-tsx.mjs` beside the source; null where there is none.
 */
export function threadEntry(dir: string, name: string, envVar: string): string | null {
  const given = process.env[envVar];
  if (given && fs.existsSync(given)) return given;
  for (const f of [path.join(dir, `${name}.js`), path.join(dir, '..', `${name}.js`), path.join(dir, `${name}-tsx.mjs`)]) {
    if (fs.existsSync(f)) return f;
  }
  return null;
}
