/** The poster outline: reading it, drafting it, and the comparison table. */
import * as Y from 'yjs';
import type { PosterOutline, PosterTheme, ThemeQuote, ThemeVote, ComparisonRow, PosterContact } from './types';
import { type Deps, posterMap, themesMap, write } from '../keys';
import { NotebookError, num, parseJson, str } from '../parse';
import {
  DRAFTED_SECTIONS,
  type DraftedSection,
  POSTER_LIMITS,
  type PosterTextField,
  applyTextEdit,
  ensurePoster,
  fieldLimit,
  isPosterField,
  posterText,
  quotePages,
  readPosterText,
  safeKey,
} from './text';
import { citeClipInPoster, proposePosterTheme } from './themes';
import { skip } from '../problems';

/** True once anyone drafted the poster or proposed a theme. */
export function hasPoster(doc: Y.Doc): boolean {
  return num(posterMap(doc).get('version')) !== undefined;
}

const orderedKeys = (doc: Y.Doc, prefix: string): string[] => {
  const out: { id: string; order: number }[] = [];
  posterMap(doc).forEach((v, k) => {
    if (!k.startsWith(prefix)) return;
    const id = k.slice(prefix.length);
    const order = num(v);
    if (safeKey(id) && order !== undefined) out.push({ id, order });
  });
  return out.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1)).map((x) => x.id);
};

const nextOrder = (doc: Y.Doc, prefix: string) => {
  let max = 0;
  posterMap(doc).forEach((v, k) => {
    const n = num(v);
    if (k.startsWith(prefix) && n !== undefined) max = Math.max(max, n);
  });
  return max + 1;
};

/** A row of the comparison table with its key, for editing cells. */
export interface PosterTableRow extends ComparisonRow {
  /** Stable key of the row (cells are stored per row key and partner). */
  key: string;
}

/** The comparison table, rows in order, with their keys. */
export function readPosterTable(doc: Y.Doc): PosterTableRow[] {
  const p = posterMap(doc);
  const rows: (PosterTableRow & { order: number })[] = [];
  p.forEach((v, k) => {
    if (!k.startsWith('row:')) return;
    const key = k.slice(4);
    const o = parseJson(v) as { label?: unknown; order?: unknown } | undefined;
    const label = str(o?.label, POSTER_LIMITS.short);
    const order = num(o?.order);
    if (!safeKey(key) || label === undefined || order === undefined) return void skip(doc, `poster/${k}`);
    rows.push({ key, label, order, values: {} });
  });
  rows.sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : 1));
  const byKey = new Map(rows.map((r) => [r.key, r]));
  p.forEach((v, k) => {
    const m = /^cell:([^:]+):([^:]+)$/.exec(k);
    const row = m && byKey.get(m[1]!);
    const value = str(v, POSTER_LIMITS.short);
    if (row && value !== undefined && safeKey(m[2]!)) row.values[m[2]!] = value;
  });
  return rows.map(({ order: _order, ...r }) => r);
}

function parseQuote(v: unknown): ThemeQuote | undefined {
  const o = parseJson(v) as Record<string, unknown> | undefined;
  const text = str(o?.text, POSTER_LIMITS.quote);
  if (!o || text === undefined) return undefined;
  const q: ThemeQuote = { text };
  const clipId = str(o.clipId, 64);
  const source = str(o.source, POSTER_LIMITS.short);
  if (clipId) q.clipId = clipId;
  if (source) q.source = source;
  const pages = quotePages(o.pages);
  if (pages) q.pages = pages;
  return q;
}

