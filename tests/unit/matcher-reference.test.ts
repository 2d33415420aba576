// The fast matcher (typed arrays, key hashing over block bytes) checked against a
// plain reference written straight from the rules with Maps (issue 19): on random
// weeks of orders — splits, refunds, reversals, duplicates on either side, status
// and 险种 differences, records in the closing window — both must give the same
// classification and the same amounts for every key, and the run must tie out.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeTextFile } from '../support/files';
import { LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';
import { makeCertNo } from '../support/ids';
import { importFile, reconcile, tempEngine } from '../support/temp-engine';

interface Order {
  fen: number;
  parts: number;
  /** The 医保 side: paid; paid then refunded or reversed in full; nothing. */
  ledger: 'paid' | 'refund' | 'reverse' | 'none';
  /** The tax side: the same amount, another amount, the amount in two rows, nothing. */
  tax: 'same' | 'other' | 'split' | 'none';
  taxStatus: 'paid' | 'refunded' | 'unpaid';
  otherFen: number;
  otherInsutype: boolean;
  day: number;
  hour: number;
  dupLedger: boolean;
  dupTax: boolean;
}

const rare = fc.integer({ min: 0, max: 9 }).map((n) => n === 0);
const order = fc
  .record({
    fen: fc.integer({ min: 300, max: 200_000 }),
    parts: fc.integer({ min: 1, max: 3 }),
    ledger: fc.constantFrom<Order['ledger']>('paid', 'paid', 'paid', 'refund', 'reverse', 'none'),
    tax: fc.constantFrom<Order['tax']>('same', 'same', 'same', 'other', 'split', 'none'),
    taxStatus: fc.constantFrom<Order['taxStatus']>('paid', 'paid', 'paid', 'refunded', 'unpaid'),
    otherFen: fc.integer({ min: 1, max: 200_000 }),
    otherInsutype: rare,
    // constantFrom, not integer: fast-check leans integers towards their minimum, and Sunday (the closing window) must come up.
    day: fc.constantFrom(0, 1, 2, 3, 4, 5, 6),
    hour: fc.integer({ min: 0, max: 23 }),
    dupLedger: rare,
    dupTax: rare,
  })
  .filter((o) => o.ledger !== 'none' || o.tax !== 'none');

const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const MONDAY = Date.UTC(2025, 10, 17); // 2025-W47
const when = (day: number, hour: number, minute: number) => new Date(MONDAY + day * 86400_000 + hour * 3600_000 + minute * 60_000).toISOString().slice(0, 19).replace('T', ' ');
const TAX_STATUS = { paid: '已缴费', refunded: '已退费', unpaid: '未缴费' } as const;

/** The files of a week: row i of an order is a minute after the previous one. */
function files(orders: Order[]) {
  const ledger: string[][] = [];
  const tax: string[][] = [];
  orders.forEach((o, n) => {
    const no = `JF${String(n).padStart(8, '0')}`;
    const ben = makeCertNo('330100', '20100101', n + 1);
    const payer = makeCertNo('330200', '19700101', n + 1);
    let minute = 0;
    const led = (no2: string, fen: number, status: string, orig = '') =>
      ledger.push([no, no2, payer, '张三', '330200', ben, '李四', '330100', '父母', '390', '2026', yuan(fen), status, when(o.day, o.hour, minute++), orig]);
    if (o.ledger !== 'none') {
      // Several family accounts share the order; a refund or reversal takes each share back.
      const shares = Array.from({ length: o.parts }, (_, p) => (p < o.parts - 1 ? Math.floor(o.fen / o.parts) : o.fen - Math.floor(o.fen / o.parts) * (o.parts - 1)));
      shares.forEach((f, p) => led(`HK${n}-${p}`, f, '划扣成功'));
      if (o.ledger !== 'paid') shares.forEach((f, p) => led(`HK${n}-${p}R`, -f, o.ledger === 'refund' ? '已退费' : '已冲正', `HK${n}-${p}`));
      if (o.dupLedger) ledger.push([...ledger.at(-1)!]);
    }
    const tx = (i: number, fen: number) =>
      tax.push([no, `3${String(n).padStart(10, '0')}${i}`, ben, '李四', '330100', o.otherInsutype ? '城乡居民大病医疗保险' : '城乡居民基本医疗保险', '2026-01-01至2026-12-31', yuan(fen), TAX_STATUS[o.taxStatus], when(o.day, o.hour, minute++), '共济账户代缴']);
    if (o.tax === 'same') tx(0, o.fen);
    else if (o.tax === 'other') tx(0, o.otherFen);
    else if (o.tax === 'split') {
      tx(0, Math.floor(o.fen / 2));
      tx(1, o.fen - Math.floor(o.fen / 2));
    }
    if (o.dupTax && o.tax !== 'none') tax.push([...tax.at(-1)!]);
  });
  return { ledger, tax };
}

interface Expected { type: string; amountLedger: number | null; amountExternal: number | null }

/** The rules, written plainly: per order, both sides summed, then compared. */
function reference(ledger: string[][], tax: string[][]): { breaks: Map<string, Expected>; matched: number; lines: { l: Map<string, number[]>; x: Map<string, number[]> } } {
  const windowStart = when(6, 0, 0);
  const fen = (s: string) => Math.round(Number(s) * 100);
  const breaks = new Map<string, Expected>();
  // The records behind each key (a duplicate copy apart), by file line: the header is line 1.
  const lines = { l: new Map<string, number[]>(), x: new Map<string, number[]>() };
  const side = (rows: string[][], idOf: (r: string[]) => string, dupKey: (r: string[]) => string, at: Map<string, number[]>) => {
    const by = new Map<string, string[][]>();
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const id = dupKey(r);
      if (seen.has(id)) {
        breaks.set(`DUP:${id}:${breaks.size}`, { type: 'DUPLICATE', amountLedger: rows === ledger ? fen(r[11]!) : null, amountExternal: rows === tax ? fen(r[7]!) : null });
        return;
      }
      seen.add(id);
      by.set(idOf(r), [...(by.get(idOf(r)) ?? []), r]);
      at.set(idOf(r), [...(at.get(idOf(r)) ?? []), i + 2]);
    });
    return by;
  };
  const L = side(ledger, (r) => r[0]!, (r) => `${r[0]}|${r[1]}`, lines.l);
  const X = side(tax, (r) => r[0]!, (r) => `${r[0]}|${r[1]}`, lines.x);
  const latest = (rs: string[][], at: number) => rs.reduce((a, b) => (b[at]! >= a[at]! ? b : a));
  let matched = 0;
  for (const key of new Set([...L.keys(), ...X.keys()])) {
    const l = L.get(key);
    const x = X.get(key);
    const lNet = l ? l.reduce((s, r) => s + fen(r[11]!), 0) : 0;
    const lPaid = l ? l.reduce((s, r) => s + Math.max(0, fen(r[11]!)), 0) : 0;
    const reversed = l ? l.filter((r) => r[12] === '已冲正').length : 0;
    const refunded = l ? l.filter((r) => r[12] === '已退费').length : 0;
    const lStatus = lNet > 0 ? 'paid' : reversed > 0 && refunded === 0 ? 'reversed' : 'refunded';
    const lCmp = lNet <= 0 ? lPaid : lNet;
    const xNet = x ? x.reduce((s, r) => s + fen(r[7]!), 0) : 0;
    const xLatest = x ? latest(x, 9) : null;
    const xStatus = xLatest ? ({ 已缴费: 'paid', 已退费: 'refunded', 未缴费: 'unpaid' } as Record<string, string>)[xLatest[8]!]! : '';
    let type: string;
    if (l && x) {
      const insutypeDiffers = xLatest![5] !== '城乡居民基本医疗保险';
      if (lCmp !== xNet) type = 'AMOUNT_MISMATCH';
      else if (lStatus !== xStatus) type = 'STATUS_MISMATCH';
      else if (insutypeDiffers) type = 'FIELD_MISMATCH';
      else {
        matched++;
        continue;
      }
    } else if (l) {
      if (lNet === 0 && lStatus !== 'paid') continue; // refunded in full on the ledger only: netted, no break
      type = latest(l, 13)[13]! >= windowStart ? 'IN_TRANSIT' : 'LEDGER_ONLY';
    } else type = xLatest![9]! >= windowStart ? 'IN_TRANSIT' : 'EXTERNAL_ONLY';
    breaks.set(key, { type, amountLedger: l ? lNet : null, amountExternal: x ? xNet : null });
  }
  return { breaks, matched, lines };
}

