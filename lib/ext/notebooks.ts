/**
 * Creating, renaming and deleting notebooks on this computer: the registry in extension storage
 * plus each notebook's own IndexedDB database.
 */
import { forgetHighlightIndex } from './highlights';
import { initNotebook, updatePartner, setInfo } from '../notebook/schema';
import { randomId } from '../notebook/people';
import type { NotebookInfo } from '../notebook/types';
import { dbNameFor } from '../sync/persistence';
import { openNotebookSession, type NotebookSession } from '../sync/notebook-session';
import { NOTEBOOK_SECRET_BYTES } from '../sync/keys';
import type { Invite } from '../sync/invite';
import { activeNotebookItem, notebooksItem, toHex, type Identity, type NotebookEntry } from './storage';

const deps = { newId: () => randomId(), now: () => Date.now() };

/** What the "New notebook" form gives. */
export interface NewNotebook {
  info: NotebookInfo;
  exampleTopics: boolean;
}

/** Creates a notebook, stores it, adds the creator's own profile, and makes it the active one. */
export async function createNotebook(input: NewNotebook, me: Identity): Promise<string> {
  const id = randomId();
  const session = openNotebookSession(id);
  try {
    await session.ready;
    initNotebook(session.doc, { info: input.info, exampleTopics: input.exampleTopics }, deps);
    updatePartner(session.doc, me.id, { name: me.name, color: me.color });
    await session.persistence.confirm();
  } finally {
    await session.close();
  }
  const now = Date.now();
  const secret = toHex(crypto.getRandomValues(new Uint8Array(NOTEBOOK_SECRET_BYTES)));
  await notebooksItem.setValue([...(await notebooksItem.getValue()), { id, title: input.info.title, createdAt: now, lastOpenedAt: now, secret }]);
  await activeNotebookItem.setValue(id);
  return id;
}

/** Renames the open notebook (for every partner) and the entry in this computer's list. */
export async function renameNotebook(session: NotebookSession, title: string): Promise<void> {
  setInfo(session.doc, { title });
  await syncEntryTitle(session.id, title);
}

/** Keeps the switcher's cached title equal to the notebook's own (a partner may rename it). */
export async function syncEntryTitle(id: string, title: string): Promise<void> {
  const list = await notebooksItem.getValue();
  if (!list.some((e) => e.id === id && e.title !== title)) return;
  await notebooksItem.setValue(list.map((e) => (e.id === id ? { ...e, title } : e)));
}

/** Records that a notebook was opened, and makes it the one shown next time. */
export async function markOpened(id: string): Promise<void> {
  await activeNotebookItem.setValue(id);
  const list = await notebooksItem.getValue();
  await notebooksItem.setValue(list.map((e) => (e.id === id ? { ...e, lastOpenedAt: Date.now() } : e)));
}

/** Deletes a notebook's copy on this computer (partners keep theirs) and picks another to show. */
export async function deleteNotebook(id: string): Promise<NotebookEntry | undefined> {
  await new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(dbNameFor(id));
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    // Another tab still has it open: the delete completes when that tab closes it.
    req.onblocked = () => resolve();
  });
  localStorage.removeItem(`pn-journal:${dbNameFor(id)}`);
  // Its passages must not keep showing on web pages.
  await forgetHighlightIndex(id).catch(() => {});
  const rest = (await notebooksItem.getValue()).filter((e) => e.id !== id);
  await notebooksItem.setValue(rest);
  const next = [...rest].sort((a, b) => b.lastOpenedAt - a.lastOpenedAt)[0];
  await activeNotebookItem.setValue(next?.id ?? null);
  return next;
}

/**
 * Joins a partner's notebook from a parsed invite: the notebook appears at once and fills as
 * partners' changes arrive. Joining one already on this computer just opens it (with the invite's
 * secret, which may be newer).
 */
export async function joinNotebook(invite: Invite, me: Identity): Promise<string> {
  const list = await notebooksItem.getValue();
  const secret = toHex(invite.secret);
  const now = Date.now();
  const existing = list.find((e) => e.id === invite.notebookId);
  const entry: NotebookEntry = existing
    ? { ...existing, secret, signaling: invite.signaling.length ? invite.signaling : existing.signaling, lastOpenedAt: now }
    : { id: invite.notebookId, title: invite.title || 'Shared notebook', createdAt: now, lastOpenedAt: now, secret, signaling: invite.signaling.length ? invite.signaling : undefined };
  if (!existing) {
    // Our own profile, so partners see who joined; the rest of the notebook comes from them.
    const session = openNotebookSession(entry.id);
    try {
      await session.ready;
      updatePartner(session.doc, me.id, { name: me.name, color: me.color });
      await session.persistence.confirm();
    } finally {
      await session.close();
    }
  }
  await notebooksItem.setValue(existing ? list.map((e) => (e.id === entry.id ? entry : e)) : [...list, entry]);
  await activeNotebookItem.setValue(entry.id);
  return entry.id;
}
