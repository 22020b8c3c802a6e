/**
 * An immutable view of a notebook for the UI, rebuilt lazily after each change, so that React can
 * read it with `useSyncExternalStore` (which needs a stable snapshot between changes).
 */
import type * as Y from 'yjs';
import {
  classifyTransaction,
  clipCounts,
  clipTags,
  countWords,
  noteText,
  readClips,
  readInfo,
  readPartners,
  readProblems,
  readTopics,
  subscribe,
  topicStats,
  type ChangedParts,
  type TopicStats,
} from './index';
import type { Clip, NotebookInfo, PartnerProfile, Topic } from './types';

/** Everything the panel shows about a notebook at one moment. */
export interface NotebookSnapshot {
  info: NotebookInfo;
  /** All topics in display order, archived ones included. */
  topics: Topic[];
  stats: Map<string, TopicStats>;
  /** Live clips, newest first. Parsed when first read (a topic page needs only {@link clipsOf}). */
  readonly clips: Clip[];
  /** One topic's live clips, newest first (parses only those). */
  clipsOf(topicId: string): Clip[];
  /** Every tag on a live clip, sorted. */
  tags(): string[];
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
  const clips = readClips(doc);
  return {
    info: readInfo(doc),
    topics: readTopics(doc),
    stats: topicStats(doc),
    clips,
    clipsOf: (topicId) => clips.filter((c) => c.topicId === topicId),
    tags: () => clipTags(doc),
    partners: readPartners(doc),
    problems: readProblems(doc),
  };
}

/** How long after clips change they are all read, to find malformed ones. */
export const PROBLEMS_CHECK_MS = 1_000;

/**
 * The clips of one state of the doc, read lazily and kept until the clips change: opening a
 * three-month notebook shows the topic list from counts alone, and opening a topic parses only
 * its clips (parsing all 2 000 took about 45 ms).
 */
class ClipViews {
  private all?: Clip[];
  private readonly byTopic = new Map<string, Clip[]>();
  private tagList?: string[];
  constructor(private readonly doc: Y.Doc) {}
  clips(): Clip[] {
    return (this.all ??= readClips(this.doc));
  }
  clipsOf(topicId: string): Clip[] {
    let list = this.byTopic.get(topicId);
    if (!list) this.byTopic.set(topicId, (list = this.all ? this.all.filter((c) => c.topicId === topicId) : readClips(this.doc, { topicId })));
    return list;
  }
  tags(): string[] {
    return (this.tagList ??= clipTags(this.doc));
  }
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
    const c = classifyTransaction(doc, tr);
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

  let views = new ClipViews(doc);
  let counts = new Map<string, number>();
  // Clips are parsed lazily, so a malformed one from a peer would be found (and the person told)
  // only when someone happened to read it. A second after the clips change, they are read in the
  // background; if that finds new problems, the snapshot is rebuilt to show them.
  const listeners = new Set<() => void>();
  let newProblems = false;
  let check: ReturnType<typeof setTimeout> | undefined;
  const checkClips = () => {
    clearTimeout(check);
    const run = () => {
      const before = readProblems(doc).length;
      views.clips();
      if (readProblems(doc).length === before) return;
      newProblems = true;
      for (const l of listeners) l();
    };
    // In idle time where there is such a thing (reading 2 000 clips takes tens of milliseconds).
    const idle = (globalThis as { requestIdleCallback?: (f: () => void, o: { timeout: number }) => void }).requestIdleCallback;
    check = setTimeout(() => (idle ? idle(run, { timeout: 2_000 }) : run()), PROBLEMS_CHECK_MS);
  };
  const rebuild = (prev: NotebookSnapshot | undefined, d: ChangedParts | 'all'): NotebookSnapshot => {
    const all = d === 'all' || !prev;
    const topics = all || d.topics ? readTopics(doc) : prev.topics;
    if (all || d.clips) {
      views = new ClipViews(doc);
      counts = clipCounts(doc);
      checkClips();
    }
    if (all) words.clear();
    const notes = all ? new Set<string>() : d.notes;
    for (const t of topics) if (!words.has(t.id) || notes.has(t.id)) words.set(t.id, countWords(noteText(doc, t.id)));
    let stats = prev?.stats;
    if (all || d.topics || d.clips || notes.size) {
      stats = new Map<string, TopicStats>();
      for (const t of topics) stats.set(t.id, { clips: counts.get(t.id) ?? 0, noteWords: words.get(t.id) ?? 0 });
    }
    const v = views;
    return {
      info: all || d.info ? readInfo(doc) : prev.info,
      topics,
      stats: stats!,
      get clips() {
        return v.clips();
      },
      clipsOf: (topicId) => v.clipsOf(topicId),
      tags: () => v.tags(),
      partners: all || d.partners ? readPartners(doc) : prev.partners,
      problems: readProblems(doc),
    };
  };

  return {
    subscribe: (cb) => {
      listeners.add(cb);
      const off = subscribe(doc, cb);
      return () => {
        listeners.delete(cb);
        off();
      };
    },
    getSnapshot() {
      if (!current || isDirty() || newProblems) {
        newProblems = false;
        current = rebuild(current, dirty);
        dirty = { info: false, topics: false, clips: false, partners: false, notes: new Set() };
      }
      return current;
    },
  };
}
