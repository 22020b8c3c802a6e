/**
 * Everything that moves an open notebook between partners: live peer-to-peer sync (y-webrtc) and
 * the end-to-end encrypted relay for partners who are never online together. Both run on the same
 * Y.Doc as local persistence; Yjs makes applying the same change twice harmless.
 */
import type * as Y from 'yjs';
import { LOCAL_ORIGIN, registerClient, summarizeChange } from '../notebook';
import { deriveKeys } from './keys';
import { LiveSync, otherPanelsOpen, type LiveStatus, type PresenceUser } from './live-sync';
import type { LocalPersistence } from './persistence';
import { RelayClient, RELAY_ORIGIN, type RelayCursor, type RelayStatus } from './relay-client';

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
  stop(): Promise<void>;
}

/** Starts live sync and the relay for an open (already loaded) notebook. */
export async function startNotebookSync(o: NotebookSyncOptions): Promise<NotebookSync> {
  const keys = await deriveKeys(o.secret);
  registerClient(o.doc, o.me.id);
  const othersOpen = await otherPanelsOpen(keys.roomName);
  const live = new LiveSync({ doc: o.doc, keys, signaling: o.settings.signaling, iceServers: o.settings.iceServers, me: o.me, paused: o.paused, othersOpen, onStatus: o.onLive });

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
  const idb = o.persistence.idb;
  // A stopped RelayClient cannot be restarted: pausing stops it, resuming makes a new one that
  // continues from the saved cursor.
  const makeRelay = (url: string) =>
    new RelayClient({
      doc: o.doc,
      keys,
      url,
      cursorStore: {
        load: async () => parseRelayCursor(await idb.get(`relayCursor2:${keys.relayRoom}`)),
        // Only once the notebook's storage holds what was applied may the cursor move past it.
        save: async (cursor) => {
          await o.persistence.confirm();
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
          await o.persistence.confirm();
          await idb.set(`relayCursor:${keys.roomName}`, seq ?? -1);
        },
      },
      onStatus: o.onRelay,
      onError: (e) => o.onError?.(e.message, e.code),
    });
  let relay = relayUrl && !o.paused ? makeRelay(relayUrl) : undefined;
  void relay?.start();

  return {
    live,
    get relay() {
      return relay;
    },
    setPaused(paused) {
      live.setPaused(paused);
      if (!relayUrl) return;
      if (paused) {
        void relay?.stop();
        relay = undefined;
      } else if (!relay) {
        relay = makeRelay(relayUrl);
        void relay.start();
      }
    },
    async stop() {
      o.doc.off('afterTransaction', onTransaction);
      live.destroy();
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
