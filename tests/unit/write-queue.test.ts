// One writer at a time (issue 13): while a 1M-row import holds the write lock in a
// worker thread, an officer's comment and disposition wait their turn and succeed,
// and reads answer at once — the host's thread never blocks on SQLite.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTextFile } from '../support/files';
import { makeCertNo } from '../support/ids';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { firstAdminOverHttp, startWebHost, type WebHost } from '../support/web-host';

let host: WebHost | undefined;
afterAll(async () => host?.kill());

/** A 1M-row tax extract of week 2025-W49, written straight to disk (UTF-8, `|`). */
function bigTaxFile(file: string, rows: number): string {
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, TAX_HEADER.join('|') + '\n');
  const ids = Array.from({ length: 1000 }, (_, i) => makeCertNo('330100', '19800101', i));
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `BIG${String(i).padStart(9, '0')}|T${i}|${ids[i % 1000]}|某人|330100|城乡居民基本医疗保险|2026|380.00|已缴费|20251202|共济账户代缴\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
  return file;
}

describe('writes during a long import', () => {
  it('queues a comment and a disposition behind a 1M-row import; both succeed, reads stay immediate', async () => {
    host = await startWebHost();
    const h = host;
    const { raw, call, job, finished } = await firstAdminOverHttp(h, 'officer');
    const waitFor = async (type: string, args: unknown) => expect(await job(type, args)).toMatchObject({ outcome: 'result' });
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3, LEDGER_ONLY: 2 } });
    await waitFor('import', { path: writeTextFile(path.join(h.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
    await waitFor('import', { path: writeTextFile(path.join(h.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    await waitFor('reconcile', { kind: 'premium', period: '2025-W47' });
    const [b1, b2] = (await call('breaks/list', { kind: 'premium' })).rows;

    const big = bigTaxFile(path.join(h.dir, 'big.txt'), 1_000_000);
    const { jobId } = await call('jobs/start', { type: 'import', args: { path: big } });
    await new Promise((r) => setTimeout(r, 300));
    expect(finished.has(jobId)).toBe(false);
    const comment = raw('breaks/comment', { id: b1.id, text: '导入期间写的批注' });
    const dispose = raw('breaks/dispose', { ids: [b2.id], reason: '挂账', note: '导入期间处理' });
    // Meanwhile a read answers at once: the host's thread is not waiting on SQLite.
    const t = Date.now();
    const page = await call('breaks/list', { kind: 'premium', status: 'all' });
    expect(Date.now() - t).toBeLessThan(1500);
    expect(page.total).toBe(2);
    expect(finished.has(jobId)).toBe(false);
    const [c, d] = await Promise.all([comment, dispose]);
    expect(c, JSON.stringify(c)).toMatchObject({ ok: true, result: { count: 1 } });
    expect(d, JSON.stringify(d)).toMatchObject({ ok: true, result: { count: 1 } });
    // They waited for the import, which had committed whole by the time they ran.
    const batches = await call('imports/list', {});
    expect(batches.find((b: { fileName: string; rows: number }) => b.fileName === 'big.txt')).toMatchObject({ rows: 1_000_000 });
    const detail = await call('breaks/detail', { id: b1.id });
    expect(detail.history.map((e: { action: string }) => e.action)).toContain('comment');
  }, 180_000);
});
