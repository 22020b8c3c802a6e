/** Clips: adding, reading (with lazily inflated bodies), tags, comments, moving and deleting. */
import * as Y from 'yjs';
import { decodeClipBody, encodeClipBody } from './clip-body';
import { type CapturedContent, type Clip, type PersonRef } from './types';
import { type Deps, clipsMap, topicsMap, write } from './keys';
import { LIMITS, NotebookError, clean, num, parseCaptured, parseJson, parsePerson, str } from './parse';
import { skip } from './problems';

// ---------------------------------------------------------------------------------------------
// Clips

// Captured content never changes, so its parse is cached per Y.Map for fast re-renders.
const capturedCache = new WeakMap<Y.Map<unknown>, CapturedContent | null>();

/**
 * Gives `c` the large fields of a stored body as getters that inflate it when read, so that
 * opening a notebook, listing clips and re-rendering cards never decompress anything. Nothing is
 * kept after a read: holding every inflated body would put the whole notebook's text in memory.
 * A body cut to the size bounds here (only a faulty or hostile peer writes one) reads as truncated
 * once it has been read.
 */
function withLazyBody(c: CapturedContent, bytes: Uint8Array, onDamaged: () => void): CapturedContent {
  const writerCut = c.truncated === true;
  let cut = false;
  delete c.html;
  delete c.text;
  delete c.truncated;
  const field = (k: 'html' | 'text') => () => {
    const body = decodeClipBody(bytes);
    if (!body) return void onDamaged();
    const v = body[k];
    const max = k === 'html' ? LIMITS.clipHtml : LIMITS.clipText;
    if (v === undefined || v.length <= max) return v;
    cut = true;
    return v.slice(0, max);
  };
  return Object.defineProperties(c, {
    html: { enumerable: true, get: field('html') },
    text: { enumerable: true, get: field('text') },
    truncated: { enumerable: true, get: () => (writerCut || cut ? true : undefined) },
  });
}

/** A clip's captured content as stored: small fields from the JSON, large ones from `body` (or, in a version 1 clip, the JSON). */
function readCaptured(doc: Y.Doc, id: string, m: Y.Map<unknown>): CapturedContent | undefined {
  const c = parseCaptured(m.get('captured'));
  const body = m.get('body');
  return c && body instanceof Uint8Array ? withLazyBody(c, body, () => skip(doc, `clips/${id}/body`)) : c;
}

function parseClip(doc: Y.Doc, id: string, m: unknown): Clip | undefined {
  // Gone (deleted, or never there) is not malformed: only a value of the wrong kind is reported.
  if (m === undefined) return undefined;
  if (!(m instanceof Y.Map)) return skip(doc, `clips/${id}`);
  let captured = capturedCache.get(m);
  if (captured === undefined) {
    captured = readCaptured(doc, id, m) ?? null;
    capturedCache.set(m, captured);
  }
  const topicId = str(m.get('topicId'));
  // `made` since schema 2; version 1 clips (and older peers) keep two keys.
  const made = parseJson(m.get('made')) as { by?: unknown; at?: unknown } | undefined;
  const clippedBy = made && typeof made === 'object' ? parsePerson(made.by) : parsePerson(m.get('clippedBy'));
  const clippedAt = made && typeof made === 'object' ? num(made.at) : num(m.get('clippedAt'));
  if (!captured || topicId === undefined || !clippedBy || clippedAt === undefined) return skip(doc, `clips/${id}`);
  const tagsMap = m.get('tags');
  const tags = tagsMap instanceof Y.Map ? [...tagsMap.keys()].filter((t) => t.length <= LIMITS.tag).sort() : [];
  return { id, topicId, tags, comment: str(m.get('comment'), LIMITS.comment) ?? '', clippedBy, clippedAt, deletedAt: num(m.get('deletedAt')), captured };
}

/** What a caller gives to add a clip. */
export interface ClipInput {
  topicId: string;
  captured: CapturedContent;
  clippedBy: PersonRef;
  tags?: string[];
  comment?: string;
  /** When it was clipped; defaults to now. Queued clips keep the moment they were taken. */
  clippedAt?: number;
}

/**
 * Adds a clip and returns its id. The captured content is stored once: its small fields as one
 * JSON string, its HTML and text as one compressed value (see clip-body.ts).
 */
