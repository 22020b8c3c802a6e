/**
 * The one module that knows the shape of a notebook's Y.Doc. Everything else calls the typed
 * functions below; no other file names a root type or a key.
 *
 * Shape (schema version 2):
 *   meta      Y.Map   schemaVersion, title, programmeName, programmeStart, posterDeadline
 *   topics    Y.Map<id, Y.Map>  title, prompt, kind, start, end, order, archived, createdAt
 *   note:<id> Y.XmlFragment     one shared rich-text body per topic (bound to Tiptap)
 *   clips     Y.Map<id, Y.Map>  captured (JSON text of the small fields, immutable),
 *                               body (Uint8Array: compressed html + text, immutable; clip-body.ts),
 *                               made (JSON {by, at}: who clipped it and when, immutable),
 *                               topicId, comment (absent while empty), tags (Y.Map<tag, true>),
 *                               deletedAt. Version 1 clips have clippedBy (JSON) and clippedAt
 *                               instead of made, and HTML and text inside captured.
 *   partners  Y.Map<id, Y.Map>  one key per profile field; facts flattened; social as JSON
 *   members   Y.Map<key id, string>   signed member entries (lib/sync/rotation.ts)
 *   rotations Y.Map<epoch:signer:digest, string>  signed new-invite records (lib/sync/rotation.ts)
 *
 * Notes are root-level fragments (not values inside a map) because root types merge by name:
 * two partners who open a topic's note at the same moment can never create two competing bodies.
 *
 * Everything read from the doc is parsed defensively: a peer is untrusted input, so a value of
 * the wrong type is dropped (and counted in {@link readProblems}) rather than crashing the panel.
 */
import * as Y from 'yjs';
import { decodeClipBody, encodeClipBody } from './clip-body';
import './yjs-binary-views';
import {
  LIBRARY_TYPES,
  type CapturedContent,
  type Clip,
  type ClipKind,
  type LibraryFacts,
  type LibraryType,
  type NotebookInfo,
  type PartnerProfile,
  type PdfPages,
  type PersonRef,
  type Topic,
  type TopicKind,
} from './types';

/** The schema version this build writes. */
export const SCHEMA_VERSION = 2;

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
const CLIENTS = 'clients';
// 'memberKeys' and meta 'rotation' held the first, unsigned scheme; they are no longer read.
const MEMBERS = 'members';
const ROTATIONS = 'rotations';
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
  {
    to: 2,
    name: 'clip bodies compressed',
    run(doc) {
      // Version 1 kept each clip's HTML and text inside its JSON string; they move to `body`.
      // Peers migrating the same clip at once write equal values, so either write may win.
      clipsMap(doc).forEach((m) => {
        if (!(m instanceof Y.Map) || m.get('body') instanceof Uint8Array) return;
        const o = parseJson(m.get('captured'));
        if (!o || typeof o !== 'object') return;
        const { html, text, ...small } = o as Record<string, unknown>;
        if (typeof html !== 'string' && typeof text !== 'string') return;
        m.set('body', encodeClipBody({ html: str(html), text: str(text) }));
        m.set('captured', JSON.stringify(small));
      });
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
      typeNotes(doc);
    },
    'migration',
  );
  return ran;
}

/**
 * Root types arrive from storage and peers untyped; Yjs types each one on first access, in a
 * transaction of its own. Typing every note here, inside one transaction, saves a transaction per
 * note when the topic list first counts their words (each costs about 1 ms in a notebook written
 * from 600 browser sessions, as Yjs snapshots every session's clock around it).
 */
function typeNotes(doc: Y.Doc) {
  for (const name of doc.share.keys()) if (name.startsWith(NOTE_PREFIX)) doc.getXmlFragment(name);
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
  // Gone (deleted, or never there) is not malformed: only a value of the wrong kind is reported.
  if (m === undefined) return undefined;
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

const CLIP_KINDS: readonly ClipKind[] = ['page', 'selection', 'link', 'image', 'pdf'];
/** Most pages a PDF clip may index (a peer cannot make every reader walk a huge list). */
const MAX_PDF_PAGES = 2_000;
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
  const pdf = kind === 'pdf' ? parsePdfPages(r.pdf) : undefined;
  if (pdf) out.pdf = pdf;
  if (r.truncated === true) out.truncated = true;
  if (out.title.length > LIMITS.clipField) out.title = out.title.slice(0, LIMITS.clipField);
  return out;
}

