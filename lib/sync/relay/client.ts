/**
 * Syncs one notebook's Y.Doc through the end-to-end encrypted relay (`server/PROTOCOL.md`),
 * for partners who are never online at the same time.
 *
 * The relay keeps, per room, an append-only log of opaque entries numbered 1, 2, 3, …
 * Every entry is one Yjs update encrypted with the notebook's relay key (`keys.ts`), or a
 * snapshot of the whole notebook that replaced a prefix of the log (compaction). This client
 *
 * - reads: fetches everything after the last applied sequence number (the *cursor*, kept by
 *   the caller per notebook), then follows `push`es; each entry is decrypted, checked and
 *   applied with origin {@link RELAY_ORIGIN}; the cursor only moves past entries that were
 *   applied (or were unreadable and skipped for good);
 * - writes: sends every local change, batched, and on each (re)connection whatever the relay
 *   may still lack, measured against the persisted *relay state* (see {@link RelayUploadStore});
 * - keeps the room small: uploads a snapshot (`compact`) once the log since the last one is long.
 *
 * Large changes (a first upload of a big notebook, a long offline session) are cut by
 * `splitUpdate` (`relay-split.ts`) into several complete Yjs updates, each under the
 * server's `maxEntryBytes`, and appended as separate entries. Only a single value larger
 * than an entry (say a 2 MB clip body, which Yjs stores as one item) cannot be cut; then the
 * whole notebook goes up as a compaction snapshot, which the server accepts up to
 * `maxSnapshotBytes` (8 MiB). Beyond that the client reports `notebook-too-large`.
 *
 * No browser.* APIs and no React: the WebSocket constructor, the stores and the clock are
 * injected, so the same code runs in the side panel and in Node tests.
 */
import * as Y from 'yjs';
import {
  encodeClientMessage,
  parseServerMessage,
  RELAY_PROTOCOL_VERSION,
  type RelayClientMessage,
  type RelayEntry,
  type RelayErrorCode,
  type RelayServerMessage,
} from '../../../protocol/relay';
import { decryptUpdate, IV_BYTES, openEntry, sealEntry, type NotebookKeys } from '../keys/derive';
import { describeRelayError, RelayError, type RelayProblemCode } from './errors';
import { splitUpdate } from './split';

export { describeRelayError, RelayError, UNREADABLE_ENTRY_MESSAGE } from './errors';
export type { RelayClientErrorCode, RelayProblemCode } from './errors';

/**
 * Transaction origin of every update applied from the relay. The client ignores updates with
 * this origin when collecting local changes, so nothing fetched is sent back. Other providers
 * may compare against it too (e.g. to leave relay changes out of an undo stack).
 */
export const RELAY_ORIGIN: unique symbol = Symbol('partner-notebook/relay');

/** AES-GCM adds the IV in front and a 16-byte tag at the end of every entry. */
const SEAL_OVERHEAD = IV_BYTES + 16;
const MiB = 1024 * 1024;
/** Slowest line the request timeouts allow for, in bytes per second. */
const SLOW_LINE_BYTES_PER_SECOND = 50_000;

/**
 * How far this notebook has read the relay room: the room's generation and the last applied
 * seq in it. A seq means nothing in another generation: a room deleted by retention and created
 * again starts from 1, and a partner whose cursor is still below the new head would otherwise
 * skip the new room's first entries.
 */
export interface RelayCursor {
  /** `welcome.generation` of the room the seq belongs to ('' before the first connection). */
  generation: string;
  /** Last applied seq in that generation. */
  seq: number;
  /**
   * Fingerprint of the entry at `seq` (its AES-GCM tag, hex). If the room is rolled back and
   * grows again past `seq` within one generation, the entry there is another one: comparing
   * the fingerprint on return is how the client notices.
   */
  tag?: string;
}

/** Where the caller keeps the {@link RelayCursor}, per notebook. */
export interface RelayCursorStore {
  /** The saved cursor, null when the notebook never synced through the relay. */
  load(): Promise<RelayCursor | null>;
  /** Called after entries up to `cursor.seq` were applied to the doc, and when the room's generation changes. */
  save(cursor: RelayCursor): Promise<void>;
}

/**
 * Read-once access to the notebook's relay room of protocol version 1 (named `keys.roomName`,
 * entries bound to that name only). Its entries are read once, with whatever partners left
 * there before the server was updated, and then never again, so the old room expires.
 */
export interface RelayLegacyStore {
  /** The last seq applied from the old room; null once it was read to its end. */
  load(): Promise<number | null>;
  /** Saves progress; null marks the old room as read. */
  save(seq: number | null): Promise<void>;
}

/**
 * Where the caller keeps the *relay state*: an encoded Yjs snapshot (state vector plus delete
 * set, `Y.encodeSnapshot`) of what the relay is known to hold — everything it acknowledged
 * from this client and everything applied from it. On each connection the client uploads
 * `Y.encodeStateAsUpdate(doc, relayState.sv)` unless the relay state already contains it,
 * which catches edits made while offline or while the client was not running, including
 * pure deletions (they do not advance the state vector, hence the delete set). Treat the
 * bytes as opaque.
 */
export interface RelayUploadStore {
  /** The saved relay state, or null for a notebook that never uploaded (then everything is sent). */
  load(): Promise<Uint8Array | null>;
  /** Persists a newer relay state. */
  save(state: Uint8Array): Promise<void>;
}

/**
 * The part of a WebSocket the client uses. Both the browser's `WebSocket` and the `ws`
 * package's class fit. Handlers take `never` so that either implementation's event types are
 * accepted; the client reads events as untrusted input.
 */
export interface RelaySocket {
  /** 1 while open. */
  readonly readyState: number;
  /** Sends one text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Called once the connection is open. */
  onopen: ((event: never) => void) | null;
  /** Called for every frame. */
  onmessage: ((event: never) => void) | null;
  /** Called once the connection is closed. */
  onclose: ((event: never) => void) | null;
  /** Called on a connection error (a close follows). */
  onerror: ((event: never) => void) | null;
}

/** A WebSocket constructor (`globalThis.WebSocket`, or `WebSocket` from `ws`). */
export type RelaySocketConstructor = new (url: string) => RelaySocket;

