/**
 * The embedded relay store (the default): one fsync'd append-only log per room on local disk,
 * with rooms loaded on demand, operations serialised per room, quotas counted in disk blocks and
 * idle rooms removed by retention. The record format and file operations are in room-log.ts.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { hashName, silentLogger, type Logger } from './log.ts';
import * as rules from './relay-storage.ts';
import { credentialOf, newGeneration, roomDirName, StoreError } from './relay-storage.ts';
import type { AppendResult, ReadResult, RelayStorage, RoomStatus, StoreLimits, WriteExpectation, WriteGuard } from './relay-storage.ts';
import {
  blocks,
  diskUse,
  encodeRecord,
  fsyncDir,
  LOG_FILE,
  META_FILE,
  META_FORMAT,
  payloadBytes,
  payloadOf,
  readFileOrNull,
  readRange,
  scanLog,
  statOrNull,
  truncateFile,
  withFile,
  writeFileAtomic,
  type IndexEntry,
  type Meta,
} from './room-log.ts';

/** Loaded rooms without activity for this long are dropped from memory (they reload on demand). */
const UNLOAD_AFTER_MS = 10 * 60_000;
/** Reads refresh a room's activity time at most this often (a utimes per fetch would be waste). */
const TOUCH_EVERY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

/** Limits of the embedded store. */
export interface StoreOptions extends StoreLimits {
  /** Root directory; `rooms/` is created inside. */
  dataDir: string;
  /** Disk bytes per room (directory, log and meta, in whole 4 KiB blocks). */
  roomQuotaBytes: number;
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
        return {
          head: r.head,
          snapshotSeq: snapshotSeqOf(r),
          claimed: !!r.meta?.credential,
          canWrite: rules.canWrite(room, r.meta?.credential, writeToken),
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
      rules.authorize(r.meta?.credential, writeToken);
      if (!r.meta?.credential) await this.create(r, room, writeToken, guard);
      return r.meta!.generation!;
    });
  }

  /** Appends entries durably (fsync'd) and returns their seqs; creates the room if needed (see {@link claim}). */
  async append(room: string, writeToken: string, entries: Uint8Array[], expect: WriteExpectation = {}, guard: WriteGuard = {}): Promise<AppendResult> {
    rules.checkEntrySizes(this.opts, entries);
    return this.run(room, async (r) => {
      rules.authorize(r.meta?.credential, writeToken);
      rules.checkExpectation(r.meta?.generation ?? '', r.head, expect);
      const records = entries.map((e, i) => encodeRecord('update', r.head + 1 + i, e));
      const added = records.reduce((n, b) => n + b.length, 0);
      const growth = blocks(r.logBytes + added) - blocks(r.logBytes);
      rules.checkQuota(this.opts, this.totalBytes, diskUse(r.logBytes + added, r.metaBytes), growth);
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
          const payload = payloadBytes(e);
          if (page.length > 0 && bytes + payload > maxBytes) break;
          page.push(e);
          bytes += payload;
        }
        if (page.length === 0) return { entries: [], head: r.head, more: false, generation };
        const start = page[0]!.offset;
        const last = page[page.length - 1]!;
        const buf = await readRange(path.join(r.dir, LOG_FILE), start, last.offset + last.length - start);
        const entries = page.map((e) => ({ seq: e.seq, kind: e.kind, data: payloadOf(buf, start, e) }));
        return { entries, head: r.head, more: lo + page.length < r.index.length, generation };
      },
      'read',
    );
  }

  /** Replaces entries with seq <= upTo by one snapshot record with seq upTo (crash-atomic via rename). */
  async compact(room: string, writeToken: string, upTo: number, snapshot: Uint8Array, expect: WriteExpectation = {}, guard: WriteGuard = {}): Promise<void> {
    rules.checkSnapshotSize(this.opts, snapshot);
    return this.run(room, async (r) => {
      rules.authorize(r.meta?.credential, writeToken);
      rules.checkExpectation(r.meta?.generation ?? '', r.head, { generation: expect.generation });
      rules.checkCompactRange(upTo, snapshotSeqOf(r), r.head);
      const snapRecord = encodeRecord('snapshot', upTo, snapshot);
      const firstKept = r.index.findIndex((e) => e.seq > upTo);
      const keptFrom = firstKept === -1 ? r.logBytes : r.index[firstKept]!.offset;
      const keptBytes = r.logBytes - keptFrom;
      const newLogBytes = snapRecord.length + keptBytes;
      const growth = blocks(newLogBytes) - blocks(r.logBytes);
      rules.checkQuota(this.opts, this.totalBytes, diskUse(newLogBytes, r.metaBytes), growth);
      if (growth > 0) guard.storeBytes?.(growth);

      const logPath = path.join(r.dir, LOG_FILE);
      const kept = keptBytes > 0 ? await readRange(logPath, keptFrom, keptBytes) : Buffer.alloc(0);
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

  /**
   * Creates a room: only the token the room is named after may, and only while the disk has
   * more than the reserve left, so that rooms which already exist can keep growing.
   * `growth` is what the same request adds besides the room itself.
   */
  private async create(r: Room, room: string, writeToken: string, guard: WriteGuard, growth = 0): Promise<void> {
    rules.checkCreator(room, writeToken);
    rules.checkCreationReserve(this.opts, this.totalBytes, diskUse(0, 512) + growth);
    guard.createRoom?.();
    await this.writeMeta(r, { credential: credentialOf(writeToken), generation: newGeneration(), format: META_FORMAT });
    this.log.info('room created', { room: hashName(room) });
  }

  /** Sets a room's file sizes and moves the total by the change in its disk use. */
  private resize(r: Room, logBytes: number, metaBytes: number): void {
    const before = r.meta || r.logBytes ? diskUse(r.logBytes, r.metaBytes) : 0;
    r.logBytes = logBytes;
    r.metaBytes = metaBytes;
    this.totalBytes += diskUse(logBytes, metaBytes) - before;
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
    await withFile(logPath, 'a', async (fh) => {
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
    });
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
    const metaText = (await readFileOrNull(path.join(dir, META_FILE)))?.toString('utf8') ?? null;
    if (metaText !== null) {
      r.meta = JSON.parse(metaText) as Meta;
      r.metaBytes = Buffer.byteLength(metaText);
    }
    // Leftovers of an interrupted atomic write: the rename never happened, so they are garbage.
    for (const f of [LOG_FILE + '.tmp', META_FILE + '.tmp']) await fsp.rm(path.join(dir, f), { force: true });

    const logPath = path.join(dir, LOG_FILE);
    const buf = await readFileOrNull(logPath);
    if (!buf) {
      await this.upgradeMeta(r);
      return r;
    }
    const { index, validBytes } = scanLog(buf);
    if (validBytes < buf.length) {
      // Only an interrupted (hence unacknowledged) append can leave bytes after the last valid
      // record, because every acknowledged append was fsync'd before the next one started.
      const dropped = buf.length - validBytes;
      this.log.warn('truncated torn tail of room log', { room: id.slice(0, 10), droppedBytes: dropped });
      await truncateFile(logPath, validBytes);
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

/** Seq of a room's snapshot record, 0 when never compacted. */
function snapshotSeqOf(r: Room): number {
  return r.index[0]?.kind === 'snapshot' ? r.index[0].seq : 0;
}
