// One measured step in its own process, so its peak memory is its own:
//   child.ts import DB FILE   |   child.ts reconcile DB KIND PERIOD   |   child.ts open DB
import fs from 'node:fs';
import { openStore } from '../../electron/engine/store/open-store';
import { checkpointNow, deferCheckpoints } from '../../electron/engine/store/checkpoint';
import { runImport } from '../../electron/engine/ingest/run-import';
import { runReconcile } from '../../electron/engine/match/run-reconcile';
import { listBreaks } from '../../electron/engine/breaks/break-query';
import { breakFacets } from '../../electron/engine/breaks/break-query';

const [step, dbPath, a, b] = process.argv.slice(2);
const db = openStore(dbPath!, { skipIntegrityCheck: true });
// As a job's thread in the app: the commit leaves the log for after the result (checkpoint.ts), timed apart.
deferCheckpoints(db);
// BENCH_TRACE=1 prints each stage's start time to stderr (where the time goes).
const started = performance.now();
let lastStage = '';
const trace = (_d: number, _t: number, _u: string, stage?: string) => {
  if (process.env.BENCH_TRACE && stage && stage !== lastStage) {
    lastStage = stage;
    process.stderr.write(`${((performance.now() - started) / 1000).toFixed(2)} s  ${stage}\n`);
  }
};
const ctx = { user: 'bench', progress: trace, cancelled: () => false };
const t0 = process.hrtime.bigint();
let detail: unknown;
if (step === 'import') detail = await runImport(db, { path: a!, ...(b ? { kind: b as 'tax-premium' } : {}) }, ctx);
else if (step === 'reconcile') detail = runReconcile(db, { kind: a as 'premium', period: b! }, ctx);
else if (step === 'open') {
  // What the workbench asks for when it opens a period: the first page and the type chips.
  const page = listBreaks(db, { kind: 'premium', period: b ?? '2025-W47', offset: 0, limit: 200 }, { mask: true });
  const facets = breakFacets(db, { kind: 'premium', period: b ?? '2025-W47' });
  detail = { total: page.total, first: page.rows.length, facets: facets.filter((f) => f.count).length };
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const checkpointSeconds = checkpointNow(db).seconds;
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