export function addClip(doc: Y.Doc, input: ClipInput, deps: Deps): string {
  if (!topicsMap(doc).has(input.topicId)) {
    throw new NotebookError('The topic for this clip no longer exists. Choose another topic and clip again.');
  }
  const id = deps.newId();
  write(doc, () => {
    const m = new Y.Map<unknown>();
    const { html, text, ...small } = input.captured;
    m.set('captured', JSON.stringify(small));
    if (html !== undefined || text !== undefined) m.set('body', encodeClipBody({ html, text }));
    m.set('topicId', input.topicId);
    // Every key is an item a notebook must decode when it opens: who and when share one
    // (immutable) value, and an empty comment is no value at all.
    if (input.comment) m.set('comment', input.comment.slice(0, LIMITS.comment));
    // Created now, even empty: two partners tagging at once must add to the same map.
    const tags = new Y.Map<true>();
    for (const t of normaliseTags(input.tags ?? [])) tags.set(t, true);
    m.set('tags', tags);
    m.set('made', JSON.stringify({ by: input.clippedBy, at: input.clippedAt ?? deps.now() }));
    clipsMap(doc).set(id, m);
  });
  return id;
}

/** Trims, lower-cases, de-duplicates and bounds tags. */
export function normaliseTags(tags: string[]): string[] {
  const set = new Set(tags.map((t) => clean(t, LIMITS.tag).toLowerCase()).filter(Boolean));
  return [...set].slice(0, LIMITS.tagsPerClip).sort();
}

/** Clips, newest first; by default only live clips (not deleted). */
export function readClips(doc: Y.Doc, filter: { topicId?: string; includeDeleted?: boolean } = {}): Clip[] {
  const out: Clip[] = [];
  clipsMap(doc).forEach((m, id) => {
    // Only the topic's clips are parsed: a topic page should not pay for 2 000 clips.
    if (filter.topicId !== undefined && m instanceof Y.Map && m.get('topicId') !== filter.topicId) return;
    const c = parseClip(doc, id, m);
    if (!c) return;
    if (filter.topicId !== undefined && c.topicId !== filter.topicId) return;
    if (!filter.includeDeleted && c.deletedAt !== undefined) return;
    out.push(c);
  });
  return out.sort((a, b) => b.clippedAt - a.clippedAt || (a.id < b.id ? -1 : 1));
}

/**
 * Live clips per topic id, counted without parsing them (the topic list shows these counts as the
 * panel opens): entries with the fields every clip has. An entry that is malformed in its
 * captured JSON is counted here but skipped (and reported) where clips are read.
 */
export function clipCounts(doc: Y.Doc): Map<string, number> {
  const out = new Map<string, number>();
  clipsMap(doc).forEach((m) => {
    if (!(m instanceof Y.Map) || m.get('deletedAt') !== undefined || typeof m.get('captured') !== 'string') return;
    const topicId = m.get('topicId');
    if (typeof topicId === 'string') out.set(topicId, (out.get(topicId) ?? 0) + 1);
  });
  return out;
}

/** Every tag on a live clip, sorted (for tag suggestions), read without parsing the clips. */
export function clipTags(doc: Y.Doc): string[] {
  const out = new Set<string>();
  clipsMap(doc).forEach((m) => {
    if (!(m instanceof Y.Map) || m.get('deletedAt') !== undefined) return;
    const tags = m.get('tags');
    if (tags instanceof Y.Map) for (const t of tags.keys()) if (t.length <= LIMITS.tag) out.add(t);
  });
  return [...out].sort();
}

/** The ids of every clip entry, deleted or not, without reading them (for work done in slices). */
export function clipIds(doc: Y.Doc): string[] {
  return [...clipsMap(doc).keys()];
}

/** One clip, deleted or not. */
export function readClip(doc: Y.Doc, id: string): Clip | undefined {
  return parseClip(doc, id, clipsMap(doc).get(id));
}

function clipMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const m = clipsMap(doc).get(id);
  if (!(m instanceof Y.Map)) throw new NotebookError('That clip no longer exists. A partner may have deleted it.');
  return m;
}

/** Moves a clip to another topic. */
export function moveClip(doc: Y.Doc, id: string, topicId: string): void {
  if (!topicsMap(doc).has(topicId)) throw new NotebookError('That topic no longer exists. Choose another one.');
  const m = clipMap(doc, id);
  write(doc, () => m.set('topicId', topicId));
}

/** Adds tags to a clip (partners' concurrent additions all survive). */
export function addClipTags(doc: Y.Doc, id: string, tags: string[]): void {
  const m = clipMap(doc, id);
  write(doc, () => {
    let t = m.get('tags');
    if (!(t instanceof Y.Map)) {
      t = new Y.Map<true>();
      m.set('tags', t);
    }
    const map = t as Y.Map<true>;
    for (const tag of normaliseTags(tags)) if (map.size < LIMITS.tagsPerClip) map.set(tag, true);
  });
}

