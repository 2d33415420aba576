// `npm run web`: the workstation in a browser, for headless machines and the
// end-to-end tests. Options: --port N (default: a free port), --db FILE.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEngine } from '../engine/engine';
import { WorkerJobRunner } from './jobs/worker-runner';
import { startHttpHost } from './http/http-host';
import { defaultDbPath } from './default-paths';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    db: { type: 'string' },
    token: { type: 'string' },
    renderer: { type: 'string' },
  },
});

// `npm run web` builds first: the parsing threads of imports and the reading thread
// of a match run the built files, as in the app, instead of compiling the
// TypeScript sources in each thread.
for (const [variable, file] of [
  ['GONGJI_PARSE_WORKER_FILE', 'parse-worker.js'],
  ['GONGJI_BLOCK_READER_FILE', 'block-reader.js'],
] as const) {
  const built = path.resolve(here, '../../out/main', file);
  if (!process.env[variable] && fs.existsSync(built)) process.env[variable] = built;
}

const dbPath = values.db ?? process.env.GONGJI_DB ?? defaultDbPath();
const engine = createEngine({
  dbPath,
  host: 'http',
  runner: (_db, bus) => new WorkerJobRunner({ dbPath, spareAtStart: true }, bus),
});
const host = await startHttpHost({
  engine,
  rendererDir: values.renderer ?? path.resolve(here, '../../out/renderer'),
  port: values.port ? Number(values.port) : Number(process.env.GONGJI_PORT ?? 0),
  token: values.token ?? process.env.GONGJI_TOKEN,
});
process.stderr.write(`共济对账工作站（浏览器模式）数据库：${dbPath}\n`);
process.stderr.write(`请在浏览器中打开：\n`);
// The one line on stdout: tests and scripts read the address from it.
process.stdout.write(`${host.openUrl}\n`);

const stop = async () => {
  await host.close();
  await engine.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
