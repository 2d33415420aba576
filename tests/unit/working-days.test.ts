// Clearing deadlines in working days as China's calendar has them (issue 18):
// 法定节假日 are not working days, 调休 weekend days are, and a year the calendar
// does not know yet is said so, not guessed silently.
import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay } from '../../electron/engine/clearing/working-days';
import { clearingDeadlines } from '../../electron/engine/clearing/deadlines';
import { tempEngine } from '../support/temp-engine';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('working days', () => {
  it('skips 国庆/中秋 2025 and counts the 调休 Saturday', () => {
    expect(isWorkingDay(d('2025-10-01'))).toBe(false);
    expect(isWorkingDay(d('2025-10-08'))).toBe(false);
    expect(isWorkingDay(d('2025-10-11'))).toBe(true); // Saturday, worked
    expect(isWorkingDay(d('2025-09-28'))).toBe(true); // Sunday, worked
    // 15 working days after 30 September 2025: 28 October (weekends only would say 21 October).
    expect(addWorkingDays(d('2025-09-30'), 15).toISOString().slice(0, 10)).toBe('2025-10-28');
  });

  it('gives the remittance deadline for August 2025 (notice at the end of September) by the real calendar, and says which year it used', async () => {
    const e = await tempEngine();
    const dl = await e.call('clearing/deadlines', { period: '2025-08' }, e.caller);
    const remit = dl.find((x) => x.key === 'remit')!;
    expect(remit.due).toBe('2025-10-28');
    expect(remit.note).toContain('按 2025 年法定节假日和调休计算');
    // November 2026's remittance (notice end of December) falls in 2027, a year the calendar has not published yet.
    const late = (await e.call('clearing/deadlines', { period: '2026-11' }, e.caller)).find((x) => x.key === 'remit')!;
    expect(late.note).toMatch(/2027 年的法定节假日和调休尚未收录/);
    // The English interface reads the same deadlines in English, with no Chinese left in them.
    expect(remit.en.label).toBe('Regions remit funds (15 working days after notice)');
    expect(remit.en.note).toContain('counted with the public holidays and make-up working days of 2025');
    expect(late.en.note).toContain('of 2027 not yet known');
    for (const x of [...dl, late]) expect(`${x.en.label} ${x.en.note}`).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
    await e.close();
  });

  it('calls a deadline overdue once its day has passed in Beijing, not eight hours later by the machine\'s UTC clock', async () => {
    const e = await tempEngine();
    // November 2025's data is due by 5 December. 6 December 00:30 in Beijing is still the 5th in UTC.
    const at = (iso: string) => clearingDeadlines(e.db, '2025-11', new Date(iso)).find((x) => x.key === 'data')!.state;
    expect(at('2025-12-05T15:59:00Z')).toBe('pending'); // 23:59 on the 5th in Beijing
    expect(at('2025-12-05T16:30:00Z')).toBe('overdue');
    await e.close();
  });
});
