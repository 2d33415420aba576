// The desktop app: one secure window over the engine. The engine runs here in the
// main process; long jobs run in worker threads with their own connections.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { createEngine, type Engine } from '../engine/engine';
import { WorkerJobRunner } from '../host/jobs/worker-runner';
import { forwardEvents, registerIpc } from './ipc';
import { hardenSession, hardenWindow } from './security';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererFile = path.join(here, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;

function isTrustedUrl(url: string): boolean {
  if (devUrl && url.startsWith(devUrl)) return true;
  return url.startsWith(pathToFileURL(rendererFile).href);
}

/** better-sqlite3 built for Electron's ABI by scripts/prepare-electron-native.mjs. */
function electronNativeBinding(): string | undefined {
  const f = path.join(app.getAppPath(), '.electron-native', 'better_sqlite3.node');
  return fs.existsSync(f) ? f : undefined;
}

let engine: Engine | null = null;

app.enableSandbox();

app.whenReady().then(() => {
  hardenSession(session.defaultSession);
  const dbPath = process.env.GONGJI_DB ?? path.join(app.getPath('userData'), 'workstation.sqlite');
  const nativeBinding = electronNativeBinding();
  engine = createEngine({
    dbPath,
    nativeBinding,
    host: 'electron',
    runner: (_db, bus) => new WorkerJobRunner({ dbPath, nativeBinding, workerFile: path.join(here, 'job-worker.js') }, bus),
  });
  registerIpc(ipcMain, engine, { isTrustedUrl });

  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: '共济对账工作站',
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  hardenWindow(win, isTrustedUrl);
  forwardEvents(engine, { send: (c, p) => win.webContents.send(c, p), isDestroyed: () => win.isDestroyed() });
  win.once('ready-to-show', () => win.show());
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererFile);
});

app.on('window-all-closed', async () => {
  await engine?.close();
  app.quit();
});
