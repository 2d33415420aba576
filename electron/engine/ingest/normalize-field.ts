// One canonical field's text to its normalised value. The source text is never
// changed: the caller keeps the raw row beside what this returns.
import type { FieldType } from '../../../shared/import-kinds';
import type { ImportKind } from '../../../shared/domain';
import { checkCertNo, validAsIs } from '../../../shared/gb11643';
import { parseAmountToFen } from '../../../shared/money';
import { parseDateTime, parseYear } from './dates';
import insutypeTable from '../../../shared/codes/insutype.json';
import statusTable from '../../../shared/codes/status.json';
import relationTable from '../../../shared/codes/relation.json';

export type Normalized = { ok: true; value: string | number | null } | { ok: false; reason: string };

const insutypeByName = new Map<string, string>();
for (const [code, name] of Object.entries(insutypeTable.codes)) {
  insutypeByName.set(code, code);
  insutypeByName.set(name, code);
}
for (const [alias, code] of Object.entries(insutypeTable.aliases)) insutypeByName.set(alias, code);

const relationNames = new Set(relationTable.names);
const relationAliases = relationTable.aliases as Record<string, string>;
const statusByKind = statusTable as unknown as Record<string, Record<string, string>>;

export interface CellMeta {
  /** XLSX: the cell held a number, not text (fatal for an ID number). */
  numeric?: boolean;
}

/** Characters no real text holds: control characters (a NUL …) and U+FFFD, which a wrong decoding leaves. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

function badText(s: string): Normalized | null {
  const m = BAD_TEXT.exec(s);
  if (!m) return null;
  return m[0] === '\uFFFD'
    ? { ok: false, reason: '含有无法解码的字符“�”：文件的编码可能不对（如 GB18030 的文字按 UTF-8 读），请核对或选择编码' }
    : { ok: false, reason: `含有控制字符 U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}，不是正常的文本` };
}

/**
 * An identifier (order number, deduction number, setl_id, mdtrt_id, psn_no,
 * 电子税票号码): Excel's damage is an error, never a guess — scientific notation,
 * a trailing `.0`, or a long number stored as a number in XLSX (digits lost).
 */
function checkKey(s: string, numeric?: boolean): Normalized {
  const bad = badText(s);
  if (bad) return bad;
  if (/^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/.test(s)) return { ok: false, reason: '编号被 Excel 转成了科学计数法（如 3.30300E+17），末几位已丢失，请从原始系统重新导出' };
  if (/^\d+\.0+$/.test(s)) return { ok: false, reason: '编号末尾多了“.0”（被 Excel 当成了数字），请把该列设为文本后重新导出' };
  if (numeric && /^\d{16,}$/.test(s)) return { ok: false, reason: '编号在 XLSX 里存成了数字（超过 15 位的数字 Excel 会丢掉末几位），请把该列设为文本后重新导出' };
  return { ok: true, value: s };
}

export function normalizeField(type: FieldType, text: string, kind: ImportKind, meta?: CellMeta): Normalized {
  const s = text.trim();
  switch (type) {
    case 'text':
      return s === '' ? { ok: true, value: null } : (badText(s) ?? { ok: true, value: s });
    case 'key':
      return s === '' ? { ok: true, value: null } : checkKey(s, meta?.numeric);
    case 'id': {
      if (meta?.numeric) return { ok: false, reason: '证件号码在 XLSX 里存成了数字（Excel 会丢掉末几位），请把该列设为文本后重新导出' };
      const r = checkCertNo(s);
      return r.ok ? { ok: true, value: r.value } : r;
    }
    case 'amount': {
      const r = parseAmountToFen(s);
      return r.ok ? { ok: true, value: r.fen } : r;
    }
    case 'datetime': {
      if (s === '') return { ok: true, value: null };
      return parseDateTime(s);
    }
    case 'year': {
      const r = parseYear(s);
      return r.ok ? { ok: true, value: r.value } : r;
    }
    case 'insutype': {
      const code = insutypeByName.get(s);
      return code ? { ok: true, value: code } : { ok: false, reason: '险种不在代码表中（应如 390 或 城乡居民基本医疗保险）' };
    }
    case 'region':
      if (s === '') return { ok: true, value: null };
      return /^\d{6}$/.test(s) ? { ok: true, value: s } : { ok: false, reason: '区划代码应为 6 位数字' };
    case 'int':
      if (s === '') return { ok: true, value: null };
      return /^-?\d{1,9}$/.test(s) ? { ok: true, value: Number(s) } : { ok: false, reason: '应为整数' };
    case 'flag':
      if (s === '') return { ok: true, value: 0 };
      return s === '0' || s === '1' ? { ok: true, value: Number(s) } : { ok: false, reason: '标志应为 0 或 1' };
    case 'status': {
      const v = statusByKind[kind]?.[s];
      return v ? { ok: true, value: v } : { ok: false, reason: `状态“${s}”不在代码表中` };
    }
    case 'relation': {
      // Known names and codes map to the code table; any other relation (儿媳, 侄子 …)
      // is kept as written, so the policy check can flag it instead of the import refusing it.
      if (relationNames.has(s)) return { ok: true, value: s };
      const v = relationAliases[s];
      if (v) return { ok: true, value: v };
      if (s === '') return { ok: true, value: null };
      return /^[\p{Script=Han}A-Za-z（）()·]{1,20}$/u.test(s) ? { ok: true, value: s } : { ok: false, reason: '亲属关系应为文字（如 配偶、子女），不超过 20 个字' };
    }
  }
}

