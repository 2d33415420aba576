// The engine thread: the one thread of the desktop app that opens the workstation
// database. It builds the engine (with its job threads) and serves contract calls
// posted by the host's thread, posting back replies and every engine event; the
// window's thread (Electron's main process) never runs SQL.
import { parentPort, workerData } from 'node:worker_threads';
import { EVENT_NAMES } from '../../../shared/contract';
import { toErrorData } from '../../../shared/errors';
import { createEngine } from '../../engine/engine';
import { WorkerJobRunner } from '../jobs/worker-runner';
import type { EngineThreadOptions, FromEngine, ToEngine } from './engine-protocol';

const opts = workerData as EngineThreadOptions;
const post = (m: FromEngine) => parentPort!.postMessage(m);

try {
  const engine = createEngine({
    dbPath: opts.dbPath,
    nativeBinding: opts.nativeBinding,
    host: opts.host,
    runner: (_db, bus) => new WorkerJobRunner({ dbPath: opts.dbPath, nativeBinding: opts.nativeBinding, workerFile: opts.jobWorkerFile, spareAtStart: true }, bus),
  });
  for (const name of EVENT_NAMES) engine.bus.on(name, (payload) => post({ t: 'event', name, payload }));
  parentPort!.on('message', (m: ToEngine) => {
    if (m.t === 'close') {
      void engine.close().then(() => post({ t: 'closed' }));
      return;
    }
    engine.call(m.name as never, m.args, m.caller).then(
      (result) => post({ t: 'reply', id: m.id, ok: true, result }),
      (e) => post({ t: 'reply', id: m.id, ok: false, error: toErrorData(e) }),
    );
  });
  post({ t: 'ready' });
} catch (e) {
  post({ t: 'failed', error: toErrorData(e) });
}
