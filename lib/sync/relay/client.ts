/**
 * Syncs one notebook's Y.Doc through the end-to-end encrypted relay (`server/PROTOCOL.md`),
 * for partners who are never online at the same time.
 *
 * The relay keeps, per room, an append-only log of opaque entries numbered 1, 2, 3, …
 * Every entry is one Yjs update encrypted with the notebook's relay key (`../keys/derive.ts`), or a
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
 * `splitUpdate` (`split.ts`) into several complete Yjs updates, each under the
 * server's `maxEntryBytes`, and appended as separate entries. Only a single value larger
 * than an entry (say a 2 MB clip body, which Yjs stores as one item) cannot be cut; then the
 * whole notebook goes up as a compaction snapshot, which the server accepts up to
 * `maxSnapshotBytes` (8 MiB). Beyond that the client reports `notebook-too-large`.
 *
 * The sync concern is layered: `reader.ts` reads (catch-up, pushes, the cursor and the room's
 * generations), `upload.ts` writes (what to upload, acks, compaction), and this file runs them:
 * start and stop, one session per connection (hello, the reconnect diff, catch-up), idle and
 * status. The WebSocket itself, requests, reconnecting and error mapping are `connection.ts`'s;
 * the public types are in `types.ts`.
 *
 * No browser.* APIs and no React: the WebSocket constructor, the stores and the clock are
 * injected, so the same code runs in the side panel and in Node tests.
 */
import * as Y from 'yjs';
import { Pacer, Reconnector, RelayConnection, type RelayConnectionSettings, type RelayPush, type RelaySocketConstructor } from './connection';
import { describeRelayError, RelayError } from './errors';
import { decodeRelayState, RoomReplaced, type Session } from './reader';
import type { RelayClientOptions, RelayStats, RelayStatus } from './types';
import { RelayUploader } from './upload';

export { describeRelayError, RelayError, UNREADABLE_ENTRY_MESSAGE } from './errors';
export type { RelayClientErrorCode, RelayProblemCode } from './errors';
export type { RelaySocket, RelaySocketConstructor } from './connection';
export { RELAY_ORIGIN } from './reader';
export type { RelayClientOptions, RelayCursor, RelayCursorStore, RelayLegacyStore, RelayStats, RelayStatus, RelayUploadStore } from './types';

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
export class RelayClient extends RelayUploader {
  private readonly connection: RelayConnectionSettings;
  private readonly reconnector: Reconnector;
  private readonly onStatus?: (s: RelayStatus) => void;
  private started = false;
  private stopped = false;
  private readonly idleWaiters = new Set<() => void>();
  private statusValue: RelayStatus = { state: 'offline', pendingUploads: 0 };

  /** @param options see {@link RelayClientOptions} */
  constructor(options: RelayClientOptions) {
    super(options);
    const Socket = options.WebSocketImpl ?? (globalThis as { WebSocket?: RelaySocketConstructor }).WebSocket;
    if (!Socket) throw new TypeError('No WebSocket implementation: pass WebSocketImpl (e.g. the ws package in Node).');
    this.onStatus = options.onStatus;
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
  protected settle(s: Session): void {
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

  protected setStatus(patch: Partial<RelayStatus>): void {
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
