// Times a person reads are Beijing time with their offset (UTC+8, no daylight
// saving): `2026-11-30T20:29:56+08:00`. Stored times may stay in UTC; whatever is
// written into a bundle, a statement sheet or an export goes through here.
const OFFSET_MS = 8 * 3600_000;

/** ISO 8601 in Beijing time with the +08:00 offset. */
export function beijingIso(d: Date = new Date()): string {
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}

/** The date in Beijing, `2026-11-30`: what "today" is for a break's age or a deadline (the machine's UTC date is yesterday until 08:00). */
export function beijingDate(d: Date = new Date()): string {
  return beijingText(d).slice(0, 10);
}

/** `20261130202956` (Beijing time): a file name's stamp, which sorts as it reads. */
export function beijingStamp(d: Date = new Date()): string {
  return beijingText(d).replace(/[- :]/g, '');
}

/** `2026-11-30 20:29:56` (Beijing time), for a sheet or a message. */
export function beijingText(d: Date | string = new Date()): string {
  const t = typeof d === 'string' ? new Date(d) : d;
  return new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
