/**
 * An open notebook: its Y.Doc with local persistence (and, later, live sync).
 * Lives in the side panel page: service workers have no WebRTC and are suspended.
 */
import * as Y from 'yjs';
import { migrate } from '../notebook/schema';
import { LocalPersistence, dbNameFor, type JournalStore, type StorageError } from './persistence';

/** An open notebook. Call {@link NotebookSession.close} when switching away. */
export interface NotebookSession {
  id: string;
  doc: Y.Doc;
  persistence: LocalPersistence;
  /** Resolves when the stored notebook is loaded and migrated. Rejects with a message for the person. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Opens a notebook from this computer's storage. */
export function openNotebookSession(
  id: string,
  opts: { journal?: JournalStore; onStorageError?(err: StorageError): void } = {},
): NotebookSession {
  const doc = new Y.Doc();
  const persistence = new LocalPersistence(doc, dbNameFor(id), { journal: opts.journal, onError: opts.onStorageError });
  const ready = persistence.whenLoaded.then(() => {
    migrate(doc);
  });
  return {
    id,
    doc,
    persistence,
    ready,
    async close() {
      await persistence.destroy();
      doc.destroy();
    },
  };
}