/** Removes one tag from a clip. */
export function removeClipTag(doc: Y.Doc, id: string, tag: string): void {
  const t = clipMap(doc, id).get('tags');
  if (t instanceof Y.Map) write(doc, () => t.delete(tag));
}

/** Sets the comment on a clip. */
export function setClipComment(doc: Y.Doc, id: string, comment: string): void {
  const m = clipMap(doc, id);
  write(doc, () => m.set('comment', comment.slice(0, LIMITS.comment)));
}

/** Deletes a clip softly, so it can be restored with {@link restoreClip}. */
export function deleteClip(doc: Y.Doc, id: string, deps: Pick<Deps, 'now'>): void {
  const m = clipMap(doc, id);
  write(doc, () => m.set('deletedAt', deps.now()));
}

/** A clip's offline images: which stored image (by hash) each image address of its HTML shows. */
export interface ClipImageRefs {
  /** Image address in the clip's HTML → SHA-256 of the stored image (in the notebook's images doc). */
  refs: Record<string, string>;
  /** Images left out at capture, by reason (lib/clip/images.ts `SkipReason`). */
  skipped: Record<string, number>;
  /** Images the person removed to save space (the text stays). */
  removed?: number;
}

const MAX_IMAGE_REFS = 200;

/** Records which stored images a clip shows (after its images were captured, or by a partner). */
export function setClipImages(doc: Y.Doc, id: string, refs: Record<string, string>, skipped: Record<string, number>): void {
  const m = clipMap(doc, id);
  const value: ClipImageRefs = { refs: Object.fromEntries(Object.entries(refs).slice(0, MAX_IMAGE_REFS)), skipped };
  write(doc, () => m.set('images', JSON.stringify(value)));
}

/** Removes a clip's images to save space; its text stays and the reader says the images were removed. */
export function removeClipImages(doc: Y.Doc, id: string): void {
  const m = clipMap(doc, id);
  const before = readClipImages(doc, id);
  const removed = new Set(Object.values(before?.refs ?? {})).size + (before?.removed ?? 0);
  write(doc, () => m.set('images', JSON.stringify({ refs: {}, skipped: before?.skipped ?? {}, removed } satisfies ClipImageRefs)));
}

/** A clip's image references, validated (a partner's are untrusted), or undefined when it has none. */
export function readClipImages(doc: Y.Doc, id: string): ClipImageRefs | undefined {
  const m = clipsMap(doc).get(id);
  if (!(m instanceof Y.Map)) return undefined;
  return parseClipImages(m.get('images'));
}

function parseClipImages(v: unknown): ClipImageRefs | undefined {
  const o = parseJson(v) as { refs?: unknown; skipped?: unknown; removed?: unknown } | undefined;
  if (!o || typeof o !== 'object') return undefined;
  const refs: Record<string, string> = {};
  if (o.refs && typeof o.refs === 'object') {
    for (const [url, hash] of Object.entries(o.refs as Record<string, unknown>).slice(0, MAX_IMAGE_REFS)) {
      if (url.length <= 4096 && typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash)) refs[url] = hash;
    }
  }
  const skipped: Record<string, number> = {};
  if (o.skipped && typeof o.skipped === 'object') {
    for (const [k, n] of Object.entries(o.skipped as Record<string, unknown>).slice(0, 10)) {
      if (k.length <= 20 && typeof n === 'number' && Number.isSafeInteger(n) && n > 0) skipped[k] = n;
    }
  }
  const removed = num(o.removed);
  return { refs, skipped, ...(removed && removed > 0 && { removed: Math.floor(removed) }) };
}

/** Every clip's image hashes (deleted clips too: they can be restored), for size accounting and clean-up. */
export function clipImageHashes(doc: Y.Doc): Map<string, string[]> {
  const out = new Map<string, string[]>();
  clipsMap(doc).forEach((m, id) => {
    if (!(m instanceof Y.Map) || m.get('images') === undefined) return;
    const r = parseClipImages(m.get('images'));
    if (r) out.set(id, Object.values(r.refs));
  });
  return out;
}

/** Brings a deleted clip back. */
export function restoreClip(doc: Y.Doc, id: string): void {
  const m = clipMap(doc, id);
  write(doc, () => m.delete('deletedAt'));
}