function parseTheme(doc: Y.Doc, id: string, m: unknown): (PosterTheme & { order: number }) | undefined {
  if (!(m instanceof Y.Map)) return skip(doc, `poster/themes/${id}`);
  const title = m.get('title');
  const proposedBy = str(m.get('proposedBy'), 64);
  if (!(title instanceof Y.Text) || proposedBy === undefined) return skip(doc, `poster/themes/${id}`);
  const points = m.get('points');
  const quotes = m.get('quotes');
  const votesMap = m.get('votes');
  const votes: Record<string, ThemeVote> = {};
  if (votesMap instanceof Y.Map) {
    votesMap.forEach((v, person) => {
      if (v === 'agree' || v === 'unsure') votes[person] = v;
    });
  }
  const from = parseJson(m.get('from')) as { kind?: unknown; id?: unknown } | undefined;
  const theme: PosterTheme & { order: number } = {
    id,
    title: title.toString().slice(0, POSTER_LIMITS.short),
    keyPoints:
      points instanceof Y.Array
        ? points
            .toArray()
            .filter((p): p is Y.Text => p instanceof Y.Text)
            .slice(0, POSTER_LIMITS.pointsPerTheme)
            .map((p) => p.toString().slice(0, POSTER_LIMITS.short))
        : [],
    quotes:
      quotes instanceof Y.Array
        ? quotes
            .toArray()
            .slice(0, POSTER_LIMITS.quotesPerTheme)
            .map(parseQuote)
            .filter((q): q is ThemeQuote => !!q)
        : [],
    votes,
    proposedBy,
    order: num(m.get('order')) ?? 0,
  };
  if (from && (from.kind === 'topic' || from.kind === 'clip' || from.kind === 'note') && typeof from.id === 'string')
    theme.from = { kind: from.kind, id: from.id.slice(0, 64) };
  return theme;
}

/** The proposed themes, in the order they were proposed. */
export function readPosterThemes(doc: Y.Doc): PosterTheme[] {
  const out: (PosterTheme & { order: number })[] = [];
  themesMap(doc).forEach((m, id) => {
    const t = parseTheme(doc, id, m);
    if (t) out.push(t);
  });
  return out
    .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
    .slice(0, POSTER_LIMITS.themes)
    .map(({ order: _order, ...t }) => t);
}

/**
 * Who recorded each vote that a partner did not cast themselves ("Батбаяр told me by email"), per
 * theme: `{ themeId: { voterId: recorderId } }`. Shown next to the vote so it is never mistaken
 * for the partner's own click.
 */
export function readVoteRecorders(doc: Y.Doc): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  themesMap(doc).forEach((m, id) => {
    const r = m instanceof Y.Map ? m.get('recordedBy') : undefined;
    if (!(r instanceof Y.Map)) return;
    const votes: Record<string, string> = {};
    r.forEach((by, voter) => {
      if (typeof by === 'string') votes[voter] = by;
    });
    if (Object.keys(votes).length) out[id] = votes;
  });
  return out;
}

/** The whole poster outline, or undefined while nobody has drafted it or proposed a theme. */
export function readPoster(doc: Y.Doc): PosterOutline | undefined {
  if (!hasPoster(doc)) return undefined;
  const p = posterMap(doc);
  const t = (f: PosterTextField) => readPosterText(doc, f);
  const contacts: PosterContact[] = orderedKeys(doc, 'contact:').map((id) => ({
    partnerId: id,
    name: t(`contact:${id}:name`),
    library: t(`contact:${id}:library`),
    email: t(`contact:${id}:email`),
    website: t(`contact:${id}:website`),
    social: t(`contact:${id}:social`)
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
  }));
  const clipIds: string[] = [];
  p.forEach((v, k) => {
    if (k.startsWith('source:') && v === true) clipIds.push(k.slice(7));
  });
  return {
    version: 1,
    draftedAt: num(p.get('draftedAt')) ?? 0,
    title: t('title'),
    subtitle: t('subtitle'),
    libraries: orderedKeys(doc, 'lib:').map((id) => ({ partnerId: id, text: t(`library:${id}`) })),
    comparison: {
      different: t('comparison.different'),
      similar: t('comparison.similar'),
      culturalExpectations: t('comparison.culturalExpectations'),
      table: readPosterTable(doc).map(({ label, values }) => ({ label, values })),
    },
    viewChanged: t('viewChanged'),
    themes: readPosterThemes(doc),
    howWeWorked: t('howWeWorked'),
    topicsDiscussed: t('topicsDiscussed'),
    difficultiesAndFuture: t('difficultiesAndFuture'),
    sources: { clipIds: clipIds.sort(), extra: t('sources.extra') },
    contacts,
  };
}