/** A PDF clip's page index: whole, ascending offsets only (a bad one from a peer is dropped, the clip kept). */
function parsePdfPages(v: unknown): PdfPages | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const pageCount = num(o.pageCount);
  if (pageCount === undefined || !Number.isInteger(pageCount) || pageCount < 1 || pageCount > 1_000_000) return undefined;
  if (!Array.isArray(o.pageStarts) || o.pageStarts.length > Math.min(pageCount, MAX_PDF_PAGES)) return undefined;
  const pageStarts: number[] = [];
  for (const s of o.pageStarts) {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < (pageStarts.at(-1) ?? 0) || s > LIMITS.clipText) return undefined;
    pageStarts.push(s);
  }
  return { pageCount, pageStarts };
}

/** A person from JSON text, or from a value already parsed. */
function parsePerson(v: unknown): PersonRef | undefined {
  const o = (typeof v === 'string' ? parseJson(v) : v) as Record<string, unknown> | undefined;
  const id = str(o?.id);
  const name = str(o?.name, LIMITS.profileField);
  return id !== undefined && name !== undefined ? { id, name } : undefined;
}

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

// ---------------------------------------------------------------------------------------------
// Partners

const FACT_KEYS = ['founded', 'collectionSize', 'registeredUsers', 'staff', 'yearlyVisits'] as const satisfies readonly (keyof LibraryFacts)[];
const TEXT_KEYS = ['name', 'color', 'country', 'city', 'timeZone', 'libraryName', 'website', 'email'] as const;

function parsePartner(doc: Y.Doc, id: string, m: unknown): PartnerProfile | undefined {
  // Gone (deleted, or never there) is not malformed: only a value of the wrong kind is reported.
  if (m === undefined) return undefined;
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
      // Not trimmed here: the field is edited key by key, and a trailing space is the next word's start.
      if (v !== undefined) map.set(k, v.slice(0, LIMITS.profileField));
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
// Signed member entries and signed invite rotations (lib/sync/rotation.ts does the cryptography
// and every check; here they are opaque strings under keys that name their signer).
//
// Both maps are keyed so that one writer cannot replace another's value with a valid one: a
// member entry sits under the id of the signing key that signed it, a rotation under
// `<epoch>:<signer key id>:<digest of the record>`. Anyone in the room can still delete or
// overwrite a value with garbage (Yjs has no write permissions); readers drop what does not
// verify, and rotations also report the keys whose value is gone (see readRotationRecords).

/** Most member entries and rotation records read from one notebook (a peer could add thousands). */
export const MEMBERSHIP_LIMITS = { entries: 200, rotations: 200, valueChars: 65_536 } as const;

/** Publishes this person's signed member entry (its key is the signing key's id). */
export function setMemberEntry(doc: Y.Doc, keyId: string, value: string): void {
  const m = doc.getMap<unknown>(MEMBERS);
  if (m.get(keyId) !== value) write(doc, () => m.set(keyId, value));
}

/** The member entry stored under one key id, if it is a string. */
export function readMemberEntry(doc: Y.Doc, keyId: string): string | undefined {
  const v = doc.getMap<unknown>(MEMBERS).get(keyId);
  return typeof v === 'string' ? v : undefined;
}

/** Every member entry, as [key id, value] (values not yet verified; non-strings and oversized ones skipped). */
export function readMemberEntries(doc: Y.Doc): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of doc.getMap<unknown>(MEMBERS).entries()) {
    if (out.length >= MEMBERSHIP_LIMITS.entries) break;
    if (typeof v === 'string' && v.length <= MEMBERSHIP_LIMITS.valueChars) out.push([k, v]);
  }
  return out;
}

/** Records a signed rotation under its own key (never replacing another record). */
export function addRotationRecord(doc: Y.Doc, key: string, value: string): void {
  write(doc, () => doc.getMap<unknown>(ROTATIONS).set(key, value));
}

