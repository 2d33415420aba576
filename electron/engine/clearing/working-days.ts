// Working days as China's State Council calendar sets them: 法定节假日 off, 调休
// weekend days worked, from the maintained `chinese-days` data (2004 to the last
// year it has published). A year it does not know yet is counted by weekends
// only, and every deadline says which calendar it used.
import calendar from 'chinese-days/dist/chinese-days.json';
import type { Lang } from '../../../shared/labels';

const holidays = new Set(Object.keys(calendar.holidays));
const workdays = new Set(Object.keys(calendar.workdays));
const years = [...holidays, ...workdays].map((d) => Number(d.slice(0, 4)));

/** The last year whose 法定节假日 and 调休 the calendar holds. */
export const CALENDAR_LAST_YEAR = Math.max(...years);
export const CALENDAR_FIRST_YEAR = Math.min(...years);

const ymd = (d: Date) => d.toISOString().slice(0, 10);

export function isWorkingDay(d: Date): boolean {
  const s = ymd(d);
  if (workdays.has(s)) return true; // a 调休 weekend day
  if (holidays.has(s)) return false;
  const w = d.getUTCDay();
  return w !== 0 && w !== 6;
}

export function knowsYear(year: number): boolean {
  return year >= CALENDAR_FIRST_YEAR && year <= CALENDAR_LAST_YEAR;
}

/** The date `n` working days after `from` (dates as UTC midnights of Beijing calendar days). */
export function addWorkingDays(from: Date, n: number): Date {
  const d = new Date(from);
  while (n > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(d)) n--;
  }
  return d;
}

/** How a span of days was counted, for the deadline's note. */
export function calendarNote(from: Date, to: Date, lang: Lang = 'zh'): string {
  const unknown: number[] = [];
  for (let y = from.getUTCFullYear(); y <= to.getUTCFullYear(); y++) if (!knowsYear(y)) unknown.push(y);
  const years = [...new Set([from.getUTCFullYear(), to.getUTCFullYear()])];
  if (lang === 'en') {
    return unknown.length
      ? `public holidays and make-up working days of ${unknown.join(', ')} not yet known (the calendar runs to ${CALENDAR_LAST_YEAR}): only weekends skipped there; an updated version counts them as the State Council announces`
      : `counted with the public holidays and make-up working days of ${years.join(', ')}`;
  }
  return unknown.length
    ? `${unknown.join('、')} 年的法定节假日和调休尚未收录（日历数据到 ${CALENDAR_LAST_YEAR} 年），这部分只跳过周末；更新软件后会按国务院公布的安排计算`
    : `按 ${years.join('、')} 年法定节假日和调休计算`;
}
