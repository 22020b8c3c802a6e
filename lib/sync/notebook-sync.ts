/**
 * Everything that moves an open notebook between partners: live peer-to-peer sync (y-webrtc) and
 * the end-to-end encrypted relay for partners who are never online together. Both run on the same
 * Y.Doc as local persistence; Yjs makes applying the same change twice harmless.
 */
import type * as Y from 'yjs';
import { LOCAL_ORIGIN, registerClient, summarizeChange } from '../notebook';
import { deriveImagesSecret, deriveKeys, type NotebookKeys } from './keys/derive';
import { LiveSync, otherPanelsOpen, type LiveStatus, type PresenceUser } from './live/live-sync';
import type { LocalPersistence } from './local/persistence';
import { RelayClient, RELAY_ORIGIN, type RelayCursor, type RelayStatus } from './relay/client';

/** Connection settings (Settings page). */
export interface SyncSettings {
  /** Signaling servers; the relay runs on the first one at path /relay. */
  signaling: string[];
  /** STUN/TURN servers for partners behind strict NATs. */
  iceServers: RTCIceServer[];
  /** Keep changes on the encrypted relay so partners who are never online together still get them. */
  relay: boolean;
  /** The programme whose settings code set these servers (shown in Settings), if any. */
  programme?: string;
}

/** The relay's address on a signaling server (same host, path /relay). */
export function relayUrlFor(signalingUrl: string): string | undefined {
  try {
    const u = new URL(signalingUrl);
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return undefined;
    u.pathname = `${u.pathname.replace(/\/$/, '')}/relay`;
    return u.href;
  } catch {
    return undefined;
  }
}

/** Options for {@link startNotebookSync}. */
export interface NotebookSyncOptions {
  doc: Y.Doc;
  persistence: LocalPersistence;
  secret: Uint8Array;
  settings: SyncSettings;
  me: PresenceUser;
  paused?: boolean;
  onLive?(s: LiveStatus): void;
  onRelay?(s: RelayStatus): void;
  /** A change from partners arrived: who wrote it and which topics it touched. */
  onExchange?(at: number, people: string[], topics: string[]): void;
  /** A sync problem, in words; `code` is the relay's reason (`unreachable`: the server cannot be reached). */
  onError?(message: string, code?: string): void;
}

/** A running sync; stop it before closing the notebook. */
export interface NotebookSync {
  live: LiveSync;
  relay?: RelayClient;
  setPaused(paused: boolean): void;
  /** Syncs the notebook's images doc too (once it is loaded), over rooms of its own. */
  addImages(images: { doc: Y.Doc; persistence: LocalPersistence }): Promise<void>;
  stop(): Promise<void>;
}

/** Starts live sync and the relay for an open (already loaded) notebook. */
export async function startNotebookSync(o: NotebookSyncOptions): Promise<NotebookSync> {
  const keys = await deriveKeys(o.secret);
  registerClient(o.doc, o.me.id);
  const othersOpen = await otherPanelsOpen(keys.roomName);
  const live = new LiveSync({
    doc: o.doc,
    keys,
    signaling: o.settings.signaling,
    iceServers: o.settings.iceServers,
    me: o.me,
    paused: o.paused,
    othersOpen,
    onStatus: o.onLive,
  });

  // Attribute changes that come from elsewhere: live peers (origin: y-webrtc's room) or the relay.
  // `tr.local` skips the person's own typing (the editor's transactions have their own origins)
  // before any work: this runs after every keystroke.
  const local = new Set<unknown>([o.persistence.idb, LOCAL_ORIGIN, 'journal', 'migration', null, undefined]);
  const onTransaction = (tr: Y.Transaction) => {
    if (tr.local || local.has(tr.origin) || !tr.changed.size) return;
    const change = summarizeChange(o.doc, tr);
    const people = change.people.filter((p) => p !== o.me.id);
    if (people.length) o.onExchange?.(Date.now(), people, change.topics);
  };
  o.doc.on('afterTransaction', onTransaction);

  const relayUrl = o.settings.relay ? o.settings.signaling.map(relayUrlFor).find(Boolean) : undefined;
  const onRelayError = (e: { message: string; code?: string }) => o.onError?.(e.message, e.code);
  const main = relayChannel(o.doc, o.persistence, keys, relayUrl, !!o.paused, o.onRelay, onRelayError);
  const extra: { live: LiveSync; relay: ReturnType<typeof relayChannel> }[] = [];
  let paused = !!o.paused;
  let stopped = false;

  return {
    live,
    get relay() {
      return main.current;
    },
    setPaused(p) {
      paused = p;
      live.setPaused(p);
      main.setPaused(p);
      for (const x of extra) {
        x.live.setPaused(p);
        x.relay.setPaused(p);
      }
    },
    async addImages(images) {
      // Its own rooms and keys (derived from the invite secret): the notebook's room carries no
      // image bytes, so a partner joining or catching up gets the text first.
      const imageKeys = await deriveKeys(await deriveImagesSecret(o.secret));
      if (stopped) return;
      const othersOpen = await otherPanelsOpen(imageKeys.roomName);
      if (stopped) return;
      const x = {
        live: new LiveSync({
          doc: images.doc,
          keys: imageKeys,
          signaling: o.settings.signaling,
          iceServers: o.settings.iceServers,
          me: o.me,
          paused,
          othersOpen,
        }),
        relay: relayChannel(images.doc, images.persistence, imageKeys, relayUrl, paused, undefined, onRelayError),
      };
      extra.push(x);
    },
    async stop() {
      stopped = true;
      o.doc.off('afterTransaction', onTransaction);
      live.destroy();
      for (const x of extra) {
        x.live.destroy();
        await x.relay.stop();
      }
      await main.stop();
    },
  };
}