/**
 * Every rotation record key ever written, with its value when it is still there as a string
 * (`undefined`: deleted or overwritten with something else). Deleted keys are listed on
 * purpose: a record someone removed must make the client ask rather than silently follow
 * another one. Yjs keeps the key of a deleted map entry (not its content) in the map's item list.
 */
export function readRotationRecords(doc: Y.Doc): { key: string; value: string | undefined }[] {
  const out: { key: string; value: string | undefined }[] = [];
  const m = doc.getMap<unknown>(ROTATIONS);
  for (const [key, item] of m._map) {
    if (out.length >= MEMBERSHIP_LIMITS.rotations) break;
    const v = item.deleted ? undefined : m.get(key);
    out.push({ key, value: typeof v === 'string' && v.length <= MEMBERSHIP_LIMITS.valueChars ? v : undefined });
  }
  return out;
}

/** The highest epoch any rotation record key names (not verified: for a backup's hint only). */
export function highestRotationEpoch(doc: Y.Doc): number {
  let max = 0;
  for (const { key } of readRotationRecords(doc)) {
    const n = Number(key.split(':')[0]);
    if (Number.isSafeInteger(n) && n > max) max = n;
  }
  return max;
}

// ---------------------------------------------------------------------------------------------
// Who wrote what: Yjs client ids → people

/**
 * Records that this doc's Yjs client id belongs to `personId`, so changes arriving later (from a
 * partner or the relay) can be attributed: "Last exchange with Batbayar: 2 days ago".
 */
export function registerClient(doc: Y.Doc, personId: string): void {
  const m = doc.getMap<string>(CLIENTS);
  const key = String(doc.clientID);
  if (m.get(key) !== personId) write(doc, () => m.set(key, personId));
}

/** The person behind each known Yjs client id. */
export function clientPeople(doc: Y.Doc): Map<number, string> {
  const out = new Map<number, string>();
  doc.getMap<unknown>(CLIENTS).forEach((v, k) => {
    if (typeof v === 'string' && /^\d+$/.test(k)) out.set(Number(k), v);
  });
  return out;
}

/** What a transaction changed, for "Last exchange with…" and the "changed since you looked" markers. */
export interface ChangeSummary {
  /** People whose changes the transaction applied (ids from {@link registerClient}). */
  people: string[];
  /** Topics whose note or clips it touched. */
  topics: string[];
}

