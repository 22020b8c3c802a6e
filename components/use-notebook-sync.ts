import { useEffect, useState } from 'react';
import { t } from '../lib/i18n';
import { exchangeRecorder } from '../lib/ext/exchanges';
import { ensureNotebookSecret } from '../lib/ext/notebooks';
import { fromHex, syncPausedItem, syncSettingsItem, type Identity, type NotebookEntry } from '../lib/ext/storage';
import type { LiveStatus } from '../lib/sync/live/live-sync';
import { startNotebookSync, type NotebookSync } from '../lib/sync/notebook-sync';
import type { NotebookSession } from '../lib/sync/local/notebook-session';
import type { RelayStatus } from '../lib/sync/relay/client';
import { useStorageItem } from './use-storage-item';
import { followRotations } from '../lib/ext/rotation-follower';
import type { RotationChoice, VerifiedRotation } from '../lib/sync/keys/rotation';

/** The sync state the panel shows. */
export interface SyncView {
  sync: NotebookSync | null;
  live: LiveStatus | null;
  relay: RelayStatus | null;
  paused: boolean;
  /** The last sync problem, in words. */
  problem: string | null;
  /** Whether {@link problem} only says the server cannot be reached (not worth showing before the notebook is shared). */
  problemIsConnection: boolean;
  /** Something the person should know about a new invite this computer followed. */
  notice: string | null;
  dismissNotice(): void;
  /** Two new invites compete (or one was removed): the person picks one, or waits. */
  choice: RotationChoice | null;
  /** Follows the new invite with this record key (from `choice.options`). */
  choose(key: string): void;
  /** Hides the question until the notebook changes again. */
  dismissChoice(): void;
}

/** Longest wait for an idle moment before joining the room after opening. */
const SYNC_START_IDLE_MS = 1_500;
/** How long after sync starts the images doc is read and synced (see above). */
const IMAGES_SYNC_DELAY_MS = 3_000;

/** How long the maker of a new invite stays in the old room so partners receive it. */
const MOVE_DELAY_MS = 3_000;

/** What the person reads after this notebook moved to a partner's new invite (one whole sentence per case). */
function movedNotice(r: VerifiedRotation): string {
  const keeps = r.members.map((m) => `${m.name || t('rotationChoice.noName')} (${m.words})`).join(', ');
  return t('sync.moved', { name: r.by.name || t('rotationChoice.aPartner'), words: r.by.words, keeps });
}

/** Starts live sync and the relay for an open notebook, restarting when the settings change. */
export function useNotebookSync(session: NotebookSession, entry: NotebookEntry, me: Identity): SyncView {
  const settings = useStorageItem(syncSettingsItem);
  const paused = useStorageItem(syncPausedItem);
  const [sync, setSync] = useState<NotebookSync | null>(null);
  const [live, setLive] = useState<LiveStatus | null>(null);
  const [relay, setRelay] = useState<RelayStatus | null>(null);
  const [problem, setProblem] = useState<{ message: string; connection: boolean } | null>(null);
  const report = (message: string, connection = false) => setProblem({ message, connection });
  const [choice, setChoice] = useState<RotationChoice | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const settingsKey = JSON.stringify([settings, entry.signaling]);

  useEffect(() => {
    if (!settings || paused === undefined) return;
    let stopped = false;
    let running: NotebookSync | null = null;
    let stopFollower = () => {};
    // Partners' changes arrive in bursts (typing): collected, and written to storage now and then.
    const exchanges = exchangeRecorder(entry.id);
    void (async () => {
      const secretHex = await ensureNotebookSecret(entry);
      // Joining the room costs real work on a large notebook (y-webrtc encodes and encrypts the
      // whole state for other panels of this browser): let the panel paint and become usable first.
      await new Promise<void>((ok) =>
        typeof requestIdleCallback === 'function' ? requestIdleCallback(() => ok(), { timeout: SYNC_START_IDLE_MS }) : setTimeout(ok, 50),
      );
      // History watches for large deletions before partners' changes can arrive (issue 12 point 5).
      await session.history?.catch(() => undefined);
      if (stopped) return;
      const s = await startNotebookSync({
        doc: session.doc,
        persistence: session.persistence,
        secret: fromHex(secretHex),
        settings: { ...settings, signaling: entry.signaling?.length ? entry.signaling : settings.signaling },
        me,
        paused,
        onLive: (st) => !stopped && setLive(st),
        onRelay: (st) => !stopped && setRelay(st),
        onExchange: exchanges.record,
        onError: (m, code) => !stopped && report(m, code === 'unreachable'),
      });
      if (stopped) return void s.stop();
      running = s;
      setSync(s);
      // The images doc syncs in rooms of its own. Reading its database (tens of MB in an old
      // notebook) waits until the person has had a few quiet seconds with the notebook; a reader
      // or Settings that needs the pictures opens it at once.
      void (async () => {
        await new Promise((ok) => setTimeout(ok, IMAGES_SYNC_DELAY_MS));
        await new Promise<void>((ok) =>
          typeof requestIdleCallback === 'function' ? requestIdleCallback(() => ok(), { timeout: SYNC_START_IDLE_MS }) : setTimeout(ok, 50),
        );
        if (stopped) return;
        const images = session.images();
        await images.ready;
        if (!stopped) await s.addImages(images);
      })().catch((e: Error) => !stopped && report(t('sync.imagesNotSynced', { message: e.message })));
      // Publish this person's signed member entry and follow new invites partners make (now and later).
      const follower = followRotations(session.doc, entry.id, me, {
        chosen,
        onChoice: (c) => !stopped && setChoice(c),
        onMovedByPartner: (rotation) => !stopped && setNotice(movedNotice(rotation)),
        onNotIncluded: () => !stopped && report(t('sync.notIncluded')),
        onError: (e) => !stopped && report(t('sync.inviteNotChecked', { message: e.message })),
        beforeOwnMove: async () => {
          await new Promise((ok) => setTimeout(ok, MOVE_DELAY_MS));
          await s.relay?.flush(10_000).catch(() => {});
        },
      });
      stopFollower = follower.stop;
      if (stopped) follower.stop();
    })().catch((e: Error) => !stopped && report(t('sync.couldNotStart', { message: e.message })));
    return () => {
      stopped = true;
      stopFollower();
      void exchanges.flush();
      setSync(null);
      void running?.stop();
    };
    // Pausing is applied to the running sync below, not by restarting it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session, entry.id, entry.secret, settingsKey, me.id, me.name, chosen, paused === undefined]);

  useEffect(() => {
    if (sync && paused !== undefined) sync.setPaused(paused);
  }, [sync, paused]);
  useEffect(() => {
    sync?.live.setUser(me);
  }, [sync, me]);

  return {
    sync,
    live,
    relay,
    paused: !!paused,
    problem: problem?.message ?? null,
    problemIsConnection: !!problem?.connection,
    choice,
    notice,
    dismissNotice: () => setNotice(null),
    choose: (key) => (setChoice(null), setChosen(key)),
    dismissChoice: () => setChoice(null),
  };
}
