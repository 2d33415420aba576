// A real engine on a real SQLite file in a fresh temp folder, with helpers that
// run jobs to their end the way a host would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../electron/engine/engine';
import type { CallContext, ImportArgs, ReconcileArgs } from '../../shared/contract';
import type { ImportSummary } from '../../shared/import-types';
import type { ReconSummary } from '../../shared/recon-types';
import { EngineError } from '../../shared/errors';

export const ctx: CallContext = { user: 'officer-a', host: 'cli' };

export function tempDir(prefix = 'gongji-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tempEngine(dir = tempDir()): Engine & { dir: string } {
  const engine = createEngine({ dbPath: path.join(dir, 'workstation.sqlite'), host: 'cli' });
  return Object.assign(engine, { dir });
}

async function run<T>(engine: Engine, type: 'import' | 'reconcile', args: unknown): Promise<T> {
  const { jobId } = await engine.call('jobs/start', { type, args }, ctx);
  const fin = await engine.jobs.wait(jobId);
  if (fin.outcome === 'result') return fin.result as T;
  if (fin.outcome === 'cancelled') throw new EngineError('CANCELLED', 'cancelled');
  throw new EngineError(fin.error.code, fin.error.message, fin.error.details);
}

export const importFile = (engine: Engine, args: ImportArgs) => run<ImportSummary>(engine, 'import', args);
export const reconcile = (engine: Engine, args: ReconcileArgs) => run<ReconSummary>(engine, 'reconcile', args);

/** Runs `fn`, expecting an EngineError, and returns it. */
export async function refusal(fn: () => Promise<unknown>): Promise<EngineError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected a refusal, got success');
}

export function storeCounts(engine: Engine) {
  const n = (sql: string) => (engine.db.prepare(sql).get() as { n: number }).n;
  return {
    batches: n('SELECT count(*) n FROM import_batch'),
    rows: n('SELECT count(*) n FROM source_row'),
    audit: n('SELECT count(*) n FROM audit_log'),
  };
}
