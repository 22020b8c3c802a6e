/**
 * Creating, renaming and deleting notebooks on this computer: the registry in extension storage
 * plus each notebook's own IndexedDB database.
 */
import { forgetHighlightIndex } from './highlights';
import { initNotebook, readRotationRecords, updatePartner, setInfo } from '../notebook';
import { randomId, systemDeps as deps } from '../notebook/people';
import type { NotebookInfo } from '../notebook/types';
import { dbNameFor } from '../sync/local/persistence';
import { imagesDbNameFor, openNotebookSession, type NotebookSession } from '../sync/local/notebook-session';
import { NOTEBOOK_SECRET_BYTES } from '../sync/keys/derive';
import type { Invite } from '../sync/keys/invite';
import { commitSecret, verifyRotation } from '../sync/keys/rotation';
import { deadlinesItem, remindersSentItem } from './rhythm';
import {
  activeNotebookItem,
  lastExchangeByItem,
  lastExchangeItem,
  notebooksItem,
  toHex,
  topicActivityItem,
  topicSeenItem,
  type Identity,
  type NotebookEntry,
} from './storage';
import { UserFacingError } from '../../protocol/user-error';

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

/**
 * Records that a notebook is shared (an invite for it was shown): from now on the panel reports
 * connection problems instead of "Only on this computer".
 */
export async function markShared(id: string): Promise<void> {
  const list = await notebooksItem.getValue();
  if (!list.some((e) => e.id === id && e.sharedAt === undefined)) return;
  await notebooksItem.setValue(list.map((e) => (e.id === id ? { ...e, sharedAt: Date.now() } : e)));
}

/** Deletes a notebook's copy on this computer (partners keep theirs) and picks another to show. */
export async function deleteNotebook(id: string): Promise<NotebookEntry | undefined> {
  // Its images (a database of their own) go with it.
  for (const name of [dbNameFor(id), imagesDbNameFor(id)]) {
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
      // Another tab still has it open: the delete completes when that tab closes it.
      req.onblocked = () => resolve();
    });
  }
  localStorage.removeItem(`pn-journal:${dbNameFor(id)}`);
  // Its History goes too: it holds the same notes and clips.
  await (await import('../sync/local/history-store')).HistoryStore.remove(id);
  // Its passages must not keep showing on web pages.
  await forgetHighlightIndex(id).catch(() => {});
  await forgetNotebookRecords(id);
  const rest = (await notebooksItem.getValue()).filter((e) => e.id !== id);
  await notebooksItem.setValue(rest);
  const next = [...rest].sort((a, b) => b.lastOpenedAt - a.lastOpenedAt)[0];
  await activeNotebookItem.setValue(next?.id ?? null);
  return next;
}

/** The notebook's secret (hex); a notebook made before invites existed is given one now, and keeps it. */
export async function ensureNotebookSecret(entry: NotebookEntry): Promise<string> {
  if (entry.secret) return entry.secret;
  const secret = toHex(crypto.getRandomValues(new Uint8Array(NOTEBOOK_SECRET_BYTES)));
  let kept = secret;
  const list = await notebooksItem.getValue();
  await notebooksItem.setValue(
    list.map((e) => {
      if (e.id !== entry.id) return e;
      // Another panel may have given it one meanwhile: the first one stays.
      if (e.secret) {
        kept = e.secret;
        return e;
      }
      return { ...e, secret };
    }),
  );
  return kept;
}

/** Per-notebook bookkeeping kept in extension storage, keyed by notebook id. */
const PER_NOTEBOOK_ITEMS = [lastExchangeItem, lastExchangeByItem, topicActivityItem, topicSeenItem, deadlinesItem] as const;

/**
 * Forgets what this computer noted about a notebook outside its databases: when partners' changes
 * last arrived (overall and per partner), which topics changed and were seen, its poster deadline,
 * and the reminders already shown for it. Clips still waiting in the queues are the person's own
 * work and stay: the panel files them into the notebook that is open.
 */
export async function forgetNotebookRecords(id: string): Promise<void> {
  for (const item of PER_NOTEBOOK_ITEMS) {
    const all = (await item.getValue()) as Record<string, unknown>;
    if (!(id in all)) continue;
    const rest = { ...all };
    delete rest[id];
    await (item as { setValue(v: Record<string, unknown>): Promise<void> }).setValue(rest);
  }
  // Reminder keys are `kind:notebookId:…` (lib/topics/reminders.ts).
  const sent = await remindersSentItem.getValue();
  const keep = Object.fromEntries(Object.entries(sent).filter(([key]) => key.split(':')[1] !== id));
  if (Object.keys(keep).length !== Object.keys(sent).length) await remindersSentItem.setValue(keep);
}

/** A join that would go backwards or cannot be done; the message says what to do. Nothing was changed. */
export class JoinError extends UserFacingError {
  override name = 'JoinError';
}

