/**
 * An immutable view of a notebook for the UI, rebuilt lazily after each change, so that React can
 * read it with `useSyncExternalStore` (which needs a stable snapshot between changes).
 */
import type * as Y from 'yjs';
import { readClips, readInfo, readPartners, readProblems, readTopics, subscribe, topicStats, type TopicStats } from './schema';
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

/** A store whose snapshot is rebuilt at most once per change, and only when read. */
export function createSnapshotStore(doc: Y.Doc): SnapshotStore {
  let cached: NotebookSnapshot | undefined;
  subscribe(doc, () => (cached = undefined));
  return {
    subscribe: (cb) => subscribe(doc, cb),
    getSnapshot() {
      return (cached ??= takeSnapshot(doc));
    },
  };
}
