/**
 * Runs sync for the notebook a panel shows: gives the notebook its secret if it has none, waits for
 * an idle moment and for History, starts live sync and the relay, syncs the images doc a few
 * seconds later, records exchanges with partners, and follows new invites partners make. The hook
 * (components/use-notebook-sync.ts) only holds what this reports.
 */
import { t } from '../i18n';
import type { RotationChoice, VerifiedRotation } from '../sync/keys/rotation';
import type { LiveStatus } from '../sync/live/live-sync';
import type { NotebookSession } from '../sync/local/notebook-session';
import { startNotebookSync, type NotebookSync, type SyncSettings } from '../sync/notebook-sync';
import type { RelayStatus } from '../sync/relay/client';
import { exchangeRecorder } from './exchanges';
import { ensureNotebookSecret } from './notebooks';
import { followRotations } from './rotation-follower';
import { fromHex, type Identity, type NotebookEntry } from './storage';

/** Longest wait for an idle moment before joining the room after opening. */
const SYNC_START_IDLE_MS = 1_500;
/** How long after sync starts the images doc is read and synced. */
const IMAGES_SYNC_DELAY_MS = 3_000;
/** How long the maker of a new invite stays in the old room so partners receive it. */
const MOVE_DELAY_MS = 3_000;

export interface PanelSyncOptions {
  session: Pick<NotebookSession, 'doc' | 'persistence' | 'history' | 'images'>;
  entry: NotebookEntry;
  me: Identity;
  settings: SyncSettings;
  paused: boolean;
  /** The record key the person picked when asked which new invite to follow. */
  chosen?: string;
  /** Starts the sync (the real one; tests pass their own). */
  start?: typeof startNotebookSync;
  /** Resolves at an idle moment of the panel (the browser's idle callback; tests pass their own). */
  idle?: () => Promise<void>;
  /** Waits in milliseconds (tests shorten them). */
  delays?: { images: number; move: number };
}

export interface PanelSyncEvents {
  /** The running sync, once started. */
  onSync(sync: NotebookSync): void;
  onLive(status: LiveStatus): void;
  onRelay(status: RelayStatus): void;
  /** A sync problem in words; `connection` when it only says the server cannot be reached. */
  onProblem(message: string, connection: boolean): void;
  /** Two new invites compete (or one was removed): what to ask, or null. */
  onChoice(choice: RotationChoice | null): void;
  /** Something the person should know about a new invite this computer followed. */
  onNotice(message: string): void;
}

/** What the person reads after this notebook moved to a partner's new invite (one whole sentence per case). */
function movedNotice(r: VerifiedRotation): string {
  const keeps = r.members.map((m) => `${m.name || t('rotationChoice.noName')} (${m.words})`).join(', ');
  return t('sync.moved', { name: r.by.name || t('rotationChoice.aPartner'), words: r.by.words, keeps });
}

function browserIdle(): Promise<void> {
  return new Promise<void>((ok) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(() => ok(), { timeout: SYNC_START_IDLE_MS }) : setTimeout(ok, 50),
  );
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Starts sync for the panel's notebook; nothing is reported after the returned function stops it. */
export function runPanelSync(o: PanelSyncOptions, events: PanelSyncEvents): () => void {
  const { session, entry, me } = o;
  const start = o.start ?? startNotebookSync;
  const idle = o.idle ?? browserIdle;
  const delays = o.delays ?? { images: IMAGES_SYNC_DELAY_MS, move: MOVE_DELAY_MS };
  let stopped = false;
  let running: NotebookSync | null = null;
  let stopFollower = () => {};
  const report = (message: string, connection = false) => !stopped && events.onProblem(message, connection);
  // Partners' changes arrive in bursts (typing): collected, and written to storage now and then.
  const exchanges = exchangeRecorder(entry.id);
  void (async () => {
    const secretHex = await ensureNotebookSecret(entry);
    // Joining the room costs real work on a large notebook (y-webrtc encodes and encrypts the
    // whole state for other panels of this browser): let the panel paint and become usable first.
    await idle();
    // History watches for large deletions before partners' changes can arrive (issue 12 point 5).
    await session.history?.catch(() => undefined);
    if (stopped) return;
    const s = await start({
      doc: session.doc,
      persistence: session.persistence,
      secret: fromHex(secretHex),
      settings: { ...o.settings, signaling: entry.signaling?.length ? entry.signaling : o.settings.signaling },
      me,
      paused: o.paused,
      onLive: (st) => !stopped && events.onLive(st),
      onRelay: (st) => !stopped && events.onRelay(st),
      onExchange: exchanges.record,
      onError: (m, code) => report(m, code === 'unreachable'),
    });
    if (stopped) return void s.stop();
    running = s;
    events.onSync(s);
    // The images doc syncs in rooms of its own. Reading its database (tens of MB in an old
    // notebook) waits until the person has had a few quiet seconds with the notebook; a reader
    // or Settings that needs the pictures opens it at once.
    void (async () => {
      await sleep(delays.images);
      await idle();
      if (stopped) return;
      const images = session.images();
      await images.ready;
      if (!stopped) await s.addImages(images);
    })().catch((e: Error) => report(t('sync.imagesNotSynced', { message: e.message })));
    // Publish this person's signed member entry and follow new invites partners make (now and later).
    const follower = followRotations(session.doc, entry.id, me, {
      chosen: o.chosen,
      onChoice: (c) => !stopped && events.onChoice(c),
      onMovedByPartner: (rotation) => !stopped && events.onNotice(movedNotice(rotation)),
      onNotIncluded: () => report(t('sync.notIncluded')),
      onError: (e) => report(t('sync.inviteNotChecked', { message: e.message })),
      beforeOwnMove: async () => {
        await sleep(delays.move);
        await s.relay?.flush(10_000).catch(() => {});
      },
    });
    stopFollower = follower.stop;
    if (stopped) follower.stop();
  })().catch((e: Error) => report(t('sync.couldNotStart', { message: e.message })));
  return () => {
    stopped = true;
    stopFollower();
    void exchanges.flush();
    void running?.stop();
  };
}
