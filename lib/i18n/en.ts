/**
 * English, the source of every message key. Other languages are typed `Catalogue` against this, so a
 * missing key fails type-checking. Plurals are objects keyed by Intl.PluralRules category, chosen by `{count}`.
 */
import { enCore } from './en-core';
import { enMore } from './en-more';

/** Every English message: the startup part and the on-demand part (see en-core.ts). */
export const en = { ...enCore, ...enMore } as const;
