import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, zh, BREAK_LABELS_EN, type MessageKey } from './messages';
import { BREAK_LABELS } from '../../../shared/labels';
import type { BreakType } from '../../../shared/domain';

export type Locale = 'zh-CN' | 'en';

interface I18n {
  locale: Locale;
  t(key: MessageKey): string;
  breakLabel(type: BreakType): string;
  toggle(): void;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(() => (localStorage.getItem('gongji.locale') === 'en' ? 'en' : 'zh-CN'));
  const toggle = useCallback(() => {
    setLocale((l) => {
      const next = l === 'zh-CN' ? 'en' : 'zh-CN';
      localStorage.setItem('gongji.locale', next);
      document.documentElement.lang = next;
      return next;
    });
  }, []);
  const value = useMemo<I18n>(
    () => ({
      locale,
      t: (key) => (locale === 'en' ? en[key] : zh[key]),
      breakLabel: (type) => (locale === 'en' ? BREAK_LABELS_EN[type] : BREAK_LABELS[type]),
      toggle,
    }),
    [locale, toggle],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('I18nProvider missing');
  return v;
}
