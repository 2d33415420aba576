// A worker thread that runs one long task against its own connection to the
// workstation file (WAL lets the host keep reading meanwhile). Its commit does
// not copy the write-ahead log into the file; it reports the task's end first and
// copies the log afterwards, while the officer already has the result (checkpoint.ts).
// The runner starts each thread a job ahead, as a spare that loads this code and
// waits for its job by message (worker-runner.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../engine/store/open-store';
import { checkpointNow, deferCheckpoints } from '../../engine/store/checkpoint';
import { preloadTaskCode, runTask } from '../../engine/jobs/run-task';
import { throttledProgress } from '../../engine/jobs/progress';
import { EngineError, toErrorData } from '../../../shared/errors';
import type { JobType } from '../../../shared/contract';
import type { JobMessage, WorkerMessage, WorkerRequest } from './worker-protocol';

const post = (m: WorkerMessage) => parentPort!.postMessage(m);

async function main(req: WorkerRequest) {
  const flag = new Int32Array(req.cancelBuffer);
  const db = openStore(req.dbPath, { nativeBinding: req.nativeBinding, skipIntegrityCheck: true });
  deferCheckpoints(db);
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
    // After the end is reported (the host counts this thread until it exits).
    try {
      checkpointNow(db);
    } catch {
      // Left to the next connection's automatic checkpoint: nothing committed depends on it.
    }
    db.close();
  }
}

// Its job comes by message: at once, or after it waited as a spare (worker-runner.ts).
let taken = false;
parentPort!.once('message', (m: JobMessage) => {
  taken = true;
  void main(m.req);
});
// A thread with no job yet is a spare: it loads the import's and the match's code while
// it waits (a job that comes meanwhile waits for the same loading), and says so in the
// flag the runner gave it — not by message: a listener the runner added to a spare and
// removed again when it gave the spare its job held back the job's own messages until
// the thread ended, its result among them (0.4 s late after a million-row import).
const readyFlag = (workerData as { ready?: SharedArrayBuffer } | null)?.ready;
setImmediate(() => {
  if (taken) return;
  preloadTaskCode().then(
    () => {
      if (readyFlag) Atomics.store(new Int32Array(readyFlag), 0, 1);
    },
    // Left to the job, which loads the code again and reports what went wrong.
    () => undefined,
  );
});
