// GB 11643-1999 citizen ID numbers: 17 digits and a check character (0-9 or X).
/** The weight of each of the 17 digits, and the check character for the weighted sum mod 11 (the import's byte path reads IDs by the same two). */
export const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export const CHECK = '10X98765432';

export function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export type IdCheck = { ok: true; value: string } | { ok: false; reason: string };

/** 18 characters, 17 digits and the right check character: the common case, read without a regex. */
export function validAsIs(s: string): boolean {
  if (s.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * WEIGHTS[i]!;
  }
  return s[17] === CHECK[sum % 11];
}

/** Upper-cases a trailing x; refuses Excel's scientific form and cut-short numbers, never guesses. */
export function checkCertNo(text: string): IdCheck {
  if (validAsIs(text)) return { ok: true, value: text };
  const s = text.trim().toUpperCase();
  if (s === '') return { ok: false, reason: '证件号码为空' };
  if (/^\d(\.\d+)?E\+?\d+$/.test(s)) return { ok: false, reason: '证件号码被 Excel 转成了科学计数法，末几位已丢失，请从原始系统重新导出' };
  if (/^\d{15,17}$/.test(s) || (/^\d+$/.test(s) && s.length < 18)) return { ok: false, reason: `证件号码只有 ${s.length} 位（应为 18 位），可能被 Excel 截断` };
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, reason: '证件号码应为 17 位数字加 1 位校验码（数字或 X）' };
  const want = checkChar(s.slice(0, 17));
  if (want !== s[17]) return { ok: false, reason: `证件号码校验位应为 ${want}，实为 ${s[17]}` };
  return { ok: true, value: s };
}

/** `330102********1234`: the region prefix and last four stay, for people to tell rows apart. */
export function maskCertNo(id: string | null | undefined): string {
  if (!id) return '';
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** `张*`, `欧阳**`: the surname stays. */
export function maskName(name: string | null | undefined): string {
  if (!name) return '';
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/** A cell that has the shape of an ID number (whatever column it is in): masked for display. */
export function looksLikeCertNo(text: string): boolean {
  return /^\d{17}[\dXx]$/.test(text.trim());
}
