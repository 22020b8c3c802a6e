/**
 * Keeps an open notebook's passages for on-page highlights in extension storage, so pages can show
 * them while the panel is closed. After the panel opens, every clip is read once, a few at a time
 * in idle time (never in one long task that would delay typing); after that only the clips a
 * change touched are read again. Clip bodies are never inflated: the quote is in the small fields.
 */
import type * as Y from 'yjs';
import { buildHighlightIndex } from '../clip/highlight-index';
import { clipIds, readClip, subscribeChanges } from '../notebook';
import type { Clip } from '../notebook/types';
import { saveHighlightIndex } from './highlights';

/** Clips read per idle slice: reading 2 000 clips at once would block the panel for a few hundred ms. */
const SLICE = 40;
/** The first read starts once the panel has opened and drawn. */
const START_AFTER_MS = 3000;
/** Changes in a burst are saved once. */
const SAVE_AFTER_MS = 500;

/** Starts keeping `notebookId`'s highlight index from `doc`; returns the function that stops it. */
export function keepHighlightIndex(doc: Y.Doc, notebookId: string): () => void {
  let live = true;
  let scanned = false;
  const quotes = new Map<string, Clip>();
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const idle = (fn: (deadline?: IdleDeadline) => void) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(() => fn(), 16);
  const take = (id: string) => {
    const clip = readClip(doc, id);
    if (clip && clip.captured.kind === 'selection' && clip.deletedAt === undefined) quotes.set(id, clip);
    else quotes.delete(id);
  };
  const save = () => {
    if (!scanned || saveTimer !== undefined) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      if (live) void saveHighlightIndex(notebookId, buildHighlightIndex([...quotes.values()])).catch(() => {});
    }, SAVE_AFTER_MS);
  };
  const openTimer = setTimeout(() => {
    const ids = clipIds(doc);
    let at = 0;
    const step = (deadline?: IdleDeadline) => {
      if (!live) return;
      do {
        for (const end = Math.min(ids.length, at + SLICE); at < end; at++) take(ids[at]!);
      } while (at < ids.length && deadline && deadline.timeRemaining() > 8);
      if (at < ids.length) idle(step);
      else {
        scanned = true;
        save();
      }
    };
    idle(step);
  }, START_AFTER_MS);
  const unsubscribe = subscribeChanges(doc, (changes) => {
    if (!changes.clips.size) return;
    for (const id of changes.clips) take(id);
    save();
  });
  return () => {
    live = false;
    unsubscribe();
    clearTimeout(openTimer);
    if (saveTimer !== undefined) clearTimeout(saveTimer);
  };
}
