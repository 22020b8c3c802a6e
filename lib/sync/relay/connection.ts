/**
 * The relay's connection concern: one WebSocket to the relay (`server/PROTOCOL.md`) — opening it,
 * `hello` and `claim` with the room's write token, paced requests matched to their replies with
 * timeouts, keep-alive pings, checking every server frame before use, and mapping whatever ends
 * the connection to a {@link RelayError} — plus the reconnect backoff. What to sync over the
 * connection (catch-up, uploads, acks, compaction, generations) is `client.ts`'s concern.
 *
 * No browser.* APIs: the WebSocket constructor and the clock are injected.
 */
import {
  encodeClientMessage,
  parseServerMessage,
  RELAY_PROTOCOL_VERSION,
  type RelayClientMessage,
  type RelayErrorCode,
  type RelayServerMessage,
} from '../../../protocol/relay';
import type { NotebookKeys } from '../keys/derive';
import { RelayError } from './errors';

/** Slowest line the request timeouts allow for, in bytes per second. */
const SLOW_LINE_BYTES_PER_SECOND = 50_000;

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

/** A request that failed because the server answered `error`. */
export class ServerError extends Error {
  constructor(
    readonly code: RelayErrorCode,
    serverMessage: string,
  ) {
    super(serverMessage);
    this.name = 'ServerError';
  }
}

/** The connection ended (or was given up) while a request was waiting. */
export class ConnectionLost extends Error {
  override name = 'ConnectionLost';
}

/** Entries another client appended, as the server pushes them. */
export type RelayPush = Extract<RelayServerMessage, { type: 'push' }>;

/** What `hello` (and `claim`, when the room had no write credential yet) established. */
export interface RelayWelcome {
  /** Highest seq known in the room (0 when `claim` found a room created meanwhile: unknown until fetched). */
  head: number;
  /** The head as `welcome` announced it. */
  announcedHead: number;
  /** Seq of the room's snapshot, 0 if never compacted. */
  snapshotSeq: number;
  /** The room's generation ('' while it does not exist). */
  generation: string;
  /** Whether the write token is accepted. */
  canWrite: boolean;
}

/** Settings shared by every connection of one client. */
export interface RelayConnectionSettings {
  /** The relay endpoint. */
  url: string;
  /** WebSocket constructor. */
  Socket: RelaySocketConstructor;
  /** The room and its write token. */
  keys: Pick<NotebookKeys, 'relayRoom' | 'writeToken'>;
  /** Base timeout of a request, in ms (see `RelayClientOptions.requestTimeoutMs`). */
  requestTimeoutMs: number;
  /** Ping after this much silence, in ms. */
  pingIntervalMs: number;
  /** The server's `maxEntryBytes`. */
  maxEntryBytes: number;
  /** The server's `maxSnapshotBytes`. */
  maxSnapshotBytes: number;
  /** Clock in epoch ms. */
  now(): number;
  /** Keeps every connection of the client under the server's message rate. */
  pacer: Pacer;
}

/** What a connection tells its owner. */
export interface RelayConnectionEvents {
  /** The socket is open: say hello. */
  onOpen(): void;
  /** Entries pushed for this connection's room. */
  onPush(push: RelayPush): void;
  /** A problem that does not end the connection (a bad frame, an unsolicited error). */
  onProblem(error: RelayError): void;
  /** The connection ended, once; `error` null means a clean close. */
  onEnd(error: RelayError | null): void;
}

/** A request waiting for its reply. */
interface Pending {
  resolve(m: RelayServerMessage): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** One WebSocket connection to the relay. A new connection is made for each (re)connection. */
export class RelayConnection {
  /** Set once the connection ended; it is never used again. */
  ended = false;
  private readonly sock: RelaySocket;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lastSentAt: number;
  private pingTimer?: ReturnType<typeof setInterval>;

  /** Opens the socket. Throws synchronously for a malformed URL. */
  constructor(
    private readonly settings: RelayConnectionSettings,
    private readonly events: RelayConnectionEvents,
  ) {
    const sock = new settings.Socket(settings.url);
    this.sock = sock;
    this.lastSentAt = settings.now();
    sock.onopen = () => {
      this.startPings();
      events.onOpen();
    };
    sock.onmessage = ((event: { data?: unknown }) => {
      if (!this.ended && typeof event.data === 'string') this.onMessage(event.data);
    }) as (event: never) => void;
    sock.onclose = ((event: { code?: number }) => {
      this.end(event.code === 1000 ? null : new RelayError('unreachable', { cause: new Error(`connection closed (${String(event.code)})`) }));
    }) as (event: never) => void;
    sock.onerror = () => {
      // A close event follows; it decides what happens next.
    };
  }

  /** Says hello to the room and claims it when it has no write credential yet. */
  async hello(): Promise<RelayWelcome> {
    const { relayRoom: room, writeToken } = this.settings.keys;
    const welcome = await this.request({ type: 'hello', room, writeToken });
    if (welcome.type !== 'welcome') throw new RelayError('bad-reply');
    if (welcome.version !== RELAY_PROTOCOL_VERSION) throw new RelayError('unsupported-server');
    const result: RelayWelcome = {
      head: welcome.head,
      announcedHead: welcome.head,
      snapshotSeq: welcome.snapshotSeq,
      generation: welcome.generation,
      canWrite: welcome.canWrite !== false,
    };
    if (result.canWrite && !welcome.claimed) {
      try {
        const claimed = await this.request({ type: 'claim', room, writeToken });
        if (claimed.type !== 'claimed' || !claimed.generation) throw new RelayError('bad-reply');
        // Someone may have created the room between hello and claim: its state is then
        // unknown, and the first fetch reports it.
        if (claimed.generation !== result.generation) result.head = result.snapshotSeq = 0;
        result.generation = claimed.generation;
      } catch (e) {
        if (!(e instanceof ServerError && e.code === 'forbidden')) throw e;
        result.canWrite = false;
      }
    }
    return result;
  }

