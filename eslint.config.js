// Lint keeps the layers honest: only electron/main and electron/preload may
// import Electron (anything else must load in Node, tests and the CLI), and the
// renderer reaches the engine only through the contract in shared/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noElectron = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron: the engine, hosts, shared/ and renderer/ must run without it.',
};

// Threads start through engine/start-thread.ts, which gives each the same Node options.
const ownThreads = {
  selector: "NewExpression[callee.name='Worker']",
  message: 'Start worker threads with startThread (electron/engine/start-thread.ts): it drops the TypeScript loader a thread does not need.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.electron-native/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['electron/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Electron's main process relays the contract to the engine thread: it never
    // loads the engine or the store, so the window's thread handles no SQL.
    files: ['electron/main/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/engine/**', 'better-sqlite3'], message: 'electron/main runs no SQL: reach the engine through host/engine-thread (startEngineThread).' }],
      }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/electron/**', '**/electron'], message: 'The renderer talks to the engine only through the contract client (renderer/src/api).' }],
      }],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing above it.' }],
      }],
    },
  },
  {
    files: ['electron/**'],
    ignores: ['electron/engine/start-thread.ts'],
    rules: { 'no-restricted-syntax': ['error', ownThreads] },
  },
  {
    // Every host goes through engine.call: the CLI never reads or writes the store itself.
    files: ['electron/host/cli/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[object.name='engine'][property.name='db']",
        message: 'The CLI reaches the store only through engine.call (the same roles, masking and audit as every host).',
      }, ownThreads],
    },
  },
  {
    // Closing any descriptor of the database file drops every POSIX lock this
    // process holds on it (SQLite's own warning): another program may then delete
    // the WAL under an open connection. The store opens the file only through SQLite.
    files: ['electron/engine/store/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.object.name='fs'][callee.property.name=/^(open|openSync|close|closeSync|readFileSync|readFile|createReadStream|writeFileSync)$/]",
        message: 'Do not open the database file by hand: closing the descriptor drops SQLite\'s locks. Go through SQLite.',
      }, ownThreads],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
