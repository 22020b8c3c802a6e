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
 * This file is the sync concern: what to upload and when, catch-up, acks, compaction, the
 * cursor and the room's generations. The WebSocket, hello/claim, requests, reconnecting and
 * error mapping are `connection.ts`'s; the public types are in `types.ts`.
 *
 * No browser.* APIs and no React: the WebSocket constructor, the stores and the clock are
 * injected, so the same code runs in the side panel and in Node tests.
 */
import * as Y from 'yjs';
import type { RelayEntry, RelayServerMessage } from '../../../protocol/relay';
import { decryptUpdate, IV_BYTES, openEntry, sealEntry, type NotebookKeys } from '../keys/derive';
import {
  ConnectionLost,
  Pacer,
  Reconnector,
  RelayConnection,
  ServerError,
  type RelayConnectionSettings,
  type RelayPush,
  type RelaySocketConstructor,
} from './connection';
import { describeRelayError, RelayError } from './errors';
import { splitUpdate } from './split';
import type { RelayClientOptions, RelayCursorStore, RelayLegacyStore, RelayStats, RelayStatus, RelayUploadStore } from './types';

export { describeRelayError, RelayError, UNREADABLE_ENTRY_MESSAGE } from './errors';
export type { RelayClientErrorCode, RelayProblemCode } from './errors';
export type { RelaySocket, RelaySocketConstructor } from './connection';
export type { RelayClientOptions, RelayCursor, RelayCursorStore, RelayLegacyStore, RelayStats, RelayStatus, RelayUploadStore } from './types';

/**
 * Transaction origin of every update applied from the relay. The client ignores updates with
 * this origin when collecting local changes, so nothing fetched is sent back. Other providers
 * may compare against it too (e.g. to leave relay changes out of an undo stack).
 */
export const RELAY_ORIGIN: unique symbol = Symbol('partner-notebook/relay');

