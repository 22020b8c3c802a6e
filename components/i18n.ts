import { useSyncExternalStore } from 'react';
import { currentLocale, currentTranslator, subscribeLocale, type Locale, type Translate } from '../lib/i18n';

/** The current UI language's `t()`; the component re-renders when the person changes language. */
export function useT(): Translate {
  return useSyncExternalStore(subscribeLocale, currentTranslator);
}

/** The current UI language (for `Intl` formatting and `lang` attributes). */
export function useLocale(): Locale {
  return useSyncExternalStore(subscribeLocale, currentLocale);
}
