/**
 * Live, peer-to-peer sync of one notebook: y-webrtc (browsers of partners, and other panels of
 * this browser over BroadcastChannel) with presence through Yjs awareness.
 *
 * What servers see: the room name and y-webrtc password both come from the notebook secret via
 * HKDF (lib/sync/keys/derive.ts), so the signaling server learns neither the notebook's title nor its id,
 * and signaling messages are encrypted with the password.
 */
import { Room, WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { chunkingWrtc } from './chunked-rtc';
import type { NotebookKeys } from '../keys/derive';

/** Who someone is, as partners see them (awareness field `user`, also read by CollaborationCaret). */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
}

/** One person currently connected to the notebook. */
export interface PresentPerson extends PresenceUser {
  /** The topic they have open, if any. */
  topicId?: string;
  /** Yjs client id of their panel (one person may have several panels). */
  clientId: number;
}

/** The connection state in words a librarian understands. */
export interface LiveStatus {
  state: 'connected' | 'searching' | 'offline' | 'paused' | 'error';
  /** Other people here now (each person once, however many panels they have open). */
  partners: PresentPerson[];
  /** The sentence to show (English; the panel words it from `state`, `partners` and `servers`). */
  message: string;
  /** For `error`: the sync servers that could not be reached. */
  servers?: string[];
}

/** Options for {@link LiveSync}. */
export interface LiveSyncOptions {
  doc: Y.Doc;
  keys: Pick<NotebookKeys, 'roomName' | 'webrtcPassword'>;
  /** Signaling servers (ws:// or wss://). */
  signaling: string[];
  /** STUN/TURN servers; `[]` keeps everything on the local network. */
  iceServers: RTCIceServer[];
  me: PresenceUser;
  /** Start paused (the person chose to work offline). */
  paused?: boolean;
  /**
   * Whether other panels of this browser may have the notebook open ({@link otherPanelsOpen});
   * when false, joining skips broadcasting the whole notebook to them. Default true.
   */
  othersOpen?: boolean;
  onStatus?(status: LiveStatus): void;
}

/**
 * lib0's broadcastchannel hands each message to this page's own subscribers as well as to other
 * pages, so y-webrtc's room decrypts and applies every message it sent itself: on connect that is
 * the whole notebook twice (its sync step 2, then the step 2 it answers its own step 1 with), and
 * one more decrypt + apply per keystroke. With a three-month notebook the connect alone blocked
 * the panel for about half a second. Messages from other pages arrive with the origin
 * 'broadcastchannel', the page's own with none; a page has one room per name, so dropping its
 * own loses nothing. Wrapped where `connect` subscribes, so `disconnect` unsubscribes the same
 * function.
 */
function ignoreOwnBroadcasts(room: Room): void {
  const r = room as unknown as { pnOwnFiltered?: boolean; _bcSubscriber: (data: ArrayBuffer, origin?: unknown) => unknown };
  if (r.pnOwnFiltered) return;
  const inner = r._bcSubscriber;
  r._bcSubscriber = (data, origin) => (origin === 'broadcastchannel' ? inner(data) : undefined);
  r.pnOwnFiltered = true;
}
/** Rooms whose next connect may skip broadcasting the whole notebook (see {@link LiveSyncOptions.othersOpen}). */
const quietConnects = new Set<string>();
const roomConnect = Room.prototype.connect;
Room.prototype.connect = function connect(this: Room) {
  ignoreOwnBroadcasts(this);
  if (!quietConnects.delete(this.name)) return roomConnect.call(this);
  // No other panel of this browser has the notebook open, so the sync step 2 with the whole
  // notebook that connect broadcasts to them would reach nobody — yet encoding and encrypting it
  // blocked a three-month notebook's panel for about 100 ms just as the person started working.
  // So connect against an empty doc, then move the update handler to the real one. A panel that
  // opens later still gets everything: it asks with its own sync step 1.
  const room = this as unknown as { doc: Y.Doc; _docUpdateHandler: (update: Uint8Array, origin: unknown) => void };
  const doc = room.doc;
  const empty = new Y.Doc();
  // Connect also announces this panel's presence under the doc's client id.
  empty.clientID = doc.clientID;
  room.doc = empty;
  try {
    roomConnect.call(this);
  } finally {
    room.doc = doc;
    empty.off('update', room._docUpdateHandler);
    doc.on('update', room._docUpdateHandler);
    empty.destroy();
  }
};

const panelLock = (roomName: string) => `pn-panel:${roomName}`;
/** How long a signaling socket closed to re-announce may take to reconnect before the status says so. */
const REANNOUNCE_GRACE_MS = 5_000;

/**
 * Whether another panel of this browser has this room open: each {@link LiveSync} holds a shared
 * Web Lock named after its room. Where Web Locks are missing the answer is yes, which only costs
 * the full exchange.
 */
export async function otherPanelsOpen(roomName: string): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks?.query) return true;
  const { held = [] } = await locks.query();
  return held.some((l) => l.name === panelLock(roomName));
}

const joinNames = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** Live sync for one open notebook. Create once per panel per notebook; call {@link destroy} on close. */
export class LiveSync {
  readonly provider: WebrtcProvider;
  readonly awareness: Awareness;
  private paused: boolean;
  private timer: ReturnType<typeof setInterval>;
  private last = '';

