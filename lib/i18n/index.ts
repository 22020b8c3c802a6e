/**
 * The UI's current language and its `t()` function. Only the English messages of the first screens
 * are bundled (messages/en-core.json); the rest of English (messages/en-more.json) and every other
 * language are loaded on demand with a dynamic import, so the panel's startup script does not grow
 * with each language.
 */
import enCore from './messages/en-core.json';
import { formatDate, formatList, formatMessage, formatNumber, LOCALES, type Locale, type Message, type Params } from './core';

export * from './core';

/** Every English message (type only: the values are loaded in two parts, see en.ts). */
type English = (typeof import('./en'))['en'];
/** Every message key; English (messages/en-core.json and en-more.json) defines them. */
export type MessageKey = keyof English;
/** A full translation: a missing or extra key fails type-checking. */
export type Catalogue = Record<MessageKey, Message>;
/** Formats a message of one language. */
export type Translate = (key: MessageKey, params?: Params) => string;

/** A loaded language file as a `Catalogue`: a missing key, or a key English does not have, fails type-checking. */
const exactly = <T extends Catalogue & Record<Exclude<keyof T, MessageKey>, never>>(json: { default: T }): Catalogue => json.default;

/**
 * The background is a service worker, where `import()` is not allowed: its bundle would inline
 * every language (600 KB). It reads the packaged copies instead (wxt.config.ts copies messages/*.json
 * to i18n/ in the extension), the same files the panel's imports below are type-checked against.
 * `import.meta.env.ENTRYPOINT` is a constant WXT sets per build, so each bundle keeps one branch.
 */
const readPackaged = async (name: string): Promise<Catalogue> => {
  const r = await fetch(`/i18n/${name}.json`);
  if (!r.ok) throw new Error(`The ${name} messages could not be read (${r.status}).`);
  return (await r.json()) as Catalogue;
};

const loaders: Record<Locale, () => Promise<Catalogue>> =
  import.meta.env?.ENTRYPOINT === 'background'
    ? {
        ...(Object.fromEntries(LOCALES.map((l) => [l, () => readPackaged(l)])) as Record<Locale, () => Promise<Catalogue>>),
        en: () => readPackaged('en-more').then((more) => ({ ...enCore, ...more })),
      }
    : {
        en: () => import('./messages/en-more.json').then((m) => ({ ...enCore, ...m.default })),
        mn: () => import('./messages/mn.json').then(exactly),
        ru: () => import('./messages/ru.json').then(exactly),
        lv: () => import('./messages/lv.json').then(exactly),
        hr: () => import('./messages/hr.json').then(exactly),
        es: () => import('./messages/es.json').then(exactly),
        fr: () => import('./messages/fr.json').then(exactly),
      };

const loaded = new Map<Locale, Catalogue>();
const loading = new Map<Locale, Promise<Catalogue>>();
/** The English messages at hand: the startup part, then all of them. */
let english: Partial<Catalogue> = enCore;

/** Loads (once) the whole catalogue of `locale`. */
export function loadCatalogue(locale: Locale): Promise<Catalogue> {
  const have = loaded.get(locale);
  if (have) return Promise.resolve(have);
  let p = loading.get(locale);
  if (!p) {
    p = loaders[locale]().then((cat) => {
      loaded.set(locale, cat);
      if (locale === 'en') english = cat;
      return cat;
    });
    p.catch(() => loading.delete(locale));
    loading.set(locale, p);
  }
  return p;
}

/** A `t()` for one language; a key missing at run time (an old catalogue) falls back to English. */
export function translator(locale: Locale, cat: Partial<Catalogue>): Translate {
  return (key, params) => formatMessage(locale, cat[key] ?? english[key] ?? key, params);
}

/** Loads `locale` and returns its `t()`, for exports in a language other than the panel's. */
export async function translatorFor(locale: Locale): Promise<Translate> {
  return translator(locale, await loadCatalogue(locale));
}

/** English's `t()`, whatever the UI language (for tests and English-only formats). */
export const tEn: Translate = (key, params) => formatMessage('en', english[key] ?? key, params);

let locale: Locale = 'en';
let current: Translate = translator('en', enCore);
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
const notify = () => {
  for (const l of listeners) l();
};

/**
 * Switches the UI language (loading its catalogue first); the last call wins when several race.
 * English starts at once with its startup part; the rest follows in the background.
 */
export async function setLocale(next: Locale): Promise<void> {
  wanted = next;
  if (next === 'en' && !loaded.has('en')) {
    locale = 'en';
    current = translator('en', english);
    notify();
    // The rest arrives in the background; the translator reads `english` at each call, so no
    // re-render of the notebook is needed (first screens use only startup keys).
    void loadCatalogue('en').catch(() => {});
    return;
  }
  const cat = await loadCatalogue(next);
  if (wanted !== next) return;
  locale = next;
  current = translator(next, cat);
  notify();
}

/** Resolves when every message of the current language is loaded (pages loaded on demand wait for it). */
export function allMessages(): Promise<unknown> {
  return loadCatalogue(locale);
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