/**
 * The encrypted relay for one doc (the notebook, or its images doc). A stopped RelayClient cannot
 * be restarted: pausing stops it, resuming makes a new one that continues from the saved cursor.
 */
function relayChannel(
  doc: Y.Doc,
  persistence: LocalPersistence,
  keys: NotebookKeys,
  relayUrl: string | undefined,
  startPaused: boolean,
  onStatus: ((s: RelayStatus) => void) | undefined,
  onError: (e: { message: string; code?: string }) => void,
) {
  const idb = persistence.idb;
  const make = (url: string) =>
    new RelayClient({
      doc,
      keys,
      url,
      cursorStore: {
        load: async () => parseRelayCursor(await idb.get(`relayCursor2:${keys.relayRoom}`)),
        // Only once the doc's storage holds what was applied may the cursor move past it.
        save: async (cursor) => {
          await persistence.confirm();
          await idb.set(`relayCursor2:${keys.relayRoom}`, JSON.stringify(cursor));
        },
      },
      uploadStore: {
        load: async () => {
          const v = (await idb.get(`relayUploaded2:${keys.relayRoom}`)) as unknown;
          return v instanceof ArrayBuffer ? new Uint8Array(v) : null;
        },
        save: async (state) => void (await idb.set(`relayUploaded2:${keys.relayRoom}`, state.slice().buffer)),
      },
      // The room of relay protocol 1 was named after `roomName`; its cursor was saved under
      // that name. -1 marks it as read to the end.
      legacyStore: {
        load: async () => {
          const v = Number((await idb.get(`relayCursor:${keys.roomName}`)) ?? 0) || 0;
          return v < 0 ? null : v;
        },
        save: async (seq) => {
          await persistence.confirm();
          await idb.set(`relayCursor:${keys.roomName}`, seq ?? -1);
        },
      },
      onStatus,
      onError,
    });
  let relay = relayUrl && !startPaused ? make(relayUrl) : undefined;
  void relay?.start();
  return {
    get current() {
      return relay;
    },
    setPaused(paused: boolean) {
      if (!relayUrl) return;
      if (paused) {
        void relay?.stop();
        relay = undefined;
      } else if (!relay) {
        relay = make(relayUrl);
        void relay.start();
      }
    },
    async stop() {
      await relay?.stop();
    },
  };
}

/** Reads a stored relay cursor; anything unreadable counts as "never synced" (everything is fetched again, harmlessly). */
export function parseRelayCursor(stored: unknown): RelayCursor | null {
  if (typeof stored !== 'string') return null;
  try {
    const v = JSON.parse(stored) as Partial<RelayCursor>;
    if (typeof v.generation !== 'string' || !Number.isSafeInteger(v.seq) || v.seq! < 0) return null;
    return { generation: v.generation, seq: v.seq!, ...(typeof v.tag === 'string' && { tag: v.tag }) };
  } catch {
    return null;
  }
}

export { RELAY_ORIGIN };
