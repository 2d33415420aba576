import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type MessageKey } from './messages';
import { breakTypeLabel, type Lang } from '../../../shared/labels';
import type { BreakType } from '../../../shared/domain';
import { langOf, storeLocale, storedLocale, type Locale } from './locale-store';

export type { Locale };

/**
 * Punctuation between words: Chinese text takes full-width marks (`金额：…`, `（3）`,
 * `甲、乙`), English the ASCII ones with their spaces (`Amount: …`, ` (3)`, `a, b`).
 */
export interface Marks {
  colon: string;
  open: string;
  close: string;
  list: string;
  semi: string;
  comma: string;
}
const MARKS: Record<Locale, Marks> = {
  'zh-CN': { colon: '：', open: '（', close: '）', list: '、', semi: '；', comma: '，' },
  en: { colon: ': ', open: ' (', close: ')', list: ', ', semi: '; ', comma: ', ' },
};

interface I18n {
  locale: Locale;
  /** The language shared labels take (`shared/labels.ts`, `shared/audit-labels.ts`). */
  lang: Lang;
  t(key: MessageKey): string;
  breakLabel(type: BreakType): string;
  marks: Marks;
  /** `text` in brackets after what precedes it: `（text）` or ` (text)`. */
  paren(text: string | number): string;
  /** A file's line for people: `第 5 行` or `line 5`. */
  lineNo(n: number): string;
  toggle(): void;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(storedLocale);
  const toggle = useCallback(() => {
    setLocale((l) => {
      const next = l === 'zh-CN' ? 'en' : 'zh-CN';
      storeLocale(next);
      document.documentElement.lang = next;
      return next;
    });
  }, []);
  const value = useMemo<I18n>(() => {
    const marks = MARKS[locale];
    const lang = langOf(locale);
    return {
      locale,
      lang,
      t: (key) => (locale === 'en' ? en[key] : zh[key]),
      breakLabel: (type) => breakTypeLabel(type, lang),
      marks,
      paren: (text) => `${marks.open}${text}${marks.close}`,
      lineNo: (n) => (locale === 'en' ? `line ${n}` : `第 ${n} 行`),
      toggle,
    };
  }, [locale, toggle]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('I18nProvider missing');
  return v;
}
