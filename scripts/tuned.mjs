// Runs a command (`npm run web`, `npm run cli`, `npm run bench`) with the memory
// settings the workstation's Node hosts use. On Linux, glibc's malloc is tuned
// (GLIBC_TUNABLES) for a process that reads some 200 MB of stored blocks, each a
// fresh buffer of about 1.6 MB, into memory it then lets go of:
//   glibc.malloc.hugetlb=1          its large blocks are backed by transparent huge pages;
//   glibc.malloc.mmap_threshold=32M a block's buffer comes from that heap, not from a
//                                   mapping of its own (which has 4 KB pages and is
//                                   returned, and faulted in again, block after block);
//   glibc.malloc.trim_threshold=256M memory let go of is kept for the next block rather
//                                   than returned to the system at once;
//   glibc.malloc.arena_max=1        every thread allocates from that one heap. Jobs run in
//                                   worker threads (an import, a match), and a thread's own
//                                   arena gets neither huge pages nor the kept memory: a
//                                   match in a job thread took 175,000 page faults and
//                                   4.5–5.7 s instead of 32,000 and 3.1–3.8 s on the main
//                                   thread. One arena made them alike; the parsing threads
//                                   of an import showed no cost from sharing its lock.
// Where touching a 4 KB page for the first time is dear (about 10–17 µs on the virtual
// machine of the benchmark) that was a fifth to a third of a week's match: 5.0 s became
// 3.9 s with huge pages alone, about 2.4 s with all three (measured alternating runs on
// one store); a ledger import 6–10 % faster. The settings only change how memory is
// obtained, never what is computed; one already set by whoever starts the command
// stands; elsewhere (Windows, macOS, a glibc without the tunables) the command runs as
// it is.
import { spawn } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('用法 usage: node scripts/tuned.mjs <command> [args…]');
  process.exit(2);
}
const env = { ...process.env };
const TUNABLES = ['glibc.malloc.hugetlb=1', 'glibc.malloc.mmap_threshold=33554432', 'glibc.malloc.trim_threshold=268435456', 'glibc.malloc.arena_max=1'];
if (process.platform === 'linux') {
  const set = env.GLIBC_TUNABLES ?? '';
  const added = TUNABLES.filter((t) => !set.split(':').some((s) => s.split('=')[0] === t.split('=')[0]));
  env.GLIBC_TUNABLES = [set, ...added].filter(Boolean).join(':');
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
