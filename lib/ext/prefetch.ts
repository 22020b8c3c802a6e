/**
 * The early read that entrypoints/prefetch.ts started before the panel's code ran (a page
 * global, so it lives here with the other edges).
 */
import type { Prefetch, StoredUpdates } from '../sync/local/prefetch';

/** The early read of `notebookId`, once; `undefined` if it was of another notebook or already taken. */
export function takePrefetch(notebookId: string): Promise<StoredUpdates | undefined> | undefined {
  const g = globalThis as { __partnerNotebookPrefetch?: Prefetch };
  const p = g.__partnerNotebookPrefetch;
  g.__partnerNotebookPrefetch = undefined;
  return p?.notebookId === notebookId ? p.result : undefined;
}
