/**
 * Reply language: DEFAULT_LOCALE, then the chat's `lang zh|en`, then the asker's own text when
 * it is clearly one language (ARCHITECTURE.md "Chat command language"). Metric acronyms (GMV,
 * ACoS, …) appear in Chinese text too, so any Han character makes a message Chinese.
 */
export type Locale = 'zh-CN' | 'en';

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[A-Za-z]{2,}/;

export function detectLanguage(text: string): Locale | null {
  if (HAN.test(text)) return 'zh-CN';
  if (LATIN_WORD.test(text)) return 'en';
  return null;
}

export function pickLocale(base: Locale, chatLocale: string | null | undefined, text?: string): Locale {
  const chat = chatLocale === 'en' || chatLocale === 'zh-CN' ? chatLocale : base;
  return (text && detectLanguage(text)) || chat;
}

/** A string in both languages; `tr` picks one. */
export interface Bilingual {
  en: string;
  'zh-CN': string;
}

export function tr(locale: Locale, s: Bilingual): string {
  return s[locale];
}
