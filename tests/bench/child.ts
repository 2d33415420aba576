// One measured step in its own process, so its peak memory is its own:
//   child.ts import DB FILE   |   child.ts reconcile DB KIND PERIOD   |   child.ts open DB
// An import or a match runs as the app runs it: a job in a worker thread of its own
// (WorkerJobRunner, the built job-worker.js), with the host's connection held open.
// Its time runs from the start to the result; the thread then copies its write-ahead
// log into the file (checkpoint.ts), timed apart until the thread has ended.
import fs from 'node:fs';
import path from 'node:path';
import { EventBus } from '../../electron/engine/event-bus';
import { openStore } from '../../electron/engine/store/open-store';
import { WorkerJobRunner } from '../../electron/host/jobs/worker-runner';
import { listBreaks } from '../../electron/engine/breaks/break-query';
import { breakFacets } from '../../electron/engine/breaks/break-query';

const [step, dbPath, a, b] = process.argv.slice(2);
const db = openStore(dbPath!, { skipIntegrityCheck: true });
const started = performance.now();
let seconds = 0;
let checkpointSeconds = 0;
let detail: unknown;
if (step === 'import' || step === 'reconcile') {
  const bus = new EventBus();
  // BENCH_TRACE=1 prints each stage's start time to stderr (where the time goes).
  let lastStage = '';
  bus.on('job/progress', (p) => {
    if (process.env.BENCH_TRACE && p.stage !== lastStage) {
      lastStage = p.stage;
      process.stderr.write(`${((performance.now() - started) / 1000).toFixed(2)} s  ${p.stage}\n`);
    }
  });
  const built = path.join(import.meta.dirname, '../../out/main/job-worker.js');
  const runner = new WorkerJobRunner({ dbPath: dbPath!, workerFile: fs.existsSync(built) ? built : undefined }, bus);
  const t0 = performance.now();
  const fin = await runner.wait(step === 'import' ? runner.start('import', { path: a!, ...(b ? { kind: b as 'tax-premium' } : {}) }, 'bench') : runner.start('reconcile', { kind: a as 'premium', period: b! }, 'bench'));
  seconds = (performance.now() - t0) / 1000;
  await runner.quiet();
  checkpointSeconds = (performance.now() - t0) / 1000 - seconds;
  if (fin.outcome !== 'result') throw new Error(`${step} ended ${fin.outcome}: ${JSON.stringify(fin)}`);
  detail = fin.result;
} else if (step === 'open') {
  // What the workbench asks for when it opens a period: the first page and the type chips.
  const t0 = performance.now();
  const page = listBreaks(db, { kind: 'premium', period: b ?? '2025-W47', offset: 0, limit: 200 }, { mask: true });
  const facets = breakFacets(db, { kind: 'premium', period: b ?? '2025-W47' });
  detail = { total: page.total, first: page.rows.length, facets: facets.filter((f) => f.count).length };
  seconds = (performance.now() - t0) / 1000;
}
db.close();
const r = detail as { rows?: number };
// This process's own peak: VmHWM starts afresh at exec, while getrusage's maxRSS
// carries the parent's high-water mark over from the fork (the parent runs DuckDB).
const vmHwmKb = (() => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]);
  } catch {
    return NaN;
  }
})();
const peakKb = Number.isFinite(vmHwmKb) ? vmHwmKb : process.resourceUsage().maxRSS;
process.stdout.write(JSON.stringify({ seconds, checkpointSeconds, maxRssMB: Math.round(peakKb / 1024), rows: r?.rows, detail: step === 'import' ? undefined : detail }) + '\n');
