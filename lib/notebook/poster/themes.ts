/** Poster themes: proposing, voting, points, quotes, and cited sources. */
import * as Y from 'yjs';
import type { PosterTheme, ThemeQuote, ThemeVote } from './types';
import { type Deps, posterMap, themesMap, write } from '../keys';
import { NotebookError, num } from '../parse';
import { POSTER_LIMITS, ensurePoster, quotePages, safeKey } from './text';

/**
 * Adds a proposed theme (build it with `proposeTheme` from lib/poster/draft: the proposer's vote
 * is "agree"). Ignored when a theme with that id exists. Creates the poster if needed, so a theme
 * can be proposed from a topic before anyone drafts the poster.
 */
export function proposePosterTheme(doc: Y.Doc, theme: PosterTheme, deps?: Pick<Deps, 'now'>): void {
  if (!safeKey(theme.id)) throw new NotebookError('A theme needs a valid id.');
  write(doc, () => {
    ensurePoster(doc);
    const themes = themesMap(doc);
    if (themes.has(theme.id)) return;
    if (themes.size >= POSTER_LIMITS.themes)
      throw new NotebookError(`The poster has ${POSTER_LIMITS.themes} themes already; remove some before proposing more.`);
    let max = 0;
    themes.forEach((m) => (max = Math.max(max, (m instanceof Y.Map ? num(m.get('order')) : 0) ?? 0)));
    const m = new Y.Map<unknown>();
    m.set('title', new Y.Text(theme.title.replace(/\s+/g, ' ').trim().slice(0, POSTER_LIMITS.short)));
    m.set('points', Y.Array.from(theme.keyPoints.slice(0, POSTER_LIMITS.pointsPerTheme).map((k) => new Y.Text(k.slice(0, POSTER_LIMITS.short)))));
    m.set(
      'quotes',
      Y.Array.from(theme.quotes.slice(0, POSTER_LIMITS.quotesPerTheme).map((q) => JSON.stringify({ ...q, text: q.text.slice(0, POSTER_LIMITS.quote) }))),
    );
    const votes = new Y.Map<ThemeVote>();
    for (const [person, v] of Object.entries(theme.votes)) if (v === 'agree' || v === 'unsure') votes.set(person, v);
    m.set('votes', votes);
    m.set('recordedBy', new Y.Map<string>());
    m.set('proposedBy', theme.proposedBy);
    if (theme.from) m.set('from', JSON.stringify(theme.from));
    m.set('order', max + 1);
    if (deps) m.set('createdAt', deps.now());
    themes.set(theme.id, m);
  });
}

function themeMap(doc: Y.Doc, themeId: string): Y.Map<unknown> {
  const m = themesMap(doc).get(themeId);
  if (!(m instanceof Y.Map)) throw new NotebookError('That theme is no longer on the poster. A partner may have removed it.');
  return m;
}

function themeChild<T>(m: Y.Map<unknown>, key: string, make: () => T, is: (v: unknown) => v is T): T {
  const v = m.get(key);
  if (is(v)) return v;
  const fresh = make();
  m.set(key, fresh);
  return fresh;
}

/**
 * Records a partner's vote on a theme. `recordedBy` is who pressed the button: when it is not
 * the voter (a partner said "yes" by email), that is kept and shown beside the vote; when the
 * partner votes themselves, any such note is cleared.
 */
export function voteTheme(doc: Y.Doc, themeId: string, personId: string, vote: ThemeVote, recordedBy: string = personId): void {
  if (vote !== 'agree' && vote !== 'unsure') throw new NotebookError('A vote is “agree” or “not sure”.');
  const m = themeMap(doc, themeId);
  write(doc, () => {
    themeChild(
      m,
      'votes',
      () => new Y.Map<ThemeVote>(),
      (v): v is Y.Map<ThemeVote> => v instanceof Y.Map,
    ).set(personId, vote);
    const rec = themeChild(
      m,
      'recordedBy',
      () => new Y.Map<string>(),
      (v): v is Y.Map<string> => v instanceof Y.Map,
    );
    if (recordedBy !== personId) rec.set(personId, recordedBy);
    else if (rec.has(personId)) rec.delete(personId);
  });
}

