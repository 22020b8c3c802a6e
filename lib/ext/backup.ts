/**
 * Backups on this computer: making a backup file of a notebook, and restoring one as a new
 * notebook (optionally rejoining the partnership) or merging it into the notebook it came from.
 *
 * Every check runs before the first write (see lib/backup/format.ts for the file and its checks),
 * so a file that cannot be restored leaves every notebook and the notebook list as they were.
 */
import { t } from '../i18n';
import * as Y from 'yjs';
import { browser } from 'wxt/browser';
import { BackupError, backupFileName, decodeBackup, encodeBackup, type Backup } from '../backup/format';
import { BACKUP_ORIGIN, describeAdded, mergeBackupInto } from '../backup/restore';
import { randomId } from '../notebook/people';
import { highestRotationEpoch, migrate, readInfo, setInfo } from '../notebook';
import { NOTEBOOK_SECRET_BYTES } from '../sync/keys/derive';
import { keepVersion } from '../sync/local/history-keeper';
import { openNotebookSession } from '../sync/local/notebook-session';
import { LocalPersistence, dbNameFor } from '../sync/local/persistence';
import { activeNotebookItem, notebooksItem, toHex, type NotebookEntry } from './storage';

/** A backup ready to save. */
export interface BackupFile {
  bytes: Uint8Array;
  fileName: string;
}

/**
 * Makes the backup file of a notebook on this computer.
 * @param opts.includeSecret put the invite secret in the file (then it is as sensitive as an invite)
 */
export async function makeBackup(entry: NotebookEntry, opts: { includeSecret: boolean }, now = Date.now()): Promise<BackupFile> {
  const session = openNotebookSession(entry.id);
  try {
    await session.ready;
    const withSecret = opts.includeSecret && entry.secret !== undefined;
    const bytes = await encodeBackup({
      doc: session.doc,
      notebookId: entry.id,
      secretHex: withSecret ? entry.secret : undefined,
      signaling: withSecret ? entry.signaling : undefined,
      secretEpoch: withSecret ? entry.secretEpoch : undefined,
      exportedAt: now,
      appVersion: appVersion(),
    });
    return { bytes, fileName: backupFileName(readInfo(session.doc).title || entry.title, now) };
  } finally {
    await session.close();
  }
}

function appVersion(): string {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return 'unknown';
  }
}

/** Where a restore goes. */
export type RestoreTarget =
  /** A notebook of its own on this computer; with `rejoin`, the original id and the secret from the file. */
  | { mode: 'new'; rejoin?: boolean }
  /** Into the notebook the backup was made from, which must be on this computer. */
  | { mode: 'merge' };

/** What a restore did, in words for the person. */
export interface RestoreResult {
  id: string;
  title: string;
  mode: 'new' | 'rejoined' | 'merged';
  /** One or two sentences for the status line. */
  summary: string;
}

const conflict = (message: string) => new BackupError('conflict', message);

/**
 * Restores a backup (the file's bytes, or what {@link decodeBackup} returned). Decoding, the
 * scratch-doc check and the target checks all happen before anything is written.
 * @throws BackupError when the file or the target does not fit (nothing written);
 *   StorageError/Error when the browser fails to store it (a half-made new notebook is removed)
 */
export async function restoreBackup(input: Uint8Array | Backup, target: RestoreTarget): Promise<RestoreResult> {
  const backup = input instanceof Uint8Array ? await decodeBackup(input) : input;
  const list = await notebooksItem.getValue();
  const here = list.find((e) => e.id === backup.notebookId);

  if (target.mode === 'merge') {
    if (!here) throw conflict(t('errors.nothingToMerge'));
    const session = openNotebookSession(here.id);
    let title: string;
    let summary: string;
    try {
      await session.ready;
      // History keeps the notebook as it was, so a merge can be undone from there.
      await keepVersion(session.doc, here.id, 'before-merge');
      summary = describeAdded(mergeBackupInto(session.doc, backup));
      title = readInfo(session.doc).title || here.title;
      await session.persistence.confirm();
    } finally {
      await session.close();
    }
    const fresh = await notebooksItem.getValue();
    await notebooksItem.setValue(fresh.map((e) => (e.id === here.id ? { ...e, title } : e)));
    return { id: here.id, title, mode: 'merged', summary: t('errors.mergedInto', { title, summary }) };
  }

  const rejoin = target.rejoin ? backup.rejoin : undefined;
  if (target.rejoin && !rejoin) throw conflict(t('errors.noSecretToRejoin'));
  if (rejoin && here) throw conflict(`“${here.title}” is already on this computer. Merge the backup into it instead.`);

  const id = rejoin ? backup.notebookId : randomId();
  const baseTitle = backup.title || 'Restored notebook';
  // A second notebook of the same name in the switcher would be confusing; this copy is not shared.
  const title = !rejoin && list.some((e) => e.title === baseTitle) ? `${baseTitle} (restored)`.slice(0, 200) : baseTitle;

  const doc = new Y.Doc();
  const persistence = new LocalPersistence(doc, dbNameFor(id));
  let rotationEpoch: number;
  try {
    await persistence.whenLoaded;
    Y.applyUpdate(doc, backup.state, BACKUP_ORIGIN);
    migrate(doc);
    if (title !== backup.title) setInfo(doc, { title });
    rotationEpoch = highestRotationEpoch(doc);
    await persistence.confirm();
    await persistence.destroy();
  } catch (err) {
    // Leave no half-restored database behind.
    await persistence.clear().catch(() => {});
    throw err;
  } finally {
    doc.destroy();
  }

  const now = Date.now();
  const entry: NotebookEntry = rejoin
    ? { id, title, createdAt: now, lastOpenedAt: now, secret: rejoin.secretHex, signaling: rejoin.signaling, secretEpoch: rejoin.secretEpoch, sharedAt: now }
    : {
        id,
        title,
        createdAt: now,
        lastOpenedAt: now,
        secret: toHex(crypto.getRandomValues(new Uint8Array(NOTEBOOK_SECRET_BYTES))),
        // The copy has its own secret: it must not follow an invite change recorded in the original.
        secretEpoch: rotationEpoch || undefined,
      };
  await notebooksItem.setValue([...(await notebooksItem.getValue()), entry]);
  await activeNotebookItem.setValue(id);
  return {
    id,
    title,
    mode: rejoin ? 'rejoined' : 'new',
    summary: rejoin
      ? `Restored “${title}” and rejoined your partners: it syncs with them again when you are both online.`
      : `Restored “${title}” as a new notebook on this computer. It is not shared: invite your partners to it if you want to work on it together.`,
  };
}
