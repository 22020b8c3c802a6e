/**
 * The contract every relay store keeps (RelayStorage, its results, StoreError) and the rules both
 * stores — the embedded log (storage.ts) and PostgreSQL (pg-store.ts) — check the same way:
 * credentials, who may create a room, generations and expected seqs, sizes and quotas.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { RELAY_ROOM_PREFIX, type RelayEntry, type RelayErrorCode } from '../protocol/relay.ts';
import type { Logger } from './log.ts';

/** Share of the total quota kept for rooms that already exist: new rooms stop before it. */
const CREATION_RESERVE = 0.1;

/** Error with a protocol error code, so the relay can answer the client precisely. */
export class StoreError extends Error {
  /**
   * @param code protocol error code sent to the client
   * @param message human-readable reason (never contains the room name)
   */
  constructor(
    readonly code: RelayErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/**
 * Per-request admission checks the caller (the relay, which knows the client's address) lets
 * the store run at the moment it knows what a write costs. Each throws a {@link StoreError}
 * to refuse; nothing has been written then.
 */
export interface WriteGuard {
  /** A new room is about to be created. */
  createRoom?(): void;
  /** `bytes` of disk are about to be used by appended entries or a larger snapshot. */
  storeBytes?(bytes: number): void;
}

/** What an `append` or `compact` expects of the room (PROTOCOL.md "Generations"). */
export interface WriteExpectation {
  /** The room's generation; a mismatch is a `conflict`. */
  generation?: string;
  /** The seq the first appended entry must get; a mismatch is a `conflict`. */
  seq?: number;
}

/**
 * What the relay needs from its storage. Two implementations: `RelayStore` (storage.ts, the
 * embedded log on local disk, the default) and `PgStore` (pg-store.ts, PostgreSQL, shared by several
 * server processes). Both keep the same rules: rooms are created only by the token they are named
 * after, a write is durable before its promise resolves, seqs increase by one from 1, a named
 * generation or seq that does not match is a `conflict`, quotas are enforced before writing.
 */
export interface RelayStorage {
  /** Status of a room for `hello`; refreshes its activity time. */
  status(room: string, writeToken?: string): Promise<RoomStatus>;
  /** Creates the room (only with the token it is named after) or checks the token; returns its generation. */
  claim(room: string, writeToken: string, guard?: WriteGuard): Promise<string>;
  /** Appends entries durably and returns their seqs; creates the room if needed. */
  append(room: string, writeToken: string, entries: Uint8Array[], expect?: WriteExpectation, guard?: WriteGuard): Promise<AppendResult>;
  /** Reads entries with seq > since, up to about `maxBytes` of payload (always at least one). */
  read(room: string, since: number, maxBytes: number): Promise<ReadResult>;
  /** Replaces entries with seq <= upTo by one snapshot entry with seq upTo. */
  compact(room: string, writeToken: string, upTo: number, snapshot: Uint8Array, expect?: WriteExpectation, guard?: WriteGuard): Promise<void>;
  /** Waits for pending writes (so acknowledged ones are stored) and releases resources. */
  close(): Promise<void>;
}

/** Limits both stores enforce; each store says how it counts bytes. */
export interface StoreLimits {
  /** Largest appended entry. */
  maxEntryBytes: number;
  /** Largest compaction snapshot. */
  maxSnapshotBytes: number;
  /** Bytes per room. */
  roomQuotaBytes: number;
  /** Bytes for all rooms, counted the same way; new rooms stop at 90 % of it. */
  totalQuotaBytes: number;
  /** Idle days before a room is deleted; 0 disables retention. */
  retentionDays: number;
  /** Logger for storage events (never given room names in clear). */
  logger?: Logger;
  /** Clock in ms, injectable for tests. */
  now?: () => number;
}

/** What `hello` reports about a room. */
export interface RoomStatus {
  /** Highest seq, 0 when empty. */
  head: number;
  /** Seq of the snapshot record, 0 when never compacted. */
  snapshotSeq: number;
  /** Whether a credential is fixed. */
  claimed: boolean;
  /** Whether the given token would be accepted (or may create the room); null when no token was given. */
  canWrite: boolean | null;
  /** The room's generation id; empty when the room does not exist. */
  generation: string;
}

/** Result of an append. */
export interface AppendResult {
  /** Seqs of the entries, in the order given. */
  seqs: number[];
  /** Generation they were stored in. */
  generation: string;
}

/** One page of a fetch. */
export interface ReadResult {
  /** Entries with seq > since, ascending. */
  entries: RelayEntry[];
  /** Highest seq in the room. */
  head: number;
  /** True when entries beyond this page exist. */
  more: boolean;
  /** The room's generation; empty when the room does not exist. */
  generation: string;
}

/** Hash of a write token as stored: the server never keeps the token itself. */
export function credentialOf(writeToken: string): string {
  return createHash('sha256').update(writeToken, 'utf8').digest('hex');
}

/**
 * Whether `writeToken` may create `room`: the room must be named after the token
 * (`relayRoomFor` in protocol.ts; the same hash, synchronously).
 */
export function tokenNamesRoom(room: string, writeToken: string): boolean {
  return (
    createHash('sha256')
      .update(RELAY_ROOM_PREFIX + writeToken, 'utf8')
      .digest('hex') === room
  );
}

/** Id a room is stored under (directory name, database key): its name never reaches the disk in clear. */
export function roomDirName(room: string): string {
  return createHash('sha256').update(room, 'utf8').digest('hex');
}

/** A fresh generation id: 128 random bits, hex. */
export function newGeneration(): string {
  return randomBytes(16).toString('hex');
}

/** Whether `writeToken` hashes to the stored credential (compared in constant time). */
export function sameCredential(stored: string, writeToken: string): boolean {
  return timingSafeEqual(Buffer.from(stored, 'hex'), Buffer.from(credentialOf(writeToken), 'hex'));
}

/**
 * `canWrite` of a {@link RoomStatus}: null without a token; for a claimed room whether the token
 * matches its credential, otherwise whether the token may create it.
 */
export function canWrite(room: string, credential: string | null | undefined, writeToken: string | undefined): boolean | null {
  if (writeToken === undefined) return null;
  return credential ? sameCredential(credential, writeToken) : tokenNamesRoom(room, writeToken);
}

/** Refuses a token that does not match the room's credential (a room without one accepts any, for now). */
export function authorize(credential: string | null | undefined, writeToken: string): void {
  if (credential && !sameCredential(credential, writeToken)) {
    throw new StoreError('forbidden', "this room belongs to a different write credential; check the notebook's sharing secret");
  }
}

/** Refuses to create a room with a token it is not named after. */
export function checkCreator(room: string, writeToken: string): void {
  if (!tokenNamesRoom(room, writeToken)) {
    throw new StoreError('forbidden', "a room can only be created with the write token it is named after; check the notebook's sharing secret");
  }
}

/** Refuses a new room when `usedBytes + cost` would eat into the reserve kept for rooms that already exist. */
export function checkCreationReserve(limits: StoreLimits, usedBytes: number, cost: number): void {
  if (usedBytes + cost > limits.totalQuotaBytes * (1 - CREATION_RESERVE)) {
    throw new StoreError('server-full', 'the relay server has no space for new notebooks; try again later or use another server');
  }
}

/** Checks a write's expectation against the room's generation ('' when it does not exist) and head. */
export function checkExpectation(generation: string, head: number, expect: WriteExpectation): void {
  // Naming a generation requires the room to exist with it: entries sealed for a room that
  // is only about to be created would be bound to a generation it will never have.
  if (expect.generation !== undefined && (expect.generation === '' || expect.generation !== generation)) {
    throw new StoreError('conflict', 'the room was deleted and created again since you last read it; fetch it again, then retry');
  }
  if (expect.seq !== undefined && expect.seq !== head + 1) {
    throw new StoreError('conflict', `the room has grown to seq ${head} since you last read it; fetch the new entries, then retry`);
  }
}

/** Refuses a write that grows the room by `growth` bytes to `newRoomBytes` beyond the room or total quota. */
export function checkQuota(limits: StoreLimits, usedBytes: number, newRoomBytes: number, growth: number): void {
  if (growth > 0 && newRoomBytes > limits.roomQuotaBytes) {
    throw new StoreError('room-full', `the room would use ${newRoomBytes} of ${limits.roomQuotaBytes} bytes; compact it to free space`);
  }
  if (growth > 0 && usedBytes + growth > limits.totalQuotaBytes) {
    throw new StoreError('server-full', 'the relay server has no storage left; try again later or use another server');
  }
}

/** Refuses entries larger than the limit. */
export function checkEntrySizes(limits: StoreLimits, entries: Uint8Array[]): void {
  for (const e of entries) {
    if (e.length > limits.maxEntryBytes) throw new StoreError('too-large', `an entry is ${e.length} bytes; the limit is ${limits.maxEntryBytes}`);
  }
}

/** Refuses a snapshot larger than the limit. */
export function checkSnapshotSize(limits: StoreLimits, snapshot: Uint8Array): void {
  if (snapshot.length > limits.maxSnapshotBytes) {
    throw new StoreError('too-large', `the snapshot is ${snapshot.length} bytes; the limit is ${limits.maxSnapshotBytes}`);
  }
}

/** Refuses a compaction point outside the room's snapshot seq and head. */
export function checkCompactRange(upTo: number, snapshotSeq: number, head: number): void {
  if (upTo < 1 || upTo < snapshotSeq || upTo > head) {
    throw new StoreError('bad-range', `upTo must be between ${Math.max(1, snapshotSeq)} and the room head ${head}`);
  }
}
