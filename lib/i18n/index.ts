/**
 * The UI's current language and its `t()` function. English is bundled (it is the source of the
 * keys and the fallback); the other catalogues are loaded on demand with a dynamic import, so the
 * panel's startup script does not grow with each language.
 */
import { en } from './en';
import { formatDate, formatList, formatMessage, formatNumber, LOCALES, type Locale, type Message, type Params } from './core';

export * from './core';
export { en };

/** Every message key; English (lib/i18n/en.ts) defines them. */
export type MessageKey = keyof typeof en;
/** A full translation: a missing or extra key fails type-checking. */
export type Catalogue = Record<MessageKey, Message>;
/** Formats a message of one language. */
export type Translate = (key: MessageKey, params?: Params) => string;

const loaders: Record<Exclude<Locale, 'en'>, () => Promise<Catalogue>> = {
  mn: () => import('./mn').then((m) => m.mn),
  ru: () => import('./ru').then((m) => m.ru),
  lv: () => import('./lv').then((m) => m.lv),
  hr: () => import('./hr').then((m) => m.hr),
  es: () => import('./es').then((m) => m.es),
  fr: () => import('./fr').then((m) => m.fr),
};

const loaded = new Map<Locale, Catalogue>([['en', en]]);

/** Loads (once) the catalogue of `locale`. */
export async function loadCatalogue(locale: Locale): Promise<Catalogue> {
  const have = loaded.get(locale);
  if (have) return have;
  const cat = await loaders[locale as Exclude<Locale, 'en'>]();
  loaded.set(locale, cat);
  return cat;
}

/** A `t()` for one language; keys missing at run time (an old catalogue) fall back to English. */
export function translator(locale: Locale, cat: Catalogue): Translate {
  return (key, params) => formatMessage(locale, cat[key] ?? en[key] ?? key, params);
}

/** Loads `locale` and returns its `t()`, for exports in a language other than the panel's. */
export async function translatorFor(locale: Locale): Promise<Translate> {
  return translator(locale, await loadCatalogue(locale));
}

/** English's `t()`, whatever the UI language (for tests and English-only formats). */
export const tEn: Translate = translator('en', en);

let locale: Locale = 'en';
let current: Translate = translator('en', en);
const listeners = new Set<() => void>();

/** Formats a message in the current UI language. */
export const t: Translate = (key, params) => current(key, params);

/** The current UI language. */
export function currentLocale(): Locale {
  return locale;
}

/** The current language's `t()`; a new function each time the language changes (for React). */
export function currentTranslator(): Translate {
  return current;
}

/** Calls `cb` whenever the UI language changes; returns the unsubscribe. */
export function subscribeLocale(cb: () => void): () => void {
  listeners.add(cb);
  return () => void listeners.delete(cb);
}

let wanted: Locale = 'en';
/** Switches the UI language (loading its catalogue first); the last call wins when several race. */
export async function setLocale(next: Locale): Promise<void> {
  wanted = next;
  const cat = await loadCatalogue(next);
  if (wanted !== next) return;
  locale = next;
  current = translator(next, cat);
  for (const l of listeners) l();
}

/** A date in the current UI language. */
export function date(ms: number, options?: Intl.DateTimeFormatOptions): string {
  return formatDate(locale, ms, options);
}

/** A number in the current UI language. */
export function num(n: number): string {
  return formatNumber(locale, n);
}

/** A list ("A, B and C") in the current UI language. */
export function list(items: readonly string[]): string {
  return formatList(locale, items);
}

/** Every language but English, for tests that load all catalogues. */
export const TRANSLATED: readonly Exclude<Locale, 'en'>[] = LOCALES.filter((l): l is Exclude<Locale, 'en'> => l !== 'en');
