import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { RELAY_ROOM_PREFIX, type EntryKind, type RelayEntry, type RelayErrorCode } from '../protocol/relay.ts';
import { hashName, silentLogger, type Logger } from './log.ts';
import { crc32 as sharedCrc32 } from '../protocol/crc32.ts';

/*
 * On-disk layout (see README "Storage"):
 *
 *   <dataDir>/rooms/<sha256(room) hex>/log        append-only records
 *   <dataDir>/rooms/<sha256(room) hex>/meta.json  {format, credential, compactedUpTo, createdAt, generation}
 *
 * A record is   u32 BE bodyLength | u32 BE crc32(body) | body
 * with body  =  u8 kind (0 update, 1 snapshot) | u32 BE seq high | u32 BE seq low | payload.
 *
 * The log is the source of truth for entries and the snapshot point (a snapshot record is
 * always first); meta.json only holds the credential and a copy of the compaction point.
 */

const HEADER_BYTES = 8;
const BODY_PREFIX_BYTES = 9;
const KIND_UPDATE = 0;
const KIND_SNAPSHOT = 1;
const LOG_FILE = 'log';
const META_FILE = 'meta.json';
const META_FORMAT = 2;
/**
 * Disk use is counted in whole blocks: ext4, xfs and tmpfs give every directory and every
 * non-empty file at least one 4 KiB block, so a room of a few bytes really costs ~12 KiB.
 * Counting file lengths instead let a flood of tiny rooms use ~60× more disk than its quota.
 */
const BLOCK_BYTES = 4096;
/** Share of the total quota kept for rooms that already exist: new rooms stop before it. */
const CREATION_RESERVE = 0.1;
/** Loaded rooms without activity for this long are dropped from memory (they reload on demand). */
const UNLOAD_AFTER_MS = 10 * 60_000;
/** Reads refresh a room's activity time at most this often (a utimes per fetch would be waste). */
const TOUCH_EVERY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

