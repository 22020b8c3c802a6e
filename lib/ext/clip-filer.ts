/**
 * Files clips queued from the context menu or the shortcut into an open notebook: now, and whenever
 * more arrive. Each lands in the topic chosen when it was taken, else where the person is, else a
 * new topic made for it; clips queued for another notebook stay queued for it.
 */
import type * as Y from 'yjs';
import { addClip, readClip } from '../notebook';
import { topicForArrivingClip, type ClipWhere } from '../notebook/clip-destination';
import type { Deps } from '../notebook/keys';
import { systemDeps } from '../notebook/people';
import type { PersonRef } from '../notebook/types';
import { clipQueueItem, drainQueue } from './clip-queue';

/** A clip that just arrived in this notebook, for the "Clipped … into …" message. */
export interface ArrivedClip {
  clipId: string;
  title: string;
  topicId: string;
  topicTitle: string;
}

export interface ClipFilerOptions {
  doc: Y.Doc;
  notebookId: string;
  me: PersonRef;
  /** Where the person is (open topic, recent topic): where a clip without a topic goes. */
  where(): ClipWhere;
  /** Settles once the notebook's storage holds what was just written. */
  durable(): Promise<void>;
  deps?: Deps;
}

/** Starts filing this notebook's queued clips; `onArrived` hears of each one filed. Returns the function that stops it. */
export function startClipFiler(o: ClipFilerOptions, onArrived: (clip: ArrivedClip) => void): () => void {
  const deps = o.deps ?? systemDeps;
  let live = true;
  const drain = () =>
    drainQueue((item) => {
      if (!live || (item.notebookId && item.notebookId !== o.notebookId)) return false;
      const topic = topicForArrivingClip(o.doc, item.topicId, o.where(), deps);
      // The clip keeps its queue id: its images, captured after its text, are filed under it.
      const newId = readClip(o.doc, item.id) ? deps.newId : () => item.id;
      const clipId = addClip(
        o.doc,
        { topicId: topic.id, captured: item.captured, clippedBy: { id: o.me.id, name: o.me.name }, clippedAt: item.clippedAt },
        { ...deps, newId },
      );
      onArrived({ clipId, title: item.captured.title, topicId: topic.id, topicTitle: topic.title });
      return true;
    }, o.durable);
  void drain();
  const unwatch = clipQueueItem.watch((q) => q.length && void drain());
  return () => {
    live = false;
    unwatch();
  };
}
