import { useEffect, useState } from 'react';
import { runPanelSync } from '../lib/ext/panel-sync';
import { syncPausedItem, syncSettingsItem, type Identity, type NotebookEntry } from '../lib/ext/storage';
import type { RotationChoice } from '../lib/sync/keys/rotation';
import type { LiveStatus } from '../lib/sync/live/live-sync';
import type { NotebookSession } from '../lib/sync/local/notebook-session';
import type { NotebookSync } from '../lib/sync/notebook-sync';
import type { RelayStatus } from '../lib/sync/relay/client';
import { useStorageItem } from './use-storage-item';

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

/** Runs sync for an open notebook (lib/ext/panel-sync.ts), restarting when the settings change. */
export function useNotebookSync(session: NotebookSession, entry: NotebookEntry, me: Identity): SyncView {
  const settings = useStorageItem(syncSettingsItem);
  const paused = useStorageItem(syncPausedItem);
  const [sync, setSync] = useState<NotebookSync | null>(null);
  const [live, setLive] = useState<LiveStatus | null>(null);
  const [relay, setRelay] = useState<RelayStatus | null>(null);
  const [problem, setProblem] = useState<{ message: string; connection: boolean } | null>(null);
  const [choice, setChoice] = useState<RotationChoice | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const settingsKey = JSON.stringify([settings, entry.signaling]);

  useEffect(() => {
    if (!settings || paused === undefined) return;
    const stop = runPanelSync(
      { session, entry, me, settings, paused, chosen },
      {
        onSync: setSync,
        onLive: setLive,
        onRelay: setRelay,
        onProblem: (message, connection) => setProblem({ message, connection }),
        onChoice: setChoice,
        onNotice: setNotice,
      },
    );
    return () => {
      stop();
      setSync(null);
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