// zlib.crc32 is native and fast; Node < 20.15 lacks it, so fall back to the shared JS version.
const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32 : sharedCrc32;

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
 * What the relay needs from its storage. Two implementations: {@link RelayStore} (the embedded
 * log on local disk, the default) and `PgStore` (pg-store.ts, PostgreSQL, shared by several
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

/** Limits the store enforces. */
export interface StoreOptions {
  /** Root directory; `rooms/` is created inside. */
  dataDir: string;
  /** Largest appended entry. */
  maxEntryBytes: number;
  /** Largest compaction snapshot. */
  maxSnapshotBytes: number;
  /** Disk bytes per room (directory, log and meta, in whole 4 KiB blocks). */
  roomQuotaBytes: number;
  /** Disk bytes for all rooms, counted the same way; new rooms stop at 90 % of it. */
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

interface IndexEntry {
  seq: number;
  kind: EntryKind;
  /** Offset of the record header in the log. */
  offset: number;
  /** Whole record length (header + body). */
  length: number;
}

interface Meta {
  format: number;
  credential: string | null;
  compactedUpTo: number;
  createdAt: number;
  /** Random id made at creation (format 2); rooms of format 1 get one when first loaded. */
  generation?: string;
}

interface Room {
  id: string;
  dir: string;
  index: IndexEntry[];
  head: number;
  logBytes: number;
  metaBytes: number;
  meta: Meta | null;
  lastUsed: number;
  lastTouch: number;
  /** Set when a failed write left disk and memory possibly out of step: reload before next use. */
  broken: boolean;
}

/** Hash of a write token as stored in meta.json: the server never keeps the token itself. */
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

/** Bytes a file of `length` bytes occupies on disk (whole blocks). */
function blocks(length: number): number {
  return Math.ceil(length / BLOCK_BYTES) * BLOCK_BYTES;
}

/** Disk use of a room as counted against the quotas: its directory, log and meta file. */
function diskUse(logBytes: number, metaBytes: number): number {
  return BLOCK_BYTES + blocks(logBytes) + blocks(metaBytes);
}

/** Directory name of a room: its name never reaches the disk in clear. */
export function roomDirName(room: string): string {
  return createHash('sha256').update(room, 'utf8').digest('hex');
}

/** Encodes one log record. Exported for tests that forge torn tails. */
export function encodeRecord(kind: EntryKind, seq: number, payload: Uint8Array): Buffer {
  const body = Buffer.allocUnsafe(BODY_PREFIX_BYTES + payload.length);
  body.writeUInt8(kind === 'snapshot' ? KIND_SNAPSHOT : KIND_UPDATE, 0);
  body.writeUInt32BE(Math.floor(seq / 0x1_0000_0000), 1);
  body.writeUInt32BE(seq >>> 0, 5);
  body.set(payload, BODY_PREFIX_BYTES);
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32BE(body.length, 0);
  header.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

/** Result of scanning a log file. */
interface ScanResult {
  index: IndexEntry[];
  /** Bytes of valid records from the start; anything after is torn or corrupt. */
  validBytes: number;
}

/**
 * Walks the records of a log buffer, stopping at the first incomplete or inconsistent one.
 * With one fsync per acknowledged append, only the last record can be incomplete after a
 * crash. (A bad record earlier would be media corruption; it also ends the log here, see
 * README "Weak spots".)
 */
function scanLog(buf: Buffer): ScanResult {
  const index: IndexEntry[] = [];
  let off = 0;
  let lastSeq = 0;
  while (off + HEADER_BYTES <= buf.length) {
    const len = buf.readUInt32BE(off);
    const crc = buf.readUInt32BE(off + 4);
    if (len < BODY_PREFIX_BYTES || off + HEADER_BYTES + len > buf.length) break;
    const body = buf.subarray(off + HEADER_BYTES, off + HEADER_BYTES + len);
    if (crc32(body) !== crc) break;
    const kindByte = body.readUInt8(0);
    const seq = body.readUInt32BE(1) * 0x1_0000_0000 + body.readUInt32BE(5);
    if (kindByte > KIND_SNAPSHOT || seq <= lastSeq || (kindByte === KIND_SNAPSHOT && index.length > 0)) break;
    index.push({ seq, kind: kindByte === KIND_SNAPSHOT ? 'snapshot' : 'update', offset: off, length: HEADER_BYTES + len });
    lastSeq = seq;
    off += HEADER_BYTES + len;
  }
  return { index, validBytes: off };
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Write tmp, fsync, rename, fsync dir: readers see the old or the new file, never a mix. */
async function writeFileAtomic(file: string, data: Buffer): Promise<void> {
  const tmp = file + '.tmp';
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

async function statOrNull(p: string) {
  try {
    return await fsp.stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Embedded relay storage: one fsync'd append-only log per room. All operations on a room
 * are serialised through a promise chain, so no locking is needed and the in-memory index
 * always matches the file.
 */
export class RelayStore implements RelayStorage {
  private readonly roomsDir: string;
  private readonly loaded = new Map<string, Room>();
  /**
   * Per-room operation chains, keyed by directory id. Entered synchronously when a request
   * arrives, so operations run exactly in arrival order (a connection's appends get
   * ascending seqs) and loading, writing and deleting a room never overlap.
   */
  private readonly queues = new Map<string, { tail: Promise<unknown>; pending: number }>();
  private readonly deleting = new Map<string, Promise<void>>();
  private readonly log: Logger;
  private readonly now: () => number;
  private totalBytes = 0;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;

  private constructor(private readonly opts: StoreOptions) {
    this.roomsDir = path.join(opts.dataDir, 'rooms');
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
  }

  /** Opens (creating if needed) the data directory, measures usage and applies retention once. */
  static async open(opts: StoreOptions): Promise<RelayStore> {
    const store = new RelayStore(opts);
    await fsp.mkdir(store.roomsDir, { recursive: true });
    await store.measure();
    await store.sweepRetention();
    // unref: housekeeping must never keep a finished process alive.
    store.timers.push(setInterval(() => void store.sweepRetention().catch((e) => store.log.error('retention failed', { error: String(e) })), DAY_MS).unref());
    store.timers.push(setInterval(() => store.unloadIdle(), 60_000).unref());
    return store;
  }

  /** Disk bytes used by all rooms (directories, logs, meta files; whole blocks). */
  get usedBytes(): number {
    return this.totalBytes;
  }

  /** Rooms held in memory (rooms that do not exist never are). */
  get loadedRooms(): number {
    return this.loaded.size;
  }

  private async measure(): Promise<void> {
    let total = 0;
    let rooms = 0;
    for (const id of await fsp.readdir(this.roomsDir)) {
      const dir = path.join(this.roomsDir, id);
      const [log, meta] = await Promise.all([LOG_FILE, META_FILE].map((f) => statOrNull(path.join(dir, f))));
      total += diskUse(log?.size ?? 0, meta?.size ?? 0);
      rooms++;
    }
    this.totalBytes = total;
    this.log.info('storage opened', { rooms, bytes: total });
  }

  /** Status of a room for `hello`; refreshes its activity time. */
  status(room: string, writeToken?: string): Promise<RoomStatus> {
    return this.run(
      room,
      async (r) => {
        await this.touch(r);
        const match = writeToken === undefined ? null : this.tokenMatches(r, writeToken);
        return {
          head: r.head,
          snapshotSeq: r.index[0]?.kind === 'snapshot' ? r.index[0].seq : 0,
          claimed: !!r.meta?.credential,
          canWrite: writeToken === undefined ? null : match === null ? tokenNamesRoom(room, writeToken) : match,
          generation: r.meta?.generation ?? '',
        };
      },
      'read',
    );
  }

  /**
   * Creates the room (only with the token it is named after) or checks the token of an
   * existing one; returns the room's generation. Throws `forbidden` for any other token.
   */
  claim(room: string, writeToken: string, guard: WriteGuard = {}): Promise<string> {
    return this.run(room, async (r) => {
      this.authorize(r, writeToken);
      if (!r.meta?.credential) await this.create(r, room, writeToken, guard);
      return r.meta!.generation!;
    });
  }

  /** Appends entries durably (fsync'd) and returns their seqs; creates the room if needed (see {@link claim}). */
  async append(room: string, writeToken: string, entries: Uint8Array[], expect: WriteExpectation = {}, guard: WriteGuard = {}): Promise<AppendResult> {
    for (const e of entries) {
      if (e.length > this.opts.maxEntryBytes) {
        throw new StoreError('too-large', `an entry is ${e.length} bytes; the limit is ${this.opts.maxEntryBytes}`);
      }
    }
    return this.run(room, async (r) => {
      this.authorize(r, writeToken);
      this.checkExpectation(r, expect);
      const records = entries.map((e, i) => encodeRecord('update', r.head + 1 + i, e));
      const added = records.reduce((n, b) => n + b.length, 0);
      const growth = blocks(r.logBytes + added) - blocks(r.logBytes);
      this.checkQuota(diskUse(r.logBytes + added, r.metaBytes), growth);
      guard.storeBytes?.(added);
      if (!r.meta?.credential) await this.create(r, room, writeToken, guard, growth);

      const buf = Buffer.concat(records);
      await this.appendToLog(r, buf);
      const seqs: number[] = [];
      let off = r.logBytes;
      for (const rec of records) {
        const seq = ++r.head;
        seqs.push(seq);
        r.index.push({ seq, kind: 'update', offset: off, length: rec.length });
        off += rec.length;
      }
      this.resize(r, off, r.metaBytes);
      r.lastTouch = this.now(); // the write itself updated the mtime
      return { seqs, generation: r.meta!.generation! };
    });
  }

  /** Reads entries with seq > since, up to about `maxBytes` of payload (always at least one). */
  read(room: string, since: number, maxBytes: number): Promise<ReadResult> {
    return this.run(
      room,
      async (r) => {
        const generation = r.meta?.generation ?? '';
        await this.touch(r);
        // First entry with seq > since (binary search: the index is sorted by seq).
        let lo = 0;
        let hi = r.index.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (r.index[mid]!.seq > since) hi = mid;
          else lo = mid + 1;
        }
        const page: IndexEntry[] = [];
        let bytes = 0;
        for (let i = lo; i < r.index.length; i++) {
          const e = r.index[i]!;
          const payload = e.length - HEADER_BYTES - BODY_PREFIX_BYTES;
          if (page.length > 0 && bytes + payload > maxBytes) break;
          page.push(e);
          bytes += payload;
        }
        if (page.length === 0) return { entries: [], head: r.head, more: false, generation };
        const start = page[0]!.offset;
        const last = page[page.length - 1]!;
        const buf = Buffer.allocUnsafe(last.offset + last.length - start);
        const fh = await fsp.open(path.join(r.dir, LOG_FILE), 'r');
        try {
          await readFully(fh, buf, start);
        } finally {
          await fh.close();
        }
        const entries = page.map((e) => ({
          seq: e.seq,
          kind: e.kind,
          data: new Uint8Array(buf.buffer, buf.byteOffset + e.offset - start + HEADER_BYTES + BODY_PREFIX_BYTES, e.length - HEADER_BYTES - BODY_PREFIX_BYTES),
        }));
        return { entries, head: r.head, more: lo + page.length < r.index.length, generation };
      },
      'read',
    );
  }

  /** Replaces entries with seq <= upTo by one snapshot record with seq upTo (crash-atomic via rename). */
  async compact(room: string, writeToken: string, upTo: number, snapshot: Uint8Array, expect: WriteExpectation = {}, guard: WriteGuard = {}): Promise<void> {
    if (snapshot.length > this.opts.maxSnapshotBytes) {
      throw new StoreError('too-large', `the snapshot is ${snapshot.length} bytes; the limit is ${this.opts.maxSnapshotBytes}`);
    }
    return this.run(room, async (r) => {
      this.authorize(r, writeToken);
      this.checkExpectation(r, { generation: expect.generation });
      const snapshotSeq = r.index[0]?.kind === 'snapshot' ? r.index[0].seq : 0;
      if (upTo < 1 || upTo < snapshotSeq || upTo > r.head) {
        throw new StoreError('bad-range', `upTo must be between ${Math.max(1, snapshotSeq)} and the room head ${r.head}`);
      }
      const snapRecord = encodeRecord('snapshot', upTo, snapshot);
      const firstKept = r.index.findIndex((e) => e.seq > upTo);
      const keptFrom = firstKept === -1 ? r.logBytes : r.index[firstKept]!.offset;
      const keptBytes = r.logBytes - keptFrom;
      const newLogBytes = snapRecord.length + keptBytes;
      const growth = blocks(newLogBytes) - blocks(r.logBytes);
      this.checkQuota(diskUse(newLogBytes, r.metaBytes), growth);
      if (growth > 0) guard.storeBytes?.(growth);

      const kept = Buffer.allocUnsafe(keptBytes);
      const logPath = path.join(r.dir, LOG_FILE);
      if (keptBytes > 0) {
        const fh = await fsp.open(logPath, 'r');
        try {
          await readFully(fh, kept, keptFrom);
        } finally {
          await fh.close();
        }
      }
      if (!r.meta?.credential) await this.create(r, room, writeToken, guard);
      await writeFileAtomic(logPath, Buffer.concat([snapRecord, kept]));

      const shift = snapRecord.length - keptFrom;
      const tail = firstKept === -1 ? [] : r.index.slice(firstKept).map((e) => ({ ...e, offset: e.offset + shift }));
      r.index = [{ seq: upTo, kind: 'snapshot', offset: 0, length: snapRecord.length }, ...tail];
      this.resize(r, newLogBytes, r.metaBytes);
      // meta.json's copy of the compaction point is informational; the log already decides.
      await this.writeMeta(r, { compactedUpTo: upTo });
      this.log.info('room compacted', { room: hashName(room), upTo, bytes: newLogBytes });
    });
  }

  /**
   * Deletes rooms whose last activity (newest mtime of log/meta.json; reads refresh it
   * hourly) is older than `retentionDays`. Rooms currently in memory are in use and skipped.
   */
  async sweepRetention(): Promise<number> {
    if (!this.opts.retentionDays || this.closed) return 0;
    const cutoff = this.now() - this.opts.retentionDays * DAY_MS;
    let removed = 0;
    for (const id of await fsp.readdir(this.roomsDir)) {
      // Checked and marked synchronously so a concurrent load waits for the deletion (see get()).
      if (this.loaded.has(id) || this.queues.has(id) || this.deleting.has(id)) continue;
      const p = this.removeIfIdle(id, cutoff);
      this.deleting.set(
        id,
        p.then(
          () => {},
          () => {},
        ),
      );
      try {
        if (await p) removed++;
      } finally {
        this.deleting.delete(id);
      }
    }
    if (removed) this.log.info('retention removed idle rooms', { removed, retentionDays: this.opts.retentionDays });
    return removed;
  }

  private async removeIfIdle(id: string, cutoff: number): Promise<boolean> {
    const dir = path.join(this.roomsDir, id);
    const [dirStat, logStat, metaStat] = await Promise.all([dir, path.join(dir, LOG_FILE), path.join(dir, META_FILE)].map(statOrNull));
    if (!dirStat?.isDirectory()) return false;
    const activity = Math.max(logStat?.mtimeMs ?? 0, metaStat?.mtimeMs ?? 0) || dirStat.mtimeMs;
    if (activity >= cutoff) return false;
    await fsp.rm(dir, { recursive: true, force: true });
    this.totalBytes -= diskUse(logStat?.size ?? 0, metaStat?.size ?? 0);
    return true;
  }

  /** Waits for every queued operation (so acknowledged writes are on disk) and stops timers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.allSettled([...this.queues.values()].map((q) => q.tail));
    await Promise.allSettled([...this.deleting.values()]);
  }

  // -------------------------------------------------------------------------------------

  private unloadIdle(): void {
    const cutoff = this.now() - UNLOAD_AFTER_MS;
    for (const [id, r] of this.loaded) if (!this.queues.has(id) && r.lastUsed < cutoff) this.loaded.delete(id);
  }

  private tokenMatches(r: Room, writeToken: string): boolean | null {
    const stored = r.meta?.credential;
    if (!stored) return null;
    return timingSafeEqual(Buffer.from(stored, 'hex'), Buffer.from(credentialOf(writeToken), 'hex'));
  }

  private authorize(r: Room, writeToken: string): void {
    if (this.tokenMatches(r, writeToken) === false) {
      throw new StoreError('forbidden', "this room belongs to a different write credential; check the notebook's sharing secret");
    }
  }

  /**
   * Creates a room: only the token the room is named after may, and only while the disk has
   * more than the reserve left, so that rooms which already exist can keep growing.
   * `growth` is what the same request adds besides the room itself.
   */
  private async create(r: Room, room: string, writeToken: string, guard: WriteGuard, growth = 0): Promise<void> {
    if (!tokenNamesRoom(room, writeToken)) {
      throw new StoreError('forbidden', "a room can only be created with the write token it is named after; check the notebook's sharing secret");
    }
    const cost = diskUse(0, 512);
    if (this.totalBytes + cost + growth > this.opts.totalQuotaBytes * (1 - CREATION_RESERVE)) {
      throw new StoreError('server-full', 'the relay server has no space for new notebooks; try again later or use another server');
    }
    guard.createRoom?.();
    await this.writeMeta(r, { credential: credentialOf(writeToken), generation: newGeneration(), format: META_FORMAT });
    this.log.info('room created', { room: hashName(room) });
  }

  private checkExpectation(r: Room, expect: WriteExpectation): void {
    const generation = r.meta?.generation ?? '';
    // Naming a generation requires the room to exist with it: entries sealed for a room that
    // is only about to be created would be bound to a generation it will never have.
    if (expect.generation !== undefined && (expect.generation === '' || expect.generation !== generation)) {
      throw new StoreError('conflict', 'the room was deleted and created again since you last read it; fetch it again, then retry');
    }
    if (expect.seq !== undefined && expect.seq !== r.head + 1) {
      throw new StoreError('conflict', `the room has grown to seq ${r.head} since you last read it; fetch the new entries, then retry`);
    }
  }

  /** Sets a room's file sizes and moves the total by the change in its disk use. */
  private resize(r: Room, logBytes: number, metaBytes: number): void {
    const before = r.meta || r.logBytes ? diskUse(r.logBytes, r.metaBytes) : 0;
    r.logBytes = logBytes;
    r.metaBytes = metaBytes;
    this.totalBytes += diskUse(logBytes, metaBytes) - before;
  }

  private checkQuota(newRoomBytes: number, growth: number): void {
    if (growth > 0 && newRoomBytes > this.opts.roomQuotaBytes) {
      throw new StoreError('room-full', `the room would use ${newRoomBytes} of ${this.opts.roomQuotaBytes} bytes; compact it to free space`);
    }
    if (growth > 0 && this.totalBytes + growth > this.opts.totalQuotaBytes) {
      throw new StoreError('server-full', 'the relay server has no storage left; try again later or use another server');
    }
  }

  private async touch(r: Room): Promise<void> {
    const now = this.now();
    if (!r.meta || now - r.lastTouch < TOUCH_EVERY_MS) return;
    r.lastTouch = now;
    const t = new Date(now);
    await fsp.utimes(path.join(r.dir, META_FILE), t, t).catch(() => {});
  }

  private async writeMeta(r: Room, patch: Partial<Meta>): Promise<void> {
    const meta: Meta = { ...(r.meta ?? { format: META_FORMAT, credential: null, compactedUpTo: 0, createdAt: this.now() }), ...patch };
    const data = Buffer.from(JSON.stringify(meta));
    await this.ensureDir(r);
    await writeFileAtomic(path.join(r.dir, META_FILE), data);
    this.resize(r, r.logBytes, data.length);
    r.meta = meta;
  }

  private async ensureDir(r: Room): Promise<void> {
    if (await statOrNull(r.dir)) return;
    await fsp.mkdir(r.dir, { recursive: true });
    // Without this the new directory entry could vanish in a crash along with its files.
    await fsyncDir(this.roomsDir);
  }

  private async appendToLog(r: Room, buf: Buffer): Promise<void> {
    await this.ensureDir(r);
    const logPath = path.join(r.dir, LOG_FILE);
    const isNew = r.logBytes === 0 && !(await statOrNull(logPath));
    const fh = await fsp.open(logPath, 'a');
    try {
      try {
        await fh.writeFile(buf);
        // The acknowledgement promise: nothing is acked before this returns.
        await fh.sync();
      } catch (e) {
        // Roll back a partial write so later offsets stay right; if even that fails, the
        // room reloads (and truncates the torn tail) before its next operation.
        await fh
          .truncate(r.logBytes)
          .then(() => fh.sync())
          .catch(() => {
            r.broken = true;
          });
        throw new StoreError('internal', 'the server could not store the entries; nothing was saved', { cause: e });
      }
    } finally {
      await fh.close();
    }
    if (isNew) await fsyncDir(r.dir);
  }

  /**
   * Runs `fn` after every earlier operation on the room, loading the room first. A `read` of
   * a room that does not exist leaves nothing in memory: asking about random names is free.
   */
  private run<T>(room: string, fn: (r: Room) => Promise<T>, mode: 'read' | 'write' = 'write'): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('internal', 'the server is shutting down'));
    const id = roomDirName(room);
    let q = this.queues.get(id);
    if (!q) this.queues.set(id, (q = { tail: Promise.resolve(), pending: 0 }));
    const queue = q;
    queue.pending++;
    const result = queue.tail.then(async () => {
      await this.deleting.get(id);
      let r = this.loaded.get(id);
      if (!r || r.broken) {
        r = await this.load(id);
        if (mode === 'write' || r.meta || r.logBytes > 0) this.loaded.set(id, r);
        else this.loaded.delete(id);
      }
      r.lastUsed = this.now();
      return fn(r);
    });
    queue.tail = result
      .then(
        () => {},
        (e: unknown) => {
          if (!(e instanceof StoreError) || e.code === 'internal') this.log.error('storage operation failed', { room: hashName(room), error: String(e) });
        },
      )
      .finally(() => {
        if (--queue.pending === 0 && this.queues.get(id) === queue) this.queues.delete(id);
      });
    return result;
  }

  private async load(id: string): Promise<Room> {
    const dir = path.join(this.roomsDir, id);
    const r: Room = { id, dir, index: [], head: 0, logBytes: 0, metaBytes: 0, meta: null, lastUsed: this.now(), lastTouch: 0, broken: false };
    let metaText: string | null = null;
    try {
      metaText = await fsp.readFile(path.join(dir, META_FILE), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (metaText !== null) {
      r.meta = JSON.parse(metaText) as Meta;
      r.metaBytes = Buffer.byteLength(metaText);
    }
    // Leftovers of an interrupted atomic write: the rename never happened, so they are garbage.
    for (const f of [LOG_FILE + '.tmp', META_FILE + '.tmp']) await fsp.rm(path.join(dir, f), { force: true });

    const logPath = path.join(dir, LOG_FILE);
    let buf: Buffer;
    try {
      buf = await fsp.readFile(logPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await this.upgradeMeta(r);
      return r;
    }
    const { index, validBytes } = scanLog(buf);
    if (validBytes < buf.length) {
      // Only an interrupted (hence unacknowledged) append can leave bytes after the last valid
      // record, because every acknowledged append was fsync'd before the next one started.
      const dropped = buf.length - validBytes;
      this.log.warn('truncated torn tail of room log', { room: id.slice(0, 10), droppedBytes: dropped });
      const fh = await fsp.open(logPath, 'r+');
      try {
        await fh.truncate(validBytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      this.totalBytes -= blocks(buf.length) - blocks(validBytes);
    }
    r.index = index;
    r.logBytes = validBytes;
    r.head = index.length ? index[index.length - 1]!.seq : 0;
    await this.upgradeMeta(r);
    return r;
  }

  /**
   * A room written by protocol version 1 has no generation: it gets one now, once, so that
   * clients can tell it apart from a room created later under the same name.
   */
  private async upgradeMeta(r: Room): Promise<void> {
    if (r.meta && !r.meta.generation) await this.writeMeta(r, { generation: newGeneration(), format: META_FORMAT });
  }
}

/** A fresh generation id: 128 random bits, hex. */
export function newGeneration(): string {
  return randomBytes(16).toString('hex');
}

async function readFully(fh: fsp.FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new StoreError('internal', 'the room log is shorter than its index');
    done += bytesRead;
  }
}
