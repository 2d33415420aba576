// The measured steps of one session, in one process, as the app runs them: the
// engine's process holds its connection to the store, and each import or match is
// a job in a worker thread of its own (WorkerJobRunner, the built job-worker.js),
// one after another. The process lives as long as the session, as the app's does, so
// a step finds the memory the steps before it let go of (glibc keeps it, see
// scripts/tuned.mjs); each session is a process of its own.
//
//   child.ts DB '[["import", FILE], ["import", FILE], ["reconcile", KIND, PERIOD], ["open", KIND, PERIOD]]' [--pipeline]
//
// A step ["reconcile-rolled-back", KIND, PERIOD] runs the match in this process's own
// thread and rolls it back at its end (its COMMIT becomes a ROLLBACK), so the store is
// left as it was and the same match can be run again by the next process: run.ts
// alternates week 1's match and a late week's this way, each in a fresh process, to
// compare the two side by side (a week's own session cannot be run twice).
//
// --pipeline starts each step at the one before's result, as the app lets an officer
// do: the step before's thread copies its log into the file meanwhile, beside the
// step's own work. Then no step has a `checkpointSeconds` of its own, and the last
// line's `total` runs from the first step's start until every job's thread has ended.
//
// Prints one JSON line: per step, its time to the result (`seconds`), the copy of its
// write-ahead log into the file the job's thread makes after it (`checkpointSeconds`,
// until the thread has ended), and the process's peak memory during the step
// (`maxRssMB`: the high-water mark, reset to the current size before the step, so it
// counts what the process already held), and the CPU the process spent until the
// result (`cpu`: all its threads, in user code and in the kernel, and the page
// faults taken: on a virtual machine a page the host has taken back costs a
// millisecond and more per 2 MB the next time it is touched, and this kernel time
// shows when a step's time went there rather than into its own work).
import fs from 'node:fs';
import path from 'node:path';
import { EventBus } from '../../electron/engine/event-bus';
import { openStore } from '../../electron/engine/store/open-store';
import { WorkerJobRunner } from '../../electron/host/jobs/worker-runner';
import { listBreaks } from '../../electron/engine/breaks/break-query';
import { breakFacets } from '../../electron/engine/breaks/break-query';
import { runReconcile } from '../../electron/engine/match/run-reconcile';

type Step = ['import', string, string?] | ['reconcile', string, string] | ['reconcile-rolled-back', string, string] | ['open', string, string];
const [dbPath, stepsJson, mode] = process.argv.slice(2);
const pipeline = mode === '--pipeline';
const steps = JSON.parse(stepsJson!) as Step[];
const db = openStore(dbPath!, { skipIntegrityCheck: true });
const bus = new EventBus();
// BENCH_TRACE=1 prints each stage's start time to stderr (where the time goes).
let started = performance.now();
let lastStage = '';
const trace = (stage: string) => {
  if (process.env.BENCH_TRACE && stage !== lastStage) {
    lastStage = stage;
    process.stderr.write(`${((performance.now() - started) / 1000).toFixed(2)} s  ${stage}\n`);
  }
};
bus.on('job/progress', (p) => trace(p.stage));
const built = path.join(import.meta.dirname, '../../out/main/job-worker.js');
// As the hosts start it (spareAtStart): the workstation opens some time before its first
// import, so that import finds a job thread started and its code loaded, as every later
// job does (one is started when a job ends); the session is timed from there.
const runner = new WorkerJobRunner({ dbPath: dbPath!, workerFile: fs.existsSync(built) ? built : undefined, spareAtStart: true }, bus);
for (const end = Date.now() + 30_000; !runner.spareReady && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));

/** The peak since the last reset (Linux: VmHWM, reset through clear_refs); elsewhere the process's peak so far. */
const peak = {
  reset(): void {
    try {
      fs.writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      // Not Linux: the figure is the process's peak so far.
    }
  },
  mb(): number {
    try {
      return Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024);
    } catch {
      return Math.round(process.resourceUsage().maxRSS / 1024);
    }
  },
};

const results: unknown[] = [];
const sessionStart = performance.now();
for (const step of steps) {
  peak.reset();
  started = performance.now();
  lastStage = '';
  let seconds = 0;
  let checkpointSeconds = 0;
  let detail: unknown;
  const cpu0 = process.resourceUsage();
  let cpu1 = cpu0;
  if (step[0] === 'open') {
    // What the workbench asks for when it opens a period: the first page and the type chips.
    const page = listBreaks(db, { kind: step[1] as 'premium', period: step[2], offset: 0, limit: 200 }, { mask: true });
    const facets = breakFacets(db, { kind: step[1] as 'premium', period: step[2] });
    detail = { total: page.total, first: page.rows.length, facets: facets.filter((f) => f.count).length };
    seconds = (performance.now() - started) / 1000;
    cpu1 = process.resourceUsage();
  } else if (step[0] === 'reconcile-rolled-back') {
    const runs = () => db.prepare('SELECT count(*) FROM recon_run').pluck().get() as number;
    const before = runs();
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => exec(sql === 'COMMIT' ? 'ROLLBACK' : sql);
    try {
      detail = runReconcile(db, { kind: step[1] as 'premium', period: step[2] }, { user: 'bench', progress: (_done, _total, _unit, stage) => trace(stage), cancelled: () => false });
    } finally {
      db.exec = exec;
    }
    seconds = (performance.now() - started) / 1000;
    cpu1 = process.resourceUsage();
    if (runs() !== before) throw new Error('reconcile-rolled-back: the run was not rolled back');
  } else {
    const id = step[0] === 'import' ? runner.start('import', { path: step[1], ...(step[2] ? { kind: step[2] as 'tax-premium' } : {}) }, 'bench') : runner.start('reconcile', { kind: step[1] as 'premium', period: step[2] }, 'bench');
    const fin = await runner.wait(id);
    seconds = (performance.now() - started) / 1000;
    cpu1 = process.resourceUsage();
    if (!pipeline) {
      await runner.quiet();
      checkpointSeconds = (performance.now() - started) / 1000 - seconds;
    }
    if (fin.outcome !== 'result') throw new Error(`${step[0]} ended ${fin.outcome}: ${JSON.stringify(fin)}`);
    detail = fin.result;
  }
  const rows = (detail as { rows?: number }).rows;
  const cpu = { user: (cpu1.userCPUTime - cpu0.userCPUTime) / 1e6, kernel: (cpu1.systemCPUTime - cpu0.systemCPUTime) / 1e6, faults: cpu1.minorPageFault - cpu0.minorPageFault };
  results.push({ seconds, checkpointSeconds, maxRssMB: peak.mb(), cpu, rows, detail: step[0] === 'import' ? undefined : detail });
}
// Until every job's thread has ended (in a pipeline, the last log copies with it).
await runner.quiet();
const total = (performance.now() - sessionStart) / 1000;
await runner.close();
db.close();
// The store on disk before the next session is timed (untimed here): left to the
// kernel, its write-back came some 30 s later, in the middle of the next week's work.
for (const f of [dbPath!, `${dbPath}-wal`]) {
  if (!fs.existsSync(f)) continue;
  const fd = fs.openSync(f, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}
process.stdout.write(JSON.stringify(pipeline ? { steps: results, total } : results) + '\n');
