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

export function normalizeField(type: FieldType, text: string, kind: ImportKind, meta?: CellMeta): Normalized {
  const s = text.trim();
  switch (type) {
    case 'text':
      return { ok: true, value: s === '' ? null : s };
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

/** Results of these types depend on the text alone and repeat across rows (amounts, dates, codes). */
const MEMO_LIMIT = 50_000;

/**
 * normalizeField for one column of one import, as the hot loop wants it: null for
 * an empty cell, and the answers for texts that repeat (amounts, dates, years,
 * codes) remembered instead of parsed again. Text and ID cells are mostly distinct,
 * so they are not remembered.
 */
export function memoizedNormalizer(type: FieldType, kind: ImportKind): FieldNormalizer {
  if (type === 'text') {
    // One result object, refilled: the caller reads it before the next call.
    const r = { ok: true as const, value: '' };
    return (text) => {
      const s = text.trim();
      if (s === '') return null;
      r.value = s;
      return r;
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
  const memo = new Map<string, Normalized | null>();
  // The previous cell's text first: a column of statuses, years or codes mostly
  // repeats it, and comparing two short strings is cheaper than hashing one.
  let lastText: string | null = null;
  let last: Normalized | null = null;
  return (text) => {
    if (text === lastText) return last;
    let r = memo.get(text);
    if (r === undefined) {
      r = text.trim() === '' ? null : normalizeField(type, text, kind);
      if (memo.size < MEMO_LIMIT) memo.set(text, r);
    }
    lastText = text;
    last = r;
    return r;
  };
}
