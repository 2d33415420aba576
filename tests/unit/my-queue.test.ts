// An officer's queue: the open breaks assigned to them, counted wherever they are in
// the app, with who last gave them one (breaks/my-queue.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, reconcile, signIn, tempEngine } from '../support/temp-engine';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';

describe('my queue', () => {
  it('counts the open breaks given to the signed-in officer, names who last gave one, and follows disposal and reassignment', async () => {
    const e = await tempEngine();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 3, LEDGER_ONLY: 3, EXTERNAL_ONLY: 2 } });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, g.ledger) });
    await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, g.tax, { delimiter: '|' }) });
    await reconcile(e, { kind: 'premium', period: '2025-W47' });
    const lead = await signIn(e, 'lead', ['officer']);
    const clerk = await signIn(e, 'clerk', ['officer']);
    const auditor = await signIn(e, 'auditor-a', ['auditor']);
    const ids = (await e.call('breaks/list', { kind: 'premium', period: '2025-W47' }, lead)).rows.map((r) => r.id);
    expect(ids.length).toBe(5);
    const empty = { open: 0, byKind: [], latest: null };
    expect(await e.call('breaks/queue', {}, clerk)).toEqual(empty);

    // The clerk takes one; later the lead gives them two more.
    await e.call('breaks/assign', { ids: [ids[0]!], to: 'clerk' }, clerk);
    expect(await e.call('breaks/queue', {}, clerk)).toEqual({ open: 1, byKind: [{ kind: 'premium', count: 1 }], latest: null });
    await e.call('breaks/assign', { ids: [ids[1]!, ids[2]!], to: 'clerk' }, lead);
    const q = await e.call('breaks/queue', {}, clerk);
    expect(q).toEqual({ open: 3, byKind: [{ kind: 'premium', count: 3 }], latest: { at: expect.any(String), by: 'lead', kind: 'premium' } });
    expect(Date.now() - Date.parse(q.latest!.at)).toBeLessThan(60_000);
    // Not the lead's, nor an auditor's, who work no queue.
    expect(await e.call('breaks/queue', {}, lead)).toEqual(empty);
    expect(await e.call('breaks/queue', {}, auditor)).toEqual(empty);

    // A disposed break leaves the queue; so does one given to someone else.
    await e.call('breaks/dispose', { ids: [ids[1]!], reason: '补记', note: '' }, clerk);
    expect((await e.call('breaks/queue', {}, clerk)).open).toBe(2);
    await e.call('breaks/assign', { ids: [ids[2]!], to: 'lead' }, lead);
    const after = await e.call('breaks/queue', {}, clerk);
    // The one the lead gave and still stands is gone: what is left the clerk took themselves.
    expect(after).toEqual({ open: 1, byKind: [{ kind: 'premium', count: 1 }], latest: null });
    expect((await e.call('breaks/queue', {}, lead)).open).toBe(1);

    // Read through the index of assigned breaks, which a run's new breaks never enter.
    const plan = e.db.prepare("EXPLAIN QUERY PLAN SELECT kind, count(*) FROM recon_break WHERE assignee = ? AND status = 'open' GROUP BY kind").all('clerk') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('recon_break_assigned');
    await e.close();
  });
});