  /** Sends one request and resolves with its reply; rejects with {@link ServerError} for an `error` reply. */
  async request(message: RelayClientMessage): Promise<RelayServerMessage> {
    await this.settings.pacer.take();
    if (this.ended) throw new ConnectionLost('connection closed');
    const id = this.nextId++;
    const text = encodeClientMessage({ ...message, id });
    // Large frames take time on a slow line (a librarian on 400 kbit/s moves ~50 KB/s): allow
    // for the upload, and for a fetch for the largest reply (a snapshot), on top of the base.
    const bytes = message.type === 'fetch' ? (this.settings.maxSnapshotBytes * 4) / 3 : text.length;
    const timeoutMs = this.settings.requestTimeoutMs + Math.ceil(bytes / SLOW_LINE_BYTES_PER_SECOND) * 1000;
    return new Promise<RelayServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ConnectionLost('request timed out'));
        // No answer: treat the connection as dead rather than wait for TCP to notice.
        this.end(new RelayError('unreachable', { cause: new Error(`no reply to ${message.type} within ${timeoutMs} ms`) }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.sock.send(text);
        this.lastSentAt = this.settings.now();
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new ConnectionLost('send failed', { cause: e }));
      }
    });
  }

  /** Ends the connection after an error in its owner's flow, worded as a {@link RelayError}. */
  fail(e: unknown): void {
    if (this.ended) return;
    if (e instanceof ConnectionLost) {
      this.end(new RelayError('unreachable', { cause: e }));
    } else if (e instanceof RelayError) {
      this.end(e);
    } else if (e instanceof ServerError) {
      this.end(new RelayError(e.code, { cause: e }));
    } else {
      this.end(new RelayError('unreachable', { cause: e }));
    }
  }

  /** Closes the socket and rejects waiting requests; then tells the owner. `error` null means a clean close. */
  end(error: RelayError | null): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.pingTimer);
    const sock = this.sock;
    sock.onopen = sock.onmessage = sock.onclose = null;
    // Not null: closing a socket that is still connecting makes `ws` emit an error event,
    // which would throw without a listener.
    sock.onerror = () => {};
    try {
      sock.close(1000, 'bye');
    } catch {
      // Already closed or never opened.
    }
    for (const w of this.pending.values()) {
      clearTimeout(w.timer);
      w.reject(new ConnectionLost('connection closed'));
    }
    this.pending.clear();
    this.events.onEnd(error);
  }

  private startPings(): void {
    const { pingIntervalMs, now } = this.settings;
    this.pingTimer = setInterval(
      () => {
        if (!this.ended && now() - this.lastSentAt >= pingIntervalMs) {
          this.request({ type: 'ping' }).catch(() => {});
        }
      },
      Math.max(1000, Math.floor(pingIntervalMs / 2)),
    );
  }

  /** Routes one frame: replies to their request, pushes to the owner. */
  private onMessage(text: string): void {
    // The server is not trusted with size either: the largest honest frame is one page of
    // entries (a snapshot plus an entry or two), base64-encoded.
    const maxChars = Math.ceil(((this.settings.maxSnapshotBytes + 2 * this.settings.maxEntryBytes) * 4) / 3) + 64 * 1024;
    if (text.length > maxChars) {
      this.events.onProblem(new RelayError('bad-reply', { cause: new Error(`a frame of ${text.length} characters, more than ${maxChars}`) }));
      return;
    }
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      this.events.onProblem(new RelayError('bad-reply', { cause: new Error(parsed.error) }));
      return;
    }
    const m = parsed.message;
    if (m.type === 'push') {
      if (m.room === this.settings.keys.relayRoom) this.events.onPush(m);
      return;
    }
    if (m.id === undefined) {
      if (m.type === 'error') this.events.onProblem(new RelayError(m.code, { cause: new Error(m.message) }));
      return;
    }
    const waiter = this.pending.get(m.id);
    if (!waiter) return;
    this.pending.delete(m.id);
    clearTimeout(waiter.timer);
    if (m.type === 'error') waiter.reject(new ServerError(m.code, m.message));
    else waiter.resolve(m);
  }
}

/** Reconnect delays: doubling from `minMs` up to `maxMs`, each randomised to 50–100 %. */
export class Reconnector {
  private attempt = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly backoff: { minMs: number; maxMs: number },
    private readonly random: () => number,
  ) {}

  /** The next delay, in ms; each call lengthens the following one. */
  nextDelay(): number {
    const base = Math.min(this.backoff.maxMs, this.backoff.minMs * 2 ** this.attempt);
    // Jitter spreads the reconnections of many clients after a server restart.
    const delay = Math.round(base * (0.5 + 0.5 * this.random()));
    this.attempt = Math.min(this.attempt + 1, 30);
    return delay;
  }

  /** Runs `connect` after `delay` ms, replacing any earlier schedule. */
  schedule(connect: () => void, delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(connect, delay);
  }

  /** Back to the shortest delay (the connection caught up, or a person asked to try again). */
  reset(): void {
    this.attempt = 0;
  }

  /** Cancels a scheduled reconnection. */
  cancel(): void {
    clearTimeout(this.timer);
  }
}

/** First-in-first-out token bucket: keeps the client under the server's message rate. */
export class Pacer {
  private tokens: number;
  private last = Date.now();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly burst = Math.max(1, Math.round(perSecond * 2)),
  ) {
    this.tokens = this.burst;
  }

  /** Resolves when the next message may be sent. */
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
