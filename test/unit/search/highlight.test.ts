import { describe, expect, it } from 'vitest';
import { highlight, markMatches } from '../../../lib/search/highlight';
import { normalizeTerm, queryTerms } from '../../../lib/search/text';

const marked = (parts: { text: string; match: boolean }[]) => parts.filter((p) => p.match).map((p) => p.text);

describe('normalizeTerm and queryTerms', () => {
  it('folds case and diacritics, including letters without a combining mark', () => {
    expect(normalizeTerm('Kaladžija')).toBe('kaladzija');
    expect(normalizeTerm('Đurđa')).toBe('djurdja');
    expect(normalizeTerm('Łódź')).toBe('lodz');
    expect(normalizeTerm('Straße')).toBe('strasse');
    expect(normalizeTerm('Ёлка')).toBe('елка');
    expect(normalizeTerm('Өргөө')).toBe('өргөө');
    expect(normalizeTerm('Йошкар')).toBe('йошкар');
  });

  it('splits queries on spaces, punctuation and symbols and drops duplicates', () => {
    expect(queryTerms(' Reading-club, reading|Club! ')).toEqual(['reading', 'club']);
    expect(queryTerms('…  ?')).toEqual([]);
  });
});

describe('markMatches', () => {
  it('splits a whole text into parts, diacritic-insensitively', () => {
    expect(markMatches('Ana Kaladžija, Sarajevo', ['kaladzija'])).toEqual([
      { text: 'Ana ', match: false },
      { text: 'Kaladžija', match: true },
      { text: ', Sarajevo', match: false },
    ]);
  });

  it('marks prefixes only when asked', () => {
    expect(marked(markMatches('Библиотека и библиотекари', ['библиот']))).toEqual([]);
    expect(marked(markMatches('Библиотека и библиотекари', ['библиот'], { prefix: true }))).toEqual(['Библиотека', 'библиотекари']);
  });

  it('never produces markup: text that looks like HTML stays text', () => {
    const parts = markMatches('<img src=x onerror=alert(1)> library', ['library']);
    expect(parts).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: 'library', match: true },
    ]);
  });
});

describe('highlight', () => {
  const long = `${'Opening words of a long article. '.repeat(10)}The Sarajevo library hosts a reading club.${' Filler text follows here.'.repeat(10)} Another reading event in spring.${' More filler.'.repeat(10)}`;

  it('returns passages around matches, cut on word boundaries and marked with an ellipsis', () => {
    const snippets = highlight(long, ['reading'], { context: 30 });
    expect(snippets).toHaveLength(2);
    for (const s of snippets) {
      expect(s[0]!.text.startsWith('…')).toBe(true);
      expect(s.at(-1)!.text.endsWith('…')).toBe(true);
      expect(marked(s)).toEqual(['reading']);
    }
    expect(snippets[0]!.map((p) => p.text).join('')).toBe('…The Sarajevo library hosts a reading club. Filler text follows…');
  });

  it('merges nearby matches into one passage and respects maxSnippets', () => {
    const s = highlight(long, ['sarajevo', 'club'], { context: 20 });
    expect(s).toHaveLength(1);
    expect(marked(s[0]!)).toEqual(['Sarajevo', 'club']);
    expect(highlight(long, ['reading'], { context: 10, maxSnippets: 1 })).toHaveLength(1);
  });

  it('falls back to the opening of the text when nothing matches (unless told not to)', () => {
    const [s] = highlight(long, ['absent'], { context: 20 });
    expect(s).toEqual([{ text: 'Opening words of a long article. Opening…', match: false }]);
    expect(highlight(long, ['absent'], { fallback: false })).toEqual([]);
    expect(highlight('', ['x'])).toEqual([]);
  });

  it('works on Cyrillic and accented Latin, and collapses whitespace', () => {
    expect(highlight('Ulaanbaatar\n\nТөв номын   сан', ['номын'])).toEqual([
      [
        { text: 'Ulaanbaatar Төв ', match: false },
        { text: 'номын', match: true },
        { text: ' сан', match: false },
      ],
    ]);
    expect(marked(highlight('Čitaonica i knjižnica', ['citaonica', 'knjiznica'])[0]!)).toEqual(['Čitaonica', 'knjižnica']);
  });

  it('starts and ends at the text edges without an ellipsis', () => {
    expect(highlight('reading', ['reading'])).toEqual([[{ text: 'reading', match: true }]]);
  });
});
