/**
 * Reading the relay, the first half of the sync concern: catch-up and pushes applied in seq
 * order, the cursor with its generation and fingerprint (rollback detection), and the one-time
 * drain of the notebook's protocol-version-1 room. `upload.ts` adds writing on top and
 * `client.ts` the lifecycle; they are layers of one client because both halves move the same
 * cursor (an acknowledged own entry is read without fetching it).
 */
import * as Y from 'yjs';
import type { RelayEntry } from '../../../protocol/relay';
import { decryptUpdate, openEntry, type NotebookKeys } from '../keys/derive';
import type { RelayConnection } from './connection';
import { RelayError } from './errors';
import type { RelayClientOptions, RelayCursorStore, RelayLegacyStore, RelayStats, RelayStatus, RelayUploadStore } from './types';

/**
 * Transaction origin of every update applied from the relay. The client ignores updates with
 * this origin when collecting local changes, so nothing fetched is sent back. Other providers
 * may compare against it too (e.g. to leave relay changes out of an undo stack).
 */
export const RELAY_ORIGIN: unique symbol = Symbol('partner-notebook/relay');

/** One mebibyte, for the size defaults. */
export const MiB = 1024 * 1024;

/** The room's generation changed under a running session (deleted and created again): start over. */
export class RoomReplaced extends Error {
  override name = 'RoomReplaced';
}

/** Local changes cut for upload. */
export interface Cut {
  /** A V1 update. */
  update: Uint8Array;
  /** Local changes it covers (for `pendingUploads`). */
  count: number;
  /** Relay state to save once it is acknowledged (everything the doc held at cut time). */
  state: Y.Snapshot | null;
}

/** One connection's state. A new connection gets a new session; stale ones are ignored. */
export interface Session {
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

/** Reads the relay into the doc and keeps the cursor. See {@link RelayClient} (`client.ts`) for the whole. */
export abstract class RelayReader {
  protected readonly doc: Y.Doc;
  protected readonly keys: NotebookKeys;
  protected readonly cursorStore: RelayCursorStore;
  protected readonly uploadStore: RelayUploadStore;
  private readonly legacyStore?: RelayLegacyStore;
  protected readonly maxEntryBytes: number;
  protected readonly maxSnapshotBytes: number;
  protected readonly now: () => number;
  private readonly onError?: (e: RelayError) => void;

  /** The current connection's session, null while disconnected. */
  protected session: Session | null = null;
  /** Last applied seq (contiguously: every seq ≤ cursor was applied, skipped as unreadable, or compacted away). */
  protected cursor = 0;
  /** Generation of the room the cursor counts in. */
  protected generation = '';
  /** Fingerprint of the entry at the cursor (see {@link RelayCursor.tag}). */
  protected cursorTag: string | undefined;
  /** Seqs of this client's own acknowledged entries above the cursor (already in the doc), with their fingerprints. */
  protected readonly ownSeqs = new Map<number, string>();
  /** What the relay is known to hold. */
  protected relayState: Y.Snapshot = Y.emptySnapshot;
  /** Set by the update handler when a relay-origin transaction changed the doc. */
  protected relayChanged = false;
  /** Every application of entries runs through this chain, one at a time, in order. */
  protected applyChain: Promise<void> = Promise.resolve();
  protected applying = 0;
  protected readonly counters: RelayStats = {
    entriesFetched: 0,
    entriesPushed: 0,
    entriesApplied: 0,
    entriesRejected: 0,
    entriesAppended: 0,
    bytesReceived: 0,
    bytesSent: 0,
    compactions: 0,
  };

  constructor(options: RelayClientOptions) {
    this.doc = options.doc;
    this.keys = options.keys;
    this.cursorStore = options.cursorStore;
    this.uploadStore = options.uploadStore;
    this.legacyStore = options.legacyStore;
    this.maxEntryBytes = options.maxEntryBytes ?? 1 * MiB;
    this.maxSnapshotBytes = options.maxSnapshotBytes ?? 8 * MiB;
    this.now = options.now ?? Date.now;
    this.onError = options.onError;
  }

  /** Updates the status shown to the person. */
  protected abstract setStatus(patch: Partial<RelayStatus>): void;
  /** Called when a piece of work finished (see the client's idle check). */
  protected abstract settle(s: Session): void;
  /** Runs the uploads and compaction (`upload.ts`); after applying pushes, compaction may be due. */
  protected abstract pump(s: Session): Promise<void>;

  /** Forgets what the relay was known to hold: read from seq 0 and upload everything. */
  protected async resetCursor(generation: string): Promise<void> {
    this.cursor = 0;
    this.cursorTag = undefined;
    this.generation = generation;
    this.ownSeqs.clear();
    this.relayState = Y.emptySnapshot;
    await Promise.all([this.cursorStore.save({ generation, seq: 0 }), this.uploadStore.save(Y.encodeSnapshot(Y.emptySnapshot))]);
  }

  protected async saveCursor(generation = this.generation): Promise<void> {
    this.generation = generation;
    await this.cursorStore.save({ generation, seq: this.cursor, ...(this.cursorTag && { tag: this.cursorTag }) });
  }

  /**
   * Whether the entry at the cursor is still the one this client read there. Asked only when
   * it can be: the room has the same generation and reaches the cursor, and no snapshot has
   * replaced that entry (a client behind a snapshot receives the snapshot, which holds
   * everything, so nothing can be missed then). One small request per connection.
   */
  protected async entryAtCursorChanged(s: Session): Promise<boolean> {
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
  protected async drainLegacy(s: Session): Promise<void> {
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

  /** Runs `task` after every earlier application, skipping it if the session ended. */
  protected enqueueApply(s: Session, task: () => Promise<void>): Promise<void> {
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
  protected async catchUp(s: Session): Promise<void> {
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
  protected async applyPush(s: Session, entries: RelayEntry[]): Promise<void> {
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
  protected advanceOwn(): void {
    for (const seq of this.ownSeqs.keys()) if (seq <= this.cursor) this.ownSeqs.delete(seq);
    while (this.ownSeqs.has(this.cursor + 1)) {
      this.cursorTag = this.ownSeqs.get(this.cursor + 1);
      this.ownSeqs.delete(this.cursor + 1);
      this.cursor++;
    }
  }

  protected report(error: RelayError, lasting = false): void {
    if (lasting) this.setStatus({ state: 'error', message: error.message, code: error.code });
    this.onError?.(error);
  }
}

/** An entry's fingerprint: its AES-GCM tag (the last 16 bytes), hex. Authenticated and unique per entry. */
export function fingerprint(data: Uint8Array): string {
  return Array.from(data.subarray(Math.max(0, data.length - 16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Decodes a stored relay state; anything unreadable counts as "the relay holds nothing". */
export function decodeRelayState(bytes: Uint8Array | null): Y.Snapshot {
  if (!bytes || bytes.length === 0) return Y.emptySnapshot;
  try {
    return Y.decodeSnapshot(bytes);
  } catch {
    // Uploading everything once is the safe fallback: duplicates are harmless.
    return Y.emptySnapshot;
  }
}
