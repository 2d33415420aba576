// A real engine on a real SQLite file in a fresh temp folder, with helpers that
// run jobs to their end the way a host would.
import { materializeRows } from '../../electron/engine/rowstore/row-view';
import { IMPORT_KINDS } from '../../shared/domain';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine, type EngineOptions } from '../../electron/engine/engine';
import type { Caller, ImportArgs, ReconcileArgs } from '../../shared/contract';
import type { Role } from '../../shared/roles';
import type { ImportSummary } from '../../shared/import-types';
import type { ReconSummary } from '../../shared/recon-types';
import { EngineError } from '../../shared/errors';

export const PASSWORD = 'Passw0rd-2025';

/** The folders tempDir made and not yet removed (one list per process: each test file's copy of this module shares it). */
const made = ((globalThis as { gongjiTempDirs?: string[] }).gongjiTempDirs ??= []);

/**
 * A fresh folder under the system's temporary folder, removed after its test file
 * (tests/support/remove-temp-dirs.ts; GONGJI_KEEP_TEMP=1 keeps them to look at): a
 * full run makes some 2 GB of workstation files, and left behind they had filled a
 * developer's disk.
 */
export function tempDir(prefix = 'gongji-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the folders tempDir made so far (unless GONGJI_KEEP_TEMP is set). */
export function removeTempDirs(): void {
  if (process.env.GONGJI_KEEP_TEMP) return;
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export type TestEngine = Engine & { dir: string; caller: Caller };

/**
 * A fresh workstation whose first administrator `officer-a` is signed in. While
 * it is the only account it holds every role, as a new database's first user does.
 * `runner`: how its jobs run (inline when omitted, as the CLI runs them).
 */
export async function tempEngine(dir = tempDir(), runner?: EngineOptions['runner']): Promise<TestEngine> {
  const engine = createEngine({ dbPath: path.join(dir, 'workstation.sqlite'), host: 'cli', runner });
  const { session } = await engine.call('auth/setup', { name: 'officer-a', displayName: '对账员甲', password: PASSWORD }, { host: 'cli' });
  return Object.assign(engine, { dir, caller: { host: 'cli' as const, session } });
}

/** Adds an account with the given roles and signs it in. */
export async function signIn(engine: TestEngine, name: string, roles: Role[]): Promise<Caller> {
  await engine.call('users/create', { name, displayName: name, roles, password: PASSWORD }, engine.caller);
  const { session } = await engine.call('auth/login', { name, password: PASSWORD }, { host: 'cli' });
  return { host: 'cli', session };
}

async function run<T>(engine: TestEngine, type: 'import' | 'reconcile', args: unknown): Promise<T> {
  const { jobId } = await engine.call('jobs/start', { type, args }, engine.caller);
  const fin = await engine.jobs.wait(jobId);
  if (fin.outcome === 'result') return fin.result as T;
  if (fin.outcome === 'cancelled') throw new EngineError('CANCELLED', 'cancelled');
  throw new EngineError(fin.error.code, fin.error.message, fin.error.details);
}

export const importFile = (engine: TestEngine, args: ImportArgs) => run<ImportSummary>(engine, 'import', args);
export const reconcile = (engine: TestEngine, args: ReconcileArgs) => run<ReconSummary>(engine, 'reconcile', args);

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
    rows: n('SELECT coalesce(sum(n), 0) n FROM row_block'),
    audit: n('SELECT count(*) n FROM audit_log'),
  };
}

/** Every stored row as temp.source_row (one SQL row each), for tests that look at what an import stored. */
export function viewStoredRows(engine: Engine): void {
  materializeRows(engine.db, [{ kinds: IMPORT_KINDS }]);
}
