/**
 * English, the source of every message key: messages/en-core.json (the first screens, bundled) and
 * messages/en-more.json (loaded on demand). Other languages are checked against it in index.ts, so a
 * missing or extra key fails type-checking. Plurals are objects keyed by Intl.PluralRules category,
 * chosen by `{count}`. How the catalogues are laid out: messages/README.md.
 */
import enCore from './messages/en-core.json';
import enMore from './messages/en-more.json';

/** Every English message: the startup part and the on-demand part. */
export const en = { ...enCore, ...enMore };
