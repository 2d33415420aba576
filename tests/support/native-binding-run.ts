// Runs the desktop app's engine as main starts it (the engine thread, its job threads,
// a match's reading thread), given a build of better-sqlite3 of its own (nativeBinding:
// in the app, the Electron-ABI build): sets up a workstation, imports a week and
// matches it, then prints the database's path and both builds' paths. Which builds
// the process loaded, the caller reads from the dynamic loader's own log (LD_DEBUG;
// a thread's addon is unloaded when the thread ends, so the process's map at the end
// does not show it). A process of its own, so that nothing else loads either build.
//
//   native-binding-run.ts DIR
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startEngineThread } from '../../electron/host/engine-thread/remote-engine';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from './premium-generator';
import { writeTextFile } from './files';
import { PASSWORD } from './temp-engine';

const dir = process.argv[2]!;
// The build the app would pass: here a copy of the one in node_modules, under another path.
const shipped = path.join(path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const own = path.join(dir, 'app-build', 'better_sqlite3.node');
fs.mkdirSync(path.dirname(own), { recursive: true });
fs.copyFileSync(shipped, own);

const dbPath = path.join(dir, 'w.sqlite');
const engine = await startEngineThread({ dbPath, host: 'electron', nativeBinding: own });
try {
  const { session } = await engine.call('auth/setup', { name: 'admin', displayName: '管理员', password: PASSWORD }, { host: 'electron' });
  const caller = { host: 'electron' as const, session };
  const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 2000, LEDGER_ONLY: 20, EXTERNAL_ONLY: 20 } });
  const files = [writeTextFile(path.join(dir, 'l.csv'), LEDGER_HEADER, g.ledger), writeTextFile(path.join(dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' })];
  const finished = new Map<string, string>();
  engine.bus.on('job/finished', (p) => finished.set(p.jobId, p.outcome));
  const run = async (type: 'import' | 'reconcile', args: unknown) => {
    const { jobId } = await engine.call('jobs/start', { type, args } as never, caller);
    while (!finished.has(jobId)) await new Promise((r) => setTimeout(r, 20));
    if (finished.get(jobId) !== 'result') throw new Error(`${type} ended ${finished.get(jobId)}`);
  };
  for (const f of files) await run('import', { path: f });
  await run('reconcile', { kind: 'premium', period: '2025-W47' });
} finally {
  await engine.close();
}
process.stdout.write(JSON.stringify({ dbPath, own, shipped }) + '\n');
