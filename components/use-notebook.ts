import { useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { createSnapshotStore, type NotebookSnapshot } from '../lib/notebook/snapshot';

/** The notebook's current snapshot; re-renders after every change, local or remote. */
export function useNotebook(doc: Y.Doc): NotebookSnapshot {
  const store = useMemo(() => createSnapshotStore(doc), [doc]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
