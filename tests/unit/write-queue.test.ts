// One writer at a time (issue 13): while a 1M-row import holds the write lock in a
// worker thread, an officer's comment and disposition wait their turn and succeed,
// and reads answer at once — the host's thread never blocks on SQLite.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTextFile } from '../support/files';
import { makeCertNo } from '../support/ids';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { PASSWORD } from '../support/temp-engine';
import { startWebHost, type WebHost } from '../support/web-host';

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
    const base = { 'x-gongji-token': h.token, 'content-type': 'application/json' };
    const setup = await fetch(`${h.url}/api/call/auth/setup`, { method: 'POST', headers: base, body: JSON.stringify({ name: 'officer', displayName: '对账员', password: PASSWORD }) });
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    const raw = (name: string, args: unknown) => fetch(`${h.url}/api/call/${name}`, { method: 'POST', headers: { ...base, cookie }, body: JSON.stringify(args) }).then((r) => r.json());
    const call = async (name: string, args: unknown) => {
      const r = await raw(name, args);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      return r.result;
    };
    const waitFor = async (jobId: string) => {
      while (!finished.has(jobId)) await new Promise((r) => setTimeout(r, 50));
    };
    const finished = new Set<string>();
    // The host's event stream says when each job ends.
    const events = await fetch(`${h.url}/api/events`, { headers: { ...base, cookie } });
    void (async () => {
      const reader = events.body!.getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += new TextDecoder().decode(value);
        for (const m of buf.matchAll(/event: job\/finished\ndata: (.+)\n/g)) finished.add(JSON.parse(m[1]!).jobId);
      }
    })().catch(() => undefined); // the stream ends when the host is killed

    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3, LEDGER_ONLY: 2 } });
    await waitFor((await call('jobs/start', { type: 'import', args: { path: writeTextFile(path.join(h.dir, 'l.csv'), LEDGER_HEADER, g.ledger) } })).jobId);
    await waitFor((await call('jobs/start', { type: 'import', args: { path: writeTextFile(path.join(h.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) } })).jobId);
    await waitFor((await call('jobs/start', { type: 'reconcile', args: { kind: 'premium', period: '2025-W47' } })).jobId);
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
    // They waited for the import, which finished whole.
    expect(finished.has(jobId)).toBe(true);
    const batches = await call('imports/list', {});
    expect(batches.find((b: { fileName: string; rows: number }) => b.fileName === 'big.txt')).toMatchObject({ rows: 1_000_000 });
    const detail = await call('breaks/detail', { id: b1.id });
    expect(detail.history.map((e: { action: string }) => e.action)).toContain('comment');
  }, 180_000);
});
