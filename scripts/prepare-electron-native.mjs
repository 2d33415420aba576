// Builds better-sqlite3 for Electron's ABI into .electron-native/, leaving the copy
// in node_modules (built for Node, used by tests and the CLI) untouched. The app
// loads this one through better-sqlite3's `nativeBinding` option. Runs before
// `npm start` and `npm run dist`; needs a connected machine the first time
// (a prebuilt binary, or Electron's headers to compile against).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, '.electron-native');
const target = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'stamp.json');

const electronVersion = require('electron/package.json').version;
const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = require('better-sqlite3/package.json').version;
const stamp = { electron: electronVersion, betterSqlite3: sqliteVersion, arch: process.arch, platform: process.platform };

if (fs.existsSync(target) && fs.existsSync(stampFile) && JSON.stringify(JSON.parse(fs.readFileSync(stampFile, 'utf8'))) === JSON.stringify(stamp)) {
  process.exit(0);
}

console.error(`为 Electron ${electronVersion} 构建 better-sqlite3 ${sqliteVersion}（仅首次）……`);
const work = path.join(outDir, 'work');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const pkgCopy = path.join(work, 'better-sqlite3');
fs.cpSync(sqliteDir, pkgCopy, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`) });

const run = (cmd, args) => execFileSync(cmd, args, { cwd: pkgCopy, stdio: 'inherit', env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion } });
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
try {
  run(bin('prebuild-install'), ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`]);
} catch {
  console.error('没有现成的预编译包，改为从源码编译（需要 Python 和 C++ 编译器）……');
  try {
    run(bin('node-gyp'), ['rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers']);
  } catch (e) {
    console.error(`无法为 Electron 构建 better-sqlite3：${e.message}\n浏览器模式（npm run web）不需要这一步。`);
    process.exit(1);
  }
}
fs.copyFileSync(path.join(pkgCopy, 'build', 'Release', 'better_sqlite3.node'), target);
fs.writeFileSync(stampFile, JSON.stringify(stamp));
fs.rmSync(work, { recursive: true, force: true });
console.error(`完成：${path.relative(root, target)}`);
