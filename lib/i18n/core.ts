/**
 * The localisation layer's pure part: languages, plural-aware messages, `{name}` placeholders, and
 * formatting through `Intl` with the chosen locale. No browser APIs and no React; the panel's
 * React hook is components/i18n.ts, the stored choice is lib/ext/storage.ts.
 *
 * Why our own layer and not only `@wxt-dev/i18n`: that follows the browser's language only, and
 * partners need to pick the panel's language themselves (and the poster's, independently).
 */

/** The languages the UI is written in, as BCP 47 codes. English is the source of every key. */
export const LOCALES = ['en', 'mn', 'ru', 'lv', 'hr', 'es', 'fr'] as const;
/** One of the UI languages. */
export type Locale = (typeof LOCALES)[number];
/** The person's choice in Settings: a language, or whatever the browser is set to. */
export type LanguageChoice = Locale | 'browser';

/** Each language in its own name, for the language selects. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  mn: 'Монгол',
  ru: 'Русский',
  lv: 'Latviešu',
  hr: 'Hrvatski',
  es: 'Español',
  fr: 'Français',
};

/** Plural forms keyed by `Intl.PluralRules` category; `other` is always required. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
/** A catalogue entry: a string with `{name}` placeholders, or plural forms selected by `{count}`. */
export type Message = string | PluralMessage;
/** Values for placeholders. Numbers are formatted with the locale's digits and separators. */
export type Params = Record<string, string | number>;

/** True for a supported locale code. */
export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** Parses a stored choice; anything unknown is the browser default. */
export function parseChoice(v: unknown): LanguageChoice {
  return isLocale(v) ? v : 'browser';
}

/**
 * The locale to use for a choice: the chosen one, else the first of the browser's preferred
 * languages we have (by primary subtag: `ru-RU` → `ru`, `mn-Cyrl-MN` → `mn`), else English.
 */
export function resolveLocale(choice: LanguageChoice, browserLanguages: readonly string[]): Locale {
  if (choice !== 'browser') return choice;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isLocale(primary)) return primary;
  }
  return 'en';
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** The plural categories a language distinguishes for whole numbers (e.g. ru: one/few/many/other). */
export function pluralCategories(locale: Locale): Intl.LDMLPluralRule[] {
  return new Intl.PluralRules(locale).resolvedOptions().pluralCategories as Intl.LDMLPluralRule[];
}

/** Formats a number for `locale` (grouping and digits). */
export function formatNumber(locale: Locale, n: number): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale)));
  return f.format(n);
}

/** Picks the plural form for `count`, falling back to `other`. */
export function selectPlural(locale: Locale, m: PluralMessage, count: number): string {
  let r = pluralRules.get(locale);
  if (!r) pluralRules.set(locale, (r = new Intl.PluralRules(locale)));
  return m[r.select(count)] ?? m.other;
}

/** Replaces `{name}` placeholders; unknown names stay visible so a mistake is seen, not hidden. */
export function interpolate(locale: Locale, text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatNumber(locale, v) : v;
  });
}

/** Formats one message of a catalogue. A plural message is selected by `params.count` (0 when absent). */
export function formatMessage(locale: Locale, m: Message, params?: Params): string {
  if (typeof m === 'string') return interpolate(locale, m, params);
  const count = typeof params?.count === 'number' ? params.count : 0;
  return interpolate(locale, selectPlural(locale, m, count), params);
}

/** The placeholder names a message uses, in all its forms. */
export function placeholdersOf(m: Message): Set<string> {
  const texts = typeof m === 'string' ? [m] : Object.values(m).filter((s): s is string => typeof s === 'string');
  return new Set(texts.flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1] as string)));
}

/** Formats a date (epoch ms) for `locale`; the default shows day, short month and year. */
export function formatDate(locale: Locale, ms: number, options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' }): string {
  // Building a DateTimeFormat costs about 0.3 ms and lists re-render as notes change: keep them.
  const key = `${locale} ${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f.format(ms);
}
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Joins items as a list in `locale` ("A, B and C"; "A, B и C"). */
export function formatList(locale: Locale, items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return new Intl.ListFormat(locale, { style: 'long', type }).format(items);
}