/** AES-GCM adds the IV in front and a 16-byte tag at the end of every entry. */
const SEAL_OVERHEAD = IV_BYTES + 16;
const MiB = 1024 * 1024;
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
  conn: RelayConnection;
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
  /** The connection ended; the session is never used again. */
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
  private readonly cursorStore: RelayCursorStore;
  private readonly uploadStore: RelayUploadStore;
  private readonly legacyStore?: RelayLegacyStore;
  private readonly batchMs: number;
  private readonly maxEntryBytes: number;
  private readonly maxSnapshotBytes: number;
  private readonly compactAfterEntries: number;
  private readonly compactAfterBytes: number;
  private readonly connection: RelayConnectionSettings;
  private readonly reconnector: Reconnector;
  private readonly now: () => number;
  private readonly onStatus?: (s: RelayStatus) => void;
  private readonly onError?: (e: RelayError) => void;

  private started = false;
  private stopped = false;
  private session: Session | null = null;

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
    const Socket = options.WebSocketImpl ?? (globalThis as { WebSocket?: RelaySocketConstructor }).WebSocket;
    if (!Socket) throw new TypeError('No WebSocket implementation: pass WebSocketImpl (e.g. the ws package in Node).');
    this.cursorStore = options.cursorStore;
    this.uploadStore = options.uploadStore;
    this.legacyStore = options.legacyStore;
    this.batchMs = options.batchMs ?? 300;
    this.maxEntryBytes = options.maxEntryBytes ?? 1 * MiB;
    this.maxSnapshotBytes = options.maxSnapshotBytes ?? 8 * MiB;
    this.compactAfterEntries = options.compactAfterEntries ?? 200;
    this.compactAfterBytes = options.compactAfterBytes ?? 2 * MiB;
    this.now = options.now ?? Date.now;
    this.onStatus = options.onStatus;
    this.onError = options.onError;
    this.connection = {
      url: options.url,
      Socket,
      keys: this.keys,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      pingIntervalMs: options.pingIntervalMs ?? 25_000,
      maxEntryBytes: this.maxEntryBytes,
      maxSnapshotBytes: this.maxSnapshotBytes,
      now: this.now,
      pacer: new Pacer(options.maxMessagesPerSecond ?? 40),
    };
    this.reconnector = new Reconnector(options.backoff ?? { minMs: 1000, maxMs: 60_000 }, options.random ?? Math.random);
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
    this.reconnector.cancel();
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.session?.conn.end(null);
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
    this.reconnector.cancel();
    this.reconnector.reset();
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
    let conn: RelayConnection;
    try {
      conn = new RelayConnection(this.connection, {
        onOpen: () => {
          this.runSession(s).catch((e: unknown) => conn.fail(e));
        },
        onPush: (push) => this.onPush(s, push),
        onProblem: (error) => this.report(error),
        onEnd: (error) => this.endSession(s, error),
      });
    } catch (cause) {
      // A malformed URL throws synchronously; retrying will not help, but keep the loop uniform.
      this.report(new RelayError('unreachable', { cause }));
      this.scheduleReconnect();
      return;
    }
    const s: Session = {
      conn,
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
      ended: false,
    };
    this.session = s;
  }

  private async runSession(s: Session): Promise<void> {
    const welcome = await s.conn.hello();
    s.head = welcome.head;
    s.snapshotSeq = welcome.snapshotSeq;
    s.generation = welcome.generation;
    s.canWrite = welcome.canWrite;
    if (!s.canWrite) this.report(new RelayError('forbidden'), true);

    if (s.generation && s.generation !== this.generation) {
      // A room this client has not read yet: the first connection, or the room was deleted
      // (retention) and created again. Whatever the cursor counted belongs to the old room:
      // read the new one from the start and upload everything to it.
      if (this.generation || this.cursor > 0) await this.resetCursor(s.generation);
      else await this.saveCursor(s.generation);
    } else if (s.generation && welcome.announcedHead < this.cursor) {
      // Same room, fewer entries than this client already read: restored from a backup or
      // tampered with. Entries above the head may come back with other content; start over.
      this.report(new RelayError('rolled-back', { cause: new Error(`head ${welcome.announcedHead} below cursor ${this.cursor}`) }));
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
    this.reconnector.reset();
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
    const reply = await s.conn.request({ type: 'fetch', room: this.keys.relayRoom, since: this.cursor - 1, maxBytes: 1 });
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
      const reply = await s.conn.request({ type: 'fetch', room: this.keys.roomName, since });
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

  /** Applies pushed entries in turn; a push from another generation means the room was created again. */
  private onPush(s: Session, m: RelayPush): void {
    if (m.generation !== s.generation) {
      // The room was created again under this session: reconnect and start over.
      s.conn.fail(new RoomReplaced('push from another generation'));
      return;
    }
    this.counters.entriesPushed += m.entries.length;
    void this.enqueueApply(s, () => this.applyPush(s, m.entries)).catch((e: unknown) => s.conn.fail(e));
  }

  /** After the connection ended: drops the session; reconnects later unless stopped. `error` null means a clean close. */
  private endSession(s: Session, error: RelayError | null): void {
    s.ended = true;
    s.live = false;
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
    const delay = this.reconnector.nextDelay();
    const seconds = Math.max(1, Math.round(delay / 1000));
    this.setStatus({ state: message ? 'error' : 'offline', message: message ?? `${describeRelayError('unreachable')} Next try in ${seconds} s.` });
    this.reconnector.schedule(() => this.connect(), delay);
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
      const reply = await s.conn.request({ type: 'fetch', room: this.keys.relayRoom, since: this.cursor });
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
      if (!(e instanceof WriteRefused)) s.conn.fail(e);
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
        reply = await s.conn.request({
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
      await s.conn.request({ type: 'compact', room: this.keys.relayRoom, upTo, snapshot: sealed, writeToken: this.keys.writeToken, generation: s.generation });
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
