/**
 * The poster as React reads it: one cached snapshot per doc, re-read only after a transaction that
 * changed the poster (classifyTransaction), not after every keystroke in a note or every clip.
 */
import type * as Y from 'yjs';
import { classifyTransaction } from '../changes';
import { readPoster, readPosterTable, readVoteRecorders, type PosterTableRow } from './outline';
import type { PosterOutline } from './types';

/** What the Poster tab (and the poster actions on clips) read from the notebook. */
export interface PosterSnapshot {
  /** Undefined until someone drafts the poster or proposes a theme. */
  outline: PosterOutline | undefined;
  /** The comparison rows with their keys, for editing cells. */
  table: PosterTableRow[];
  /** Votes recorded on a partner's behalf: theme id → voter id → recorder id. */
  recorders: Record<string, Record<string, string>>;
}

/** A `useSyncExternalStore` source for the poster of one doc. */
export interface PosterStore {
  /** Calls `cb` after each transaction that changed the poster. Returns the unsubscribe function. */
  subscribe(cb: () => void): () => void;
  /** The current snapshot: the same object until the poster changes. */
  get(): PosterSnapshot;
}

// One store per doc: every clip card's "Add to poster" reads the same snapshot, built once per change.
const stores = new WeakMap<Y.Doc, PosterStore>();

/** The poster store of `doc` (made on first use, then shared). */
export function posterStore(doc: Y.Doc): PosterStore {
  let s = stores.get(doc);
  if (!s) {
    let cached: PosterSnapshot | undefined;
    const listeners = new Set<() => void>();
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (!tr.changed.size || !classifyTransaction(doc, tr).poster) return;
      cached = undefined;
      for (const cb of [...listeners]) cb();
    });
    s = {
      subscribe: (cb) => {
        listeners.add(cb);
        return () => void listeners.delete(cb);
      },
      get: () => (cached ??= { outline: readPoster(doc), table: readPosterTable(doc), recorders: readVoteRecorders(doc) }),
    };
    stores.set(doc, s);
  }
  return s;
}