/** Summarises a transaction (typically one applied from a partner or the relay). */
export function summarizeChange(doc: Y.Doc, tr: Y.Transaction): ChangeSummary {
  const known = clientPeople(doc);
  const people = new Set<string>();
  tr.afterState.forEach((clock, client) => {
    if (clock > (tr.beforeState.get(client) ?? 0)) {
      const p = known.get(client);
      if (p) people.add(p);
    }
  });
  const rootName = new Map<Y.AbstractType<any>, string>();
  doc.share.forEach((type, name) => rootName.set(type, name));
  const clips = doc.share.get(CLIPS);
  const topics = new Set<string>();
  tr.changed.forEach((keys, type) => {
    // Walk up to the root type, remembering the child just below the clips map (a clip).
    let t: Y.AbstractType<any> = type;
    let below: Y.AbstractType<any> | null = null;
    while (t._item && t._item.parent instanceof Y.AbstractType) {
      below = t;
      t = t._item.parent as Y.AbstractType<any>;
    }
    const name = rootName.get(t);
    if (name?.startsWith(NOTE_PREFIX)) topics.add(name.slice(NOTE_PREFIX.length));
    else if (t === clips) {
      const clipIds = below ? [below._item?.parentSub] : [...keys];
      for (const id of clipIds) {
        const topicId = id ? readClip(doc, id)?.topicId : undefined;
        if (topicId) topics.add(topicId);
      }
    }
  });
  return { people: [...people], topics: [...topics] };
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

/** Which parts of the notebook a transaction changed (for caches that rebuild only those parts). */
export interface ChangedParts {
  info: boolean;
  topics: boolean;
  clips: boolean;
  partners: boolean;
  /** Topic ids whose note changed. */
  notes: Set<string>;
}

/** Classifies a transaction's changes by the notebook part (root type) they belong to. */
export function changedParts(doc: Y.Doc, tr: Y.Transaction): ChangedParts {
  const out: ChangedParts = { info: false, topics: false, clips: false, partners: false, notes: new Set() };
  if (!tr.changed.size) return out;
  const roots = new Map<Y.AbstractType<any>, string>();
  doc.share.forEach((type, name) => roots.set(type, name));
  tr.changed.forEach((_keys, type) => {
    let t: Y.AbstractType<any> = type;
    while (t._item && t._item.parent instanceof Y.AbstractType) t = t._item.parent as Y.AbstractType<any>;
    const name = roots.get(t);
    if (name === META) out.info = true;
    else if (name === TOPICS) out.topics = true;
    else if (name === CLIPS) out.clips = true;
    else if (name === PARTNERS) out.partners = true;
    else if (name?.startsWith(NOTE_PREFIX)) out.notes.add(name.slice(NOTE_PREFIX.length));
  });
  return out;
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

// =============================================================================================
// Poster (issue 7) — everything below belongs to the poster outline the partners co-edit.
//
// Shape:
//   poster                 Y.Map   version, draftedAt, and flat keys:
//                                  `lib:<partnerId>`      → order of that partner's library block
//                                  `contact:<partnerId>`  → order of that partner's contact block
//                                  `row:<rowKey>`         → JSON {label, order}: a comparison row
//                                  `cell:<rowKey>:<pid>`  → string: one table cell
//                                  `source:<clipId>`      → true: a clip added to Sources
//   poster/themes          Y.Map<themeId, Y.Map>  title (Y.Text), points (Y.Array<Y.Text>),
//                                  quotes (Y.Array<JSON string>), votes (Y.Map<personId, vote>),
//                                  recordedBy (Y.Map<personId, personId>), proposedBy, from (JSON),
//                                  order, createdAt
//   poster/text/<field>    Y.Text  every free text (title, sections, library blocks, contacts)
//
// Why flat keys and root-level texts instead of nested maps: partners draft while offline. Two
// replicas that each create a nested Y.Text under the same key resolve last-writer-wins, and
// whatever the losing partner typed into it disappears. Root types merge by name and flat keys
// merge key by key, so concurrent drafting can at worst show a drafted sentence twice (visible,
// fixable), never drop what someone wrote. Themes have random ids, so their nested types are
// only ever created by one person.

type PosterOutline = import('../poster/types').PosterOutline;
type PosterTheme = import('../poster/types').PosterTheme;
type ThemeQuote = import('../poster/types').ThemeQuote;
type ThemeVote = import('../poster/types').ThemeVote;
type ComparisonRow = import('../poster/types').ComparisonRow;
type PosterContact = import('../poster/types').PosterContact;

const POSTER = 'poster';
const POSTER_THEMES = 'poster/themes';
const POSTER_TEXT_PREFIX = 'poster/text/';

/** Size bounds of poster fields, so one peer cannot bloat everyone's notebook. */
export const POSTER_LIMITS = {
  /** One free text (a section, a library block). */
  text: 20_000,
  /** A theme title, a key point, a table cell or label, a contact field. */
  short: 1_000,
  quote: 2_000,
  themes: 100,
  pointsPerTheme: 30,
  quotesPerTheme: 30,
  rows: 40,
} as const;

/** Free-text fields of the outline that are not per partner. */
export const POSTER_TEXT_FIELDS = [
  'title',
  'subtitle',
  'viewChanged',
  'howWeWorked',
  'topicsDiscussed',
  'difficultiesAndFuture',
  'comparison.different',
  'comparison.similar',
  'comparison.culturalExpectations',
  'sources.extra',
] as const;

/** Editable parts of a partner's contact block; `social` holds one link per line. */
export const CONTACT_FIELDS = ['name', 'library', 'email', 'website', 'social'] as const;
/** One of {@link CONTACT_FIELDS}. */
export type ContactField = (typeof CONTACT_FIELDS)[number];

/**
 * A collaborative text of the poster: a fixed field, a partner's library block
 * (`library:<partnerId>`) or a field of a partner's contact block (`contact:<partnerId>:<field>`).
 */
export type PosterTextField = (typeof POSTER_TEXT_FIELDS)[number] | `library:${string}` | `contact:${string}:${ContactField}`;

/** Sections that "Draft the poster" writes and that can be re-drafted one by one. */
export const DRAFTED_SECTIONS = ['heading', 'libraries', 'comparison', 'howWeWorked', 'topicsDiscussed', 'contacts'] as const;
/** One of {@link DRAFTED_SECTIONS}. */
export type DraftedSection = (typeof DRAFTED_SECTIONS)[number];

const posterMap = (doc: Y.Doc) => doc.getMap<unknown>(POSTER);
const themesMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(POSTER_THEMES);

// Ids go into root-type names and flat keys: no separators, bounded, so a peer cannot forge keys.
const safeKey = (s: string) => /^[A-Za-z0-9_-]{1,64}$/.test(s);

function isPosterField(field: string): field is PosterTextField {
  if ((POSTER_TEXT_FIELDS as readonly string[]).includes(field)) return true;
  const lib = /^library:(.+)$/.exec(field);
  if (lib) return safeKey(lib[1]!);
  const c = /^contact:([^:]+):(.+)$/.exec(field);
  return !!c && safeKey(c[1]!) && (CONTACT_FIELDS as readonly string[]).includes(c[2]!);
}

const fieldLimit = (field: PosterTextField) => (field.startsWith('contact:') || field === 'title' || field === 'subtitle' ? POSTER_LIMITS.short : POSTER_LIMITS.text);

/**
 * The smallest single edit that turns `from` into `to`: the common prefix and suffix stay, only
 * the middle is replaced. Applying only this to a Y.Text (instead of "delete all, insert all")
 * is what lets two partners type into the same field at once and both keep their words.
 * Never splits a surrogate pair, so an emoji is replaced whole.
 */
export function minimalTextEdit(from: string, to: string): { index: number; remove: number; insert: string } | null {
  if (from === to) return null;
  const max = Math.min(from.length, to.length);
  let start = 0;
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(from.charCodeAt(from.length - end))) end--;
  return { index: start, remove: from.length - start - end, insert: to.slice(start, to.length - end) };
}
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Makes `text` read `value` with a minimal edit (see {@link minimalTextEdit}).
 * `origin` lets a bound input recognise, and skip, the echo of its own change.
 */
export function applyTextEdit(text: Y.Text, value: string, origin: unknown = LOCAL_ORIGIN): void {
  const edit = minimalTextEdit(text.toString(), value);
  if (!edit) return;
  const apply = () => {
    if (edit.remove) text.delete(edit.index, edit.remove);
    if (edit.insert) text.insert(edit.index, edit.insert);
  };
  if (text.doc) text.doc.transact(apply, origin);
  else apply();
}

/** The collaborative text of a poster field, for binding to an input. Root-level: see the shape notes. */
export function posterText(doc: Y.Doc, field: PosterTextField): Y.Text {
  if (!isPosterField(field)) throw new NotebookError('That part of the poster does not exist. Reopen the Poster tab.');
  return doc.getText(POSTER_TEXT_PREFIX + field);
}

/** The current text of a poster field ('' when nobody wrote it), bounded. Reading never creates it. */
export function readPosterText(doc: Y.Doc, field: PosterTextField): string {
  const name = POSTER_TEXT_PREFIX + field;
  if (!isPosterField(field) || !doc.share.has(name)) return '';
  try {
    return doc.getText(name).toString().slice(0, fieldLimit(field));
  } catch {
    // The name is bound to another type on this replica (a bug or a hostile peer): read as empty.
    return skip<string>(doc, `poster/${field}`) ?? '';
  }
}

/** Replaces a poster field's text with `value`, as a minimal edit, so concurrent typing merges. */
export function setPosterText(doc: Y.Doc, field: PosterTextField, value: string, origin: unknown = LOCAL_ORIGIN): void {
  write(doc, () => {
    ensurePoster(doc);
    applyTextEdit(posterText(doc, field), value.slice(0, fieldLimit(field)), origin);
  }, origin);
}

function ensurePoster(doc: Y.Doc) {
  const p = posterMap(doc);
  if (p.get('version') !== 1) p.set('version', 1);
}

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

/** A quote's page or page range ("3", "3–4"), or undefined. */
function quotePages(v: unknown): string | undefined {
  return typeof v === 'string' && /^\d{1,6}(–\d{1,6})?$/.test(v) ? v : undefined;
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
    keyPoints: points instanceof Y.Array ? points.toArray().filter((p): p is Y.Text => p instanceof Y.Text).slice(0, POSTER_LIMITS.pointsPerTheme).map((p) => p.toString().slice(0, POSTER_LIMITS.short)) : [],
    quotes: quotes instanceof Y.Array ? quotes.toArray().slice(0, POSTER_LIMITS.quotesPerTheme).map(parseQuote).filter((q): q is ThemeQuote => !!q) : [],
    votes,
    proposedBy,
    order: num(m.get('order')) ?? 0,
  };
  if (from && (from.kind === 'topic' || from.kind === 'clip' || from.kind === 'note') && typeof from.id === 'string') theme.from = { kind: from.kind, id: from.id.slice(0, 64) };
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
    social: t(`contact:${id}:social`).split('\n').map((s) => s.trim()).filter(Boolean),
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
  const k = label.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48);
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
  const key = deps.newId().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 48) || 'row';
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
    if (themes.size >= POSTER_LIMITS.themes) throw new NotebookError(`The poster has ${POSTER_LIMITS.themes} themes already; remove some before proposing more.`);
    let max = 0;
    themes.forEach((m) => (max = Math.max(max, (m instanceof Y.Map ? num(m.get('order')) : 0) ?? 0)));
    const m = new Y.Map<unknown>();
    m.set('title', new Y.Text(theme.title.replace(/\s+/g, ' ').trim().slice(0, POSTER_LIMITS.short)));
    m.set('points', Y.Array.from(theme.keyPoints.slice(0, POSTER_LIMITS.pointsPerTheme).map((k) => new Y.Text(k.slice(0, POSTER_LIMITS.short)))));
    m.set('quotes', Y.Array.from(theme.quotes.slice(0, POSTER_LIMITS.quotesPerTheme).map((q) => JSON.stringify({ ...q, text: q.text.slice(0, POSTER_LIMITS.quote) }))));
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
    themeChild(m, 'votes', () => new Y.Map<ThemeVote>(), (v): v is Y.Map<ThemeVote> => v instanceof Y.Map).set(personId, vote);
    const rec = themeChild(m, 'recordedBy', () => new Y.Map<string>(), (v): v is Y.Map<string> => v instanceof Y.Map);
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
    const a = themeChild(m, 'points', () => new Y.Array<Y.Text>(), (v): v is Y.Array<Y.Text> => v instanceof Y.Array);
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
    const a = themeChild(m, 'quotes', () => new Y.Array<string>(), (v): v is Y.Array<string> => v instanceof Y.Array);
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