const sortBreaks = (xs: Expected[]) => [...xs].sort((a, b) => `${a.type}${a.amountLedger}${a.amountExternal}`.localeCompare(`${b.type}${b.amountLedger}${b.amountExternal}`));

describe('the fast matcher against a plain reference', () => {
  it('classifies every key and sums every amount as the reference does, on random weeks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(order, { minLength: 5, maxLength: 40 }), async (orders) => {
        const { ledger, tax } = files(orders);
        const e = await tempEngine();
        try {
          if (ledger.length) await importFile(e, { path: writeTextFile(path.join(e.dir, 'l.csv'), LEDGER_HEADER, ledger) });
          if (tax.length) await importFile(e, { path: writeTextFile(path.join(e.dir, 't.txt'), TAX_HEADER, tax, { delimiter: '|' }) });
          const s = await reconcile(e, { kind: 'premium', period: '2025-W47' });
          const ref = reference(ledger, tax);
          const got = (await e.call('breaks/list', { kind: 'premium', status: 'all', limit: 5000 }, e.caller)).rows;
          const toFen = (v: string | null) => (v === null ? null : Math.round(Number(v) * 100));
          // Keyed breaks by key; duplicates by their amounts (their keys name a row).
          const keyed = got.filter((b) => b.type !== 'DUPLICATE');
          expect(new Map(keyed.map((b) => [b.key, { type: b.type, amountLedger: toFen(b.amount_ledger), amountExternal: toFen(b.amount_external) }]))).toEqual(
            new Map([...ref.breaks].filter(([, v]) => v.type !== 'DUPLICATE')),
          );
          expect(sortBreaks(got.filter((b) => b.type === 'DUPLICATE').map((b) => ({ type: b.type, amountLedger: toFen(b.amount_ledger), amountExternal: toFen(b.amount_external) })))).toEqual(
            sortBreaks([...ref.breaks.values()].filter((v) => v.type === 'DUPLICATE')),
          );
          // Each keyed break names exactly its records on each side, in file order.
          const origins = e.db.prepare("SELECT key, ledger_origin, external_origin FROM recon_break WHERE type != 'DUPLICATE'").all() as { key: string; ledger_origin: string; external_origin: string }[];
          const linesOf = (json: string) => (JSON.parse(json) as string[]).map((o) => Number(o.split(':')[1]));
          for (const o of origins) {
            expect([o.key, linesOf(o.ledger_origin), linesOf(o.external_origin)]).toEqual([o.key, ref.lines.l.get(o.key) ?? [], ref.lines.x.get(o.key) ?? []]);
          }
          expect(s.matched.count).toBe(ref.matched);
          expect(s.tieOut.ok).toBe(true);
        } finally {
          await e.close();
        }
      }),
      { numRuns: 20, seed: 20251117 },
    );
  }, 120_000);
});
