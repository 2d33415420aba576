// The premium weeks a month's confirmation locks.
import { periodBounds, periodOf } from '../../../shared/periods';

/** The ISO weeks whose Thursday falls in the month: the premium periods a month's confirmation locks. */
export function weeksOfMonth(month: string): string[] {
  const { start, end } = periodBounds(month);
  const weeks = new Set<string>();
  for (let t = Date.parse(start.replace(' ', 'T') + 'Z'); t < Date.parse(end.replace(' ', 'T') + 'Z'); t += 86400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 4) weeks.add(periodOf(d.toISOString().slice(0, 10), 'week'));
  }
  return [...weeks];
}
