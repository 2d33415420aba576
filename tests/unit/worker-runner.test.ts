// Job threads start a job ahead (worker-runner.ts): when a job ends (and, asked, when
// the runner starts), a spare thread loads the job code and waits, so the next job
// skips the thread's start. A spare holds nothing open and never stands in the way of closing.
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EventBus } from '../../electron/engine/event-bus';
import { openStore } from '../../electron/engine/store/open-store';
import { WorkerJobRunner } from '../../electron/host/jobs/worker-runner';
import { writeTextFile } from '../support/files';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';
import { tempDir } from '../support/temp-engine';

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('job threads started ahead', () => {
  it('runs the next job on the thread started when the last one ended, and ends its spare on close', async () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'w.sqlite');
    openStore(dbPath).close();
    const runner = new WorkerJobRunner({ dbPath }, new EventBus());
    onTestFinished(() => runner.close());
    const file = (n: number) => writeTextFile(path.join(dir, `tax-${n}.txt`), TAX_HEADER, generatePremium({ monday: '2025-11-17', counts: { MATCHED: 5 }, seed: n }).tax, { delimiter: '|' });

    expect(runner.hasSpare).toBe(false);
    expect(await runner.wait(runner.start('import', { path: file(1) }, 'officer-a'))).toMatchObject({ outcome: 'result', result: { rows: 5 } });
    // The first job's own thread, then a spare for the next, which loads the import's
    // and the match's code while it waits.
    await until(() => runner.hasSpare);
    expect(runner.threadsStarted).toBe(2);
    await until(() => runner.spareReady, 30_000);

    const second = runner.start('import', { path: file(2) }, 'officer-a');
    // Taken: no thread started for it.
    expect(runner.hasSpare).toBe(false);
    expect(runner.threadsStarted).toBe(2);
    expect(await runner.wait(second)).toMatchObject({ outcome: 'result', result: { rows: 5 } });
    await until(() => runner.hasSpare);
    expect(runner.threadsStarted).toBe(3);

    // A cancelled job on a spare thread is cancelled like any other.
    const third = runner.start('reconcile', { kind: 'premium', period: '2025-W47' }, 'officer-a');
    runner.cancel(third);
    expect((await runner.wait(third)).outcome).toBe('cancelled');

    await runner.quiet();
    await runner.close();
    expect(runner.hasSpare).toBe(false);
    expect(runner.spareReady).toBe(false);
    const db = openStore(dbPath);
    expect(db.prepare('SELECT count(*) FROM import_batch').pluck().get()).toBe(2);
    db.close();
  });

  it('starts a spare at once when asked (as the hosts do), so the first job finds its thread loaded', async () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'w.sqlite');
    openStore(dbPath).close();
    const runner = new WorkerJobRunner({ dbPath, spareAtStart: true }, new EventBus());
    onTestFinished(() => runner.close());
    expect(runner.hasSpare).toBe(true);
    expect(runner.threadsStarted).toBe(1);
    await until(() => runner.spareReady, 30_000);
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3 }, seed: 7 }).tax, { delimiter: '|' });
    const first = runner.start('import', { path: file }, 'officer-a');
    // Taken: no thread started for the first job.
    expect(runner.threadsStarted).toBe(1);
    expect(await runner.wait(first)).toMatchObject({ outcome: 'result', result: { rows: 3 } });
    // A spare started at once holds nothing open: closing does not wait for a job.
    await runner.quiet();
    await runner.close();
    expect(runner.hasSpare).toBe(false);
  });
});