/** What the UI shows about the relay. */
export interface RelayStatus {
  /**
   * `connecting`: opening the connection or catching up; `online`: caught up, changes flow;
   * `offline`: waiting to reconnect (changes are kept and sent later); `error`: something
   * needs a person (see `message`), e.g. the relay belongs to another invite.
   */
  state: 'connecting' | 'online' | 'offline' | 'error';
  /** When changes from the relay last changed this notebook (epoch ms, from `now()`). */
  lastExchangeAt?: number;
  /** Local changes not yet confirmed by the relay (changes made while it was not running count as one). */
  pendingUploads: number;
  /** For `offline` and `error`: what happened and what to do, for a person (English). */
  message?: string;
  /** For `error`: the problem's code, which the panel words in the person's language. */
  code?: RelayProblemCode;
}

/** Counters, for tests, benchmarks and diagnostics. */
export interface RelayStats {
  /** Entries received in `entries` replies (fetch), including ones already applied. */
  entriesFetched: number;
  /** Entries received as `push`. */
  entriesPushed: number;
  /** Entries decrypted and applied to the doc. */
  entriesApplied: number;
  /** Entries skipped because they could not be decrypted or applied. */
  entriesRejected: number;
  /** Entries this client appended (acknowledged). */
  entriesAppended: number;
  /** Payload bytes received (fetch and push). */
  bytesReceived: number;
  /** Payload bytes appended (acknowledged), snapshots included. */
  bytesSent: number;
  /** Snapshots uploaded with `compact`. */
  compactions: number;
}

/** Options of {@link RelayClient}. */
export interface RelayClientOptions {
  /** The notebook. */
  doc: Y.Doc;
  /** The notebook's derived keys (`deriveKeys`). */
  keys: NotebookKeys;
  /** The relay endpoint, e.g. `wss://relay.example.org/relay`. */
  url: string;
  /** WebSocket constructor; default `globalThis.WebSocket`. */
  WebSocketImpl?: RelaySocketConstructor;
  /** The last applied sequence number, persisted by the caller per notebook. */
  cursorStore: RelayCursorStore;
  /** What the relay is known to hold, persisted by the caller per notebook. */
  uploadStore: RelayUploadStore;
  /** Progress through the notebook's protocol-version-1 room, if it may have one. */
  legacyStore?: RelayLegacyStore;
  /** How long local changes are collected before one upload, in ms. Default 300. */
  batchMs?: number;
  /** The server's `maxEntryBytes` (encrypted size of one entry). Default 1 MiB. */
  maxEntryBytes?: number;
  /** The server's `maxSnapshotBytes`. Default 8 MiB. */
  maxSnapshotBytes?: number;
  /** Compact when more entries than this follow the last snapshot. Default 200. */
  compactAfterEntries?: number;
  /** Compact when more payload bytes than this follow the last snapshot (as far as this client saw). Default 2 MiB. */
  compactAfterBytes?: number;
  /** Reconnect delays: doubling from `minMs` up to `maxMs`, each randomised to 50–100 %. Default 1 s … 60 s. */
  backoff?: { minMs: number; maxMs: number };
  /** A request without reply for this long (plus time for its size on a slow line) counts as a dead connection, in ms. Default 30 000. */
  requestTimeoutMs?: number;
  /** Send an application ping after this much silence, in ms (detects dead connections). Default 25 000. */
  pingIntervalMs?: number;
  /** Most messages per second this client sends (the server closes at 50/s). Default 40. */
  maxMessagesPerSecond?: number;
  /** Status changes, for the UI. */
  onStatus?(status: RelayStatus): void;
  /** Problems a person may need to know about (each also sets `status.message` when lasting). */
  onError?(error: RelayError): void;
  /** Clock in epoch ms; default `Date.now`. */
  now?(): number;
  /** Random numbers in [0, 1) for backoff jitter; default `Math.random`. */
  random?(): number;
}

/** A request that failed because the server answered `error`. */
class ServerError extends Error {
  constructor(
    readonly code: RelayErrorCode,
    serverMessage: string,
  ) {
    super(serverMessage);
    this.name = 'ServerError';
  }
}

/** The connection ended (or was given up) while a request was waiting. */
class ConnectionLost extends Error {
  override name = 'ConnectionLost';
}

/** The room's generation changed under a running session (deleted and created again): start over. */
class RoomReplaced extends Error {
  override name = 'RoomReplaced';
}

/** The relay refused this client's writes (other invite): uploads stop, reading goes on. */
class WriteRefused extends Error {
  override name = 'WriteRefused';
}

/** Local changes cut for upload. */
interface Cut {
  /** A V1 update. */
  update: Uint8Array;
  /** Local changes it covers (for `pendingUploads`). */
  count: number;
  /** Relay state to save once it is acknowledged (everything the doc held at cut time). */
  state: Y.Snapshot | null;
}

/** One connection's state. A new connection gets a new session; stale ones are ignored. */
interface Session {
  sock: RelaySocket;
  pending: Map<number, { resolve(m: RelayServerMessage): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>;
  /** Collecting local changes into `queue` (after the reconnect diff was cut). */
  live: boolean;
  /** Caught up with the log once; uploads and compaction may run. */
  caughtUp: boolean;
  uploads: Cut[];
  pumping: boolean;
  /** May write (token accepted). */
  canWrite: boolean;
  /** Highest seq known in the room. */
  head: number;
  /** The room's generation ('' while it does not exist). */
  generation: string;
  /** Seq of the room's snapshot, 0 if never compacted. */
  snapshotSeq: number;
  /** Payload bytes seen after `snapshotSeq` in this session (a lower bound for the room). */
  bytesSinceSnapshot: number;
  /** Byte count below which the byte criterion is not checked again (twice the doc size when last measured). */
  nextBytesCheck: number;
  /** Snapshot upload failed for size: do not retry in this session. */
  snapshotTooLarge: boolean;
  lastSentAt: number;
  pingTimer?: ReturnType<typeof setInterval>;
  ended: boolean;
}

/**
 * Syncs one Y.Doc through the encrypted relay. Create, {@link start}, and {@link stop} when
 * the notebook closes. One instance runs once; create a new one to start again.
 *
 * Start it after local persistence has loaded the doc: the load arrives as one big local
 * update, which would otherwise be uploaded as a change (harmless, Yjs deduplicates, but
 * wasteful).
 *
 * Updates that arrive from WebRTC peers are uploaded too (any origin but {@link RELAY_ORIGIN}):
 * the peer may never reach the relay itself, its changes then still reach partners who are
 * offline now, and a duplicate is harmless because applying a Yjs update twice changes nothing.
 */
export class RelayClient {
  private readonly doc: Y.Doc;
  private readonly keys: NotebookKeys;
  private readonly url: string;
  private readonly Socket: RelaySocketConstructor;
  private readonly cursorStore: RelayCursorStore;
  private readonly uploadStore: RelayUploadStore;
  private readonly legacyStore?: RelayLegacyStore;
  private readonly batchMs: number;
  private readonly maxEntryBytes: number;
  private readonly maxSnapshotBytes: number;
  private readonly compactAfterEntries: number;
  private readonly compactAfterBytes: number;
  private readonly backoff: { minMs: number; maxMs: number };
  private readonly requestTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onStatus?: (s: RelayStatus) => void;
  private readonly onError?: (e: RelayError) => void;

