// What every CLI command shares: the global options, an engine on the chosen
// database, JSON on stdout, human messages on stderr.
import type { Command } from 'commander';
import { createEngine, type Engine } from '../../engine/engine';
import type { Caller, JobFinished } from '../../../shared/contract';
import { cliLogin } from './cli-login';
import { EngineError } from '../../../shared/errors';
import { defaultDbPath, defaultUser } from '../default-paths';

export interface GlobalOptions {
  db?: string;
  user?: string;
  quiet?: boolean;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Opens the workstation database and signs the invoking user in. */
export async function openEngine(cmd: Command): Promise<{ engine: Engine; ctx: Caller }> {
  const g = globals(cmd);
  // A batch run may wait its turn behind another process's import (the window's own writes queue in its engine).
  const engine = createEngine({ dbPath: g.db ?? defaultDbPath(), host: 'cli', busyTimeoutMs: 5 * 60_000 });
  try {
    return { engine, ctx: await cliLogin(engine, g.user ?? defaultUser()) };
  } catch (e) {
    await engine.close();
    throw e;
  }
}

/** Runs a command's work against the signed-in engine, closing it however the work ends. */
export async function withEngine(cmd: Command, work: (engine: Engine, ctx: Caller) => Promise<void>): Promise<void> {
  const { engine, ctx } = await openEngine(cmd);
  try {
    await work(engine, ctx);
  } finally {
    await engine.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function say(cmd: Command, message: string): void {
  if (!globals(cmd).quiet) process.stderr.write(message + '\n');
}

/** Runs a job in-process, showing progress on stderr when it is a terminal. */
export async function runJob(engine: Engine, cmd: Command, type: 'import' | 'reconcile', args: unknown, ctx: Caller): Promise<unknown> {
  const tty = process.stderr.isTTY && !globals(cmd).quiet;
  const off = engine.bus.on('job/progress', (p) => {
    if (!tty) return;
    const pct = p.total ? ` ${Math.floor((p.done / p.total) * 100)}%` : '';
    process.stderr.write(`\r${p.stage}${pct}   `);
  });
  const { jobId } = await engine.call('jobs/start', { type, args }, ctx);
  const fin: JobFinished = await engine.jobs.wait(jobId);
  off();
  if (tty) process.stderr.write('\n');
  if (fin.outcome === 'result') return fin.result;
  if (fin.outcome === 'cancelled') throw new EngineError('CANCELLED', '任务已取消');
  throw new EngineError(fin.error.code, fin.error.message, fin.error.details);
}

/** Wraps a command: any error becomes one clear stderr message and a non-zero exit. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const err = e as EngineError;
      process.stderr.write(`错误：${err.message ?? String(e)}\n`);
      const problems = (err.details as { problems?: { line: number; column: string; value: string; message: string }[] } | undefined)?.problems;
      if (problems?.length) {
        for (const p of problems.slice(0, 20)) process.stderr.write(`  第 ${p.line} 行「${p.column}」“${p.value}”：${p.message}\n`);
        if (problems.length > 20) process.stderr.write(`  ……另有 ${problems.length - 20} 处\n`);
      }
      process.exitCode = err.code === 'BAD_REQUEST' ? 2 : err.code === 'UNAUTHENTICATED' || err.code === 'FORBIDDEN' ? 3 : 1;
    }
  };
}

/** Commander leaves unset options as undefined; the contract's strict schemas want them absent. */
export function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
