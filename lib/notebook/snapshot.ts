/**
 * An immutable view of a notebook for the UI, rebuilt lazily after each change, so that React can
 * read it with `useSyncExternalStore` (which needs a stable snapshot between changes).
 */
import type * as Y from 'yjs';
import { changedParts, countWords, noteText, readClips, readInfo, readPartners, readProblems, readTopics, subscribe, topicStats, type ChangedParts, type TopicStats } from './schema';
import type { Clip, NotebookInfo, PartnerProfile, Topic } from './types';

/** Everything the panel shows about a notebook at one moment. */
export interface NotebookSnapshot {
  info: NotebookInfo;
  /** All topics in display order, archived ones included. */
  topics: Topic[];
  stats: Map<string, TopicStats>;
  /** Live clips, newest first. */
  clips: Clip[];
  partners: PartnerProfile[];
  /** Entries skipped as malformed (from a faulty or hostile peer). */
  problems: string[];
}

/** A subscribable, cached snapshot of a doc. */
export interface SnapshotStore {
  subscribe(cb: () => void): () => void;
  getSnapshot(): NotebookSnapshot;
}

/** Builds a snapshot of `doc` now. */
export function takeSnapshot(doc: Y.Doc): NotebookSnapshot {
  return {
    info: readInfo(doc),
    topics: readTopics(doc),
    stats: topicStats(doc),
    clips: readClips(doc),
    partners: readPartners(doc),
    problems: readProblems(doc),
  };
}

/**
 * A store whose snapshot is rebuilt only in the parts a change touched, and only when read.
 * Typing in a note (the most frequent change by far) recounts that one note's words and reuses
 * every other part, so React sees the same topic, clip and partner arrays and skips their work;
 * changes to parts the panel does not show (sync bookkeeping) keep the very same snapshot.
 */
export function createSnapshotStore(doc: Y.Doc): SnapshotStore {
  let current: NotebookSnapshot | undefined;
  let dirty: ChangedParts | 'all' = 'all';
  const words = new Map<string, number>();
  const onTransaction = (tr: Y.Transaction) => {
    if (dirty === 'all') return;
    const c = changedParts(doc, tr);
    dirty = {
      info: dirty.info || c.info,
      topics: dirty.topics || c.topics,
      clips: dirty.clips || c.clips,
      partners: dirty.partners || c.partners,
      notes: new Set([...dirty.notes, ...c.notes]),
    };
  };
  doc.on('afterTransaction', onTransaction);
  const isDirty = () => dirty === 'all' || dirty.info || dirty.topics || dirty.clips || dirty.partners || dirty.notes.size > 0;

  const rebuild = (prev: NotebookSnapshot | undefined, d: ChangedParts | 'all'): NotebookSnapshot => {
    const all = d === 'all' || !prev;
    const topics = all || d.topics ? readTopics(doc) : prev.topics;
    const clips = all || d.clips ? readClips(doc) : prev.clips;
    if (all) words.clear();
    const notes = all ? new Set<string>() : d.notes;
    for (const t of topics) if (!words.has(t.id) || notes.has(t.id)) words.set(t.id, countWords(noteText(doc, t.id)));
    let stats = prev?.stats;
    if (all || d.topics || d.clips || notes.size) {
      stats = new Map<string, TopicStats>();
      for (const t of topics) stats.set(t.id, { clips: 0, noteWords: words.get(t.id) ?? 0 });
      for (const c of clips) {
        const s = stats.get(c.topicId);
        if (s) s.clips++;
      }
    }
    return {
      info: all || d.info ? readInfo(doc) : prev.info,
      topics,
      stats: stats!,
      clips,
      partners: all || d.partners ? readPartners(doc) : prev.partners,
      problems: readProblems(doc),
    };
  };

  return {
    subscribe: (cb) => subscribe(doc, cb),
    getSnapshot() {
      if (!current || isDirty()) {
        current = rebuild(current, dirty);
        dirty = { info: false, topics: false, clips: false, partners: false, notes: new Set() };
      }
      return current;
    },
  };
}
