// The desktop app: one secure window over the engine. The engine runs in a thread
// of its own that owns the database (its long jobs in further worker threads);
// this main process only relays the contract between the window and that thread,
// so the window never waits on SQLite.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { startEngineThread, type RemoteEngine } from '../host/engine-thread/remote-engine';
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

let engine: RemoteEngine | null = null;

app.enableSandbox();

app.whenReady().then(async () => {
  hardenSession(session.defaultSession);
  const dbPath = process.env.GONGJI_DB ?? path.join(app.getPath('userData'), 'workstation.sqlite');
  const nativeBinding = electronNativeBinding();
  engine = await startEngineThread({
    dbPath,
    nativeBinding,
    host: 'electron',
    threadFile: path.join(here, 'engine-thread.js'),
    jobWorkerFile: path.join(here, 'job-worker.js'),
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