  private started = false;
  private stopped = false;
  private session: Session | null = null;
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer?: ReturnType<typeof setTimeout>;

  /** Last applied seq (contiguously: every seq ≤ cursor was applied, skipped as unreadable, or compacted away). */
  private cursor = 0;
  /** Generation of the room the cursor counts in. */
  private generation = '';
  /** Fingerprint of the entry at the cursor (see {@link RelayCursor.tag}). */
  private cursorTag: string | undefined;
  /** Seqs of this client's own acknowledged entries above the cursor (already in the doc), with their fingerprints. */
  private readonly ownSeqs = new Map<number, string>();
  /** What the relay is known to hold. */
  private relayState: Y.Snapshot = Y.emptySnapshot;
  /** Local updates collected for the next cut (only while a session is live). */
  private queue: Uint8Array[] = [];
  private batchTimer?: ReturnType<typeof setTimeout>;
  /** Local changes not yet acknowledged. */
  private unconfirmed = 0;
  /** Set by the update handler when a relay-origin transaction changed the doc. */
  private relayChanged = false;
  /** Every application of entries runs through this chain, one at a time, in order. */
  private applyChain: Promise<void> = Promise.resolve();
  private applying = 0;
  private lastStateSaveAt = -Infinity;
  private readonly idleWaiters = new Set<() => void>();
  private readonly pacer: Pacer;
  private statusValue: RelayStatus = { state: 'offline', pendingUploads: 0 };
  private readonly counters: RelayStats = {
    entriesFetched: 0,
    entriesPushed: 0,
    entriesApplied: 0,
    entriesRejected: 0,
    entriesAppended: 0,
    bytesReceived: 0,
    bytesSent: 0,
    compactions: 0,
  };

  /** @param options see {@link RelayClientOptions} */
  constructor(options: RelayClientOptions) {
    this.doc = options.doc;
    this.keys = options.keys;
    this.url = options.url;
    const Impl = options.WebSocketImpl ?? (globalThis as { WebSocket?: RelaySocketConstructor }).WebSocket;
    if (!Impl) throw new TypeError('No WebSocket implementation: pass WebSocketImpl (e.g. the ws package in Node).');
    this.Socket = Impl;
    this.cursorStore = options.cursorStore;
    this.uploadStore = options.uploadStore;
    this.legacyStore = options.legacyStore;
    this.batchMs = options.batchMs ?? 300;
    this.maxEntryBytes = options.maxEntryBytes ?? 1 * MiB;
    this.maxSnapshotBytes = options.maxSnapshotBytes ?? 8 * MiB;
    this.compactAfterEntries = options.compactAfterEntries ?? 200;
    this.compactAfterBytes = options.compactAfterBytes ?? 2 * MiB;
    this.backoff = options.backoff ?? { minMs: 1000, maxMs: 60_000 };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onStatus = options.onStatus;
    this.onError = options.onError;
    this.pacer = new Pacer(options.maxMessagesPerSecond ?? 40);
  }

  /** The current status (also delivered through `onStatus`). */
  get status(): RelayStatus {
    return this.statusValue;
  }

  /** A copy of the counters. */
  get stats(): RelayStats {
    return { ...this.counters };
  }

  /** The last applied sequence number. */
  get appliedSeq(): number {
    return this.cursor;
  }

  /**
   * Loads the cursor and relay state, starts watching the doc and connects. Resolves once
   * connecting has begun; use {@link flush} to wait until the notebook is in sync.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('RelayClient.start() may only be called once; create a new client to start again.');
    this.started = true;
    const [cursor, state] = await Promise.all([this.cursorStore.load(), this.uploadStore.load()]);
    this.cursor = Number.isSafeInteger(cursor?.seq) && cursor!.seq > 0 ? cursor!.seq : 0;
    this.generation = typeof cursor?.generation === 'string' ? cursor.generation : '';
    this.cursorTag = typeof cursor?.tag === 'string' && this.cursor > 0 ? cursor.tag : undefined;
    this.relayState = decodeRelayState(state);
    if (this.stopped) return;
    this.doc.on('update', this.onDocUpdate);
    this.connect();
  }

  /**
   * Sends what is pending, then closes the connection. Changes that could not be sent within
   * `timeoutMs` (default 3 s) are not lost: the next client for this notebook uploads them.
   */
  async stop(timeoutMs = 3000): Promise<void> {
    if (this.stopped) return;
    if (this.session?.caughtUp && this.session.canWrite && this.hasLocalWork()) {
      await this.flush(timeoutMs).catch(() => {});
    }
    this.stopped = true;
    this.doc.off('update', this.onDocUpdate);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.session) this.endSession(this.session, null);
    await this.applyChain.catch(() => {});
    this.setStatus({ state: 'offline', message: undefined });
    for (const w of this.idleWaiters) w();
  }

