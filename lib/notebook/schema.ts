/**
 * The one module that knows the shape of a notebook's Y.Doc. Everything else calls the typed
 * functions below; no other file names a root type or a key.
 *
 * Shape (schema version 1):
 *   meta      Y.Map   schemaVersion, title, programmeName, programmeStart, posterDeadline
 *   topics    Y.Map<id, Y.Map>  title, prompt, kind, start, end, order, archived, createdAt
 *   note:<id> Y.XmlFragment     one shared rich-text body per topic (bound to Tiptap)
 *   clips     Y.Map<id, Y.Map>  captured (JSON text, immutable), topicId, comment,
 *                               tags (Y.Map<tag, true>), clippedBy (JSON), clippedAt, deletedAt
 *   partners  Y.Map<id, Y.Map>  one key per profile field; facts flattened; social as JSON
 *
 * Notes are root-level fragments (not values inside a map) because root types merge by name:
 * two partners who open a topic's note at the same moment can never create two competing bodies.
 *
 * Everything read from the doc is parsed defensively: a peer is untrusted input, so a value of
 * the wrong type is dropped (and counted in {@link readProblems}) rather than crashing the panel.
 */
import * as Y from 'yjs';
import {
  LIBRARY_TYPES,
  type CapturedContent,
  type Clip,
  type ClipKind,
  type LibraryFacts,
  type LibraryType,
  type NotebookInfo,
  type PartnerProfile,
  type PersonRef,
  type Topic,
  type TopicKind,
} from './types';

/** The schema version this build writes. */
export const SCHEMA_VERSION = 1;

/** Where the clock and ids come from, so tests are deterministic. */
export interface Deps {
  newId(): string;
  now(): number;
}

/** Transaction origin for changes made by the person at this computer. */
export const LOCAL_ORIGIN = 'local';

const META = 'meta';
const TOPICS = 'topics';
const CLIPS = 'clips';
const PARTNERS = 'partners';
const NOTE_PREFIX = 'note:';

/** Bounds on mutable text fields, so one peer cannot bloat everyone's notebook. */
export const LIMITS = {
  title: 200,
  prompt: 4_000,
  comment: 10_000,
  tag: 40,
  tagsPerClip: 30,
  profileField: 500,
  socialLinks: 10,
  /** Captured HTML of one clip, in UTF-16 code units (the clipper cuts at 2 MB of UTF-8 first). */
  clipHtml: 2_200_000,
  clipText: 1_100_000,
  clipData: 100_000,
  /** Any other captured string (title, URLs, byline…). */
  clipField: 8_000,
} as const;

/** Thrown when a notebook cannot be used as it is; the message says what to do. */
export class NotebookError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotebookError';
  }
}

// ---------------------------------------------------------------------------------------------
// Root types (private)

const meta = (doc: Y.Doc) => doc.getMap<unknown>(META);
const topicsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(TOPICS);
const clipsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(CLIPS);
const partnersMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(PARTNERS);

function write(doc: Y.Doc, fn: () => void, origin: unknown = LOCAL_ORIGIN) {
  doc.transact(fn, origin);
}

// ---------------------------------------------------------------------------------------------
// Small parsers for untrusted values

const str = (v: unknown, max = Infinity): string | undefined =>
  typeof v === 'string' ? (v.length > max ? v.slice(0, max) : v) : undefined;
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const clean = (s: string, max: number) => s.replace(/\s+/g, ' ').trim().slice(0, max);

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

