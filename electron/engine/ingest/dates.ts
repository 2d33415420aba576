// Every date form of formats.md, to `YYYY-MM-DD HH:mm:ss` in the files' own wall
// time (Asia/Shanghai): `2025-11-17 09:30:00`, `2025/11/17`, `20251117`,
// `20251117093000`, or an Excel serial day number.

export type DateParse = { ok: true; value: string } | { ok: false; reason: string };

const pad = (n: number) => String(n).padStart(2, '0');

function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): DateParse {
  const dt = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return { ok: false, reason: '不是有效的日期' };
  }
  if (y < 1990 || y > 2100) return { ok: false, reason: `年份 ${y} 超出范围` };
  return { ok: true, value: `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}` };
}

const SEP = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/;
const SERIAL = /^\d{5}(\.\d+)?$/;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
};

/**
 * Whether the parts of a canonical date-time (digits read, -1 for a non-digit) are a
 * real time in the years accepted: what both the string path (below) and the byte
 * path (byte-cells' canonicalDateTime) check.
 */
export function validDateTime(y: number, mo: number, d: number, h: number, mi: number, se: number): boolean {
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && !leap ? 28 : DAYS[mo - 1]!);
}

/** `YYYY-MM-DD HH:mm:ss`, the form most exports use, read without a regex or a Date. */
function canonical(s: string): DateParse | null {
  if (s.length !== 19 || s[4] !== '-' || s[7] !== '-' || (s[10] !== ' ' && s[10] !== 'T') || s[13] !== ':' || s[16] !== ':') return null;
  const y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10), h = digits(s, 11, 13), mi = digits(s, 14, 16), se = digits(s, 17, 19);
  if (!validDateTime(y, mo, d, h, mi, se)) return null;
  return { ok: true, value: s[10] === ' ' ? s : `${s.slice(0, 10)} ${s.slice(11)}` };
}

export function parseDateTime(text: string): DateParse {
  const s = text.trim();
  if (s === '') return { ok: false, reason: '日期为空' };
  const fast = canonical(s);
  if (fast) return fast;
  let m = SEP.exec(s) ?? COMPACT.exec(s);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (SERIAL.test(s)) return fromExcelSerial(Number(s));
  m = null;
  return { ok: false, reason: '日期格式不认识（应如 2025-11-17 09:30:00、2025/11/17、20251117）' };
}

/** Excel's day 1 is 1900-01-01 and it counts a 29 Feb 1900 that never was. */
export function fromExcelSerial(serial: number): DateParse {
  if (!(serial > 20000 && serial < 80000)) return { ok: false, reason: `Excel 日期序号 ${serial} 超出范围` };
  const ms = Math.round((serial - 25569) * 86400) * 1000;
  const d = new Date(ms);
  return build(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/** `2026` or a 费款所属期 range `2026-01-01至2026-12-31` (one year) to the year. */
export function parseYear(text: string): { ok: true; value: number } | { ok: false; reason: string } {
  const s = text.trim();
  let m = /^(\d{4})$/.exec(s);
  if (m) return { ok: true, value: +m[1]! };
  m = /^(\d{4})[-/]?\d{2}[-/]?\d{2}\s*(?:至|-|~|—)\s*(\d{4})[-/]?\d{2}[-/]?\d{2}$/.exec(s);
  if (m) {
    if (m[1] !== m[2]) return { ok: false, reason: `费款所属期跨年（${m[1]} 至 ${m[2]}）` };
    return { ok: true, value: +m[1]! };
  }
  m = /^(\d{4})(?:年度?)?$/.exec(s);
  if (m) return { ok: true, value: +m[1]! };
  // One end of the period (金税三期's skssqq / skssqz: 税款所属期起 or 止): its year.
  m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})$/.exec(s);
  if (m && +m[2]! >= 1 && +m[2]! <= 12 && +m[3]! >= 1 && +m[3]! <= 31) return { ok: true, value: +m[1]! };
  return { ok: false, reason: '年度应为 2026、2026-12-31 或 2026-01-01至2026-12-31' };
}
