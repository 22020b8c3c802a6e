/**
 * Highlighting for search results as plain data: arrays of `{ text, match }` parts that the UI
 * renders as text nodes and `<mark>`s. Never HTML strings, so clipped text can never inject
 * markup into the panel.
 */
import { normalizeTerm, wordSpans, type WordSpan } from './text';

/** A piece of text, and whether it is a match to highlight. */
export interface HighlightPart {
  text: string;
  match: boolean;
}

/** Options of {@link highlight} and {@link markMatches}. */
export interface HighlightOptions {
  /**
   * Also mark words that merely start with a term. Off by default because the terms MiniSearch
   * reports (`result.terms`) are the matched words themselves, fuzzy and prefix ones included;
   * turn it on for terms taken straight from what the person typed ({@link queryTerms}).
   */
  prefix?: boolean;
  /** At most this many snippets (default 3). */
  maxSnippets?: number;
  /** Characters of context on each side of a match (default 60). */
  context?: number;
  /** When nothing matches, return the opening of the text as one snippet (default true). */
  fallback?: boolean;
  /** Only the first this many characters are scanned (default 200 000), to bound the work. */
  maxScan?: number;
}

const ELLIPSIS = '…';

function matcher(terms: readonly string[], prefix: boolean): (w: WordSpan) => boolean {
  const set = new Set(terms.map(normalizeTerm).filter((t) => t !== ''));
  const list = [...set];
  return (w) => {
    const n = normalizeTerm(w.word);
    if (set.has(n)) return true;
    return prefix && list.some((t) => n.startsWith(t));
  };
}

function split(text: string, from: number, to: number, matches: readonly WordSpan[]): HighlightPart[] {
  const parts: HighlightPart[] = [];
  const push = (t: string, match: boolean) => {
    if (t === '') return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += t;
    else parts.push({ text: t, match });
  };
  let at = from;
  for (const m of matches) {
    if (m.end <= from || m.start >= to) continue;
    push(text.slice(at, m.start), false);
    push(text.slice(m.start, m.end), true);
    at = m.end;
  }
  push(text.slice(at, to), false);
  return parts;
}

/** The whole of `text` split into matching and non-matching parts (for titles and short fields). */
export function markMatches(text: string, terms: readonly string[], options: Pick<HighlightOptions, 'prefix'> = {}): HighlightPart[] {
  const isMatch = matcher(terms, options.prefix ?? false);
  return split(text, 0, text.length, wordSpans(text).filter(isMatch));
}

/** Moves `i` to just after a space (or the text's start) at or before `limit`, so snippets start on a word. */
function wordStart(text: string, i: number, limit: number): number {
  if (i <= 0) return 0;
  for (let j = i; j < limit; j++) if (/\s/.test(text[j]!)) return j + 1;
  return i;
}
function wordEnd(text: string, i: number, limit: number): number {
  if (i >= text.length) return text.length;
  for (let j = i; j > limit; j--) if (/\s/.test(text[j]!)) return j;
  return i;
}

/**
 * Up to `maxSnippets` passages of `text` around the words matching `terms`, each split into
 * `{ text, match }` parts; whitespace is collapsed and a cut is shown with "…". Matching is
 * case- and diacritic-insensitive, in any script ("kaladzija" marks "Kaladžija").
 */
export function highlight(text: string, terms: readonly string[], options: HighlightOptions = {}): HighlightPart[][] {
  const context = Math.max(0, options.context ?? 60);
  const maxSnippets = Math.max(1, options.maxSnippets ?? 3);
  const isMatch = matcher(terms, options.prefix ?? false);
  const matches = wordSpans(text, options.maxScan ?? 200_000).filter(isMatch);

  const windows: [number, number][] = [];
  if (matches.length === 0) {
    if (options.fallback === false || text.trim() === '') return [];
    windows.push([0, wordEnd(text, Math.min(text.length, 2 * context), 0)]);
  }
  for (const m of matches) {
    const s = wordStart(text, Math.max(0, m.start - context), m.start);
    const e = wordEnd(text, Math.min(text.length, m.end + context), m.end);
    const last = windows[windows.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else if (windows.length < maxSnippets) windows.push([s, e]);
    else break;
  }

  return windows.map(([s, e]) => {
    const parts = split(text, s, e, matches).map((p) => ({ text: p.text.replace(/\s+/g, ' '), match: p.match }));
    if (s > 0) {
      const first = parts[0];
      if (first && !first.match) first.text = ELLIPSIS + first.text.trimStart();
      else parts.unshift({ text: ELLIPSIS, match: false });
    }
    if (e < text.length) {
      const last = parts[parts.length - 1];
      if (last && !last.match) last.text = last.text.trimEnd() + ELLIPSIS;
      else parts.push({ text: ELLIPSIS, match: false });
    }
    return parts;
  });
}
