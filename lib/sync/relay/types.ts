/**
 * The relay client's public contract: what callers persist for it (cursor, relay state, legacy
 * room progress), the options they pass, and the status and counters they read back. The
 * client itself is `client.ts`; its connection is `connection.ts`.
 */
import type * as Y from 'yjs';
import type { NotebookKeys } from '../keys/derive';
import type { RelaySocketConstructor } from './connection';
import type { RelayError, RelayProblemCode } from './errors';

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
