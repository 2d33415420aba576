// Runs a command (`npm run web`, `npm run cli`, `npm run bench`) with the memory
// setting the workstation's Node hosts use. On Linux, glibc's malloc is asked to
// back its large blocks with transparent huge pages (GLIBC_TUNABLES
// glibc.malloc.hugetlb=1): a run reads some 200 MB of stored blocks into fresh
// memory, and where touching a 4 KB page for the first time is dear (about 10–17 µs
// on the virtual machine of the benchmark) that was a fifth of a week's match — 5.0 s
// became 3.9 s, a ledger import 6–10 % faster. The setting only changes how memory is
// obtained, never what is computed; elsewhere (Windows, macOS, a glibc without the
// tunable) the command runs as it is.
import { spawn } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('用法 usage: node scripts/tuned.mjs <command> [args…]');
  process.exit(2);
}
const env = { ...process.env };
if (process.platform === 'linux' && !/glibc\.malloc\.hugetlb=/.test(env.GLIBC_TUNABLES ?? '')) {
  env.GLIBC_TUNABLES = [env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':');
}
const child = spawn(cmd, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
// Ctrl-C reaches the command from the terminal itself; a signal sent to this process alone is passed on.
process.on('SIGINT', () => {});
for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('error', (e) => {
  console.error(`无法启动 ${cmd}（cannot start ${cmd}）：${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
