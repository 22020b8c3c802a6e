import { useEffect } from 'react';
import type * as Y from 'yjs';
import { keepHighlightIndex } from '../lib/ext/highlight-keeper';

/** Keeps this notebook's passages for on-page highlights in extension storage while it is open. */
export function useHighlightIndex(doc: Y.Doc, notebookId: string): void {
  useEffect(() => keepHighlightIndex(doc, notebookId), [doc, notebookId]);
}
