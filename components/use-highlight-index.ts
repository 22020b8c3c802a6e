import { useEffect } from 'react';
import type * as Y from 'yjs';
import { buildHighlightIndex } from '../lib/clip/highlight-index';
import { saveHighlightIndex } from '../lib/ext/highlights';
import { readClips, subscribeChanges } from '../lib/notebook/schema';

/**
 * Keeps this notebook's passages for on-page highlights in extension storage, so pages can show
 * them while the panel is closed. Rebuilt a moment after clips change (never on note keystrokes),
 * in idle time: reading clips' small fields costs little, and bodies are never inflated.
 */
export function useHighlightIndex(doc: Y.Doc, notebookId: string): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const rebuild = () => void saveHighlightIndex(notebookId, buildHighlightIndex(readClips(doc))).catch(() => {});
    const schedule = (delay: number) => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (typeof requestIdleCallback === 'function') requestIdleCallback(rebuild, { timeout: 2000 });
        else rebuild();
      }, delay);
    };
    // After the panel has opened and drawn, not during.
    schedule(3000);
    const unsubscribe = subscribeChanges(doc, (changes) => changes.clips.size && schedule(500));
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [doc, notebookId]);
}
