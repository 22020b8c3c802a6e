import pg from 'pg';
import type { EntryKind, RelayEntry } from '../protocol/relay.ts';
import { hashName, silentLogger, type Logger } from './log.ts';
import * as rules from './relay-storage.ts';
import { credentialOf, newGeneration, roomDirName, StoreError } from './relay-storage.ts';
import type { AppendResult, ReadResult, RelayStorage, RoomStatus, StoreLimits, WriteExpectation, WriteGuard } from './relay-storage.ts';

/*
 * PostgreSQL relay storage, shared by several server processes (README "Several processes").
 *
 *   relay_rooms    one row per room: id = sha256(room name) hex, credential = sha256(write
 *                  token) hex, generation, head, snapshot_seq, bytes, created_at, last_used (ms)
 *   relay_entries  (room_id, seq) primary key, kind (0 update, 1 snapshot), data bytea: the
 *                  client's ciphertext, exactly as sent
 *
 * Neither room names nor write tokens are stored in clear, and the server never sees plaintext.
 * Every write locks its room row (SELECT … FOR UPDATE) inside one transaction, so the generation
 * and seq checks and the new head are atomic across processes; the (room_id, seq) primary key
 * refuses a duplicate seq even if that lock were bypassed. A write is acknowledged only after
 * COMMIT returns, i.e. after PostgreSQL flushed its WAL (synchronous_commit is left at its
 * default, on).
 */

/** Bytes counted per stored entry besides its payload (row header, key, index entry). */
const ENTRY_OVERHEAD = 48;
/** Bytes counted for a room itself, like the embedded store's directory block. */
const ROOM_OVERHEAD = 4096;
/** How often the total usage of all processes is re-read from the database. */
const USAGE_REFRESH_MS = 5_000;
/** Reads refresh a room's activity time at most this often. */
const TOUCH_EVERY_MS = 60 * 60_000;
/** Entries whose sizes one fetch looks at before cutting a page. */
const PAGE_SCAN_ROWS = 1000;
const DAY_MS = 86_400_000;
/** Rows per INSERT statement of one append. */
const INSERT_BATCH = 1000;
const KIND_UPDATE = 0;
const KIND_SNAPSHOT = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_rooms (
  id           text PRIMARY KEY,
  credential   text NOT NULL,
  generation   text NOT NULL,
  head         bigint NOT NULL DEFAULT 0,
  snapshot_seq bigint NOT NULL DEFAULT 0,
  bytes        bigint NOT NULL,
  created_at   bigint NOT NULL,
  last_used    bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_rooms_last_used ON relay_rooms (last_used);
CREATE TABLE IF NOT EXISTS relay_entries (
  room_id text NOT NULL REFERENCES relay_rooms (id) ON DELETE CASCADE,
  seq     bigint NOT NULL,
  kind    smallint NOT NULL,
  data    bytea NOT NULL,
  PRIMARY KEY (room_id, seq)
);
-- Ciphertext does not compress: store it out of line without trying.
ALTER TABLE relay_entries ALTER COLUMN data SET STORAGE EXTERNAL;
`;
/** Arbitrary constant naming the advisory lock that serialises schema creation across processes. */
const SCHEMA_LOCK = 0x504e_5245;

/** Options of the PostgreSQL store (the same limits as the embedded one). */
export interface PgStoreOptions extends StoreLimits {
  /** `postgres://user:password@host:port/database`. */
  databaseUrl: string;
  /** Bytes per room (payloads plus {@link ENTRY_OVERHEAD} per entry plus {@link ROOM_OVERHEAD}). */
  roomQuotaBytes: number;
  /** Bytes for all rooms of all processes, counted the same way; new rooms stop at 90 % of it. */
  totalQuotaBytes: number;
  /** Database connections this process may hold. Default 10. */
  poolSize?: number;
}

interface RoomRow {
  credential: string;
  generation: string;
  head: number;
  snapshotSeq: number;
  bytes: number;
  lastUsed: number;
}

type Db = pg.PoolClient;

function rowOf(r: Record<string, unknown>): RoomRow {
  return {
    credential: String(r.credential),
    generation: String(r.generation),
    head: Number(r.head),
    snapshotSeq: Number(r.snapshot_seq),
    bytes: Number(r.bytes),
    lastUsed: Number(r.last_used),
  };
}

/** Relay storage in PostgreSQL; see the comment at the top of this file. */
export class PgStore implements RelayStorage {
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Per-room chains: one connection's pipelined appends keep their order, as with the embedded store. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  /** Total usage of all processes as last read, plus this process's changes since. */
  private totalBytes = 0;
  private databaseDown = false;

