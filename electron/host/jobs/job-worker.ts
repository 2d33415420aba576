// A worker thread that runs one long task against its own connection to the
// workstation file (WAL lets the host keep reading meanwhile).
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../engine/store/open-store';
import { runTask } from '../../engine/jobs/run-task';
import { throttledProgress } from '../../engine/jobs/progress';
import { EngineError, toErrorData } from '../../../shared/errors';
import type { JobType } from '../../../shared/contract';
import type { WorkerRequest, WorkerMessage } from './worker-protocol';

const req = workerData as WorkerRequest;
const flag = new Int32Array(req.cancelBuffer);
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

async function main() {
  const db = openStore(req.dbPath, { nativeBinding: req.nativeBinding, skipIntegrityCheck: true });
  try {
    const progress = throttledProgress(req.jobId, req.type as JobType, (p) => post({ t: 'progress', p }));
    const result = await runTask(db, req.type, req.args as never, {
      user: req.user,
      progress,
      cancelled: () => Atomics.load(flag, 0) === 1,
    });
    post({ t: 'result', result });
  } catch (e) {
    if (e instanceof EngineError && e.code === 'CANCELLED') post({ t: 'cancelled' });
    else post({ t: 'error', error: toErrorData(e) });
  } finally {
    db.close();
  }
}

void main();
