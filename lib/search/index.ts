/**
 * Full-text search over a notebook's clips and topic notes, with MiniSearch. Pure and
 * incremental: the UI feeds it plain `Clip`s and note texts as the Y.Doc changes and asks it
 * questions; nothing here knows about Yjs or the browser.
 *
 * Documents:
 * - one per clip: title, tags, site name (or the address's host), byline, the partner's
 *   comment, and the body (captured text, else the excerpt; plus image alt text);
 * - one per chunk (~1 000 characters of whole lines) of each topic's note, carrying the
 *   topic's title. Results fold the chunks back into one result per note, scored by its best
 *   chunk: BM25 then compares a paragraph with a clip instead of a 3 000-word note (whose length
 *   would bury every match in it), and the best chunk tells the UI where to show a snippet.
 *
 * Bounds: each clip body and each note is indexed up to its first {@link INDEX_LIMITS}.text
 * characters (50 000, about 8 000 words), comments up to 10 000; what lies beyond is not
 * searchable. Words longer than 50 characters (URLs, hashes) are not indexed.
 *
 * Ranking: title ×4, tags ×3, comment/site/byline ×1.5, body ×1. Several words must all match
 * (AND); if that finds nothing, any of them will do (OR), so one typo too many does not empty
 * the list. Prefix matching from two letters on; fuzzy matching from four (one edit up to six
 * letters, two beyond), because on shorter words it mostly finds noise.
 */
import MiniSearch, { type SearchResult as MiniResult } from 'minisearch';
import type { Clip, ClipKind } from '../notebook/types';
import { highlight, type HighlightOptions, type HighlightPart } from './highlight';
import { MAX_TERM_LENGTH, normalizeTerm, queryTerms, tokenize } from './text';

export { highlight, markMatches, type HighlightOptions, type HighlightPart } from './highlight';
export { normalizeTerm, queryTerms } from './text';

/** How much of each document is indexed (characters, UTF-16). */
export const INDEX_LIMITS = {
  /** A clip's body, and a whole note. */
  text: 50_000,
  comment: 10_000,
  /** Target size of a note chunk; chunks end at line ends. */
  chunk: 1_000,
} as const;

/** Narrowing a search. All given conditions must hold; a list means "any of these". */
export interface SearchFilters {
  /** Only clips and notes of these topics. */
  topicId?: string | readonly string[];
  /** Only clips carrying all of these tags (case-insensitive). Excludes notes. */
  tag?: string | readonly string[];
  /** Only clips clipped by this person (partner id). Excludes notes. */
  personId?: string | readonly string[];
  /** Only clips of these kinds. Excludes notes. */
  kind?: ClipKind | readonly ClipKind[];
  /** Only clips clipped at or after this moment (epoch ms). Excludes notes. */
  from?: number;
  /** Only clips clipped at or before this moment (epoch ms). Excludes notes. */
  to?: number;
  /** Only clips, or only notes. */
  type?: 'clip' | 'note';
}

/** Options of {@link SearchIndex.search}. */
export interface SearchOptions {
  /** At most this many results (default: all). */
  limit?: number;
}

/** A clip that matched. */
export interface ClipResult {
  type: 'clip';
  clipId: string;
  topicId: string;
  clippedAt: number;
  /** Relevance; 0 for the filtered list of an empty query. */
  score: number;
  /** The indexed words that matched (normalised), for {@link highlight}. */
  terms: string[];
  /** Fields that matched: title, tags, site, byline, comment, text. */
  fields: string[];
}

/** A topic note that matched. */
export interface NoteResult {
  type: 'note';
  topicId: string;
  score: number;
  terms: string[];
  fields: string[];
  /** Offset in the note's text of the best-matching chunk, to scroll to or snippet from. */
  offset: number;
}

/** One search hit, best first. */
export type SearchResult = ClipResult | NoteResult;

/** An incrementally updated search index over one notebook. */
export interface SearchIndex {
  /** Adds a clip, or replaces it if its id is already indexed. Soft-deleted clips are removed instead. */
  addClip(clip: Clip): void;
  /** Removes a clip (no-op if unknown). */
  removeClip(id: string): void;
  /** Sets a topic's note title and plain text; only the chunks that changed are re-indexed. */
  setNote(topicId: string, title: string, text: string): void;
  /** Removes a topic's note (when the topic is deleted). */
  removeNote(topicId: string): void;
  /**
   * Results for `query` that pass `filters`, best first. An empty (or punctuation-only) query
   * lists the clips that pass the filters, newest first.
   */
  search(query: string, filters?: SearchFilters, options?: SearchOptions): SearchResult[];
  /** Highlighted passages for a result, from the part of the clip or note that matched. */
  snippets(result: SearchResult, options?: HighlightOptions): HighlightPart[][];
  /** How many clips and notes are indexed. */
  readonly size: { clips: number; notes: number };
  /** Forgets everything (e.g. when switching notebooks). */
  clear(): void;
}

