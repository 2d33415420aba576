// The launcher of the Node hosts (scripts/tuned.mjs): the command runs with glibc's
// malloc tuned on Linux (huge pages, large blocks kept, one arena for every thread), keeps any tunables already set, and its exit
// code and signal are the launcher's own (npm and scripts see what the command did).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const launcher = path.join(__dirname, '../../scripts/tuned.mjs');
/** Transparent huge pages given to memory that asks for them (the kernel's `always` or `madvise`). */
function hugePagesOnRequest(): boolean {
  try {
    return /\[(always|madvise)\]/.test(fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));
  } catch {
    return false;
  }
}
const run = (code: string, env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [launcher, process.execPath, '-e', code], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: '', ...env } });

describe('scripts/tuned.mjs', () => {
  it.runIf(process.platform === 'linux')('runs the command with huge-page malloc that keeps its large blocks, in one arena for all threads, keeping tunables already set', () => {
    const ours = 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456:glibc.malloc.arena_max=1';
    expect(run('console.log(process.env.GLIBC_TUNABLES)').stdout.trim()).toBe(ours);
    expect(run('console.log(process.env.GLIBC_TUNABLES)', { GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' }).stdout.trim()).toBe(`glibc.malloc.tcache_count=0:${ours}`);
    // A choice made by whoever started it stands, the others are added.
    expect(run('console.log(process.env.GLIBC_TUNABLES)', { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }).stdout.trim()).toBe(
      'glibc.malloc.hugetlb=0:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456:glibc.malloc.arena_max=1',
    );
    expect(run('console.log(process.env.GLIBC_TUNABLES)', { GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=0:glibc.malloc.arena_max=4' }).stdout.trim()).toBe(
      'glibc.malloc.trim_threshold=0:glibc.malloc.arena_max=4:glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432',
    );
  });

  // Jobs run in worker threads. A thread given an arena of its own got its buffers in
  // 4 KB pages, each faulted in on first touch (some 39,000 faults for these 160 MB);
  // from the one huge-page heap they take a few hundred.
  it.runIf(process.platform === 'linux' && hugePagesOnRequest())('gives a worker thread the huge pages too (as the blocks a job thread reads)', () => {
    const r = spawnSync(process.execPath, [launcher, process.execPath, path.join(__dirname, '../support/thread-page-faults.mjs')], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: '' } });
    expect(r.status, r.stderr).toBe(0);
    const { faults, megabytes } = JSON.parse(r.stdout) as { faults: number; megabytes: number };
    expect(megabytes).toBeGreaterThanOrEqual(160);
    expect(faults).toBeLessThan(5000);
  });

  it('ends as the command ended: its exit code, its signal, or a refusal naming a command that does not exist', () => {
    expect(run('process.exit(7)').status).toBe(7);
    expect(run("process.kill(process.pid, 'SIGTERM')").signal).toBe('SIGTERM');
    const missing = spawnSync(process.execPath, [launcher, 'no-such-command-gongji'], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('无法启动 no-such-command-gongji');
    expect(spawnSync(process.execPath, [launcher], { encoding: 'utf8' }).status).toBe(2);
  });
});
