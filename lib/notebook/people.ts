/**
 * Identity helpers that need no browser: colours and ids.
 */
import type { Deps } from './keys';

/** Colours that stay readable as white-on-colour labels and on a white page (WCAG AA for large text). */
export const PERSON_COLORS = ['#1f6feb', '#c2410c', '#15803d', '#9333ea', '#be123c', '#0e7490', '#a16207', '#4338ca'] as const;

/** A colour suggestion for a new person: not one already used by `taken` when possible. */
export function suggestColor(taken: readonly string[], random: () => number = Math.random): string {
  const free = PERSON_COLORS.filter((c) => !taken.includes(c));
  const pool = free.length ? free : PERSON_COLORS;
  return pool[Math.floor(random() * pool.length)]!;
}

/** A random id: 128 bits as 22 URL-safe characters. */
export function randomId(getRandomValues: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  const bytes = getRandomValues(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** True when `c` is a #rrggbb colour (anything else from a peer is replaced before use in CSS). */
export function isSafeColor(c: string): boolean {
  return /^#[0-9a-fA-F]{6}$/.test(c);
}

/** The real clock and id source, for callers outside tests (tests pass their own {@link Deps}). */
export const systemDeps: Deps = { newId: () => randomId(), now: () => Date.now() };
