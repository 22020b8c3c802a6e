/**
 * The PostgreSQL relay store on its own, against a real PostgreSQL (Debian's; skipped with the
 * reason printed when it is not installed). Two stores on one database stand for two processes.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from './helpers.ts';
import { PgStore } from '../pg-store.ts';
import { roomDirName, StoreError } from '../relay-storage.ts';
import { roomOf } from './helpers.ts';
import { servicesUnavailable, startPostgres, type Service } from './services.ts';

const unavailable = servicesUnavailable();
if (unavailable) console.warn(`SKIPPED server/test/pg-store.test.ts: ${unavailable}`);

const limits = { maxEntryBytes: 1 << 20, maxSnapshotBytes: 1 << 23, roomQuotaBytes: 1 << 26, totalQuotaBytes: 1 << 30, retentionDays: 0 };
const b = (...xs: number[]) => new Uint8Array(xs);
const DAY = 86_400_000;

describe.skipIf(!!unavailable)('PgStore', () => {
  let postgres: Service;
  let n = 0;
  /** A fresh database per test. */
  async function database(): Promise<string> {
    const name = `pg_store_${process.pid}_${++n}`;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return postgres.url.replace(/\/postgres$/, `/${name}`);
  }
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
  });

  it("assigns seqs in call order to one process's concurrent appends; two stores on one database never share a seq", async () => {
    const databaseUrl = await database();
    const [s1, s2] = await Promise.all([PgStore.open({ databaseUrl, ...limits }), PgStore.open({ databaseUrl, ...limits })]);
    const room = roomOf('t');
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => s1.append(room, 't', [b(i)])));
    expect(results.map((r) => r.seqs[0])).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Both "processes" append at once without naming a seq: every entry gets its own seq.
    const both = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? s1 : s2).append(room, 't', [b(100 + i)])));
    const seqs = both.map((r) => r.seqs[0]!).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => 41 + i));
    const page = await s2.read(room, 0, 1 << 20);
    expect(page.entries.slice(0, 40).map((e) => e.data[0])).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(page).toMatchObject({ head: 80, more: false });
    await Promise.all([s1.close(), s2.close()]);
    await expect(s1.append(room, 't', [b(1)])).rejects.toMatchObject({ code: 'internal' });
  });

  it('keeps names and tokens out of the tables; creation needs the naming token; generations differ after deletion', async () => {
    const databaseUrl = await database();
    let now = Date.now();
    const store = await PgStore.open({ databaseUrl, ...limits, retentionDays: 30, now: () => now });
    const room = roomOf('secret-token');
    await expect(store.append(room, 'other', [b(1)])).rejects.toMatchObject({ code: 'forbidden' });
    const { generation } = await store.append(room, 'secret-token', [b(1, 2, 3)]);
    expect(await store.status(room, 'secret-token')).toMatchObject({ head: 1, claimed: true, canWrite: true, generation });
    expect(await store.status(room, 'other')).toMatchObject({ canWrite: false });
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const rows = await db.query('SELECT id, credential, generation FROM relay_rooms');
    expect(rows.rows).toEqual([{ id: roomDirName(room), credential: expect.stringMatching(/^[0-9a-f]{64}$/), generation }]);
    expect(JSON.stringify(rows.rows)).not.toContain('secret-token');
    expect(JSON.stringify(rows.rows)).not.toContain(room);

    // Idle for 31 days: retention deletes the room and its entries; it can be made again, anew.
    now += 31 * DAY;
    expect(await store.sweepRetention()).toBe(1);
    expect((await db.query('SELECT count(*) AS n FROM relay_entries')).rows[0].n).toBe('0');
    expect(await store.read(room, 0, 1000)).toEqual({ entries: [], head: 0, more: false, generation: '' });
    const again = await store.append(room, 'secret-token', [b(9)]);
    expect(again.seqs).toEqual([1]);
    expect(again.generation).not.toBe(generation);
    await db.end();
    await store.close();
  });

  it('counts quota across processes: a room fills up from both, the total quota stops new rooms first', async () => {
    const databaseUrl = await database();
    const small = { ...limits, roomQuotaBytes: 4096 + 3 * (1000 + 48), totalQuotaBytes: 20_000 };
    const log = memoryLogger();
    const [s1, s2] = await Promise.all([PgStore.open({ databaseUrl, ...small, logger: log }), PgStore.open({ databaseUrl, ...small })]);
    const room = roomOf('q');
    await s1.append(room, 'q', [new Uint8Array(1000)]);
    await s2.append(room, 'q', [new Uint8Array(1000)]);
    await s1.append(room, 'q', [new Uint8Array(1000)]);
    await expect(s2.append(room, 'q', [new Uint8Array(1000)])).rejects.toMatchObject({ code: 'room-full' });
    await s2.compact(room, 'q', 3, new Uint8Array(10));
    expect((await s1.read(room, 0, 1 << 20)).entries).toEqual([{ seq: 3, kind: 'snapshot', data: new Uint8Array(10) }]);
    await s1.append(room, 'q', [new Uint8Array(1000)]);
    // New rooms stop at 90 % of the total (18 000 bytes): each costs 4096 + its entries.
    let refused: unknown;
    for (let i = 0; i < 10 && !refused; i++) await s1.append(roomOf(`r${i}`), `r${i}`, [new Uint8Array(100)]).catch((e: unknown) => (refused = e));
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe('server-full');
    expect(s1.usedBytes).toBeLessThanOrEqual(20_000);
    await Promise.all([s1.close(), s2.close()]);
  });

  it('stores a large batch in one append atomically, and counts reads as activity for retention', async () => {
    const databaseUrl = await database();
    let now = Date.now();
    const store = await PgStore.open({ databaseUrl, ...limits, retentionDays: 30, now: () => now });
    const room = roomOf('batch');
    const many = Array.from({ length: 2500 }, (_, i) => b(i & 255, i >> 8));
    expect((await store.append(room, 'batch', many)).seqs).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    const all = await store.read(room, 0, 1 << 20);
    expect(all.entries.length).toBe(1000); // one page scans at most 1 000 rows
    expect(all.more).toBe(true);
    expect((await store.read(room, 2400, 1 << 20)).entries.map((e) => [...e.data])).toEqual(many.slice(2400).map((e) => [...e]));
    // Read 20 days later, then 20 more days: 40 days since the write but 20 since the read.
    now += 20 * DAY;
    await store.read(room, 0, 10);
    now += 20 * DAY;
    expect(await store.sweepRetention()).toBe(0);
    now += 11 * DAY;
    expect(await store.sweepRetention()).toBe(1);
    await store.close();
  });

  it('while the database is down, requests fail as internal and the log says so once; once it is back, they work again', async () => {
    const own = await startPostgres();
    const log = memoryLogger();
    const store = await PgStore.open({ databaseUrl: own.url, ...limits, logger: log });
    let restarted: Service | undefined;
    try {
      const room = roomOf('outage');
      expect((await store.append(room, 'outage', [b(1)])).seqs).toEqual([1]);
      await own.stop('SIGKILL', true); // the database crashes
      await expect(store.append(room, 'outage', [b(2)])).rejects.toMatchObject({ code: 'internal' });
      await expect(store.read(room, 0, 100)).rejects.toMatchObject({ code: 'internal' });
      expect(log.lines.filter((l) => l.includes('database unreachable'))).toHaveLength(1);
      restarted = await own.restart!();
      // Crash recovery kept the committed entry; the pool reconnects by itself.
      let next: unknown;
      for (let i = 0; i < 50 && !next; i++)
        next = await store.append(room, 'outage', [b(3)]).catch(() => new Promise((r) => setTimeout(r, 100)).then(() => undefined));
      expect(next).toMatchObject({ seqs: [2] });
      expect((await store.read(room, 0, 100)).entries.map((e) => [...e.data])).toEqual([[1], [3]]);
      expect(log.lines.some((l) => l.includes('database reachable again'))).toBe(true);
    } finally {
      await store.close();
      await (restarted ?? own).stop();
    }
  }, 60_000);

  it('refuses to start with a plain message when the database is unreachable, without repeating its password', async () => {
    await expect(PgStore.open({ databaseUrl: 'postgres://postgres:hunter2@127.0.0.1:1/none', ...limits })).rejects.toThrow(
      /cannot open the PostgreSQL relay store/,
    );
    await expect(PgStore.open({ databaseUrl: 'postgres://postgres:hunter2@127.0.0.1:1/none', ...limits })).rejects.not.toThrow(/hunter2/);
  });
});
