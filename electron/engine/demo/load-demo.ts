// Loads the demo files into a workstation: imports each (skipping one already
// imported) and reconciles the demo week and month.
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ReconSummary } from '../../../shared/recon-types';
import { EngineError } from '../../../shared/errors';
import { runImport } from '../ingest/run-import';
import { runReconcile } from '../match/run-reconcile';
import type { TaskContext } from '../jobs/job-types';
import { DEMO_MONTH, DEMO_WEEK, writeDemoFiles } from './demo-files';

export async function loadDemo(db: Database, dir: string, user: string): Promise<{ files: string[]; premium: ReconSummary; settlement: ReconSummary }> {
  const ctx: TaskContext = { user, progress: () => undefined, cancelled: () => false };
  const files = writeDemoFiles(dir);
  for (const file of files) {
    try {
      await runImport(db, { path: file, displayName: path.basename(file) }, ctx);
    } catch (e) {
      if (!(e instanceof EngineError && e.code === 'DUPLICATE_FILE')) throw e;
    }
  }
  return {
    files,
    premium: runReconcile(db, { kind: 'premium', period: DEMO_WEEK }, ctx),
    settlement: runReconcile(db, { kind: 'settlement', period: DEMO_MONTH }, ctx),
  };
}
