// The app's build ships its job worker as out/main/job-worker.js: it must run a job
// on its own, without tsx.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../electron/engine/event-bus';
import { openStore } from '../../electron/engine/store/open-store';
import { WorkerJobRunner } from '../../electron/host/jobs/worker-runner';
import { writeTextFile } from '../support/files';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';
import { tempDir } from '../support/temp-engine';

describe('the built job worker', () => {
  it('imports a file in a worker thread from out/main/job-worker.js', async () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'w.sqlite');
    openStore(dbPath).close();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 10 } });
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|' });
    const runner = new WorkerJobRunner({ dbPath, workerFile: path.resolve(import.meta.dirname, '../../out/main/job-worker.js') }, new EventBus());
    const fin = await runner.wait(runner.start('import', { path: file }, 'officer-a'));
    expect(fin).toMatchObject({ outcome: 'result', result: { rows: 10, kind: 'tax-premium' } });
    await runner.close();
  });
});
