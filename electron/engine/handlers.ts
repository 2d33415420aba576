// Every contract call's handler, in one map the compiler checks against shared/contract.ts.
// Handlers stay thin: each delegates to the module that owns the concept.
import type { Handlers } from '../../shared/contract';
import type { Engine } from './engine';
import { listBatches, withdrawBatch } from './ingest/batches';
import { previewFile } from './ingest/preview';
import { listRuns } from './match/runs';
import { listBreaks } from './match/break-query';
import pkg from '../../package.json';

export function makeHandlers(engine: Engine): Handlers {
  const { db } = engine;
  return {
    'workstation/info': (_a, ctx) => ({
      product: pkg.productName,
      version: pkg.version,
      dbPath: engine.dbPath,
      schemaVersion: engine.schemaVersion(),
      host: ctx.host,
      user: ctx.user,
    }),
    'imports/list': (a) => listBatches(db, a),
    'imports/preview': (a) => previewFile(db, a.path, { kind: a.kind, encoding: a.encoding }),
    'imports/withdraw': (a, ctx) => withdrawBatch(db, a.batchId, a.reason, ctx.user),
    'jobs/start': (a, ctx) => ({ jobId: engine.jobs.start(a.type, a.args as never, ctx.user) }),
    'jobs/cancel': (a) => ({ cancelled: engine.jobs.cancel(a.jobId) }),
    'recon/runs': (a) => listRuns(db, a),
    'breaks/list': (a) => listBreaks(db, a),
  };
}
