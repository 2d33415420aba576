// Starts `npm run web`'s host (the built renderer + the contract on 127.0.0.1) as
// a child process on a fresh database, and reads the tokened address it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface WebHost {
  url: string;
  openUrl: string;
  token: string;
  dbPath: string;
  dir: string;
  pid: number;
  /** Ends the host at once (SIGKILL), as a crash or a killed process would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

export async function startWebHost(opts: { dbPath?: string } = {}): Promise<WebHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongji-e2e-'));
  const dbPath = opts.dbPath ?? path.join(dir, 'workstation.sqlite');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'electron/host/web-main.ts'), '--db', dbPath],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const openUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('http://127.0.0.1:'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.on('exit', (code) => reject(new Error(`web host exited ${code}: ${stderr}`)));
  });
  const u = new URL(openUrl);
  return {
    url: u.origin,
    openUrl,
    token: u.searchParams.get('token')!,
    dbPath,
    dir,
    pid: child.pid!,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await done;
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
    },
  };
}
