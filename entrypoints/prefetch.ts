/**
 * The first script of sidepanel.html (a classic script, so it runs before the panel's bundle has
 * even arrived): starts reading the last-shown notebook from IndexedDB. See lib/sync/local/prefetch.ts.
 */
import { prefetchLastNotebook, type Prefetch } from '@/lib/sync/local/prefetch';

declare global {
  var __partnerNotebookPrefetch: Prefetch | undefined;
}

export default defineUnlistedScript(() => {
  try {
    globalThis.__partnerNotebookPrefetch = prefetchLastNotebook(localStorage);
  } catch {
    // Storage blocked: the panel loads the normal way and says what is wrong.
  }
});