/** A row key from a label: drafted rows get the same key on every replica, so they merge. */
export function rowKeyFor(label: string): string {
  const k = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
  return k || 'row';
}

// What a draft writes, section by section; `overwrite` re-drafts, otherwise only empty parts fill.
function writeDraft(doc: Y.Doc, outline: PosterOutline, section: DraftedSection, overwrite: boolean, filled: Set<DraftedSection>) {
  const p = posterMap(doc);
  const fill = (field: PosterTextField, value: string) => {
    if (!isPosterField(field)) return;
    // Never replace words with nothing: where the draft has nothing to offer, what is there stays.
    if (!value.trim() || (!overwrite && readPosterText(doc, field).trim())) return;
    if (readPosterText(doc, field) !== value) filled.add(section);
    applyTextEdit(posterText(doc, field), value.slice(0, fieldLimit(field)));
  };
  switch (section) {
    case 'heading':
      fill('title', outline.title);
      fill('subtitle', outline.subtitle);
      return;
    case 'libraries':
      for (const l of outline.libraries) {
        if (!safeKey(l.partnerId)) continue;
        if (num(p.get(`lib:${l.partnerId}`)) === undefined) p.set(`lib:${l.partnerId}`, nextOrder(doc, 'lib:'));
        fill(`library:${l.partnerId}`, l.text);
      }
      return;
    case 'comparison': {
      fill('comparison.different', outline.comparison.different);
      fill('comparison.similar', outline.comparison.similar);
      const existing = new Map(readPosterTable(doc).map((r) => [r.key, r]));
      outline.comparison.table.slice(0, POSTER_LIMITS.rows).forEach((row, i) => {
        const key = rowKeyFor(row.label);
        const old = existing.get(key);
        if (!old) p.set(`row:${key}`, JSON.stringify({ label: row.label.slice(0, POSTER_LIMITS.short), order: i + 1 }));
        for (const [pid, raw] of Object.entries(row.values)) {
          const value = raw.trim().slice(0, POSTER_LIMITS.short);
          const cur = old?.values[pid] ?? '';
          if (!safeKey(pid) || !value || cur === value || (!overwrite && cur.trim())) continue;
          filled.add(section);
          p.set(`cell:${key}:${pid}`, value);
        }
      });
      return;
    }
    case 'howWeWorked':
    case 'topicsDiscussed':
      fill(section, outline[section]);
      return;
    case 'contacts':
      for (const c of outline.contacts) {
        if (!safeKey(c.partnerId)) continue;
        if (num(p.get(`contact:${c.partnerId}`)) === undefined) p.set(`contact:${c.partnerId}`, nextOrder(doc, 'contact:'));
        const id = c.partnerId;
        fill(`contact:${id}:name`, c.name);
        fill(`contact:${id}:library`, c.library);
        fill(`contact:${id}:email`, c.email);
        fill(`contact:${id}:website`, c.website);
        fill(`contact:${id}:social`, c.social.join('\n'));
      }
      return;
  }
}

/**
 * Fills the poster from a drafted outline (see `draftOutline`), writing ONLY parts that are empty:
 * whatever a partner already wrote stays as it is. Adds library and contact blocks for partners
 * who have none, missing table rows, and the outline's themes and sources that are not there yet.
 * @returns the drafted sections in which something was filled in.
 */
