// The long tasks, callable in any thread: the worker host runs them off the UI
// thread; the CLI and tests call them directly. Each opens nothing itself: it gets
// the database handle of the thread it runs in.
//
// Each task's code is loaded when a task of its type runs: a job thread starts
// afresh, and loading every task's modules (exceljs for exports, zod for import
// profiles) cost each job half a second before its first step, a match included.
import type { Database } from 'better-sqlite3';
import type { JobArgs, JobResults, JobType } from '../../../shared/contract';
import type { TaskContext } from './job-types';
import type { PiiSearch } from '../breaks/break-filter';

/**
 * Loads the import's and the match's code ahead, for a job thread waiting as a spare
 * (job-worker.ts): the next job then starts at its first step — about 65 ms sooner
 * for an import, 25 ms for a match, measured in a session's second job. The export's
 * code (exceljs, half a second) is left to an export, which is rare.
 */
export async function preloadTaskCode(): Promise<void> {
  await Promise.all([importCode(), matchCode()]);
}

// Each task's code, named once for the task and for the preload above.
const importCode = () => import('../ingest/run-import');
const matchCode = () => import('../match/run-reconcile');

export async function runTask<T extends JobType>(db: Database, type: T, args: JobArgs<T>, ctx: TaskContext): Promise<JobResults[T]> {
  switch (type) {
    case 'import': {
      const { runImport } = await importCode();
      return (await runImport(db, args as JobArgs<'import'>, ctx)) as JobResults[T];
    }
    case 'reconcile': {
      const { runReconcile } = await matchCode();
      return runReconcile(db, args as JobArgs<'reconcile'>, ctx) as JobResults[T];
    }
    case 'export': {
      const { exportView } = await import('../breaks/view-export');
      // The engine chose where the file goes (`out`) and how a search may match
      // personal data (`piiSearch`, from the caller's roles) when the job started: never the caller.
      const a = args as JobArgs<'export'> & { out: string; piiSearch: PiiSearch };
      const r = await exportView(db, a.query, a.format, a.out, ctx.user, ctx, a.piiSearch);
      return { ...r, download: a.out.split(/[\\/]/).pop()! } as JobResults[T];
    }
    default:
      throw new Error(`unknown job type ${String(type)}`);
  }
}
