import * as Y from 'yjs';
import type { Deps } from '../../lib/notebook';
import type { CapturedContent, PersonRef } from '../../lib/notebook/types';

/** Deterministic ids ("id-1", "id-2"…) and a clock that ticks one second per call. */
export function makeDeps(prefix = 'id', start = Date.UTC(2026, 2, 2, 9)): Deps & { tick(ms: number): void } {
  let n = 0;
  let t = start;
  return { newId: () => `${prefix}-${++n}`, now: () => (t += 1000), tick: (ms) => void (t += ms) };
}

/** A Y.Doc with a fixed client id, so encoded states are reproducible. */
export function makeDoc(clientID = 1): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
}

/** Captured content for a page clip, overridable field by field. */
export function makeCaptured(over: Partial<CapturedContent> = {}): CapturedContent {
  return {
    kind: 'page',
    url: 'https://library.example.mn/news/reading-club',
    title: 'Reading club for adults',
    siteName: 'Ulaanbaatar City Public Library',
    byline: 'Batbayar Dorj',
    lang: 'en',
    dir: 'ltr',
    excerpt: 'Our monthly reading club meets on Thursdays.',
    html: '<p>Our monthly reading club meets on Thursdays.</p>',
    text: 'Our monthly reading club meets on Thursdays.',
    wordCount: 7,
    ...over,
  };
}

/** The people of our examples. */
export const ANA: PersonRef = { id: 'person-ana', name: 'Ana Kaladžija' };
export const BATBAYAR: PersonRef = { id: 'person-bat', name: 'Батбаяр Дорж' };

/** Deterministic PRNG (mulberry32): the same "random" run on every machine, for tests and benchmarks. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
