/**
 * Everything the extension keeps in browser storage (not in the notebooks themselves).
 * The only module besides lib/ext/* that may touch `browser.storage`.
 */
import { storage } from 'wxt/utils/storage';
import type { SyncSettings } from '../sync/notebook-sync';
import type { MemberKeyPair } from '../sync/keys/rotation';

/** The person at this computer. Their id is also their partner-profile id in every notebook. */
export interface Identity {
  id: string;
  name: string;
  /** Cursor and poster colour, e.g. "#1f6feb". */
  color: string;
}

/** One notebook known on this computer. The title is a cache of the notebook's own title. */
export interface NotebookEntry {
  id: string;
  title: string;
  createdAt: number;
  lastOpenedAt: number;
  /** The notebook's 256-bit secret (hex): the room and keys derive from it. Shared only in invites. */
  secret?: string;
  /** Signaling servers the invite named (the inviter's); else the Settings ones apply. */
  signaling?: string[];
  /** How many times a new invite replaced the secret (0 or absent: the first one). */
  secretEpoch?: number;
  /**
   * When the notebook became shared: an invite for it was shown, or it was joined or restored
   * from one (epoch ms). Until then connection errors are not shown (lib/sync/sharing.ts).
   */
  sharedAt?: number;
  /**
   * Key ids of the members of `secretEpoch`, as listed by the signed new invite that made it and
   * accepted by this computer (lib/sync/keys/rotation.ts). Only they may make the next new invite.
   * Absent for a secret that came in a plain invite: then the notebook's records tell, if any.
   */
  members?: string[];
}

/** Who is using this browser; null until the first-run form is filled. */
export const identityItem = storage.defineItem<Identity | null>('local:identity', { fallback: null });

/** The notebooks on this computer, in creation order. */
export const notebooksItem = storage.defineItem<NotebookEntry[]>('local:notebooks', { fallback: [] });

/** The notebook shown when the panel opens. */
export const activeNotebookItem = storage.defineItem<string | null>('local:activeNotebook', { fallback: null });

/** The sync server a fresh install uses: the one `npm start` runs on this computer. */
export const DEFAULT_SIGNALING = 'ws://127.0.0.1:4444';

/** Connection settings (Settings page). */
export const syncSettingsItem = storage.defineItem<SyncSettings>('local:syncSettings', {
  fallback: { signaling: [DEFAULT_SIGNALING], iceServers: [], relay: true },
});

/** "Work offline": live sync and the relay are paused; everything is still saved locally. */
export const syncPausedItem = storage.defineItem<boolean>('local:syncPaused', { fallback: false });

/** When a change from a partner last arrived, per notebook (epoch ms). */
export const lastExchangeItem = storage.defineItem<Record<string, number>>('local:lastExchange', { fallback: {} });

/** The same, per notebook and partner (person id → epoch ms), for "Last exchange with Batbayar". */
export const lastExchangeByItem = storage.defineItem<Record<string, Record<string, number>>>('local:lastExchangeBy', { fallback: {} });

/** Hex encoding of a secret. */
export const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
/** Bytes of a hex secret. */
export const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/** A topic changed by partners: when, and by whom (person ids). */
export interface TopicActivity {
  at: number;
  by: string[];
}

/** Per notebook and topic: the last change partners made (for "changed since you looked"). */
export const topicActivityItem = storage.defineItem<Record<string, Record<string, TopicActivity>>>('local:topicActivity', { fallback: {} });

/** Per notebook and topic: when this person last opened it. */
export const topicSeenItem = storage.defineItem<Record<string, Record<string, number>>>('local:topicSeen', { fallback: {} });

/** This person's member key pair: new invites are wrapped for it (lib/sync/keys/rotation.ts). */
export const memberKeysItem = storage.defineItem<MemberKeyPair | null>('local:memberKeys', { fallback: null });

/** Sites (origins) whose images and icons the person chose to load from the web ("Show images from this site"). */
export const remoteImageSitesItem = storage.defineItem<string[]>('local:remoteImageSites', { fallback: [] });

/** Remembers that the person wants images from `site` loaded from the web. */
export async function allowRemoteImages(site: string): Promise<void> {
  const list = await remoteImageSitesItem.getValue();
  if (!list.includes(site)) await remoteImageSitesItem.setValue([...list, site].slice(-500));
}

/** Stops loading images from `site` from the web. */
export async function forbidRemoteImages(site: string): Promise<void> {
  await remoteImageSitesItem.setValue((await remoteImageSitesItem.getValue()).filter((s) => s !== site));
}

/** The UI language chosen in Settings ('browser': follow the browser's language). Parsed on read. */
export const languageItem = storage.defineItem<string>('local:language', { fallback: 'browser' });
