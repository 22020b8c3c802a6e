/**
 * Everything the extension keeps in browser storage (not in the notebooks themselves).
 * The only module besides lib/ext/* that may touch `browser.storage`.
 */
import { storage } from 'wxt/utils/storage';

/** The person at this computer. Their id is also their partner-profile id in every notebook. */
export interface Identity {
  id: string;
  name: string;
  /** Cursor and poster colour, e.g. "#1f6feb". */
  color: string;
}

/** One notebook known on this computer. The title is a cache of the notebook's own title. */
export interface NotebookEntry {
  id: string;
  title: string;
  createdAt: number;
  lastOpenedAt: number;
}

/** Who is using this browser; null until the first-run form is filled. */
export const identityItem = storage.defineItem<Identity | null>('local:identity', { fallback: null });

/** The notebooks on this computer, in creation order. */
export const notebooksItem = storage.defineItem<NotebookEntry[]>('local:notebooks', { fallback: [] });

/** The notebook shown when the panel opens. */
export const activeNotebookItem = storage.defineItem<string | null>('local:activeNotebook', { fallback: null });