// =============================================================================================
// History (issue 12): how much a change removed, and copying a past version back as a new change.
// lib/notebook/history.ts keeps the versions; this part knows which parts of the doc matter.

/** Transaction origin of a restore from History (a new change that syncs like typing). */
export const HISTORY_ORIGIN = 'history';

/** What one transaction removed that a person would miss. */
export interface DeletionSize {
  /** Topics removed (or replaced by something that is not a topic). */
  topics: number;
  /** Clips removed outright, or marked deleted. */
  clips: number;
  /** Characters of note text removed. */
  noteChars: number;
}

/**
 * Measures what a transaction removed. Call it from `afterTransaction`: only items that existed
 * before the transaction count (a paste replaced within one transaction is not a loss).
 */
export function measureDeletion(doc: Y.Doc, tr: Y.Transaction): DeletionSize {
  const out: DeletionSize = { topics: 0, clips: 0, noteChars: 0 };
  const topics = doc.share.get(TOPICS);
  const clips = doc.share.get(CLIPS);
  if (tr.deleteSet.clients.size > 0) {
    let noteRoots: Set<Y.AbstractType<any>> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
      if (!(s instanceof Y.Item) || s.id.clock >= (tr.beforeState.get(s.id.client) ?? 0)) return;
      const parent = s.parent as Y.AbstractType<any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!parent) return;
      if (s.parentSub !== null && s.content instanceof Y.ContentType) {
        if (parent === topics) out.topics++;
        else if (parent === clips) out.clips++;
        return;
      }
      if (!(s.content instanceof Y.ContentString)) return;
      let root = parent;
      while (root._item && root._item.parent instanceof Y.AbstractType) root = root._item.parent as Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!noteRoots) {
        noteRoots = new Set();
        for (const [name, t] of doc.share) if (name.startsWith(NOTE_PREFIX)) noteRoots.add(t);
      }
      if (noteRoots.has(root)) out.noteChars += s.length;
    });
  }
  // A soft deletion is a new `deletedAt` value on the clip, not a Yjs deletion.
  tr.changed.forEach((keys, type) => {
    if (keys.has('deletedAt') && type._item?.parent === clips && type instanceof Y.Map && type.get('deletedAt') !== undefined) out.clips++;
  });
  return out;
}