  constructor(private readonly opts: LiveSyncOptions) {
    this.paused = !!opts.paused;
    if (opts.othersOpen === false && !this.paused) quietConnects.add(opts.keys.roomName);
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    void locks?.request(panelLock(opts.keys.roomName), { mode: 'shared' }, () =>
      this.destroyed ? undefined : new Promise<void>((release) => (this.releaseLock = release)),
    );
    this.provider = new WebrtcProvider(opts.keys.roomName, opts.doc, {
      signaling: opts.signaling,
      password: opts.keys.webrtcPassword,
      // Large notebooks: y-webrtc sends the whole state as one message; the wrapper chunks it.
      peerOpts: { config: { iceServers: opts.iceServers }, wrtc: chunkingWrtc() },
    } as ConstructorParameters<typeof WebrtcProvider>[2]);
    this.awareness = this.provider.awareness;
    this.awareness.setLocalStateField('user', { id: opts.me.id, name: opts.me.name, color: opts.me.color });
    if (this.paused) this.provider.disconnect();
    this.provider.on('peers', this.onChange);
    this.provider.on('status', this.onChange);
    this.awareness.on('change', this.onChange);
    addEventListener('online', this.onChange);
    addEventListener('offline', this.onChange);
    // Signaling connections have no event on the provider; poll their state cheaply.
    this.timer = setInterval(this.onChange, 1000);
    this.scheduleAnnounce(6_000);
    this.onChange();
  }

  /** Tells partners which topic this person has open. */
  setTopic(topicId: string | undefined): void {
    this.awareness.setLocalStateField('topicId', topicId ?? null);
  }

  /** Updates the name and colour partners see. */
  setUser(me: PresenceUser): void {
    this.awareness.setLocalStateField('user', { id: me.id, name: me.name, color: me.color });
  }

  /** Work offline (e.g. on a metered connection) or reconnect. Changes are kept either way. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) this.provider.disconnect();
    else {
      this.provider.connect();
      this.scheduleAnnounce(6_000);
    }
    this.emit();
  }

  /** The people here now, one entry per person. */
  people(): PresentPerson[] {
    const mine = this.awareness.clientID;
    const byPerson = new Map<string, PresentPerson>();
    this.awareness.getStates().forEach((state, clientId) => {
      if (clientId === mine) return;
      const u = parseUser(state.user);
      if (!u || u.id === this.opts.me.id) return;
      const topicId = typeof state.topicId === 'string' ? state.topicId.slice(0, 64) : undefined;
      if (!byPerson.has(u.id) || topicId) byPerson.set(u.id, { ...u, topicId, clientId });
    });
    return [...byPerson.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The current status. */
  status(): LiveStatus {
    const partners = this.paused ? [] : this.people();
    if (this.paused) return { state: 'paused', partners, message: 'Sync paused — your changes are saved on this computer.' };
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      return { state: 'offline', partners, message: 'Offline — your changes are saved on this computer.' };
    }
    if (partners.length) return { state: 'connected', partners, message: `Connected with ${joinNames(partners.map((p) => p.name))}` };
    const conns = (this.provider as unknown as { signalingConns: { connected: boolean }[] }).signalingConns;
    if (conns.some((c) => c.connected) || Date.now() < this.reannouncingUntil) return { state: 'searching', partners, message: 'Looking for partners…' };
    return {
      state: 'error',
      partners,
      servers: [...this.opts.signaling],
      message: `Cannot reach the sync server (${this.opts.signaling.join(', ') || 'none set'}). Your changes are saved on this computer; check the address in Settings.`,
    };
  }

  private reannouncingUntil = 0;
  private releaseLock = () => {};
  private destroyed = false;
  private readonly onChange = () => this.emit();
  private announceTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * y-webrtc announces a panel only when its signaling socket connects. When two partners start a
   * connection at the same moment both offers can be rejected ("glare") and y-webrtc never tries
   * again, leaving them apart although both are online. Reconnecting the signaling socket now and
   * then re-announces this panel (existing peer connections are untouched), so any partner who is
   * missing connects at the next round. The jitter keeps two panels from re-announcing together.
   */
  private scheduleAnnounce(base: number) {
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(
      () => {
        if (!this.paused) {
          const conns = (this.provider as unknown as { signalingConns: { connected: boolean; ws: WebSocket | null }[] }).signalingConns;
          for (const c of conns) {
            if (!c.connected) continue;
            // The socket reconnects at once; meanwhile the status must not flash "Cannot reach".
            this.reannouncingUntil = Date.now() + REANNOUNCE_GRACE_MS;
            c.ws?.close();
          }
        }
        this.scheduleAnnounce(15_000);
      },
      base + Math.random() * base * 0.6,
    );
  }

  private emit() {
    const s = this.status();
    const key = `${s.state}|${s.message}|${s.partners.map((p) => `${p.id}:${p.topicId ?? ''}`).join(',')}`;
    if (key === this.last) return;
    this.last = key;
    this.opts.onStatus?.(s);
  }

  /** Leaves the room and stops. */
  destroy(): void {
    clearInterval(this.timer);
    clearTimeout(this.announceTimer);
    removeEventListener('online', this.onChange);
    removeEventListener('offline', this.onChange);
    this.awareness.setLocalState(null);
    this.provider.destroy();
    quietConnects.delete(this.opts.keys.roomName);
    this.destroyed = true;
    this.releaseLock();
  }
}

/** Parses a peer's `user` awareness field (untrusted): bounded strings and a #rrggbb colour only. */
export function parseUser(v: unknown): PresenceUser | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'string' || typeof r.name !== 'string') return undefined;
  const color = typeof r.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(r.color) ? r.color : '#57606a';
  return { id: r.id.slice(0, 64), name: r.name.slice(0, 80) || 'Partner', color };
}
