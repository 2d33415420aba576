import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmount, parseAmountToFen, fenToText, formatYuan } from '../../shared/money';
import { checkCertNo, maskCertNo, maskName } from '../../shared/gb11643';
import { parseDateTime, parseYear } from '../../electron/engine/ingest/dates';
import { memoizedNormalizer, normalizeField, plainKey } from '../../electron/engine/ingest/normalize-field';
import type { FieldType } from '../../shared/import-kinds';
import { periodBounds, periodOf, periodProblem, hoursBefore, lastCompletePeriod } from '../../shared/periods';
import { makeCertNo } from '../support/ids';

describe('amounts', () => {
  it.each([
    ['380', 38000],
    ['380.00', 38000],
    ['1,020.00', 102000],
    ['1,380.5', 138050],
    ['￥380.00', 38000],
    ['¥95', 9500],
    ['-380.00', -38000],
    ['0.1', 10],
    ['  400.00 ', 40000],
  ])('reads %s exactly as %d fen', (text, fen) => {
    const r = parseAmountToFen(text);
    expect(r).toEqual({ ok: true, fen });
    const d = parseAmount(text);
    expect(d.ok && d.value.times(100).toNumber()).toBe(fen);
  });
  it.each(['4O0.00', '1,02.00', '380.001', '', 'abc', '3.8e2'])('refuses %s', (text) => {
    expect(parseAmountToFen(text).ok).toBe(false);
  });
  it('writes fen back with two decimals and groups for people', () => {
    expect(fenToText(-38000)).toBe('-380.00');
    expect(fenToText(5)).toBe('0.05');
    expect(formatYuan(123456789)).toBe('1,234,567.89');
  });
  it('writes whole fen by placing the point exactly as Decimal does, to the edge of safe integers', () => {
    const cases = [0, 1, -1, 9, -9, 10, 99, 100, -100, 101, 123456, -5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2000; i++) cases.push(Math.round((Math.random() - 0.5) * 10 ** (1 + (i % 15))));
    for (const fen of cases) expect(fenToText(fen), String(fen)).toBe(fenToText(BigInt(fen)));
  });
});

describe('ID numbers (GB 11643)', () => {
  it('accepts a valid number and upper-cases a trailing x', () => {
    const id = '33050019580402737X';
    expect(checkCertNo(id.toLowerCase())).toEqual({ ok: true, value: id });
    expect(checkCertNo(makeCertNo('330100', '19800101', 5)).ok).toBe(true);
  });
  it('refuses a wrong check digit, naming the right one', () => {
    const good = makeCertNo('330100', '19800101', 5);
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const r = checkCertNo(bad);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(`校验位应为 ${good[17]}`);
  });
  it('refuses what Excel did to it instead of guessing', () => {
    expect(checkCertNo('3.30102E+17')).toMatchObject({ ok: false, reason: expect.stringContaining('科学计数法') });
    expect(checkCertNo('33010219800101123')).toMatchObject({ ok: false, reason: expect.stringContaining('17 位') });
    expect(normalizeField('id', '330102198001011234', 'tax-premium', { numeric: true })).toMatchObject({ ok: false, reason: expect.stringContaining('数字') });
  });
  it('masks numbers and names for display', () => {
    expect(maskCertNo('330102198001011234')).toBe('330102********1234');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳修文')).toBe('欧***');
  });
});

describe('dates', () => {
  it.each([
    ['2025-11-17 09:30:00', '2025-11-17 09:30:00'],
    ['2025/11/17', '2025-11-17 00:00:00'],
    ['20251117', '2025-11-17 00:00:00'],
    ['20251117093000', '2025-11-17 09:30:00'],
    ['45978', '2025-11-17 00:00:00'],
    ['45978.5', '2025-11-17 12:00:00'],
  ])('reads %s', (text, want) => {
    expect(parseDateTime(text)).toEqual({ ok: true, value: want });
  });
  it('refuses impossible dates', () => {
    expect(parseDateTime('2025-02-30').ok).toBe(false);
    expect(parseDateTime('17/11/2025').ok).toBe(false);
  });
  it('reads 缴费年度 and 费款所属期 ranges', () => {
    expect(parseYear('2026')).toEqual({ ok: true, value: 2026 });
    expect(parseYear('2026-01-01至2026-12-31')).toEqual({ ok: true, value: 2026 });
    expect(parseYear('2025-07-01至2026-06-30').ok).toBe(false);
  });
});

describe('code tables', () => {
  it('maps 险种 names to codes and keeps codes', () => {
    expect(normalizeField('insutype', '城乡居民基本医疗保险', 'tax-premium')).toEqual({ ok: true, value: '390' });
    expect(normalizeField('insutype', '392', 'tax-premium')).toEqual({ ok: true, value: '392' });
    expect(normalizeField('insutype', '商业保险', 'tax-premium').ok).toBe(false);
  });
  it('maps each side’s status words to canonical statuses', () => {
    expect(normalizeField('status', '划扣成功', 'ledger-premium')).toEqual({ ok: true, value: 'paid' });
    expect(normalizeField('status', '已冲正', 'ledger-premium')).toEqual({ ok: true, value: 'reversed' });
    expect(normalizeField('status', '已退费', 'tax-premium')).toEqual({ ok: true, value: 'refunded' });
    expect(normalizeField('status', '已缴费', 'ledger-premium').ok).toBe(false);
  });
});

