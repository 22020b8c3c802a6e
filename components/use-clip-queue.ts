import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { drainQueue, clipQueueItem } from '../lib/ext/clip-queue';
import type { Identity } from '../lib/ext/storage';
import { topicForArrivingClip } from '../lib/notebook/clip-destination';
import { systemDeps as deps } from '../lib/notebook/people';
import { addClip, readClip } from '../lib/notebook';

/** A clip that just arrived in this notebook, for the "Clipped … into …" message. */
export interface ArrivedClip {
  clipId: string;
  title: string;
  topicId: string;
  topicTitle: string;
}

/**
 * Files queued clips into this notebook as soon as the panel shows it (and whenever more arrive).
 * Clips queued for another notebook stay queued for it.
 */
export function useClipQueue(
  doc: Y.Doc,
  notebookId: string,
  me: Identity,
  where: { openTopicId?: string; recentTopicId?: string },
  durable: () => Promise<void>,
): ArrivedClip[] {
  const [arrived, setArrived] = useState<ArrivedClip[]>([]);
  const whereRef = useRef(where);
  whereRef.current = where;
  useEffect(() => {
    let live = true;
    const drain = () =>
      drainQueue((item) => {
        if (item.notebookId && item.notebookId !== notebookId) return false;
        const topic = topicForArrivingClip(doc, item.topicId, whereRef.current, deps);
        // The clip keeps its queue id: its images, captured after its text, are filed under it.
        const newId = readClip(doc, item.id) ? deps.newId : () => item.id;
        const clipId = addClip(
          doc,
          { topicId: topic.id, captured: item.captured, clippedBy: { id: me.id, name: me.name }, clippedAt: item.clippedAt },
          { ...deps, newId },
        );
        if (live) setArrived((a) => [...a, { clipId, title: item.captured.title, topicId: topic.id, topicTitle: topic.title }].slice(-5));
        return true;
      }, durable);
    void drain();
    const unwatch = clipQueueItem.watch((q) => q.length && void drain());
    return () => {
      live = false;
      unwatch();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `durable` belongs to the same session as `doc`
  }, [doc, notebookId, me.id, me.name]);
  return arrived;
}
