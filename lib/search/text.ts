/**
 * How text becomes search terms. Shared by the index (MiniSearch's tokenize/processTerm) and the
 * highlighter, so that what is highlighted is exactly what was matched.
 */

/**
 * Separators between words: whitespace, punctuation and symbols (MiniSearch's default splits
 * only on whitespace and punctuation, which would keep "reader|writer" or "a+b" as one word).
 */
const WORD = /[^\p{Z}\p{P}\p{S}\p{Cc}]+/gu;
const SEPARATOR = /[\p{Z}\p{P}\p{S}\p{Cc}]+/u;

/** Words longer than this are not indexed: they are URLs, hashes or base64, and bloat the index. */
export const MAX_TERM_LENGTH = 50;

// Letters that carry no combining mark in Unicode, so NFD cannot strip them. Mapped to what
// people type on a keyboard without them (Đ is commonly written "dj" in Bosnian/Serbian Latin).
const FOLD: Record<string, string> = { đ: 'dj', ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', þ: 'th', ð: 'd', ı: 'i', ħ: 'h', ŧ: 't' };
const FOLD_RE = /[đłøæœßþðıħŧ]/g;

/**
 * A word as the index stores it: lower-case, without diacritics ("Kaladžija" → "kaladzija",
 * "Ёлка" → "елка"). Cyrillic й keeps its breve, because in Russian and Mongolian it is a
 * different letter from и, not an accented one.
 */
export function normalizeTerm(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/и\u0306/g, 'й')
    .replace(/\p{M}/gu, '')
    .replace(FOLD_RE, (c) => FOLD[c] ?? c)
    .normalize('NFC');
}

/** The words of `text`, as written (not normalised). */
export function tokenize(text: string): string[] {
  return text.split(SEPARATOR).filter((w) => w !== '');
}

/** A word of a text and where it is, in UTF-16 offsets (`end` exclusive). */
export interface WordSpan {
  start: number;
  end: number;
  word: string;
}

/** The words of `text` with their positions, up to `maxChars` characters in. */
export function wordSpans(text: string, maxChars = Infinity): WordSpan[] {
  const out: WordSpan[] = [];
  const scan = maxChars < text.length ? text.slice(0, maxChars) : text;
  for (const m of scan.matchAll(WORD)) out.push({ start: m.index, end: m.index + m[0].length, word: m[0] });
  return out;
}

/** The normalised terms of a query, in order, without duplicates or empty ones. */
export function queryTerms(query: string): string[] {
  const seen = new Set<string>();
  for (const w of tokenize(query)) {
    const t = normalizeTerm(w);
    if (t !== '' && t.length <= MAX_TERM_LENGTH) seen.add(t);
  }
  return [...seen];
}