/** What a restore from History changes (or would change), counted per part. */
export interface RestoreCounts {
  /** Topics brought back because they were missing. */
  topicsBack: number;
  /** Topics that exist but whose title, prompt, dates or place go back. */
  topicsChanged: number;
  /** Notes whose text goes back to the past version. */
  notes: number;
  /** Clips brought back (missing, deleted or moved away) or changed back (tags, comment). */
  clips: number;
  /** Anything else: notebook info, profiles, the poster. */
  other: number;
}

/** What to restore: one topic (its fields, note and clips) or the whole notebook. */
export type RestoreScope = { topicId: string } | { notebook: true };

type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !(a instanceof Y.AbstractType) && !(b instanceof Y.AbstractType)) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
};

/** Makes `live`'s content equal to `past`'s (same kind of type). Returns true when something differs. */
function mirrorType(live: AnyType, past: AnyType, dry: boolean): boolean {
  if (past instanceof Y.Map && live instanceof Y.Map) return mirrorMap(live, past, true, dry);
  if (past instanceof Y.Text && live instanceof Y.Text) {
    const to = past.toString();
    if (live.toString() === to) return false;
    if (!dry) applyTextEdit(live, to, HISTORY_ORIGIN);
    return true;
  }
  if ((past instanceof Y.XmlFragment && live instanceof Y.XmlFragment) || (past instanceof Y.Array && live instanceof Y.Array)) {
    const same = past instanceof Y.Array ? JSON.stringify(past.toJSON()) === JSON.stringify(live.toJSON()) : past.toString() === live.toString();
    if (same) return false;
    if (!dry) {
      // New items, copied from the past version: Yjs would treat re-applying the old ones as seen and deleted.
      const l = live as Y.Array<unknown> | Y.XmlFragment;
      const copies = (past as Y.Array<unknown>).toArray().map((c) => (c instanceof Y.AbstractType ? c.clone() : c));
      l.delete(0, l.length);
      (l as Y.Array<unknown>).insert(0, copies);
    }
    return true;
  }
  return true;
}

