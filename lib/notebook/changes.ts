/** Who wrote what (Yjs client ids → people) and what a transaction changed. */
import * as Y from 'yjs';
import { readClip } from './clips';
import { CLIENTS, CLIPS, META, NOTE_PREFIX, PARTNERS, TOPICS, clipsMap, topicsMap, write } from './keys';

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