interface IndexedDoc {
  id: string;
  title: string;
  tags: string;
  site: string;
  byline: string;
  comment: string;
  text: string;
}

type DocMeta = { type: 'clip'; clip: Clip; body: string } | { type: 'note'; topicId: string; chunk: number };

interface NoteEntry {
  title: string;
  text: string;
  chunks: { offset: number; text: string }[];
}

const FIELDS = ['title', 'tags', 'site', 'byline', 'comment', 'text'] as const;
const BOOST = { title: 4, tags: 3, site: 1.5, byline: 1.5, comment: 1.5, text: 1 };

const clipDocId = (id: string) => `c\u0000${id}`;
const noteDocId = (topicId: string, i: number) => `n\u0000${topicId}\u0000${i}`;

const asList = <T>(v: T | readonly T[] | undefined): readonly T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? (v as readonly T[]) : [v as T];

function processTerm(term: string): string | null {
  const t = normalizeTerm(term);
  return t === '' || t.length > MAX_TERM_LENGTH ? null : t;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

function clipBody(clip: Clip): string {
  const c = clip.captured;
  const body = c.text?.trim() ? c.text : (c.excerpt ?? '');
  const extra = c.imageAlt ? `\n${c.imageAlt}` : '';
  return (body.length > INDEX_LIMITS.text ? body.slice(0, INDEX_LIMITS.text) : body) + extra;
}

/** Splits a note into chunks of whole lines of about {@link INDEX_LIMITS}.chunk characters. */
function chunkNote(text: string): { offset: number; text: string }[] {
  const out: { offset: number; text: string }[] = [];
  let start = 0;
  let at = 0;
  while (at < text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    at = nl + 1;
    // A line longer than a chunk is kept whole: splitting mid-sentence would hurt snippets more.
    if (at - start >= INDEX_LIMITS.chunk || at >= text.length) {
      const piece = text.slice(start, Math.min(at, text.length));
      if (piece.trim() !== '') out.push({ offset: start, text: piece });
      start = at;
    }
  }
  return out;
}

function compileFilter(f: SearchFilters): (m: DocMeta) => boolean {
  const topics = asList(f.topicId);
  const tags = asList(f.tag)?.map((t) => t.toLowerCase());
  const people = asList(f.personId);
  const kinds = asList(f.kind);
  const clipOnly = tags !== undefined || people !== undefined || kinds !== undefined || f.from !== undefined || f.to !== undefined;
  return (m) => {
    if (f.type !== undefined && m.type !== f.type) return false;
    if (m.type === 'note') return !clipOnly && (topics === undefined || topics.includes(m.topicId));
    const c = m.clip;
    if (topics !== undefined && !topics.includes(c.topicId)) return false;
    if (people !== undefined && !people.includes(c.clippedBy.id)) return false;
    if (kinds !== undefined && !kinds.includes(c.captured.kind)) return false;
    if (f.from !== undefined && c.clippedAt < f.from) return false;
    if (f.to !== undefined && c.clippedAt > f.to) return false;
    if (tags !== undefined) {
      const have = c.tags.map((t) => t.toLowerCase());
      if (!tags.every((t) => have.includes(t))) return false;
    }
    return true;
  };
}

const byNewest = (a: ClipResult, b: ClipResult) => b.clippedAt - a.clippedAt || (a.clipId < b.clipId ? -1 : 1);

/** Creates an empty index; feed it with `addClip` and `setNote`. */
export function createSearchIndex(): SearchIndex {
  const mini = new MiniSearch<IndexedDoc>({ fields: [...FIELDS], storeFields: [], tokenize, processTerm });
  const meta = new Map<string, DocMeta>();
  const clips = new Map<string, Clip>();
  const notes = new Map<string, NoteEntry>();

  function removeClip(id: string) {
    if (!clips.has(id)) return;
    clips.delete(id);
    const docId = clipDocId(id);
    meta.delete(docId);
    // discard() is lazy (the index is cleaned up in the background by auto-vacuum), which keeps
    // edits cheap while the person types a comment or retags clips.
    mini.discard(docId);
  }

  function addClip(clip: Clip) {
    removeClip(clip.id);
    if (clip.deletedAt !== undefined) return;
    const c = clip.captured;
    const body = clipBody(clip);
    const docId = clipDocId(clip.id);
    mini.add({
      id: docId,
      title: c.title ?? '',
      tags: clip.tags.join(' '),
      site: c.siteName?.trim() ? c.siteName : hostOf(c.url),
      byline: c.byline ?? '',
      comment: clip.comment.slice(0, INDEX_LIMITS.comment),
      text: body,
    });
    clips.set(clip.id, clip);
    meta.set(docId, { type: 'clip', clip, body });
  }

  function setNote(topicId: string, title: string, text: string) {
    const capped = text.length > INDEX_LIMITS.text ? text.slice(0, INDEX_LIMITS.text) : text;
    const old = notes.get(topicId);
    // An empty note still gets one chunk, so the topic can be found by its title.
    const chunks = chunkNote(capped);
    if (chunks.length === 0) chunks.push({ offset: 0, text: '' });
    const titleChanged = old?.title !== title;
    chunks.forEach((ch, i) => {
      const prev = old?.chunks[i];
      // Keep chunks that did not change: typing in one paragraph re-indexes one chunk, not 3 000 words.
      if (!titleChanged && prev && prev.text === ch.text) return;
      const id = noteDocId(topicId, i);
      if (prev) mini.discard(id);
      mini.add({ id, title, tags: '', site: '', byline: '', comment: '', text: ch.text });
      meta.set(id, { type: 'note', topicId, chunk: i });
    });
    for (let i = chunks.length; i < (old?.chunks.length ?? 0); i++) {
      const id = noteDocId(topicId, i);
      mini.discard(id);
      meta.delete(id);
    }
    notes.set(topicId, { title, text: capped, chunks });
  }

  function removeNote(topicId: string) {
    const old = notes.get(topicId);
    if (!old) return;
    old.chunks.forEach((_, i) => {
      mini.discard(noteDocId(topicId, i));
      meta.delete(noteDocId(topicId, i));
    });
    notes.delete(topicId);
  }

  function listClips(filter: (m: DocMeta) => boolean, limit: number): SearchResult[] {
    const out: ClipResult[] = [];
    for (const m of meta.values()) {
      if (m.type !== 'clip' || !filter(m)) continue;
      out.push({ type: 'clip', clipId: m.clip.id, topicId: m.clip.topicId, clippedAt: m.clip.clippedAt, score: 0, terms: [], fields: [] });
    }
    return out.sort(byNewest).slice(0, limit);
  }

  function search(query: string, filters: SearchFilters = {}, options: SearchOptions = {}): SearchResult[] {
    const limit = options.limit ?? Infinity;
    const filter = compileFilter(filters);
    const terms = queryTerms(query);
    if (terms.length === 0) return listClips(filter, limit);

    const q = terms.join(' ');
    const opts = {
      boost: BOOST,
      prefix: (t: string) => t.length >= 2,
      fuzzy: (t: string) => (t.length < 4 ? false : t.length <= 6 ? 1 : 2),
      filter: (r: MiniResult) => {
        const m = meta.get(r.id as string);
        return m !== undefined && filter(m);
      },
      combineWith: 'AND' as const,
    };
    let hits = mini.search(q, opts);
    if (hits.length === 0 && terms.length > 1) hits = mini.search(q, { ...opts, combineWith: 'OR' });

    const out: SearchResult[] = [];
    const noteHits = new Map<string, NoteResult>();
    for (const h of hits) {
      const m = meta.get(h.id as string);
      if (!m) continue;
      const fields = [...new Set(Object.values(h.match).flat())];
      if (m.type === 'clip') {
        out.push({ type: 'clip', clipId: m.clip.id, topicId: m.clip.topicId, clippedAt: m.clip.clippedAt, score: h.score, terms: h.terms, fields });
        continue;
      }
      const offset = notes.get(m.topicId)?.chunks[m.chunk]?.offset ?? 0;
      const seen = noteHits.get(m.topicId);
      if (!seen) {
        const r: NoteResult = { type: 'note', topicId: m.topicId, score: h.score, terms: [...h.terms], fields, offset };
        noteHits.set(m.topicId, r);
        out.push(r);
      } else {
        // Best chunk decides the score and snippet; other chunks add their words to highlight.
        if (h.score > seen.score) {
          seen.score = h.score;
          seen.offset = offset;
        }
        seen.terms = [...new Set([...seen.terms, ...h.terms])];
        seen.fields = [...new Set([...seen.fields, ...fields])];
      }
    }
    out.sort((a, b) => b.score - a.score || (a.type === 'clip' && b.type === 'clip' ? byNewest(a, b) : 0));
    return out.slice(0, limit);
  }

  function snippets(result: SearchResult, options: HighlightOptions = {}): HighlightPart[][] {
    if (result.type === 'note') {
      const note = notes.get(result.topicId);
      if (!note) return [];
      const chunk = note.chunks.find((c) => c.offset === result.offset) ?? note.chunks[0];
      return highlight(chunk?.text ?? '', result.terms, options);
    }
    const m = meta.get(clipDocId(result.clipId));
    if (!m || m.type !== 'clip') return [];
    // The body is the usual place; a match only in the comment is shown from the comment.
    const inBody = highlight(m.body, result.terms, { ...options, fallback: false });
    if (inBody.length > 0) return inBody;
    const inComment = highlight(m.clip.comment, result.terms, { ...options, fallback: false });
    if (inComment.length > 0) return inComment;
    return highlight(m.body, result.terms, options);
  }

  return {
    addClip,
    removeClip,
    setNote,
    removeNote,
    search,
    snippets,
    get size() {
      return { clips: clips.size, notes: notes.size };
    },
    clear() {
      mini.removeAll();
      meta.clear();
      clips.clear();
      notes.clear();
    },
  };
}
