// Where the interface's language is kept between sessions, read by the language
// context and by the call client (a refusal is worded when it arrives).
import type { Lang } from '../../../shared/labels';

export type Locale = 'zh-CN' | 'en';
const KEY = 'gongji.locale';

export const storedLocale = (): Locale => (localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN');
export const storeLocale = (l: Locale): void => localStorage.setItem(KEY, l);
/** The shared labels' language for a locale. */
export const langOf = (l: Locale): Lang => (l === 'en' ? 'en' : 'zh');
export const storedLang = (): Lang => langOf(storedLocale());