// Malformed entries seen per doc ("topics/<id>"), so the panel can tell the person once.
const problems = new WeakMap<Y.Doc, Set<string>>();
/** Entries that readers skipped because a peer (or a bug) left them malformed. */
export function readProblems(doc: Y.Doc): string[] {
  return [...(problems.get(doc) ?? [])];
}
function skip<T>(doc: Y.Doc, where: string): T | undefined {
  if (!problems.has(doc)) problems.set(doc, new Set());
  problems.get(doc)!.add(where);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Versions and migrations

/** A named, numbered change to the document's shape. `run` must be idempotent: peers may run it concurrently. */
export interface Migration {
  /** The version the document has after this migration. */
  to: number;
  name: string;
  run(doc: Y.Doc): void;
}

/** The migrations of this build, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    name: 'initial shape',
    run(doc) {
      // Version 1 only requires the meta map to exist; root types are created lazily.
      meta(doc);
    },
  },
];

/** The schema version stored in the doc (0 for a new, empty doc). */
export function schemaVersion(doc: Y.Doc): number {
  return num(meta(doc).get('schemaVersion')) ?? 0;
}

/**
 * Brings a doc up to `migrations`' latest version. Refuses a doc written by a newer build,
 * because writing to it could lose fields this build does not know.
 * @returns the names of the migrations that ran.
 */
export function migrate(doc: Y.Doc, migrations: readonly Migration[] = MIGRATIONS): string[] {
  const target = migrations.at(-1)?.to ?? 0;
  const current = schemaVersion(doc);
  if (current > target) {
    throw new NotebookError(
      `This notebook was saved by a newer version of Partner Notebook (format ${current}; this one reads up to ${target}). Update the extension, then open it again. Nothing has been changed.`,
    );
  }
  const ran: string[] = [];
  write(
    doc,
    () => {
      for (const m of migrations) {
        if (m.to <= current) continue;
        m.run(doc);
        meta(doc).set('schemaVersion', m.to);
        ran.push(m.name);
      }
    },
    'migration',
  );
  return ran;
}

// ---------------------------------------------------------------------------------------------
// Notebook info

/** The programme's example topics (from past rounds), used to start a new notebook. */
export const EXAMPLE_TOPICS: ReadonlyArray<{ title: string; prompt: string }> = [
  {
    title: 'Make a connection',
    prompt: 'Introduce yourselves and your libraries. What does a normal working day look like for each of you?',
  },
  {
    title: 'Assess your community’s needs',
    prompt: 'Who lives around your library, and how do you find out what they need from it?',
  },
  {
    title: 'Library Spaces',
    prompt: 'Describe your library’s spaces. How are they used, and what would you change if you could?',
  },
  {
    title: 'Advocacy and Lobbying',
    prompt: 'How does your library speak up for itself to funders, decision makers and the public?',
  },
  {
    title: 'Identify a non-user and think how to engage them',
    prompt: 'Pick one person or group who does not use your library. Why not, and what could change that?',
  },
  {
    title: 'Proving Our Worth',
    prompt: 'How do you show the value of your library? Which figures and stories do you collect?',
  },
  {
    title: 'Moving for a Job',
    prompt: 'Have you or colleagues moved for a library job? What did it take, and what did it teach you?',
  },
];

const DAY = 86_400_000;

/** Options for {@link initNotebook}. */
export interface InitOptions {
  info: NotebookInfo;
  /** Start with the programme's seven example topics (fortnightly from the programme start, if given). */
  exampleTopics: boolean;
}

/** Sets up a brand-new notebook: schema version, info and, optionally, the example topics. */
export function initNotebook(doc: Y.Doc, opts: InitOptions, deps: Deps): void {
  migrate(doc);
  write(doc, () => {
    setInfo(doc, opts.info);
    if (!opts.exampleTopics) return;
    EXAMPLE_TOPICS.forEach((t, i) => {
      const start = opts.info.programmeStart !== undefined ? opts.info.programmeStart + i * 14 * DAY : undefined;
      addTopic(doc, { ...t, kind: 'programme', start, end: start !== undefined ? start + 14 * DAY - 1 : undefined }, deps);
    });
  });
}

/** Reads the notebook's info; missing fields read as empty. */
export function readInfo(doc: Y.Doc): NotebookInfo {
  const m = meta(doc);
  return {
    title: str(m.get('title'), LIMITS.title) ?? '',
    programmeName: str(m.get('programmeName'), LIMITS.title) ?? '',
    programmeStart: num(m.get('programmeStart')),
    posterDeadline: num(m.get('posterDeadline')),
  };
}

/** Changes some of the notebook's info. `undefined` in the patch clears a date. */
export function setInfo(doc: Y.Doc, patch: Partial<NotebookInfo>): void {
  write(doc, () => {
    const m = meta(doc);
    if (patch.title !== undefined) m.set('title', clean(patch.title, LIMITS.title));
    if (patch.programmeName !== undefined) m.set('programmeName', clean(patch.programmeName, LIMITS.title));
    for (const k of ['programmeStart', 'posterDeadline'] as const) {
      if (!(k in patch)) continue;
      const v = patch[k];
      if (v === undefined) m.delete(k);
      else m.set(k, v);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Topics

/** What a caller gives to create a topic. */
export interface TopicInput {
  title: string;
  prompt?: string;
  kind?: TopicKind;
  start?: number;
  end?: number;
}

function parseTopic(doc: Y.Doc, id: string, m: unknown): Topic | undefined {
  if (!(m instanceof Y.Map)) return skip(doc, `topics/${id}`);
  const title = str(m.get('title'), LIMITS.title);
  const order = num(m.get('order'));
  if (title === undefined || order === undefined) return skip(doc, `topics/${id}`);
  const kind = m.get('kind');
  return {
    id,
    title,
    prompt: str(m.get('prompt'), LIMITS.prompt) ?? '',
    kind: kind === 'programme' ? 'programme' : 'own',
    start: num(m.get('start')),
    end: num(m.get('end')),
    order,
    archived: bool(m.get('archived')) ?? false,
    createdAt: num(m.get('createdAt')) ?? 0,
  };
}

/** All topics (archived ones too), in display order. */
export function readTopics(doc: Y.Doc): Topic[] {
  const out: Topic[] = [];
  topicsMap(doc).forEach((m, id) => {
    const t = parseTopic(doc, id, m);
    if (t) out.push(t);
  });
  // Ties (two partners adding at the same moment) break by id so every replica shows one order.
  return out.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
}

/** One topic, or undefined when it does not exist (or is malformed). */
export function readTopic(doc: Y.Doc, id: string): Topic | undefined {
  return parseTopic(doc, id, topicsMap(doc).get(id));
}

/** Adds a topic at the end of the list and returns its id. */
export function addTopic(doc: Y.Doc, input: TopicInput, deps: Deps): string {
  const title = clean(input.title, LIMITS.title);
  if (!title) throw new NotebookError('A topic needs a title. Type a few words, for example “Library Spaces”.');
  const id = deps.newId();
  write(doc, () => {
    const last = readTopics(doc).at(-1);
    const m = new Y.Map<unknown>();
    m.set('title', title);
    m.set('prompt', (input.prompt ?? '').slice(0, LIMITS.prompt));
    m.set('kind', input.kind ?? 'own');
    if (input.start !== undefined) m.set('start', input.start);
    if (input.end !== undefined) m.set('end', input.end);
    m.set('order', (last?.order ?? 0) + 1);
    m.set('archived', false);
    m.set('createdAt', deps.now());
    topicsMap(doc).set(id, m);
  });
  return id;
}

/** Changes a topic's title, prompt, kind or dates. `start`/`end` set to undefined clear them. */
export function updateTopic(doc: Y.Doc, id: string, patch: Partial<Omit<Topic, 'id' | 'createdAt' | 'order'>>): void {
  const m = topicsMap(doc).get(id);
  if (!(m instanceof Y.Map)) throw new NotebookError('That topic no longer exists. A partner may have changed it; reopen the topic list.');
  write(doc, () => {
    if (patch.title !== undefined) {
      const title = clean(patch.title, LIMITS.title);
      if (!title) throw new NotebookError('A topic needs a title.');
      m.set('title', title);
    }
    if (patch.prompt !== undefined) m.set('prompt', patch.prompt.slice(0, LIMITS.prompt));
    if (patch.kind !== undefined) m.set('kind', patch.kind);
    if (patch.archived !== undefined) m.set('archived', patch.archived);
    for (const k of ['start', 'end'] as const) {
      if (!(k in patch)) continue;
      const v = patch[k];
      if (v === undefined) m.delete(k);
      else m.set(k, v);
    }
  });
}

/**
 * Moves a topic to `index` in the list of non-archived topics. The new order is the midpoint
 * of its neighbours, so concurrent moves by two partners both survive.
 */
export function moveTopic(doc: Y.Doc, id: string, index: number): void {
  const list = readTopics(doc).filter((t) => !t.archived && t.id !== id);
  const i = Math.max(0, Math.min(index, list.length));
  const before = list[i - 1]?.order;
  const after = list[i]?.order;
  const order =
    before === undefined && after === undefined ? 1
    : before === undefined ? after! - 1
    : after === undefined ? before + 1
    : (before + after) / 2;
  const m = topicsMap(doc).get(id);
  if (m instanceof Y.Map) write(doc, () => m.set('order', order));
}

/**
 * The shared rich-text body of a topic's note, bound to the Tiptap editor.
 * Root-level, so it exists on every replica without anyone having to create it.
 */
export function noteBody(doc: Y.Doc, topicId: string): Y.XmlFragment {
  return doc.getXmlFragment(NOTE_PREFIX + topicId);
}

/** The plain text of an XML fragment, block by block (for counts, search and export). */
export function fragmentText(fragment: Y.XmlFragment): string {
  const parts: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlHook | Y.XmlFragment) => {
    if (node instanceof Y.XmlText) {
      for (const d of node.toDelta() as { insert: unknown }[]) if (typeof d.insert === 'string') parts.push(d.insert);
      return;
    }
    if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) {
      node.toArray().forEach((c) => walk(c as Y.XmlElement));
      if (node instanceof Y.XmlElement) parts.push('\n');
    }
  };
  walk(fragment);
  return parts.join('').replace(/\n{2,}/g, '\n').trim();
}

/** Words in a text (any script; CJK characters count one each). */
export function countWords(text: string): number {
  const cjk = text.match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g)?.length ?? 0;
  const rest = text.replace(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g, ' ').match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0;
  return cjk + rest;
}

/** The plain text of a topic's note. */
export function noteText(doc: Y.Doc, topicId: string): string {
  return doc.share.has(NOTE_PREFIX + topicId) ? fragmentText(noteBody(doc, topicId)) : '';
}

// ---------------------------------------------------------------------------------------------
// Clips

const CLIP_KINDS: readonly ClipKind[] = ['page', 'selection', 'link', 'image'];
// Captured content never changes, so its parse is cached per Y.Map for fast re-renders.
const capturedCache = new WeakMap<Y.Map<unknown>, CapturedContent | null>();

/** Parses captured content from untrusted JSON text (a peer, a page, the clip queue). */
export function parseCaptured(v: unknown): CapturedContent | undefined {
  const o = typeof v === 'string' ? parseJson(v) : v;
  if (!o || typeof o !== 'object') return undefined;
  const r = o as Record<string, unknown>;
  const kind = r.kind;
  const url = str(r.url);
  if (!CLIP_KINDS.includes(kind as ClipKind) || url === undefined) return undefined;
  const dir = r.dir === 'rtl' || r.dir === 'ltr' ? r.dir : undefined;
  const a = r.anchor as Record<string, unknown> | undefined;
  const anchor =
    a && typeof a === 'object' && typeof a.exact === 'string'
      ? { prefix: str(a.prefix) ?? '', exact: a.exact, suffix: str(a.suffix) ?? '' }
      : undefined;
  const out: CapturedContent = { kind: kind as ClipKind, url: url.slice(0, LIMITS.clipField), title: str(r.title) || url };
  const strings = ['canonicalUrl', 'siteName', 'byline', 'lang', 'excerpt', 'leadImage', 'favicon', 'html', 'text',
    'linkUrl', 'imageUrl', 'imageAlt', 'structuredData'] as const;
  for (const k of strings) {
    const s = str(r[k]);
    if (s === undefined) continue;
    const max = k === 'html' ? LIMITS.clipHtml : k === 'text' ? LIMITS.clipText : k === 'structuredData' ? LIMITS.clipData : LIMITS.clipField;
    out[k] = s.length > max ? s.slice(0, max) : s;
    if (s.length > max && (k === 'html' || k === 'text')) out.truncated = true;
  }
  const pt = num(r.publishedTime);
  if (pt !== undefined) out.publishedTime = pt;
  const wc = num(r.wordCount);
  if (wc !== undefined) out.wordCount = wc;
  if (dir) out.dir = dir;
  if (anchor) out.anchor = anchor;
  if (r.truncated === true) out.truncated = true;
  if (out.title.length > LIMITS.clipField) out.title = out.title.slice(0, LIMITS.clipField);
  return out;
}

function parsePerson(v: unknown): PersonRef | undefined {
  const o = parseJson(v) as Record<string, unknown> | undefined;
  const id = str(o?.id);
  const name = str(o?.name, LIMITS.profileField);
  return id !== undefined && name !== undefined ? { id, name } : undefined;
}

function parseClip(doc: Y.Doc, id: string, m: unknown): Clip | undefined {
  if (!(m instanceof Y.Map)) return skip(doc, `clips/${id}`);
  let captured = capturedCache.get(m);
  if (captured === undefined) {
    captured = parseCaptured(m.get('captured')) ?? null;
    capturedCache.set(m, captured);
  }
  const topicId = str(m.get('topicId'));
  const clippedBy = parsePerson(m.get('clippedBy'));
  const clippedAt = num(m.get('clippedAt'));
  if (!captured || topicId === undefined || !clippedBy || clippedAt === undefined) return skip(doc, `clips/${id}`);
  const tagsMap = m.get('tags');
  const tags = tagsMap instanceof Y.Map ? [...tagsMap.keys()].filter((t) => t.length <= LIMITS.tag).sort() : [];
  return {
    id,
    topicId,
    tags,
    comment: str(m.get('comment'), LIMITS.comment) ?? '',
    clippedBy,
    clippedAt,
    deletedAt: num(m.get('deletedAt')),
    captured,
  };
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

/** Adds a clip and returns its id. The captured content is stored once, as one string. */
export function addClip(doc: Y.Doc, input: ClipInput, deps: Deps): string {
  if (!topicsMap(doc).has(input.topicId)) {
    throw new NotebookError('The topic for this clip no longer exists. Choose another topic and clip again.');
  }
  const id = deps.newId();
  write(doc, () => {
    const m = new Y.Map<unknown>();
    m.set('captured', JSON.stringify(input.captured));
    m.set('topicId', input.topicId);
    m.set('comment', (input.comment ?? '').slice(0, LIMITS.comment));
    const tags = new Y.Map<true>();
    for (const t of normaliseTags(input.tags ?? [])) tags.set(t, true);
    m.set('tags', tags);
    m.set('clippedBy', JSON.stringify(input.clippedBy));
    m.set('clippedAt', input.clippedAt ?? deps.now());
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
    const c = parseClip(doc, id, m);
    if (!c) return;
    if (filter.topicId !== undefined && c.topicId !== filter.topicId) return;
    if (!filter.includeDeleted && c.deletedAt !== undefined) return;
    out.push(c);
  });
  return out.sort((a, b) => b.clippedAt - a.clippedAt || (a.id < b.id ? -1 : 1));
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

/** Brings a deleted clip back. */
export function restoreClip(doc: Y.Doc, id: string): void {
  const m = clipMap(doc, id);
  write(doc, () => m.delete('deletedAt'));
}

// ---------------------------------------------------------------------------------------------
// Partners

const FACT_KEYS = ['founded', 'collectionSize', 'registeredUsers', 'staff', 'yearlyVisits'] as const satisfies readonly (keyof LibraryFacts)[];
const TEXT_KEYS = ['name', 'color', 'country', 'city', 'timeZone', 'libraryName', 'website', 'email'] as const;

function parsePartner(doc: Y.Doc, id: string, m: unknown): PartnerProfile | undefined {
  if (!(m instanceof Y.Map)) return skip(doc, `partners/${id}`);
  const name = str(m.get('name'), LIMITS.profileField);
  if (name === undefined) return skip(doc, `partners/${id}`);
  const facts: LibraryFacts = {};
  for (const k of FACT_KEYS) {
    const v = num(m.get('fact.' + k));
    if (v !== undefined && v >= 0) facts[k] = v;
  }
  const social = parseJson(m.get('social'));
  const type = m.get('libraryType');
  return {
    id,
    name,
    color: str(m.get('color'), 32) ?? '#555555',
    country: str(m.get('country'), LIMITS.profileField) ?? '',
    city: str(m.get('city'), LIMITS.profileField) ?? '',
    timeZone: str(m.get('timeZone'), 64) ?? '',
    libraryName: str(m.get('libraryName'), LIMITS.profileField) ?? '',
    libraryType: LIBRARY_TYPES.includes(type as LibraryType) ? (type as LibraryType) : undefined,
    facts,
    website: str(m.get('website'), LIMITS.profileField) ?? '',
    email: str(m.get('email'), LIMITS.profileField) ?? '',
    social: Array.isArray(social)
      ? social.filter((s): s is string => typeof s === 'string').slice(0, LIMITS.socialLinks).map((s) => s.slice(0, LIMITS.profileField))
      : [],
  };
}

/** Every partner profile, by name. */
export function readPartners(doc: Y.Doc): PartnerProfile[] {
  const out: PartnerProfile[] = [];
  partnersMap(doc).forEach((m, id) => {
    const p = parsePartner(doc, id, m);
    if (p) out.push(p);
  });
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/** One partner's profile. */
export function readPartner(doc: Y.Doc, id: string): PartnerProfile | undefined {
  return parsePartner(doc, id, partnersMap(doc).get(id));
}

/**
 * Creates or changes a profile. Each field is its own key, so two partners editing different
 * fields of one profile at once both keep their change.
 */
export function updatePartner(doc: Y.Doc, id: string, patch: Partial<Omit<PartnerProfile, 'id'>>): void {
  write(doc, () => {
    let m = partnersMap(doc).get(id);
    if (!(m instanceof Y.Map)) {
      m = new Y.Map<unknown>();
      partnersMap(doc).set(id, m);
      if (patch.name === undefined) m.set('name', '');
    }
    const map = m;
    for (const k of TEXT_KEYS) {
      const v = patch[k];
      if (v !== undefined) map.set(k, v.trim().slice(0, LIMITS.profileField));
    }
    if ('libraryType' in patch) {
      if (patch.libraryType && LIBRARY_TYPES.includes(patch.libraryType)) map.set('libraryType', patch.libraryType);
      else map.delete('libraryType');
    }
    if (patch.facts) {
      for (const k of FACT_KEYS) {
        if (!(k in patch.facts)) continue;
        const v = patch.facts[k];
        if (v === undefined || !Number.isFinite(v) || v < 0) map.delete('fact.' + k);
        else map.set('fact.' + k, v);
      }
    }
    if (patch.social) {
      map.set('social', JSON.stringify(patch.social.map((s) => s.trim()).filter(Boolean).slice(0, LIMITS.socialLinks)));
    }
  });
}

/** Removes a profile. */
export function removePartner(doc: Y.Doc, id: string): void {
  write(doc, () => partnersMap(doc).delete(id));
}

// ---------------------------------------------------------------------------------------------
// Queries

/** Per-topic counts for the topic list. */
export interface TopicStats {
  clips: number;
  /** Words in the topic's note. */
  noteWords: number;
}

/** Clip and note-word counts for every topic. */
export function topicStats(doc: Y.Doc): Map<string, TopicStats> {
  const stats = new Map<string, TopicStats>();
  for (const t of readTopics(doc)) stats.set(t.id, { clips: 0, noteWords: countWords(noteText(doc, t.id)) });
  for (const c of readClips(doc)) {
    const s = stats.get(c.topicId);
    if (s) s.clips++;
  }
  return stats;
}

/** Calls `cb` after every change to the doc (local or remote). Returns the unsubscribe function. */
export function subscribe(doc: Y.Doc, cb: () => void): () => void {
  const handler = () => cb();
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}

/** What one transaction changed, as far as derived data (the search index) cares. */
export interface DocChanges {
  /** Clips added, removed or edited (tags, comment, topic, deletion). */
  clips: Set<string>;
  /** Topics whose own fields changed (title, dates, archived…), or that were added or removed. */
  topics: Set<string>;
  /** Topics whose note text changed. */
  notes: Set<string>;
}

/**
 * Like {@link subscribe}, but says which clips, topics and notes a transaction touched, so
 * derived data can be updated for those alone (re-reading 2 000 clips per keystroke would not do).
 */
export function subscribeChanges(doc: Y.Doc, cb: (changes: DocChanges) => void): () => void {
  // Create the typed roots now: a root first seen in a remote update would otherwise be a generic
  // type that getMap() later replaces, and identity checks below would miss it.
  clipsMap(doc);
  topicsMap(doc);
  const handler = (tr: Y.Transaction) => {
    const out: DocChanges = { clips: new Set(), topics: new Set(), notes: new Set() };
    // Compared by identity only, so the element types do not matter here.
    const clipsRoot: unknown = clipsMap(doc);
    const topicsRoot: unknown = topicsMap(doc);
    tr.changed.forEach((keys, type) => {
      if (type === clipsRoot || type === topicsRoot) {
        for (const k of keys) if (k !== null) (type === clipsRoot ? out.clips : out.topics).add(k);
        return;
      }
      // Climb to the root type; the key just below a root map names the clip or topic.
      let cur: Y.AbstractType<any> = type; // eslint-disable-line @typescript-eslint/no-explicit-any
      let key: string | null = null;
      while (cur._item) {
        const parent = cur._item.parent;
        if (!(parent instanceof Y.AbstractType)) break;
        if (parent === clipsRoot || parent === topicsRoot) {
          key = cur._item.parentSub;
          cur = parent;
          break;
        }
        cur = parent;
      }
      if (key !== null && cur === clipsRoot) out.clips.add(key);
      else if (key !== null && cur === topicsRoot) out.topics.add(key);
      else if (!cur._item) {
        // Not instanceof XmlFragment: a note first received from a partner is still a generic root here.
        for (const [name, root] of doc.share) {
          if ((root as unknown) === cur && name.startsWith(NOTE_PREFIX)) out.notes.add(name.slice(NOTE_PREFIX.length));
        }
      }
    });
    if (out.clips.size || out.topics.size || out.notes.size) cb(out);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}