/** Sets `live[key]` to a copy of `pastValue`. Returns true when it differed. */
function mirrorKey(live: Y.Map<unknown>, key: string, pastValue: unknown, dry: boolean): boolean {
  const lv = live.get(key);
  if (pastValue instanceof Y.AbstractType) {
    if (lv instanceof Y.AbstractType && lv.constructor === pastValue.constructor) return mirrorType(lv, pastValue, dry);
    if (!dry) live.set(key, pastValue.clone());
    return true;
  }
  if (live.has(key) && sameValue(lv, pastValue)) return false;
  if (!dry) live.set(key, pastValue);
  return true;
}

/** Mirrors a map key by key; `exact` also removes keys the past version did not have. */
function mirrorMap(live: Y.Map<unknown>, past: Y.Map<unknown>, exact: boolean, dry: boolean, skipKeys: readonly string[] = []): boolean {
  let changed = false;
  past.forEach((v, k) => {
    if (!skipKeys.includes(k) && mirrorKey(live, k, v, dry)) changed = true;
  });
  if (exact) {
    for (const k of [...live.keys()]) {
      if (skipKeys.includes(k) || past.has(k)) continue;
      changed = true;
      if (!dry) live.delete(k);
    }
  }
  return changed;
}

/** The root types of a doc read from storage are untyped until asked for by kind. */
const pastNotes = (past: Y.Doc, topicId: string) => (past.share.has(NOTE_PREFIX + topicId) ? past.getXmlFragment(NOTE_PREFIX + topicId) : undefined);