/** What joining with an invite would do on this computer (shown before anything changes). */
export type JoinPlan =
  /** The notebook is not here: it is added. */
  | { kind: 'new' }
  /** The notebook is here with this very invite: it is just opened. */
  | { kind: 'same'; id: string; title: string }
  /** The notebook is here with other settings: the person decides; nothing changes by itself. */
  | {
      kind: 'changes';
      id: string;
      title: string;
      /**
       * How the invite's secret compares: the current one; a newer one this notebook's records
       * name (`newer` says who made it); an older one they replaced (refused); or one they never name.
       */
      secret: 'same' | 'newer' | 'older' | 'unknown';
      newer?: { name: string; words: string; at: number };
      /** Different sync servers: what the notebook uses now (empty: the Settings ones) and what the invite names. */
      servers: { from: string[]; to: string[] } | null;
    };

/** Tells what joining with `invite` would change, reading the notebook's own records of new invites. */
export async function planJoin(invite: Invite): Promise<JoinPlan> {
  const existing = (await notebooksItem.getValue()).find((e) => e.id === invite.notebookId);
  if (!existing) return { kind: 'new' };
  const servers =
    invite.signaling.length && JSON.stringify(invite.signaling) !== JSON.stringify(existing.signaling ?? [])
      ? { from: existing.signaling ?? [], to: invite.signaling }
      : null;
  const sameSecret = existing.secret === toHex(invite.secret);
  if (sameSecret && !servers) return { kind: 'same', id: existing.id, title: existing.title };
  let secret: 'same' | 'newer' | 'older' | 'unknown' = sameSecret ? 'same' : 'unknown';
  let newer: { name: string; words: string; at: number } | undefined;
  if (!sameSecret) {
    const session = openNotebookSession(existing.id);
    try {
      await session.ready;
      const c = await commitSecret(invite.secret);
      const here = existing.secretEpoch ?? 0;
      for (const r of readRotationRecords(session.doc)) {
        const v = await verifyRotation(r.key, r.value, existing.id);
        const epoch = v?.next === c ? v.epoch : v?.prev === c ? v.epoch - 1 : undefined;
        if (!v || epoch === undefined) continue;
        if (epoch < here) secret = 'older';
        else if (epoch > here && secret !== 'older') {
          secret = 'newer';
          if (v.next === c) newer = { name: v.by.name, words: v.by.words, at: v.at };
        }
      }
    } finally {
      await session.close();
    }
  }
  return { kind: 'changes', id: existing.id, title: existing.title, secret, ...(newer ? { newer } : {}), servers };
}

/**
 * Joins a partner's notebook from a parsed invite: the notebook appears at once and fills as
 * partners' changes arrive. For a notebook already on this computer it only opens it, unless
 * the person chose `replace` after seeing {@link planJoin}: a secret or server is never replaced
 * silently (a former partner could otherwise move the notebook to their own room and server).
 * @throws JoinError for an invite this notebook has already replaced (no going back)
 */
export async function joinNotebook(invite: Invite, me: Identity, opts: { replace?: boolean } = {}): Promise<string> {
  const list = await notebooksItem.getValue();
  const secret = toHex(invite.secret);
  const now = Date.now();
  const existing = list.find((e) => e.id === invite.notebookId);
  if (existing) {
    if (opts.replace) {
      const plan = await planJoin(invite);
      if (plan.kind === 'changes' && plan.secret === 'older') {
        throw new JoinError(
          `This is an older invite for “${existing.title}”: your partners already replaced it with a newer one. Nothing changed. If you cannot reach them, ask for the current invite.`,
        );
      }
      const fresh = await notebooksItem.getValue();
      await notebooksItem.setValue(
        fresh.map((e) =>
          e.id !== existing.id
            ? e
            : {
                ...e,
                // A new secret starts without a member list: the notebook's records of new invites give it (lib/sync/keys/rotation.ts).
                ...(e.secret !== secret ? { secret, members: undefined } : {}),
                signaling: invite.signaling.length ? invite.signaling : e.signaling,
                lastOpenedAt: now,
                sharedAt: e.sharedAt ?? now,
              },
        ),
      );
    } else {
      await markOpened(existing.id);
      await markShared(existing.id);
    }
    await activeNotebookItem.setValue(existing.id);
    return existing.id;
  }
  const entry: NotebookEntry = {
    id: invite.notebookId,
    title: invite.title || 'Shared notebook',
    createdAt: now,
    lastOpenedAt: now,
    secret,
    signaling: invite.signaling.length ? invite.signaling : undefined,
    sharedAt: now,
  };
  // Our own profile, so partners see who joined; the rest of the notebook comes from them.
  const session = openNotebookSession(entry.id);
  try {
    await session.ready;
    updatePartner(session.doc, me.id, { name: me.name, color: me.color });
    await session.persistence.confirm();
  } finally {
    await session.close();
  }
  await notebooksItem.setValue([...(await notebooksItem.getValue()), entry]);
  await activeNotebookItem.setValue(entry.id);
  return entry.id;
}