export type FieldNormalizer = (text: string, numeric?: boolean) => Normalized | null;

/** Results of these types depend on the text alone and repeat across rows (amounts, dates, codes): this many are remembered. */
const MEMO_SLOTS = 1024;
/** After this many texts, a memo that answered fewer than a quarter of them is dropped. */
const MEMO_PROBE = 4096;

/**
 * A key as it stands: letters, digits, - and _ (what /^[0-9A-Za-z_-]+$/ accepts), read
 * without a regex (the regex was some 2 % of parsing a ledger with three key columns).
 */
export function plainKey(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45)) return false;
  }
  return true;
}

/**
 * normalizeField for one column of one import, as the hot loop wants it: null for
 * an empty cell, and the answers for texts that repeat (amounts, dates, years,
 * codes) remembered instead of parsed again. Text and ID cells are mostly distinct,
 * so they are not remembered.
 */
export function memoizedNormalizer(type: FieldType, kind: ImportKind): FieldNormalizer {
  if (type === 'text' || type === 'key') {
    // One result object, refilled: the caller reads it before the next call. A
    // plain key (letters, digits, - and _) or a text without a suspect character
    // answers at once; anything else is judged in full.
    const r = { ok: true as const, value: '' };
    const key = type === 'key';
    return (text, numeric) => {
      const s = text.trim();
      if (s === '') return null;
      if (key ? plainKey(s) && !(numeric && s.length > 15) : !BAD_TEXT.test(s)) {
        r.value = s;
        return r;
      }
      return normalizeField(type, s, kind, { numeric });
    };
  }
  if (type === 'id') {
    // A valid ID as it stands (nearly every cell) answers with the one reused result.
    const r = { ok: true as const, value: '' };
    return (text, numeric) => {
      if (!numeric && validAsIs(text)) {
        r.value = text;
        return r;
      }
      return text.trim() === '' ? null : normalizeField('id', text, kind, { numeric });
    };
  }
  // A small direct-mapped memo: a text's slot comes from its length and three of
  // its characters, and the text itself is compared. Cheaper than a Map, which
  // hashes every fresh string from the splitter in full; a column's few repeating
  // texts (statuses, years, codes, the usual amounts) mostly keep a slot each.
  const texts: (string | undefined)[] = new Array(MEMO_SLOTS);
  const results: (Normalized | null)[] = new Array(MEMO_SLOTS);
  let memo = true;
  // The previous cell's text first: a column of statuses, years or codes mostly
  // repeats it, and comparing two short strings is cheaper still.
  let lastText: string | null = null;
  let last: Normalized | null = null;
  // A column whose texts hardly repeat (times to the second) is not remembered at
  // all once that shows: storing every text would only add to parsing it.
  let asked = 0;
  let found = 0;
  // Nor is the previous text compared with, in a column where it is seldom the same
  // (times to the second: two 19-character texts compared for nothing, every row).
  let sameAsLast = true;
  let lastAsked = 0;
  let lastFound = 0;
  const fresh = (text: string): Normalized | null => (text.trim() === '' ? null : normalizeField(type, text, kind));
  return (text) => {
    if (sameAsLast) {
      if (text === lastText) {
        lastFound++;
        return last;
      }
      if (++lastAsked === MEMO_PROBE && lastFound < MEMO_PROBE / 8) sameAsLast = false;
    }
    let r: Normalized | null;
    if (memo) {
      const n = text.length;
      const slot = n === 0 ? 0 : (n * 7 + text.charCodeAt(0) * 31 + text.charCodeAt(n >> 1) * 17 + text.charCodeAt(n - 1) * 131) & (MEMO_SLOTS - 1);
      if (texts[slot] === text) {
        r = results[slot]!;
        found++;
      } else {
        r = fresh(text);
        texts[slot] = text;
        results[slot] = r;
      }
      if (++asked === MEMO_PROBE && found < MEMO_PROBE / 4) memo = false;
    } else r = fresh(text);
    lastText = text;
    last = r;
    return r;
  };
}