  private constructor(private readonly opts: PgStoreOptions) {
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
    this.pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
    // An idle connection that dies (database restart) must not crash the process.
    this.pool.on('error', (e) => this.noteDown(e));
  }

  /** Connects, creates the tables if needed, measures usage and applies retention once. */
  static async open(opts: PgStoreOptions): Promise<PgStore> {
    const store = new PgStore(opts);
    try {
      const c = await store.pool.connect();
      try {
        await c.query('BEGIN');
        await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        await c.query(SCHEMA);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
      await store.refreshUsage();
      await store.sweepRetention();
    } catch (e) {
      await store.pool.end().catch(() => {});
      // The URL may hold a password: never repeat it.
      throw new Error(`cannot open the PostgreSQL relay store: ${(e as Error).message}`, { cause: e });
    }
    store.timers.push(setInterval(() => void store.refreshUsage().catch(() => {}), USAGE_REFRESH_MS).unref());
    store.timers.push(setInterval(() => void store.sweepRetention().catch((e) => store.log.error('retention failed', { error: String(e) })), DAY_MS).unref());
    store.log.info('storage opened', { store: 'postgres', bytes: store.totalBytes });
    return store;
  }

  /** Bytes used by all rooms of all processes (as last read, plus this process's writes since). */
  get usedBytes(): number {
    return this.totalBytes;
  }

  status(room: string, writeToken?: string): Promise<RoomStatus> {
    return this.serial(room, async () => {
      const id = roomDirName(room);
      const r = await this.query('SELECT credential, generation, head, snapshot_seq, bytes, last_used FROM relay_rooms WHERE id = $1', [id]);
      const row = r.rows[0] ? rowOf(r.rows[0]) : null;
      if (row && this.now() - row.lastUsed >= TOUCH_EVERY_MS) {
        await this.query('UPDATE relay_rooms SET last_used = $2 WHERE id = $1', [id, this.now()]);
      }
      return {
        head: row?.head ?? 0,
        snapshotSeq: row?.snapshotSeq ?? 0,
        claimed: !!row,
        canWrite: rules.canWrite(room, row?.credential, writeToken),
        generation: row?.generation ?? '',
      };
    });
  }

  claim(room: string, writeToken: string, guard: WriteGuard = {}): Promise<string> {
    return this.serial(room, () =>
      this.tx(async (db) => {
        const row = await this.lockOrCreate(db, room, writeToken, guard, {}, 0);
        return row.generation;
      }),
    );
  }

  async append(room: string, writeToken: string, entries: Uint8Array[], expect: WriteExpectation = {}, guard: WriteGuard = {}): Promise<AppendResult> {
    rules.checkEntrySizes(this.opts, entries);
    const added = entries.reduce((n, e) => n + e.length + ENTRY_OVERHEAD, 0);
    return this.serial(room, () =>
      this.tx(async (db) => {
        const id = roomDirName(room);
        const row = await this.lockOrCreate(db, room, writeToken, guard, expect, added);
        const seqs = entries.map((_, i) => row.head + 1 + i);
        // In statements of at most INSERT_BATCH rows (PostgreSQL allows 65 535 parameters), all in
        // this one transaction. The primary key (room_id, seq) refuses a seq another writer took.
        for (let from = 0; from < entries.length; from += INSERT_BATCH) {
          const values: unknown[] = [id];
          const tuples = entries.slice(from, from + INSERT_BATCH).map((e, k) => {
            values.push(seqs[from + k], Buffer.from(e.buffer, e.byteOffset, e.length));
            return `($1, $${values.length - 1}, ${KIND_UPDATE}, $${values.length})`;
          });
          await db.query(`INSERT INTO relay_entries (room_id, seq, kind, data) VALUES ${tuples.join(', ')}`, values);
        }
        await db.query('UPDATE relay_rooms SET head = $2, bytes = bytes + $3, last_used = $4 WHERE id = $1', [id, seqs[seqs.length - 1], added, this.now()]);
        return { seqs, generation: row.generation, added };
      }).then(({ seqs, generation, added: bytes }) => {
        // Counted after COMMIT: a rolled-back write used nothing.
        this.totalBytes += bytes;
        return { seqs, generation };
      }),
    );
  }

  read(room: string, since: number, maxBytes: number): Promise<ReadResult> {
    let touch = false;
    return this.serial(room, () =>
      this.tx(async (db) => {
        const id = roomDirName(room);
        const r = await db.query('SELECT generation, head, last_used FROM relay_rooms WHERE id = $1', [id]);
        if (!r.rows[0]) return { entries: [], head: 0, more: false, generation: '' };
        const generation = String(r.rows[0].generation);
        const head = Number(r.rows[0].head);
        // Reads count as activity for retention, refreshed at most hourly (after this read-only transaction).
        if (this.now() - Number(r.rows[0].last_used) >= TOUCH_EVERY_MS) touch = true;
        // Sizes first, so a page of large entries is cut before any payload is read.
        const sizes = await db.query('SELECT seq, octet_length(data) AS len FROM relay_entries WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
          id,
          since,
          PAGE_SCAN_ROWS,
        ]);
        let bytes = 0;
        let last = since;
        for (const s of sizes.rows) {
          const len = Number(s.len);
          if (last > since && bytes + len > maxBytes) break;
          bytes += len;
          last = Number(s.seq);
        }
        if (last === since) return { entries: [], head, more: false, generation };
        const rows = await db.query('SELECT seq, kind, data FROM relay_entries WHERE room_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq', [id, since, last]);
        const entries: RelayEntry[] = rows.rows.map((e) => ({
          seq: Number(e.seq),
          kind: (Number(e.kind) === KIND_SNAPSHOT ? 'snapshot' : 'update') as EntryKind,
          data: new Uint8Array(e.data as Buffer),
        }));
        return { entries, head, more: last < head, generation };
      }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY').then(async (page) => {
        if (touch) await this.query('UPDATE relay_rooms SET last_used = $2 WHERE id = $1', [roomDirName(room), this.now()]).catch(() => {});
        return page;
      }),
    );
  }

  async compact(room: string, writeToken: string, upTo: number, snapshot: Uint8Array, expect: WriteExpectation = {}, guard: WriteGuard = {}): Promise<void> {
    rules.checkSnapshotSize(this.opts, snapshot);
    return this.serial(room, () =>
      this.tx(async (db) => {
        const id = roomDirName(room);
        const row = await this.lockOrCreate(db, room, writeToken, guard, { generation: expect.generation }, 0);
        rules.checkCompactRange(upTo, row.snapshotSeq, row.head);
        const kept = await db.query('SELECT count(*) AS n, coalesce(sum(octet_length(data)), 0) AS bytes FROM relay_entries WHERE room_id = $1 AND seq > $2', [
          id,
          upTo,
        ]);
        const newBytes = ROOM_OVERHEAD + Number(kept.rows[0].bytes) + Number(kept.rows[0].n) * ENTRY_OVERHEAD + snapshot.length + ENTRY_OVERHEAD;
        const growth = newBytes - row.bytes;
        rules.checkQuota(this.opts, this.totalBytes, newBytes, growth);
        if (growth > 0) guard.storeBytes?.(growth);
        await db.query('DELETE FROM relay_entries WHERE room_id = $1 AND seq <= $2', [id, upTo]);
        await db.query(`INSERT INTO relay_entries (room_id, seq, kind, data) VALUES ($1, $2, ${KIND_SNAPSHOT}, $3)`, [
          id,
          upTo,
          Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.length),
        ]);
        await db.query('UPDATE relay_rooms SET snapshot_seq = $2, bytes = $3, last_used = $4 WHERE id = $1', [id, upTo, newBytes, this.now()]);
        return growth;
      }).then((growth) => {
        this.totalBytes += growth;
        this.log.info('room compacted', { room: hashName(room), upTo });
      }),
    );
  }

  /** Deletes rooms (and, by cascade, their entries) idle longer than `retentionDays`. */
  async sweepRetention(): Promise<number> {
    if (!this.opts.retentionDays || this.closed) return 0;
    const cutoff = this.now() - this.opts.retentionDays * DAY_MS;
    const r = await this.pool.query('DELETE FROM relay_rooms WHERE last_used < $1', [cutoff]);
    const removed = r.rowCount ?? 0;
    if (removed) {
      this.log.info('retention removed idle rooms', { removed, retentionDays: this.opts.retentionDays });
      await this.refreshUsage();
    }
    return removed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.allSettled([...this.queues.values()]);
    await this.pool.end();
  }

  // -------------------------------------------------------------------------------------

  /**
   * Locks the room's row for this transaction, creating the room when it does not exist (only
   * with the token it is named after, and only below the creation reserve). Checks the token,
   * the expectation and the quotas for `added` more bytes. Throws a StoreError to refuse.
   */
  private async lockOrCreate(db: Db, room: string, writeToken: string, guard: WriteGuard, expect: WriteExpectation, added: number): Promise<RoomRow> {
    const id = roomDirName(room);
    const select = () => db.query('SELECT credential, generation, head, snapshot_seq, bytes, last_used FROM relay_rooms WHERE id = $1 FOR UPDATE', [id]);
    let r = await select();
    if (r.rows[0]) {
      const row = rowOf(r.rows[0]);
      rules.authorize(row.credential, writeToken);
      rules.checkExpectation(row.generation, row.head, expect);
      if (added > 0) {
        rules.checkQuota(this.opts, this.totalBytes, row.bytes + added, added);
        guard.storeBytes?.(added);
      }
      return row;
    }
    // A new room. Naming a generation requires the room to exist with it.
    rules.checkExpectation('', 0, expect);
    rules.checkCreator(room, writeToken);
    rules.checkQuota(this.opts, this.totalBytes, ROOM_OVERHEAD + added, added);
    rules.checkCreationReserve(this.opts, this.totalBytes, ROOM_OVERHEAD + added);
    if (added > 0) guard.storeBytes?.(added);
    guard.createRoom?.();
    const now = this.now();
    const inserted = await db.query(
      'INSERT INTO relay_rooms (id, credential, generation, bytes, created_at, last_used) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (id) DO NOTHING',
      [id, credentialOf(writeToken), newGeneration(), ROOM_OVERHEAD, now],
    );
    if (inserted.rowCount === 1) {
      this.totalBytes += ROOM_OVERHEAD;
      this.log.info('room created', { room: hashName(room) });
    }
    // Either ours or another process's, created a moment ago: lock it and check it as usual.
    r = await select();
    if (!r.rows[0]) throw new StoreError('internal', 'the room vanished while it was being created; try again');
    const row = rowOf(r.rows[0]);
    rules.authorize(row.credential, writeToken);
    rules.checkExpectation(row.generation, row.head, expect);
    return row;
  }

  /** Re-reads the usage of every process (rooms written elsewhere count too). */
  private async refreshUsage(): Promise<void> {
    const r = await this.pool.query('SELECT coalesce(sum(bytes), 0) AS total FROM relay_rooms');
    this.totalBytes = Number(r.rows[0].total);
    this.noteUp();
  }

  /** Runs `fn` in one transaction on one pooled connection; maps database failures to `internal`. */
  private async tx<T>(fn: (db: Db) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    let db: Db;
    try {
      db = await this.pool.connect();
    } catch (e) {
      this.noteDown(e);
      throw new StoreError('internal', 'the server cannot reach its database; nothing was saved, try again', { cause: e });
    }
    let broken = false;
    try {
      await db.query(begin);
      const result = await fn(db);
      // The acknowledgement promise: nothing is acked before COMMIT returns.
      await db.query('COMMIT');
      this.noteUp();
      return result;
    } catch (e) {
      if (e instanceof StoreError) {
        await db.query('ROLLBACK').catch(() => (broken = true));
        throw e;
      }
      if ((e as { code?: unknown }).code === '23505') {
        // unique_violation on (room_id, seq): another writer took the seq first.
        await db.query('ROLLBACK').catch(() => (broken = true));
        throw new StoreError('conflict', 'another write took this seq first; fetch the new entries, then retry', { cause: e });
      }
      broken = true;
      this.noteDown(e);
      throw new StoreError('internal', 'the server could not store or read the entries; nothing was saved, try again', { cause: e });
    } finally {
      db.release(broken);
    }
  }

  private async query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    try {
      const r = await this.pool.query(text, values);
      this.noteUp();
      return r;
    } catch (e) {
      this.noteDown(e);
      throw new StoreError('internal', 'the server cannot reach its database; try again', { cause: e });
    }
  }

  private noteDown(e: unknown): void {
    if (this.databaseDown) return;
    this.databaseDown = true;
    this.log.error('database unreachable; relay requests fail until it is back', { error: (e as Error)?.message ?? String(e) });
  }

  private noteUp(): void {
    if (!this.databaseDown) return;
    this.databaseDown = false;
    this.log.warn('database reachable again', {});
  }

  /** Runs `fn` after every earlier operation on the same room in this process. */
  private serial<T>(room: string, fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('internal', 'the server is shutting down'));
    const id = roomDirName(room);
    const prev = this.queues.get(id) ?? Promise.resolve();
    const result = prev.then(fn, fn);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    });
    return result;
  }
}
