// Reconciliation periods: ISO weeks `2025-W47` (Monday to Sunday) for premium and
// months `2025-11` for settlement, in the files' own wall-clock time (Asia/Shanghai).
// Bounds are `YYYY-MM-DD HH:mm:ss` strings, compared as text with stored times.
import { beijingDate } from './beijing-time';

/** A week `2025-W47` or a month `2025-11`. */
export const PERIOD_PATTERN = /^\d{4}-(W\d{2}|\d{2})$/;

export interface PeriodBounds {
  period: string;
  /** inclusive */
  start: string;
  /** exclusive */
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
export const wall = (d: Date) => `${ymd(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** Monday of ISO week 1: the week with the year's first Thursday. */
function isoWeekStart(year: number, week: number): Date {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const dow = jan4.getUTCDay() || 7;
  return new Date(Date.UTC(year, 0, 4 - dow + 1 + (week - 1) * 7));
}

export function periodBounds(period: string): PeriodBounds {
  let m = /^(\d{4})-W(\d{2})$/.exec(period);
  if (m) {
    const week = +m[2]!;
    if (week < 1 || week > 53) throw new Error(`周次 ${period} 不存在`);
    const start = isoWeekStart(+m[1]!, week);
    if (week === 53 && isoWeekOf(start).period !== period) throw new Error(`${m[1]} 年没有第 53 周`);
    const end = new Date(start.getTime() + 7 * 86400_000);
    return { period, start: `${ymd(start)} 00:00:00`, end: `${ymd(end)} 00:00:00` };
  }
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const y = +m[1]!;
    const mo = +m[2]!;
    if (mo < 1 || mo > 12) throw new Error(`月份 ${period} 不存在`);
    const end = new Date(Date.UTC(y, mo, 1));
    return { period, start: `${y}-${pad(mo)}-01 00:00:00`, end: `${ymd(end)} 00:00:00` };
  }
  throw new Error(`期间应为 2025-W47（周）或 2025-11（月），收到“${period}”`);
}

/** What is wrong with a period as written (a week or month that does not exist, or neither form), or null when it is one. */
export function periodProblem(period: string): string | null {
  try {
    periodBounds(period);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export function isoWeekOf(d: Date): { period: string } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const y = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(y, 0, 1)) / 86400_000 + 1) / 7);
  return { period: `${y}-W${pad(week)}` };
}

/**
 * The last complete week or month as of `now`, by the calendar in Beijing (UTC+8):
 * what a page opens on. By the machine's own UTC date, the first eight hours of a
 * Beijing Monday (or of the 1st) still counted as the day before, and a page then
 * opened on the period before last.
 */
export function lastCompletePeriod(granularity: 'week' | 'month', now: Date = new Date()): string {
  const [y, m, d] = beijingDate(now).split('-').map(Number) as [number, number, number];
  if (granularity === 'month') {
    const prev = new Date(Date.UTC(y, m - 2, 1));
    return `${prev.getUTCFullYear()}-${pad(prev.getUTCMonth() + 1)}`;
  }
  return isoWeekOf(new Date(Date.UTC(y, m - 1, d - 7))).period;
}

/** The week or month a wall-clock time falls in. */
export function periodOf(at: string, granularity: 'week' | 'month'): string {
  if (granularity === 'month') return at.slice(0, 7);
  const [y, mo, d] = at.slice(0, 10).split('-').map(Number);
  return isoWeekOf(new Date(Date.UTC(y!, mo! - 1, d!))).period;
}

/** The wall time `hours` before a bound. */
export function hoursBefore(bound: string, hours: number): string {
  const d = new Date(bound.replace(' ', 'T') + 'Z');
  return wall(new Date(d.getTime() - hours * 3600_000));
}