/**
 * Writes a past version (a throwaway doc read from History) back into the live notebook as a
 * new change, in one transaction, with the same ids, so that clip references in notes and on
 * the poster keep working. Restoring never removes anything added since: topics, clips,
 * profiles, themes and poster rows that the past version did not have stay. What the past
 * version had is put back as it was: a topic's fields, its note's text, its clips' topic, tags,
 * comment and deletion. The schema version, invite rotations, members' keys and client
 * bookkeeping are left alone (they are not content, and going back on them would be unsafe).
 *
 * With `dry`, nothing is written: the counts say what a restore would change (for the
 * confirmation).
 */
export function restoreFromPast(live: Y.Doc, past: Y.Doc, scope: RestoreScope, opts: { dry?: boolean } = {}): RestoreCounts {
  const dry = opts.dry ?? false;
  const counts: RestoreCounts = { topicsBack: 0, topicsChanged: 0, notes: 0, clips: 0, other: 0 };
  const pastTopics = past.getMap<unknown>(TOPICS);
  const pastClips = past.getMap<unknown>(CLIPS);
  const topicIds = 'topicId' in scope ? [scope.topicId] : [...pastTopics.keys()];
  if ('topicId' in scope && !(pastTopics.get(scope.topicId) instanceof Y.Map)) {
    throw new NotebookError('That topic is not in this version. Choose another version, or restore the whole notebook.');
  }
  const run = () => {
    const liveTopics = topicsMap(live) as Y.Map<unknown>;
    for (const id of topicIds) {
      const pt = pastTopics.get(id);
      if (!(pt instanceof Y.Map)) continue;
      const existed = liveTopics.get(id) instanceof Y.Map;
      if (mirrorKey(liveTopics, id, pt, dry)) counts[existed ? 'topicsChanged' : 'topicsBack']++;
      const pn = pastNotes(past, id);
      if (pn && mirrorType(noteBody(live, id), pn, dry)) counts.notes++;
    }
    const wanted = new Set(topicIds);
    const liveClips = clipsMap(live) as Y.Map<unknown>;
    pastClips.forEach((pc, id) => {
      if (!(pc instanceof Y.Map)) return;
      if ('topicId' in scope && !wanted.has(pc.get('topicId') as string)) return;
      if (mirrorKey(liveClips, id, pc, dry)) counts.clips++;
    });
    if ('notebook' in scope) {
      // Notebook info, but not the bookkeeping that only moves forward.
      if (mirrorMap(meta(live), past.getMap<unknown>(META), false, dry, ['schemaVersion', 'rotation'])) counts.other++;
      const liveP = partnersMap(live) as Y.Map<unknown>;
      past.getMap<unknown>(PARTNERS).forEach((p, id) => {
        if (p instanceof Y.Map && mirrorKey(liveP, id, p, dry)) counts.other++;
      });
      if (mirrorMap(posterMap(live), past.getMap<unknown>(POSTER), false, dry)) counts.other++;
      const liveThemes = themesMap(live) as Y.Map<unknown>;
      past.getMap<unknown>(POSTER_THEMES).forEach((t, id) => {
        if (t instanceof Y.Map && mirrorKey(liveThemes, id, t, dry)) counts.other++;
      });
      for (const name of [...past.share.keys()]) {
        if (!name.startsWith(POSTER_TEXT_PREFIX) || !isPosterField(name.slice(POSTER_TEXT_PREFIX.length))) continue;
        if (mirrorType(live.getText(name), past.getText(name), dry)) counts.other++;
      }
    }
  };
  if (dry) run();
  else write(live, run, HISTORY_ORIGIN);
  return counts;
}