/** The collaborative title of a theme. */
export function themeTitleText(doc: Y.Doc, themeId: string): Y.Text {
  const t = themeMap(doc, themeId).get('title');
  if (!(t instanceof Y.Text)) throw new NotebookError('That theme cannot be edited; a partner’s copy may be damaged.');
  return t;
}

/** The collaborative texts of a theme's key points, in order. */
export function themePointTexts(doc: Y.Doc, themeId: string): Y.Text[] {
  const a = themeMap(doc, themeId).get('points');
  return a instanceof Y.Array ? a.toArray().filter((p): p is Y.Text => p instanceof Y.Text) : [];
}

/** Adds a key point to a theme. */
export function addThemePoint(doc: Y.Doc, themeId: string, text: string): void {
  const m = themeMap(doc, themeId);
  write(doc, () => {
    const a = themeChild(
      m,
      'points',
      () => new Y.Array<Y.Text>(),
      (v): v is Y.Array<Y.Text> => v instanceof Y.Array,
    );
    if (a.length >= POSTER_LIMITS.pointsPerTheme) throw new NotebookError(`A theme can have ${POSTER_LIMITS.pointsPerTheme} key points.`);
    a.push([new Y.Text(text.slice(0, POSTER_LIMITS.short))]);
  });
}

/** Removes a key point (by its text object, so a concurrent insert before it cannot shift the target). */
export function removeThemePoint(doc: Y.Doc, themeId: string, point: Y.Text): void {
  const a = themeMap(doc, themeId).get('points');
  if (!(a instanceof Y.Array)) return;
  const i = a.toArray().indexOf(point);
  if (i >= 0) write(doc, () => a.delete(i, 1));
}

/** Adds a quote (usually from a clip) to a theme; a quote from a clip also puts the clip in Sources. */
export function addThemeQuote(doc: Y.Doc, themeId: string, quote: ThemeQuote): void {
  const text = quote.text.trim().slice(0, POSTER_LIMITS.quote);
  if (!text) throw new NotebookError('A quote needs some words. Select text in the clip, or use its description.');
  const m = themeMap(doc, themeId);
  write(doc, () => {
    const a = themeChild(
      m,
      'quotes',
      () => new Y.Array<string>(),
      (v): v is Y.Array<string> => v instanceof Y.Array,
    );
    const q: ThemeQuote = { text };
    if (quote.clipId) q.clipId = quote.clipId;
    if (quote.source) q.source = quote.source.slice(0, POSTER_LIMITS.short);
    const pages = quotePages(quote.pages);
    if (pages) q.pages = pages;
    const json = JSON.stringify(q);
    if (a.toArray().includes(json)) return;
    if (a.length >= POSTER_LIMITS.quotesPerTheme) throw new NotebookError(`A theme can have ${POSTER_LIMITS.quotesPerTheme} quotes.`);
    a.push([json]);
    if (quote.clipId) citeClipInPoster(doc, quote.clipId);
  });
}

/** Removes the quote at `index` of a theme. */
export function removeThemeQuote(doc: Y.Doc, themeId: string, index: number): void {
  const a = themeMap(doc, themeId).get('quotes');
  if (a instanceof Y.Array && index >= 0 && index < a.length) write(doc, () => a.delete(index, 1));
}

/** Removes a theme from the poster (for everyone). */
export function removePosterTheme(doc: Y.Doc, themeId: string): void {
  write(doc, () => themesMap(doc).delete(themeId));
}

/** Puts a clip in the poster's Sources (cited in APA 7 by the exports). Idempotent; merges concurrently. */
export function citeClipInPoster(doc: Y.Doc, clipId: string): void {
  if (!safeKey(clipId)) throw new NotebookError('That clip cannot be cited.');
  write(doc, () => {
    ensurePoster(doc);
    if (posterMap(doc).get(`source:${clipId}`) !== true) posterMap(doc).set(`source:${clipId}`, true);
  });
}

/** Takes a clip out of the poster's Sources (it stays cited if an agreed theme quotes it). */
export function unciteClipInPoster(doc: Y.Doc, clipId: string): void {
  write(doc, () => posterMap(doc).delete(`source:${clipId}`));
}
