/** Who wrote what (Yjs client ids → people) and what a transaction changed. */
import * as Y from 'yjs';
import { readClip } from './clips';
import { CLIENTS, CLIPS, MEMBERS, META, NOTE_PREFIX, PARTNERS, POSTER, POSTER_TEXT_PREFIX, POSTER_THEMES, ROTATIONS, TOPICS, write } from './keys';

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
  const changes = classifyTransaction(doc, tr);
  const topics = new Set(changes.notes);
  for (const id of changes.clipIds) {
    const topicId = readClip(doc, id)?.topicId;
    if (topicId) topics.add(topicId);
  }
  return { people: [...people], topics: [...topics] };
}

/**
 * What one transaction changed, by notebook part: the one classification that every consumer
 * (snapshot store, search index, exchange recorder, rotation follower, poster store) reads, so
 * they cannot disagree about what a change touched.
 */
export interface TransactionChanges {
  /** The notebook's own fields (title, programme, dates). */
  info: boolean;
  /** Anything under topics (see {@link topicIds} for which). */
  topics: boolean;
  /** Anything under clips (see {@link clipIds} for which). */
  clips: boolean;
  /** Partner profiles. */
  partners: boolean;
  /** The poster: its map, its themes or any of its texts. */
  poster: boolean;
  /** Signed member entries. */
  members: boolean;
  /** Signed new-invite records. */
  rotations: boolean;
  /** Topics whose own fields changed (title, dates, archived…), or that were added or removed. */
  topicIds: Set<string>;
  /** Clips added, removed or edited (tags, comment, topic, deletion). */
  clipIds: Set<string>;
  /** Topics whose note text changed. */
  notes: Set<string>;
}

// One classification per transaction, however many consumers ask (they all run in afterTransaction).
const classified = new WeakMap<Y.Transaction, TransactionChanges>();

/** Classifies a transaction's changes by the notebook part (root type) they belong to, and by id. */
export function classifyTransaction(doc: Y.Doc, tr: Y.Transaction): TransactionChanges {
  const cached = classified.get(tr);
  if (cached) return cached;
  const out: TransactionChanges = {
    info: false,
    topics: false,
    clips: false,
    partners: false,
    poster: false,
    members: false,
    rotations: false,
    topicIds: new Set(),
    clipIds: new Set(),
    notes: new Set(),
  };
  if (tr.changed.size) {
    // By name, not identity: a root first seen in a remote update is still a generic type here.
    const rootName = new Map<Y.AbstractType<any>, string>(); // eslint-disable-line @typescript-eslint/no-explicit-any
    doc.share.forEach((type, name) => rootName.set(type, name));
    tr.changed.forEach((keys, type) => {
      // Climb to the root type, remembering the key just below it (the clip or topic id).
      let t: Y.AbstractType<any> = type; // eslint-disable-line @typescript-eslint/no-explicit-any
      let key: string | null = null;
      while (t._item && t._item.parent instanceof Y.AbstractType) {
        key = t._item.parentSub;
        t = t._item.parent as Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      }
      const name = rootName.get(t);
      const ids = t === type ? [...keys].filter((k): k is string => k !== null) : key !== null ? [key] : [];
      if (name === META) out.info = true;
      else if (name === TOPICS) {
        out.topics = true;
        ids.forEach((id) => out.topicIds.add(id));
      } else if (name === CLIPS) {
        out.clips = true;
        ids.forEach((id) => out.clipIds.add(id));
      } else if (name === PARTNERS) out.partners = true;
      else if (name === MEMBERS) out.members = true;
      else if (name === ROTATIONS) out.rotations = true;
      else if (name === POSTER || name === POSTER_THEMES || name?.startsWith(POSTER_TEXT_PREFIX)) out.poster = true;
      else if (name?.startsWith(NOTE_PREFIX)) out.notes.add(name.slice(NOTE_PREFIX.length));
    });
  }
  classified.set(tr, out);
  return out;
}

/**
 * Calls `cb` with the classified changes after every transaction that changed the doc (local or
 * remote). Returns the unsubscribe function.
 */
export function subscribeTransactions(doc: Y.Doc, cb: (changes: TransactionChanges, tr: Y.Transaction) => void): () => void {
  const handler = (tr: Y.Transaction) => {
    if (tr.changed.size) cb(classifyTransaction(doc, tr), tr);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}

/** Which parts of the notebook a transaction changed (for caches that rebuild only those parts). */
export type ChangedParts = Pick<TransactionChanges, 'info' | 'topics' | 'clips' | 'partners' | 'notes'>;

/** The parts of {@link classifyTransaction} the snapshot store reads; kept for existing callers. */
export function changedParts(doc: Y.Doc, tr: Y.Transaction): ChangedParts {
  return classifyTransaction(doc, tr);
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
  return subscribeTransactions(doc, (c) => {
    if (c.clipIds.size || c.topicIds.size || c.notes.size) cb({ clips: c.clipIds, topics: c.topicIds, notes: c.notes });
  });
}
