// Money is exact: a Decimal from the moment it is parsed until it is written.
// SQLite keeps amounts as INTEGER fen (分) so sums and comparisons in SQL are exact too.
import Decimal from 'decimal.js';

export { Decimal };

const AMOUNT = /^-?\d+(\.\d{1,2})?$/;
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d{1,2})?$/;

export type AmountParse = { ok: true; value: Decimal } | { ok: false; reason: string };

/** Parses `380`, `380.00`, `1,380.50`, `￥380.00`, `-380.00`; never through a JS number. */
export function parseAmount(text: string): AmountParse {
  let s = text.trim().replace(/^[￥¥]/, '').replace(/^-[￥¥]/, '-').trim();
  if (s === '') return { ok: false, reason: '金额为空' };
  if (s.includes(',')) {
    if (!GROUPED.test(s)) return { ok: false, reason: '千分位逗号位置不对' };
    s = s.replace(/,/g, '');
  }
  if (!AMOUNT.test(s)) return { ok: false, reason: '不是金额（应为数字，最多两位小数）' };
  return { ok: true, value: new Decimal(s) };
}

export function toFen(d: Decimal): number {
  const fen = d.times(100);
  if (!fen.isInteger()) throw new Error(`金额 ${d.toString()} 超过两位小数`);
  const n = fen.toNumber();
  if (!Number.isSafeInteger(n)) throw new Error(`金额 ${d.toString()} 超出范围`);
  return n;
}

/** Integer fen (from SQLite) to a Decimal yuan. */
export function fromFen(fen: number | bigint): Decimal {
  return new Decimal(fen.toString()).dividedBy(100);
}

/** Two-decimal text such as `1020.00`, for JSON and CSV. */
export function fenToText(fen: number | bigint): string {
  // A whole number of fen is written by placing the point in its digits (no
  // arithmetic, no Decimal built: a run writes one for every break it finds).
  if (typeof fen === 'number' && Number.isSafeInteger(fen)) {
    const digits = String(Math.abs(fen)).padStart(3, '0');
    return `${fen < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  }
  return fromFen(fen).toFixed(2);
}

/** `1,020.00` for people. */
export function formatYuan(fen: number | bigint): string {
  const [int, frac] = fenToText(fen).split('.');
  const sign = int!.startsWith('-') ? '-' : '';
  const digits = sign ? int!.slice(1) : int!;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

export type FenParse = { ok: true; fen: number } | { ok: false; reason: string };

/**
 * The hot-path form of parseAmount for imports: validates the same text forms and
 * returns integer fen by joining digit strings, so no Decimal is built per row and
 * no binary fraction is ever involved.
 */
export function parseAmountToFen(text: string): FenParse {
  let s = text.trim();
  if (s.charCodeAt(0) === 0xffe5 || s.charCodeAt(0) === 0xa5) s = s.slice(1).trim();
  else if (s.startsWith('-￥') || s.startsWith('-¥')) s = '-' + s.slice(2).trim();
  if (s === '') return { ok: false, reason: '金额为空' };
  if (s.includes(',')) {
    if (!GROUPED.test(s)) return { ok: false, reason: '千分位逗号位置不对' };
    s = s.replace(/,/g, '');
  }
  if (!AMOUNT.test(s)) return { ok: false, reason: '不是金额（应为数字，最多两位小数）' };
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const int = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '00' : body.slice(dot + 1).padEnd(2, '0');
  if (int.length > 13) return { ok: false, reason: '金额超出范围' };
  const fen = Number(int + frac);
  return { ok: true, fen: neg && fen !== 0 ? -fen : fen };
}

/** Amount text from the engine (`1020.00`) for people (`1,020.00`); empty for none, as given when unreadable. */
export function formatAmountText(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  const r = parseAmountToFen(text);
  return r.ok ? formatYuan(r.fen) : text;
}
