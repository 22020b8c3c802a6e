import { createElement, Fragment, useSyncExternalStore, type ReactNode } from 'react';
import { currentLocale, currentTranslator, subscribeLocale, type Locale, type Translate } from '../lib/i18n';

/** The current UI language's `t()`; the component re-renders when the person changes language. */
export function useT(): Translate {
  return useSyncExternalStore(subscribeLocale, currentTranslator);
}

/** The current UI language (for `Intl` formatting and `lang` attributes). */
export function useLocale(): Locale {
  return useSyncExternalStore(subscribeLocale, currentLocale);
}

/**
 * Puts React nodes into a translated sentence: `fill(t('clipBar.clipped', { topic }), { title: <strong>…</strong> })`
 * keeps the sentence whole for translators (word order differs between languages) while parts of it
 * are links, buttons or emphasis. Placeholders without a node stay as text.
 */
export function fill(text: string, nodes: Record<string, ReactNode>): ReactNode[] {
  return text.split(/(\{\w+\})/).map((part, i) => {
    const m = /^\{(\w+)\}$/.exec(part);
    const name = m?.[1];
    return name !== undefined && name in nodes ? createElement(Fragment, { key: i }, nodes[name]) : part;
  });
}