  /**
   * Sends collected changes now and resolves when the notebook is in sync with the relay:
   * connected, caught up, every local change acknowledged. Waits across reconnections.
   *
   * @param timeoutMs reject after this long (default: wait indefinitely)
   */
  flush(timeoutMs?: number): Promise<void> {
    this.cutNow();
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const check = () => {
        if (this.isIdle() || this.stopped) {
          clearTimeout(timer);
          this.idleWaiters.delete(check);
          if (this.stopped && !this.isIdle()) reject(new Error('The relay client was stopped before everything was sent.'));
          else resolve();
        }
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.idleWaiters.delete(check);
          reject(new Error(`The relay did not confirm every change within ${timeoutMs} ms.`));
        }, timeoutMs);
      }
      this.idleWaiters.add(check);
      check();
    });
  }

  /** Reconnects at once instead of waiting for the backoff (for a "Try again" button). */
  retryNow(): void {
    if (this.stopped || !this.started || this.session) return;
    clearTimeout(this.reconnectTimer);
    this.attempt = 0;
    this.connect();
  }

  // ---------------------------------------------------------------------------------------
  // Local changes

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === RELAY_ORIGIN) {
      this.relayChanged = true;
      return;
    }
    this.unconfirmed++;
    const s = this.session;
    if (s?.live) {
      this.queue.push(update);
      this.batchTimer ??= setTimeout(() => {
        this.batchTimer = undefined;
        this.cutNow();
      }, this.batchMs);
    }
    this.setStatus({});
  };

  /** Moves the collected local updates into one upload. */
  private cutNow(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    const s = this.session;
    if (!s?.live || this.queue.length === 0) return;
    const updates = this.queue;
    this.queue = [];
    // A relay state per cut lets an interrupted session resume close to where it stopped;
    // Y.snapshot walks every struct, so take it at most every few seconds.
    const takeState = this.now() - this.lastStateSaveAt > 5000;
    if (takeState) this.lastStateSaveAt = this.now();
    s.uploads.push({
      update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates),
      count: updates.length,
      state: takeState ? Y.snapshot(this.doc) : null,
    });
    void this.pump(s);
  }

  private hasLocalWork(): boolean {
    return this.queue.length > 0 || (this.session?.uploads.length ?? 0) > 0 || this.unconfirmed > 0;
  }

  // ---------------------------------------------------------------------------------------
  // Connection

  private connect(): void {
    if (this.stopped) return;
    this.setStatus({ state: 'connecting', message: undefined });
    let sock: RelaySocket;
    try {
      sock = new this.Socket(this.url);
    } catch (cause) {
      // A malformed URL throws synchronously; retrying will not help, but keep the loop uniform.
      this.report(new RelayError('unreachable', { cause }));
      this.scheduleReconnect();
      return;
    }
    const s: Session = {
      sock,
      pending: new Map(),
      live: false,
      caughtUp: false,
      uploads: [],
      pumping: false,
      canWrite: true,
      head: 0,
      generation: '',
      snapshotSeq: 0,
      bytesSinceSnapshot: 0,
      nextBytesCheck: 0,
      snapshotTooLarge: false,
      lastSentAt: this.now(),
      ended: false,
    };
    this.session = s;
    sock.onopen = () => {
      this.runSession(s).catch((e: unknown) => this.fail(s, e));
    };
    sock.onmessage = ((event: { data?: unknown }) => {
      if (!s.ended && typeof event.data === 'string') this.onMessage(s, event.data);
    }) as (event: never) => void;
    sock.onclose = ((event: { code?: number }) => {
      this.endSession(s, event.code === 1000 ? null : new RelayError('unreachable', { cause: new Error(`connection closed (${String(event.code)})`) }));
    }) as (event: never) => void;
    sock.onerror = () => {
      // A close event follows; it decides what happens next.
    };
  }

  private async runSession(s: Session): Promise<void> {
    s.pingTimer = setInterval(
      () => {
        if (!s.ended && this.now() - s.lastSentAt >= this.pingIntervalMs) {
          this.request(s, { type: 'ping' }).catch(() => {});
        }
      },
      Math.max(1000, Math.floor(this.pingIntervalMs / 2)),
    );

    const room = this.keys.relayRoom;
    const welcome = await this.request(s, { type: 'hello', room, writeToken: this.keys.writeToken });
    if (welcome.type !== 'welcome') throw new RelayError('bad-reply');
    if (welcome.version !== RELAY_PROTOCOL_VERSION) throw new RelayError('unsupported-server');
    s.head = welcome.head;
    s.snapshotSeq = welcome.snapshotSeq;
    s.generation = welcome.generation;
    s.canWrite = welcome.canWrite !== false;
    if (s.canWrite && !welcome.claimed) {
      try {
        const claimed = await this.request(s, { type: 'claim', room, writeToken: this.keys.writeToken });
        if (claimed.type !== 'claimed' || !claimed.generation) throw new RelayError('bad-reply');
        // Someone may have created the room between hello and claim: its state is then
        // unknown, and the first fetch reports it.
        if (claimed.generation !== s.generation) s.head = s.snapshotSeq = 0;
        s.generation = claimed.generation;
      } catch (e) {
        if (!(e instanceof ServerError && e.code === 'forbidden')) throw e;
        s.canWrite = false;
      }
    }
    if (!s.canWrite) this.report(new RelayError('forbidden'), true);

    if (s.generation && s.generation !== this.generation) {
      // A room this client has not read yet: the first connection, or the room was deleted
      // (retention) and created again. Whatever the cursor counted belongs to the old room:
      // read the new one from the start and upload everything to it.
      if (this.generation || this.cursor > 0) await this.resetCursor(s.generation);
      else await this.saveCursor(s.generation);
    } else if (s.generation && welcome.head < this.cursor) {
      // Same room, fewer entries than this client already read: restored from a backup or
      // tampered with. Entries above the head may come back with other content; start over.
      this.report(new RelayError('rolled-back', { cause: new Error(`head ${welcome.head} below cursor ${this.cursor}`) }));
      await this.resetCursor(s.generation);
    } else if (s.generation && (await this.entryAtCursorChanged(s))) {
      // Rolled back and grown again past the cursor: the seqs up to it hold other entries now.
      this.report(new RelayError('rolled-back', { cause: new Error(`the entry at seq ${this.cursor} changed`) }));
      await this.resetCursor(s.generation);
    }
    await this.drainLegacy(s);

    // Cut what the relay may lack *before* applying anything from it, so entries fetched
    // now are not sent back; changes from here on go through the live queue.
    const diff = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.relayState.sv));
    this.queue = [];
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    s.live = true;
    if (!Y.snapshotContainsUpdate(this.relayState, diff)) {
      if (this.unconfirmed === 0) this.unconfirmed = 1; // changed while this client was not running
      s.uploads.push({ update: diff, count: this.unconfirmed, state: Y.snapshot(this.doc) });
    } else {
      this.unconfirmed = 0;
    }

    await this.enqueueApply(s, () => this.catchUp(s));
    if (s.ended) return;
    s.caughtUp = true;
    this.attempt = 0;
    this.setStatus(s.canWrite ? { state: 'online', message: undefined } : {});
    await this.pump(s);
    this.settle(s);
  }

  /** Forgets what the relay was known to hold: read from seq 0 and upload everything. */
  private async resetCursor(generation: string): Promise<void> {
    this.cursor = 0;
    this.cursorTag = undefined;
    this.generation = generation;
    this.ownSeqs.clear();
    this.relayState = Y.emptySnapshot;
    await Promise.all([this.cursorStore.save({ generation, seq: 0 }), this.uploadStore.save(Y.encodeSnapshot(Y.emptySnapshot))]);
  }

  private async saveCursor(generation = this.generation): Promise<void> {
    this.generation = generation;
    await this.cursorStore.save({ generation, seq: this.cursor, ...(this.cursorTag && { tag: this.cursorTag }) });
  }

  /**
   * Whether the entry at the cursor is still the one this client read there. Asked only when
   * it can be: the room has the same generation and reaches the cursor, and no snapshot has
   * replaced that entry (a client behind a snapshot receives the snapshot, which holds
   * everything, so nothing can be missed then). One small request per connection.
   */
  private async entryAtCursorChanged(s: Session): Promise<boolean> {
    if (!this.cursorTag || this.cursor < 1 || s.snapshotSeq >= this.cursor || s.head < this.cursor) return false;
    const reply = await this.request(s, { type: 'fetch', room: this.keys.relayRoom, since: this.cursor - 1, maxBytes: 1 });
    if (reply.type !== 'entries') throw new RelayError('bad-reply');
    if (reply.generation !== s.generation) throw new RoomReplaced(`fetch answered from generation ${reply.generation}`);
    const e = reply.entries[0];
    // Compacted between hello and this fetch: the snapshot comes with the catch-up.
    if (!e || e.kind === 'snapshot') return false;
    return e.seq !== this.cursor || fingerprint(e.data) !== this.cursorTag;
  }

  /**
   * Applies what partners left in the notebook's room of protocol version 1, once. Runs before
   * the reconnect diff is cut, and the new room's relay state does not include it, so whatever
   * arrives here is uploaded to the new room as well: nobody loses what was only in the old one.
   */
  private async drainLegacy(s: Session): Promise<void> {
    if (!this.legacyStore) return;
    let since = await this.legacyStore.load();
    if (since === null) return;
    for (;;) {
      const reply = await this.request(s, { type: 'fetch', room: this.keys.roomName, since });
      if (reply.type !== 'entries') throw new RelayError('bad-reply');
      for (const e of reply.entries) {
        if (e.seq <= since) continue;
        await this.applyPlain(e, () => decryptUpdate(this.keys, e.data));
        since = e.seq;
      }
      if (!reply.more || reply.entries.length === 0) break;
      await this.legacyStore.save(since);
    }
    await this.legacyStore.save(null);
  }

  /** Routes one frame: replies to their request, pushes to the apply chain. */
  private onMessage(s: Session, text: string): void {
    // The server is not trusted with size either: the largest honest frame is one page of
    // entries (a snapshot plus an entry or two), base64-encoded.
    const maxChars = Math.ceil(((this.maxSnapshotBytes + 2 * this.maxEntryBytes) * 4) / 3) + 64 * 1024;
    if (text.length > maxChars) {
      this.report(new RelayError('bad-reply', { cause: new Error(`a frame of ${text.length} characters, more than ${maxChars}`) }));
      return;
    }
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      this.report(new RelayError('bad-reply', { cause: new Error(parsed.error) }));
      return;
    }
    const m = parsed.message;
    if (m.type === 'push') {
      if (m.room !== this.keys.relayRoom) return;
      if (m.generation !== s.generation) {
        // The room was created again under this session: reconnect and start over.
        this.fail(s, new RoomReplaced('push from another generation'));
        return;
      }
      this.counters.entriesPushed += m.entries.length;
      void this.enqueueApply(s, () => this.applyPush(s, m.entries)).catch((e: unknown) => this.fail(s, e));
      return;
    }
    if (m.id === undefined) {
      if (m.type === 'error') this.report(new RelayError(m.code, { cause: new Error(m.message) }));
      return;
    }
    const waiter = s.pending.get(m.id);
    if (!waiter) return;
    s.pending.delete(m.id);
    clearTimeout(waiter.timer);
    if (m.type === 'error') waiter.reject(new ServerError(m.code, m.message));
    else waiter.resolve(m);
  }

  private async request(s: Session, message: RelayClientMessage): Promise<RelayServerMessage> {
    await this.pacer.take();
    if (s.ended) throw new ConnectionLost('connection closed');
    const id = this.nextId++;
    const text = encodeClientMessage({ ...message, id });
    // Large frames take time on a slow line (a librarian on 400 kbit/s moves ~50 KB/s): allow
    // for the upload, and for a fetch for the largest reply (a snapshot), on top of the base.
    const bytes = message.type === 'fetch' ? (this.maxSnapshotBytes * 4) / 3 : text.length;
    const timeoutMs = this.requestTimeoutMs + Math.ceil(bytes / SLOW_LINE_BYTES_PER_SECOND) * 1000;
    return new Promise<RelayServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        s.pending.delete(id);
        reject(new ConnectionLost('request timed out'));
        // No answer: treat the connection as dead rather than wait for TCP to notice.
        this.endSession(s, new RelayError('unreachable', { cause: new Error(`no reply to ${message.type} within ${timeoutMs} ms`) }));
      }, timeoutMs);
      s.pending.set(id, { resolve, reject, timer });
      try {
        s.sock.send(text);
        s.lastSentAt = this.now();
      } catch (e) {
        clearTimeout(timer);
        s.pending.delete(id);
        reject(new ConnectionLost('send failed', { cause: e }));
      }
    });
  }

  /** Ends a session after an error in its own flow. */
  private fail(s: Session, e: unknown): void {
    if (s.ended) return;
    if (e instanceof ConnectionLost) {
      this.endSession(s, new RelayError('unreachable', { cause: e }));
    } else if (e instanceof RelayError) {
      this.endSession(s, e);
    } else if (e instanceof ServerError) {
      this.endSession(s, new RelayError(e.code, { cause: e }));
    } else {
      this.endSession(s, new RelayError('unreachable', { cause: e }));
    }
  }

  /** Tears a session down; reconnects later unless stopped. `error` null means a clean close. */
  private endSession(s: Session, error: RelayError | null): void {
    if (s.ended) return;
    s.ended = true;
    s.live = false;
    clearInterval(s.pingTimer);
    s.sock.onopen = s.sock.onmessage = s.sock.onclose = null;
    // Not null: closing a socket that is still connecting makes `ws` emit an error event,
    // which would throw without a listener.
    s.sock.onerror = () => {};
    try {
      s.sock.close(1000, 'bye');
    } catch {
      // Already closed or never opened.
    }
    for (const w of s.pending.values()) {
      clearTimeout(w.timer);
      w.reject(new ConnectionLost('connection closed'));
    }
    s.pending.clear();
    if (this.session === s) this.session = null;
    // Collected changes are covered by the next session's diff against the relay state.
    this.queue = [];
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.stopped) return;
    const lasting = error && error.code !== 'unreachable';
    if (lasting) this.report(error, true);
    this.scheduleReconnect(lasting ? error.message : undefined);
  }

  private scheduleReconnect(message?: string): void {
    if (this.stopped) return;
    const base = Math.min(this.backoff.maxMs, this.backoff.minMs * 2 ** this.attempt);
    // Jitter spreads the reconnections of many clients after a server restart.
    const delay = Math.round(base * (0.5 + 0.5 * this.random()));
    this.attempt = Math.min(this.attempt + 1, 30);
    const seconds = Math.max(1, Math.round(delay / 1000));
    this.setStatus({ state: message ? 'error' : 'offline', message: message ?? `${describeRelayError('unreachable')} Next try in ${seconds} s.` });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  // ---------------------------------------------------------------------------------------
  // Reading

  /** Runs `task` after every earlier application, skipping it if the session ended. */
  private enqueueApply(s: Session, task: () => Promise<void>): Promise<void> {
    this.applying++;
    const run = this.applyChain.then(() => (s.ended ? undefined : task()));
    this.applyChain = run
      .catch(() => {})
      .finally(() => {
        this.applying--;
        this.settle(s);
      });
    return run;
  }

  /** Fetches every entry after the cursor, page by page. */
  private async catchUp(s: Session): Promise<void> {
    for (;;) {
      const reply = await this.request(s, { type: 'fetch', room: this.keys.relayRoom, since: this.cursor });
      if (reply.type !== 'entries') throw new RelayError('bad-reply');
      if (reply.generation !== s.generation) throw new RoomReplaced(`fetch answered from generation ${reply.generation}`);
      this.counters.entriesFetched += reply.entries.length;
      s.head = Math.max(s.head, reply.head);
      const before = this.cursor;
      await this.applyEntries(s, reply.entries);
      // Stop on a page that made no progress: the server promised at least one newer entry.
      if (!reply.more || this.cursor === before) return;
    }
  }

  /** Applies pushed entries if they continue the cursor; otherwise fetches the gap. */
  private async applyPush(s: Session, entries: RelayEntry[]): Promise<void> {
    const sorted = [...entries].sort((a, b) => a.seq - b.seq);
    for (const e of sorted) s.head = Math.max(s.head, e.seq);
    this.advanceOwn();
    const fresh = sorted.filter((e) => e.seq > this.cursor);
    if (fresh.length === 0) return;
    const contiguous = fresh.every((e, i) => e.seq === this.cursor + 1 + i);
    if (!contiguous) {
      // Something between the cursor and this push has not arrived (missed while
      // reconnecting, or a push raced a fetch): the fetch returns both, in order.
      await this.catchUp(s);
      return;
    }
    await this.applyEntries(s, fresh);
    // Compaction runs in the upload pump, so it never overlaps an upload.
    void this.pump(s);
  }

  /** Applies entries in seq order and moves the cursor past each. */
  private async applyEntries(s: Session, entries: RelayEntry[]): Promise<void> {
    let changed = false;
    let moved = false;
    for (const e of entries) {
      if (s.ended) break;
      if (e.seq <= this.cursor) continue;
      this.counters.bytesReceived += e.data.length;
      if (e.kind === 'snapshot') {
        s.snapshotSeq = Math.max(s.snapshotSeq, e.seq);
        s.bytesSinceSnapshot = 0;
      } else if (e.seq > s.snapshotSeq) {
        s.bytesSinceSnapshot += e.data.length;
      }
      const result = await this.applyOne(s, e);
      if (s.ended) break;
      // Re-checked after the await: an own entry's ack may have moved the cursor meanwhile.
      if (e.seq <= this.cursor) continue;
      changed ||= result;
      // An unreadable entry is skipped for good (it will never become readable), so the
      // cursor moves past it too; otherwise the client would be stuck on it forever.
      this.cursor = e.seq;
      this.cursorTag = fingerprint(e.data);
      moved = true;
      this.advanceOwn();
    }
    if (moved) await this.saveCursor();
    if (changed) this.setStatus({ lastExchangeAt: this.now() });
  }

  /** Decrypts, checks and applies one entry. Returns whether the doc changed. Never throws. */
  private applyOne(s: Session, e: RelayEntry): Promise<boolean> {
    return this.applyPlain(e, () => openEntry(this.keys, e.data, { generation: s.generation, seq: e.seq, kind: e.kind }));
  }

  /** Checks the size, decrypts with `open`, parses and applies one entry. Never throws. */
  private async applyPlain(e: RelayEntry, open: () => Promise<Uint8Array>): Promise<boolean> {
    const max = e.kind === 'snapshot' ? this.maxSnapshotBytes : this.maxEntryBytes;
    if (e.data.length > max) {
      this.reject(e, new Error(`${e.data.length} bytes, more than the ${max} a relay may store in one ${e.kind}`));
      return false;
    }
    let plain: Uint8Array;
    try {
      plain = await open();
    } catch (cause) {
      this.reject(e, cause);
      return false;
    }
    try {
      // Parse completely before touching the doc: a malformed update then fails here, not
      // halfway through a transaction.
      Y.decodeUpdate(plain);
    } catch (cause) {
      this.reject(e, cause);
      return false;
    }
    this.relayChanged = false;
    try {
      Y.applyUpdate(this.doc, plain, RELAY_ORIGIN);
    } catch (cause) {
      this.reject(e, cause);
      return false;
    }
    this.counters.entriesApplied++;
    return this.relayChanged;
  }

  private reject(e: RelayEntry, cause: unknown): void {
    this.counters.entriesRejected++;
    this.report(new RelayError('unreadable-entry', { cause: new Error(`entry ${e.seq} (${e.kind})`, { cause }) }));
  }

  /** Moves the cursor over this client's own entries, which the doc already holds. */
  private advanceOwn(): void {
    for (const seq of this.ownSeqs.keys()) if (seq <= this.cursor) this.ownSeqs.delete(seq);
    while (this.ownSeqs.has(this.cursor + 1)) {
      this.cursorTag = this.ownSeqs.get(this.cursor + 1);
      this.ownSeqs.delete(this.cursor + 1);
      this.cursor++;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Writing

  /** Uploads cuts in order, one at a time; then compacts if due. */
  private async pump(s: Session): Promise<void> {
    if (s.pumping || s.ended || !s.caughtUp) return;
    s.pumping = true;
    try {
      while (!s.ended && s.canWrite && s.uploads.length > 0) {
        const cut = s.uploads[0]!;
        await this.upload(s, cut);
        if (s.ended) return;
        s.uploads.shift();
        this.unconfirmed = Math.max(0, this.unconfirmed - cut.count);
        if (cut.state) await this.saveRelayState(cut.state);
        this.setStatus({});
      }
      if (!s.ended && s.canWrite) await this.maybeCompact(s);
    } catch (e) {
      // A refused write keeps the connection: partners' changes still arrive.
      if (!(e instanceof WriteRefused)) this.fail(s, e);
    } finally {
      s.pumping = false;
      this.settle(s);
    }
  }

  private async upload(s: Session, cut: Cut): Promise<void> {
    const maxPlain = this.maxEntryBytes - SEAL_OVERHEAD;
    const pieces = splitUpdate(cut.update, maxPlain);
    if (pieces.some((p) => p.length > maxPlain)) {
      // One value alone exceeds an entry (a huge clip body): send the notebook as a snapshot.
      await this.uploadAsSnapshot(s);
      return;
    }
    // Several entries per append while the frame stays within one entry's size: the
    // server's frame limit is at least 4/3 × maxEntryBytes + 64 KiB.
    let group: Uint8Array[] = [];
    let groupBytes = 0;
    for (const piece of pieces) {
      const size = piece.length + SEAL_OVERHEAD;
      if (group.length > 0 && groupBytes + size > this.maxEntryBytes) {
        await this.append(s, group);
        group = [];
        groupBytes = 0;
      }
      group.push(piece);
      groupBytes += size;
    }
    if (group.length > 0) await this.append(s, group);
  }

  /**
   * Appends plaintext updates as the next entries of the room. Each is sealed for the seq it
   * will get (the head as this client knows it, plus one), and the server stores them only at
   * exactly those seqs; if a partner appended meanwhile (`conflict`), this client reads what
   * came in and seals again for the new seqs.
   */
  private async append(s: Session, plains: Uint8Array[], compactedForSpace = false): Promise<void> {
    let reply: RelayServerMessage | undefined;
    let entries: Uint8Array[] = [];
    let first = 0;
    for (let attempt = 0; !reply; attempt++) {
      first = s.head + 1;
      entries = await Promise.all(plains.map((p, i) => sealEntry(this.keys, p, { generation: s.generation, seq: first + i, kind: 'update' })));
      try {
        reply = await this.request(s, {
          type: 'append',
          room: this.keys.relayRoom,
          entries,
          writeToken: this.keys.writeToken,
          generation: s.generation,
          seq: first,
        });
      } catch (e) {
        if (e instanceof ServerError && e.code === 'conflict' && attempt < 20) {
          // Fetch what the partner appended (this also moves s.head), then seal again.
          await this.enqueueApply(s, () => this.catchUp(s));
          if (s.ended) throw new ConnectionLost('connection closed');
          // (A push may have moved s.head already, which is as good.) No news at all although
          // the server said the room moved: it misbehaves, or its generation changed, which
          // the fetch's own check reports first.
          if (s.head < first) throw new RoomReplaced('append conflict without new entries');
          continue;
        }
        if (e instanceof ServerError && e.code === 'room-full' && !compactedForSpace && (await this.compact(s))) {
          return this.append(s, plains, true);
        }
        if (e instanceof ServerError && e.code === 'forbidden') {
          s.canWrite = false;
          this.report(new RelayError('forbidden', { cause: e }), true);
          throw new WriteRefused('forbidden', { cause: e });
        }
        throw e;
      }
    }
    // The entries are sealed for these seqs: stored anywhere else, nobody could read them.
    if (reply.type !== 'ack' || reply.seqs.length !== entries.length || reply.generation !== s.generation || reply.seqs.some((seq, i) => seq !== first + i)) {
      throw new RelayError('bad-reply', { cause: new Error('the relay stored the entries elsewhere than asked') });
    }
    for (const [i, seq] of reply.seqs.entries()) {
      this.ownSeqs.set(seq, fingerprint(entries[i]!));
      s.head = Math.max(s.head, seq);
      if (seq > s.snapshotSeq) s.bytesSinceSnapshot += entries[i]!.length;
      this.counters.bytesSent += entries[i]!.length;
    }
    this.counters.entriesAppended += entries.length;
    const before = this.cursor;
    this.advanceOwn();
    if (this.cursor !== before) await this.saveCursor();
  }

  /**
   * Uploads the whole notebook as a compaction snapshot, for a change that cannot be split
   * into entries. Compaction needs a seq to replace, so an empty room first gets an empty
   * update, and the client must have applied the log up to the seq it compacts.
   */
  private async uploadAsSnapshot(s: Session): Promise<void> {
    if (this.cursor < 1) await this.append(s, [Y.encodeStateAsUpdate(new Y.Doc())]);
    if (await this.compact(s)) return;
    // Someone appended in between (so the cursor did not move) or compacted further:
    // fetch what came in, then try once more.
    await this.enqueueApply(s, () => this.catchUp(s));
    if (!(await this.compact(s))) throw new RelayError(s.snapshotTooLarge ? 'notebook-too-large' : 'too-large');
  }

  /**
   * Compacts when the log since the last snapshot is long: more entries than
   * `compactAfterEntries`, or more bytes than `compactAfterBytes` *and* twice the notebook's
   * own size (a log of one big upload is already as small as a snapshot would be).
   */
  private async maybeCompact(s: Session): Promise<void> {
    if (!s.canWrite || !s.caughtUp || s.ended || s.snapshotTooLarge) return;
    const overCount = s.head - s.snapshotSeq > this.compactAfterEntries;
    const overBytes = s.bytesSinceSnapshot > Math.max(this.compactAfterBytes, s.nextBytesCheck);
    if (!overCount && !overBytes) return;
    // Only from a client that has applied everything it knows of, so the snapshot is complete.
    if (this.cursor !== s.head) return;
    const plain = Y.encodeStateAsUpdate(this.doc);
    if (!overCount && s.bytesSinceSnapshot < 2 * plain.length) {
      s.nextBytesCheck = 2 * plain.length;
      return;
    }
    await this.compact(s, plain);
  }

  /**
   * Replaces the log up to the cursor by a snapshot of the doc. The doc holds every entry
   * up to the cursor (plus maybe more, which is harmless). Returns false if not possible now.
   */
  private async compact(s: Session, plain?: Uint8Array): Promise<boolean> {
    const upTo = this.cursor;
    if (upTo < 1 || upTo < s.snapshotSeq || s.snapshotTooLarge) return false;
    // Encoded after reading the cursor: the doc then holds every entry up to it.
    const sealed = await sealEntry(this.keys, plain ?? Y.encodeStateAsUpdate(this.doc), { generation: s.generation, seq: upTo, kind: 'snapshot' });
    if (sealed.length > this.maxSnapshotBytes) {
      s.snapshotTooLarge = true;
      this.report(new RelayError('notebook-too-large'));
      return false;
    }
    try {
      await this.request(s, { type: 'compact', room: this.keys.relayRoom, upTo, snapshot: sealed, writeToken: this.keys.writeToken, generation: s.generation });
    } catch (e) {
      if (e instanceof ServerError && e.code === 'bad-range') {
        // Another partner compacted past our cursor meanwhile (compactions are not pushed):
        // nothing lost, the log is short again; count from the head rather than retry each time.
        s.snapshotSeq = s.head;
        s.bytesSinceSnapshot = 0;
        return false;
      }
      throw e;
    }
    s.snapshotSeq = upTo;
    s.bytesSinceSnapshot = 0;
    s.nextBytesCheck = 0;
    this.counters.compactions++;
    this.counters.bytesSent += sealed.length;
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // State and status

  private isIdle(): boolean {
    const s = this.session;
    return (
      !!s &&
      s.caughtUp &&
      !s.ended &&
      !s.pumping &&
      this.applying === 0 &&
      this.queue.length === 0 &&
      this.batchTimer === undefined &&
      (s.uploads.length === 0 || !s.canWrite)
    );
  }

  /**
   * After work finished: when nothing local is unconfirmed, the doc holds only what the
   * relay has (acknowledged or applied from it), so its snapshot becomes the relay state.
   */
  private settle(s: Session): void {
    if (this.session !== s || !this.isIdle()) return;
    if (s.canWrite && this.unconfirmed === 0) {
      void this.saveRelayState(Y.snapshot(this.doc)).then(
        () => this.wakeIdle(),
        () => this.wakeIdle(),
      );
    } else {
      this.wakeIdle();
    }
  }

  private wakeIdle(): void {
    for (const w of [...this.idleWaiters]) w();
  }

  private async saveRelayState(state: Y.Snapshot): Promise<void> {
    if (Y.equalSnapshots(state, this.relayState)) return;
    this.relayState = state;
    this.lastStateSaveAt = this.now();
    await this.uploadStore.save(Y.encodeSnapshot(state));
  }

  private report(error: RelayError, lasting = false): void {
    if (lasting) this.setStatus({ state: 'error', message: error.message, code: error.code });
    this.onError?.(error);
  }

  private setStatus(patch: Partial<RelayStatus>): void {
    const next: RelayStatus = { ...this.statusValue, ...patch, pendingUploads: this.unconfirmed };
    if (this.session && !this.session.canWrite && next.state === 'online') next.state = 'error';
    const prev = this.statusValue;
    if (
      prev.state === next.state &&
      prev.lastExchangeAt === next.lastExchangeAt &&
      prev.pendingUploads === next.pendingUploads &&
      prev.message === next.message
    )
      return;
    this.statusValue = next;
    this.onStatus?.(next);
  }
}

/** An entry's fingerprint: its AES-GCM tag (the last 16 bytes), hex. Authenticated and unique per entry. */
function fingerprint(data: Uint8Array): string {
  return Array.from(data.subarray(Math.max(0, data.length - 16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Decodes a stored relay state; anything unreadable counts as "the relay holds nothing". */
function decodeRelayState(bytes: Uint8Array | null): Y.Snapshot {
  if (!bytes || bytes.length === 0) return Y.emptySnapshot;
  try {
    return Y.decodeSnapshot(bytes);
  } catch {
    // Uploading everything once is the safe fallback: duplicates are harmless.
    return Y.emptySnapshot;
  }
}

/** First-in-first-out token bucket: keeps the client under the server's message rate. */
class Pacer {
  private tokens: number;
  private last = Date.now();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly burst = Math.max(1, Math.round(perSecond * 2)),
  ) {
    this.tokens = this.burst;
  }

  take(): Promise<void> {
    if (!Number.isFinite(this.perSecond)) return Promise.resolve();
    const next = this.tail.then(async () => {
      for (;;) {
        const now = Date.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
        this.last = now;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
      }
    });
    this.tail = next;
    return next;
  }
}
