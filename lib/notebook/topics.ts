/** Topics, their note bodies and per-topic counts. */
import * as Y from 'yjs';
import { type Topic, type TopicKind } from './types';
import { readClips } from './clips';
import { type Deps, NOTE_PREFIX, topicsMap, write } from './keys';
import { LIMITS, NotebookError, bool, clean, num, str } from './parse';
import { skip } from './problems';

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
  const order = before === undefined && after === undefined ? 1 : before === undefined ? after! - 1 : after === undefined ? before + 1 : (before + after) / 2;
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
  return parts
    .join('')
    .replace(/\n{2,}/g, '\n')
    .trim();
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
