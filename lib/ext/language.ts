/**
 * The UI language at the browser edge: reads the choice stored in Settings, resolves it against
 * the browser's languages, and keeps `lib/i18n`'s current language (and the page's `lang`) in step.
 */
import { languageItem } from './storage';
import { parseChoice, resolveLocale, setLocale, translatorFor, type LanguageChoice, type Locale, type MessageKey, type Params } from '../i18n';

/** The browser's preferred languages (navigator, or the extension API's UI language as a fallback). */
function browserLanguages(): string[] {
  const nav = typeof navigator !== 'undefined' ? [...(navigator.languages ?? []), navigator.language].filter(Boolean) : [];
  return nav.length ? nav : [browser.i18n?.getUILanguage?.() ?? 'en'];
}

/** The stored choice. */
export async function readLanguageChoice(): Promise<LanguageChoice> {
  return parseChoice(await languageItem.getValue());
}

/** Stores a choice; every open panel and the background follow it. */
export async function saveLanguageChoice(choice: LanguageChoice): Promise<void> {
  await languageItem.setValue(choice);
}

/** The language a choice means on this browser. */
export function localeFor(choice: LanguageChoice): Locale {
  return resolveLocale(choice, browserLanguages());
}

/**
 * Applies the stored language now and whenever it changes (in this or another extension page).
 * `onApplied` runs after each switch (the panel sets `<html lang>`; the background rebuilds menus).
 */
export async function followLanguage(onApplied?: (locale: Locale) => void): Promise<() => void> {
  let done = () => {};
  ready = new Promise((r) => (done = r));
  const apply = async (choice: LanguageChoice) => {
    const locale = localeFor(choice);
    await setLocale(locale);
    onApplied?.(locale);
  };
  await apply(await readLanguageChoice()).finally(done);
  return languageItem.watch((v) => void apply(parseChoice(v)));
}

/** A message in the language chosen in Settings, for the background (which has no panel state). */
export async function backgroundText(key: MessageKey, params?: Params): Promise<string> {
  return (await translatorFor(localeFor(await readLanguageChoice())))(key, params);
}

let ready: Promise<void> = Promise.resolve();
/** Resolves once the stored language is applied (a woken service worker answers in it). */
export function languageReady(): Promise<void> {
  return ready;
}