describe('periods', () => {
  it('bounds ISO weeks Monday to Sunday and months', () => {
    expect(periodBounds('2025-W47')).toEqual({ period: '2025-W47', start: '2025-11-17 00:00:00', end: '2025-11-24 00:00:00' });
    expect(periodBounds('2026-W01')).toMatchObject({ start: '2025-12-29 00:00:00' });
    expect(periodBounds('2025-11')).toEqual({ period: '2025-11', start: '2025-11-01 00:00:00', end: '2025-12-01 00:00:00' });
    expect(periodBounds('2025-12').end).toBe('2026-01-01 00:00:00');
    expect(() => periodBounds('2025-W54')).toThrow();
  });
  it('says what is wrong with a period as written (what a period field shows while it is typed)', () => {
    expect(periodProblem('2025-W47')).toBeNull();
    expect(periodProblem('2026-W53')).toBeNull();
    expect(periodProblem('2025-11')).toBeNull();
    expect(periodProblem('2025-W53')).toBe('2025 年没有第 53 周');
    expect(periodProblem('2025-W00')).toBe('周次 2025-W00 不存在');
    expect(periodProblem('2025-13')).toBe('月份 2025-13 不存在');
    expect(periodProblem('2025W47')).toBe('期间应为 2025-W47（周）或 2025-11（月），收到“2025W47”');
  });
  it('finds the period of a time and the window before a bound', () => {
    expect(periodOf('2025-11-23 23:59:59', 'week')).toBe('2025-W47');
    expect(periodOf('2025-11-24 00:00:00', 'week')).toBe('2025-W48');
    expect(hoursBefore('2025-11-24 00:00:00', 24)).toBe('2025-11-23 00:00:00');
  });
  it('opens pages on the last complete period by the Beijing calendar, whatever the machine\'s clock zone', () => {
    // Monday 2026-12-07 00:30 in Beijing is still Sunday 16:30 in UTC: the week just ended is W49.
    expect(lastCompletePeriod('week', new Date('2026-12-06T16:30:00Z'))).toBe('2026-W49');
    expect(lastCompletePeriod('week', new Date('2026-12-06T15:59:59Z'))).toBe('2026-W48');
    // 1 December 07:00 in Beijing (30 November in UTC): November is complete.
    expect(lastCompletePeriod('month', new Date('2026-11-30T23:00:00Z'))).toBe('2026-11');
    expect(lastCompletePeriod('month', new Date('2026-11-30T15:59:59Z'))).toBe('2026-10');
    expect(lastCompletePeriod('month', new Date('2026-12-31T16:00:00Z'))).toBe('2026-12');
    expect(lastCompletePeriod('week', new Date('2026-01-04T16:00:00Z'))).toBe('2026-W01');
  });
});

describe('the per-column memo of normalised values', () => {
  // Texts that repeat (so the memo answers), that share a slot (same length and
  // characters where the slot is read: 380.00, 390.00, 3x0.00), blanks, and random ones (so it may drop itself).
  const pool = ['380.00', '390.00', '3x0.00', '1,020.00', '380.0', '830.00', ' 380.00', '390', '310', '城乡居民基本医疗保险', '2026', '2025', '2o26', '330100', '331000', '0', '1', '-1', '', '  ', '配偶', '子女', '儿媳', '划扣成功', '已退费', '2025-11-17 09:30:00', '2025-11-17 09:30:01', '20251117', 'abc'];
  const text = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: -99999, max: 999999 }).map((n) => (n / 100).toFixed(2)) });
  const types: FieldType[] = ['amount', 'datetime', 'year', 'insutype', 'region', 'int', 'flag', 'status', 'relation'];
  it('answers every text exactly as normalising it afresh would, in any order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.array(text, { minLength: 200, maxLength: 6000 }), (type, texts) => {
        const memo = memoizedNormalizer(type, 'ledger-premium');
        for (const t of texts) {
          const fresh = t.trim() === '' ? null : normalizeField(type, t, 'ledger-premium');
          expect(memo(t)).toEqual(fresh);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('stops comparing with the previous text in a column where it is seldom the same, and answers as before', () => {
    // Times to the second (never the same twice) for longer than the probe, then the same text again and again.
    const times = Array.from({ length: 6000 }, (_, i) => `2025-11-${String(17 + (i % 7)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`);
    const memo = memoizedNormalizer('datetime', 'ledger-premium');
    for (const t of [...times, ...Array<string>(50).fill('2025-11-20 02:18:00'), '2025-11-20 2:18', '', '2025-02-30 00:00:00']) expect(memo(t)).toEqual(t.trim() === '' ? null : normalizeField('datetime', t, 'ledger-premium'));
  });
});

describe('a key as it stands', () => {
  it('is exactly what /^[0-9A-Za-z_-]+$/ accepts', () => {
    const re = /^[0-9A-Za-z_-]+$/;
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '_', '-', ' ', '.', '/', '@', '[', '`', '{', ':', '中', 'é') }), (s) => {
      expect(plainKey(s)).toBe(re.test(s));
    }), { numRuns: 20000, seed: 19 });
    for (let c = 0; c < 256; c++) expect(plainKey(String.fromCharCode(c))).toBe(re.test(String.fromCharCode(c)));
  });
});