export function initPoster(doc: Y.Doc, outline: PosterOutline): DraftedSection[] {
  const filled = new Set<DraftedSection>();
  write(doc, () => {
    ensurePoster(doc);
    const p = posterMap(doc);
    if (num(p.get('draftedAt')) === undefined) p.set('draftedAt', outline.draftedAt);
    for (const s of DRAFTED_SECTIONS) writeDraft(doc, outline, s, false, filled);
    for (const t of outline.themes) if (!themesMap(doc).has(t.id)) proposePosterTheme(doc, t);
    for (const id of outline.sources.clipIds) citeClipInPoster(doc, id);
    // Texts no draft writes (only partners can), filled too when the outline has them (imports).
    const undrafted: [PosterTextField, string][] = [
      ['viewChanged', outline.viewChanged],
      ['difficultiesAndFuture', outline.difficultiesAndFuture],
      ['comparison.culturalExpectations', outline.comparison.culturalExpectations],
      ['sources.extra', outline.sources.extra],
    ];
    for (const [field, value] of undrafted) {
      if (value.trim() && !readPosterText(doc, field).trim()) applyTextEdit(posterText(doc, field), value.slice(0, fieldLimit(field)));
    }
  });
  return DRAFTED_SECTIONS.filter((s) => filled.has(s));
}

/**
 * Replaces one drafted section with a fresh draft (the person asked for it: "Re-draft this
 * section"). Table rows the partners added themselves, and the cultural-expectations text that
 * is never drafted, stay.
 * @returns true when something changed.
 */
export function redraftPosterSection(doc: Y.Doc, outline: PosterOutline, section: DraftedSection): boolean {
  const filled = new Set<DraftedSection>();
  write(doc, () => {
    ensurePoster(doc);
    writeDraft(doc, outline, section, true, filled);
  });
  return filled.size > 0;
}

/** Sets one cell of the comparison table (short values: last writer wins per cell). */
export function setPosterTableCell(doc: Y.Doc, rowKey: string, partnerId: string, value: string): void {
  if (!safeKey(rowKey) || !safeKey(partnerId)) throw new NotebookError('That table cell no longer exists. Reopen the Poster tab.');
  write(doc, () => {
    const v = value.slice(0, POSTER_LIMITS.short);
    if (v) posterMap(doc).set(`cell:${rowKey}:${partnerId}`, v);
    else posterMap(doc).delete(`cell:${rowKey}:${partnerId}`);
  });
}

/** Renames a row of the comparison table. */
export function setPosterRowLabel(doc: Y.Doc, rowKey: string, label: string): void {
  const row = readPosterTable(doc).find((r) => r.key === rowKey);
  if (!row) throw new NotebookError('That table row no longer exists. A partner may have removed it.');
  const order = (parseJson(posterMap(doc).get(`row:${rowKey}`)) as { order?: number }).order ?? 0;
  write(doc, () => posterMap(doc).set(`row:${rowKey}`, JSON.stringify({ label: label.slice(0, POSTER_LIMITS.short), order })));
}

/** Adds a row at the end of the comparison table and returns its key. */
export function addPosterTableRow(doc: Y.Doc, label: string, deps: Pick<Deps, 'newId'>): string {
  const rows = readPosterTable(doc);
  if (rows.length >= POSTER_LIMITS.rows) throw new NotebookError(`The table has ${POSTER_LIMITS.rows} rows already; remove one first.`);
  const key =
    deps
      .newId()
      .replace(/[^A-Za-z0-9_-]/g, '')
      .slice(0, 48) || 'row';
  let max = 0;
  for (const r of rows) max = Math.max(max, (parseJson(posterMap(doc).get(`row:${r.key}`)) as { order?: number }).order ?? 0);
  write(doc, () => {
    ensurePoster(doc);
    posterMap(doc).set(`row:${key}`, JSON.stringify({ label: label.slice(0, POSTER_LIMITS.short), order: max + 1 }));
  });
  return key;
}

/** Removes a row and its cells from the comparison table. */
export function removePosterTableRow(doc: Y.Doc, rowKey: string): void {
  write(doc, () => {
    const p = posterMap(doc);
    for (const k of [...p.keys()]) if (k === `row:${rowKey}` || k.startsWith(`cell:${rowKey}:`)) p.delete(k);
  });
}
