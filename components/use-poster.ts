import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { readPoster, readPosterTable, readVoteRecorders, subscribe, type PosterTableRow } from '../lib/notebook';
import type { PosterOutline } from '../lib/poster/types';

/** What the Poster tab (and the poster actions on clips) read from the notebook. */
export interface PosterSnapshot {
  /** Undefined until someone drafts the poster or proposes a theme. */
  outline: PosterOutline | undefined;
  /** The comparison rows with their keys, for editing cells. */
  table: PosterTableRow[];
  /** Votes recorded on a partner's behalf: theme id → voter id → recorder id. */
  recorders: Record<string, Record<string, string>>;
}

interface Store {
  subscribe(cb: () => void): () => void;
  get(): PosterSnapshot;
}

// One store per doc: every clip card's "Add to poster" reads the same snapshot, built once per change.
const stores = new WeakMap<Y.Doc, Store>();

function storeFor(doc: Y.Doc): Store {
  let s = stores.get(doc);
  if (!s) {
    let cached: PosterSnapshot | undefined;
    subscribe(doc, () => (cached = undefined));
    s = {
      subscribe: (cb) => subscribe(doc, cb),
      get: () => (cached ??= { outline: readPoster(doc), table: readPosterTable(doc), recorders: readVoteRecorders(doc) }),
    };
    stores.set(doc, s);
  }
  return s;
}

/** The poster outline of a notebook; re-renders after every change, local or from a partner. */
export function usePoster(doc: Y.Doc): PosterSnapshot {
  const store = storeFor(doc);
  return useSyncExternalStore(store.subscribe, store.get);
}
