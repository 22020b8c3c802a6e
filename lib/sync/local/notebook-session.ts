/**
 * An open notebook: its Y.Doc with local persistence (and, later, live sync).
 * Lives in the side panel page: service workers have no WebRTC and are suspended.
 */
import * as Y from 'yjs';
import { migrate, NotebookError, SCHEMA_VERSION, schemaVersion } from '../../notebook';
import type { HistoryKeeper } from './history-keeper';
import { LocalPersistence, dbNameFor, type JournalStore, type StorageError } from './persistence';
import type { StoredUpdates } from './prefetch';

/** An open notebook. Call {@link NotebookSession.close} when switching away. */
export interface NotebookSession {
  id: string;
  doc: Y.Doc;
  persistence: LocalPersistence;
  /** Resolves when the stored notebook is loaded and migrated. Rejects with a message for the person. */
  ready: Promise<void>;
  /**
   * Set when the notebook carries a newer format than this build reads (a partner runs a newer
   * version — or a hostile peer claims so). It still opens and syncs: every field is its own key,
   * so this build neither reads nor removes what it does not know. The panel asks to update.
   */
  newerFormat?: number;
  /** The notebook's History, when opened with `history: true` (the panel); resolves soon after `ready`. */
  history?: Promise<HistoryKeeper | undefined>;
  /**
   * The notebook's images doc (lib/notebook/image-doc.ts), opened on first call: image bytes live
   * in a database of their own so that opening the notebook never reads them.
   */
  images(): ImagesSession;
  close(): Promise<void>;
}

/** A notebook's images doc with its own IndexedDB database. */
export interface ImagesSession {
  doc: Y.Doc;
  persistence: LocalPersistence;
  /** Resolves when the stored images are loaded. */
  ready: Promise<void>;
}

/** The IndexedDB database of a notebook's images. */
export const imagesDbNameFor = (notebookId: string) => `pn-images-${notebookId}`;

/** Deletes a notebook's stored images from this computer. */
export async function clearStoredImages(notebookId: string): Promise<void> {
  const doc = new Y.Doc();
  try {
    await new LocalPersistence(doc, imagesDbNameFor(notebookId)).clear();
  } finally {
    doc.destroy();
  }
}

/** Opens a notebook from this computer's storage. */
export function openNotebookSession(
  id: string,
  opts: {
    journal?: JournalStore;
    onStorageError?(err: StorageError): void;
    prefetched?: Promise<StoredUpdates | undefined>;
    /** Keep History while it is open (versions now and then, and before large deletions). */
    history?: boolean;
  } = {},
): NotebookSession {
  const doc = new Y.Doc();
  const persistence = new LocalPersistence(doc, dbNameFor(id), { journal: opts.journal, onError: opts.onStorageError, prefetched: opts.prefetched });
  let closed = false;
  // Its code is not part of the panel's first load; fetching it starts now, alongside the notebook's data.
  const keeperCode = opts.history ? import('./history-keeper') : undefined;
  let keeper: HistoryKeeper | undefined;
  let images: ImagesSession | undefined;
  const session: NotebookSession = {
    id,
    doc,
    persistence,
    ready: persistence.whenLoaded.then(() => {
      try {
        migrate(doc);
      } catch (e) {
        // Refusing to open would lock the person out of their own notes (and a peer could do that
        // on purpose by claiming a huge version): open without migrating, and say so.
        if (!(e instanceof NotebookError) || schemaVersion(doc) <= SCHEMA_VERSION) throw e;
        session.newerFormat = schemaVersion(doc);
      }
    }),
    images() {
      if (images) return images;
      const imageDoc = new Y.Doc();
      // No journal: a picture that was not stored yet is captured again from the queue, and
      // localStorage could not hold one anyway.
      const p = new LocalPersistence(imageDoc, imagesDbNameFor(id), { onError: opts.onStorageError, unmarked: true });
      images = { doc: imageDoc, persistence: p, ready: p.whenLoaded };
      void p.whenLoaded.then(() => globalThis.performance?.mark?.('pn:images-loaded')).catch(() => {});
      return images;
    },
    async close() {
      closed = true;
      if (images) {
        await images.persistence.destroy();
        images.doc.destroy();
      }
      await session.history?.catch(() => undefined);
      await keeper?.stop();
      await persistence.destroy();
      doc.destroy();
    },
  };
  // Started after the load, so loading is not mistaken for changes; it does its work later, in idle time.
  if (keeperCode) {
    session.history = Promise.all([keeperCode, session.ready]).then(([{ HistoryKeeper }]) => {
      if (closed) return undefined;
      keeper = new HistoryKeeper({ doc, notebookId: id });
      keeper.start();
      return keeper;
    });
    session.history.catch(() => {});
  }
  return session;
}
