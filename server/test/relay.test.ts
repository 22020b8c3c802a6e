import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { parseClientMessage, parseServerMessage, encodeClientMessage, encodeServerMessage, bytesToBase64, base64ToBytes } from '../../protocol/relay.ts';
import { roomDirName } from '../relay-storage.ts';
import { randomBytesOf, RelayClient, roomOf, startTestServer, tempDir } from './helpers.ts';
import { servicesUnavailable, startPostgres, startRedis, type Service } from './services.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let servers: Server[] = [];
let clients: RelayClient[] = [];

/**
 * The suite runs twice: against one server with the embedded store, and against two server
 * processes' worth of servers sharing PostgreSQL and Redis ("cluster"). In the cluster run,
 * `server()` starts two servers on one fresh database and `relay()` connects the clients of a
 * test alternately to the first and the second, so writers and readers are on different ones.
 */
let backend: 'embedded' | 'cluster' = 'embedded';
let services: { redis: Service; postgres: Service } | undefined;
/** Second server of a cluster, by the first one's URL; and how many clients each cluster has had. */
const partnerOf = new Map<string, { url: string; clientCount: number }>();
/** One database per data directory, so a "restart" (a new server on the same dataDir) keeps the rooms. */
const databaseOf = new Map<string, string>();
let nextDatabase = 1;

async function freshDatabase(): Promise<string> {
  const name = `relay_suite_${process.pid}_${nextDatabase++}`;
  const admin = new pg.Client({ connectionString: services!.postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return services!.postgres.url.replace(/\/postgres$/, `/${name}`);
}

async function server(opts: Parameters<typeof startTestServer>[0] = {}): Promise<Server> {
  if (backend === 'embedded') {
    const s = await startTestServer(opts);
    servers.push(s);
    return s;
  }
  const dataDir = opts.dataDir ?? tempDir();
  let databaseUrl = databaseOf.get(dataDir);
  if (!databaseUrl) databaseOf.set(dataDir, (databaseUrl = await freshDatabase()));
  const shared = { ...opts, dataDir, store: 'postgres' as const, databaseUrl, redisUrl: services!.redis.url };
  const first = await startTestServer(shared);
  const second = await startTestServer({ ...shared, dataDir: tempDir() });
  servers.push(first, second);
  partnerOf.set(first.url, { url: second.url, clientCount: 0 });
  return first;
}
async function relay(url: string): Promise<RelayClient> {
  const partner = partnerOf.get(url);
  const target = partner && partner.clientCount++ % 2 === 1 ? partner.url : url;
  const c = await RelayClient.connect(target);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients) c.raw.ws.terminate();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  clients = [];
});

const bytes = (...xs: number[]) => new Uint8Array(xs);
/** Every test room is created with the token it is named after (PROTOCOL.md "Room names"). */
const T = (name: string) => `write-token-${name}`;
const R = (name: string) => roomOf(T(name));

describe('relay protocol codec', () => {
  it('round-trips every client message and rejects malformed ones', () => {
    const msgs = [
      { type: 'hello', id: 1, room: 'r', writeToken: 't' },
      { type: 'leave', id: 2, room: 'r' },
      { type: 'claim', id: 3, room: 'r', writeToken: 't' },
      { type: 'append', id: 4, room: 'r', entries: [bytes(1, 2, 3), bytes(255)], writeToken: 't', generation: 'g1', seq: 9 },
      { type: 'fetch', id: 5, room: 'r', since: 7, maxBytes: 100 },
      { type: 'compact', id: 6, room: 'r', upTo: 3, snapshot: bytes(9, 9), writeToken: 't', generation: 'g1' },
      { type: 'ping', id: 7 },
    ] as const;
    for (const m of msgs) {
      const p = parseClientMessage(encodeClientMessage(m as never));
      expect(p).toEqual({ ok: true, message: m });
    }
    expect(parseClientMessage('nope')).toEqual({ ok: false, error: 'frame is not valid JSON' });
    expect(parseClientMessage('{"type":"fetch","id":9,"room":"r","since":-1}')).toMatchObject({ ok: false, id: 9 });
    expect(parseClientMessage('{"type":"append","room":"r","writeToken":"t","entries":["***"]}').ok).toBe(false);
    expect(parseClientMessage('{"type":"append","room":"r","writeToken":"t","entries":[]}').ok).toBe(false);
    expect(parseClientMessage(`{"type":"hello","room":"${'x'.repeat(257)}"}`).ok).toBe(false);
    expect(parseClientMessage('{"type":"launch"}').ok).toBe(false);
  });

  it('round-trips server messages including entries with binary data', () => {
    const m = {
      type: 'entries',
      id: 1,
      room: 'r',
      head: 2,
      more: false,
      generation: 'g1',
      entries: [{ seq: 2, kind: 'snapshot', data: randomBytesOf(70_000) }],
    } as const;
    expect(parseServerMessage(encodeServerMessage(m as never))).toEqual({ ok: true, message: m });
    expect(parseServerMessage('{"type":"error","code":"forbidden","message":"no"}')).toEqual({
      ok: true,
      message: { type: 'error', id: undefined, room: undefined, code: 'forbidden', message: 'no' },
    });
    const big = randomBytesOf(100_003);
    expect(base64ToBytes(bytesToBase64(big))).toEqual(big);
    expect(bytesToBase64(bytes())).toBe('');
    expect(base64ToBytes('abc')).toBeNull();
  });
});

const clusterUnavailable = servicesUnavailable();
if (clusterUnavailable) console.warn(`SKIPPED relay suite on PostgreSQL + Redis: ${clusterUnavailable}`);

for (const mode of ['embedded', 'cluster'] as const)
  describe.skipIf(mode === 'cluster' && !!clusterUnavailable)(
    `relay over WebSocket (${mode === 'embedded' ? 'one server, embedded store' : 'two servers, PostgreSQL + Redis'})`,
    () => {
      beforeAll(async () => {
        backend = mode;
        if (mode === 'cluster') {
          const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
          services = { redis, postgres };
        }
      }, 60_000);
      afterAll(async () => {
        backend = 'embedded';
        if (services) await Promise.all([services.redis.stop(), services.postgres.stop()]);
        services = undefined;
      }, 30_000);
      /** Tests of the embedded store's files on disk. */
      const itEmbedded = mode === 'embedded' ? it : it.skip;

      it('hello, append, fetch with since; seqs start at 1 and increase', async () => {
        const s = await server();
        const c = await relay(s.url);
        expect(await c.request({ type: 'hello', room: R('room-a'), writeToken: T('room-a') })).toMatchObject({
          type: 'welcome',
          room: R('room-a'),
          version: 2,
          head: 0,
          snapshotSeq: 0,
          claimed: false,
          canWrite: true,
          generation: '',
        });
        const e = [bytes(1), bytes(2, 2), bytes(3, 3, 3)];
        expect(await c.request({ type: 'append', room: R('room-a'), entries: e, writeToken: T('room-a') })).toMatchObject({ type: 'ack', seqs: [1, 2, 3] });
        expect(await c.request({ type: 'append', room: R('room-a'), entries: [bytes(4)], writeToken: T('room-a') })).toMatchObject({ seqs: [4] });

        const all = await c.request({ type: 'fetch', room: R('room-a'), since: 0 });
        expect(all).toMatchObject({ type: 'entries', head: 4, more: false });
        expect(all.type === 'entries' && all.entries).toEqual([
          { seq: 1, kind: 'update', data: bytes(1) },
          { seq: 2, kind: 'update', data: bytes(2, 2) },
          { seq: 3, kind: 'update', data: bytes(3, 3, 3) },
          { seq: 4, kind: 'update', data: bytes(4) },
        ]);
        const later = await c.request({ type: 'fetch', room: R('room-a'), since: 2 });
        expect(later.type === 'entries' && later.entries.map((x) => x.seq)).toEqual([3, 4]);
        expect(await c.request({ type: 'fetch', room: R('room-a'), since: 4 })).toMatchObject({ entries: [], head: 4, more: false });
        expect(await c.request({ type: 'fetch', room: R('unknown-room'), since: 0 })).toMatchObject({ entries: [], head: 0, more: false });
        expect(await c.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
      });

      it('pages fetches by bytes (server limit and client maxBytes), always at least one entry', async () => {
        const s = await server({ fetchPageBytes: 1000 });
        const c = await relay(s.url);
        const sent = Array.from({ length: 10 }, () => randomBytesOf(300));
        await c.request({ type: 'append', room: R('paged'), entries: sent, writeToken: T('paged') });
        const first = await c.request({ type: 'fetch', room: R('paged'), since: 0 });
        expect(first).toMatchObject({ more: true });
        expect(first.type === 'entries' && first.entries.length).toBe(3);
        const small = await c.request({ type: 'fetch', room: R('paged'), since: 0, maxBytes: 10 });
        expect(small.type === 'entries' && small.entries.map((e) => e.seq)).toEqual([1]);
        const all = await c.fetchAll(R('paged'));
        expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(all.map((e) => e.data)).toEqual(sent);
      });

      it('pushes new entries live to other followers of the room only', async () => {
        const s = await server();
        const writer = await relay(s.url);
        const reader = await relay(s.url);
        const elsewhere = await relay(s.url);
        await writer.request({ type: 'hello', room: R('live') });
        await reader.request({ type: 'hello', room: R('live') });
        await elsewhere.request({ type: 'hello', room: R('other') });
        await writer.request({ type: 'append', room: R('live'), entries: [bytes(7, 7)], writeToken: T('live') });
        expect(await reader.nextMessage((m) => m.type === 'push')).toEqual({
          type: 'push',
          room: R('live'),
          generation: expect.stringMatching(/^[0-9a-f]{32}$/),
          entries: [{ seq: 1, kind: 'update', data: bytes(7, 7) }],
        });
        await reader.request({ type: 'leave', room: R('live') });
        await writer.request({ type: 'append', room: R('live'), entries: [bytes(8)], writeToken: T('live') });
        await writer.request({ type: 'ping' });
        await reader.request({ type: 'ping' });
        expect(reader.raw.pending()).toEqual([]);
        expect(writer.raw.pending()).toEqual([]);
        expect(elsewhere.raw.pending()).toEqual([]);
      });

      it('fixes the write credential on first append or claim and refuses other tokens', async () => {
        const s = await server();
        const a = await relay(s.url);
        const b = await relay(s.url);
        await a.request({ type: 'append', room: R('owned'), entries: [bytes(1)], writeToken: T('owned') });
        const refused = await b.request({ type: 'append', room: R('owned'), entries: [bytes(2)], writeToken: 'intruder' });
        expect(refused).toMatchObject({ type: 'error', code: 'forbidden', room: R('owned') });
        expect(refused.type === 'error' && refused.message).toMatch(/credential/);
        expect(await b.request({ type: 'compact', room: R('owned'), upTo: 1, snapshot: bytes(0), writeToken: 'intruder' })).toMatchObject({
          code: 'forbidden',
        });
        expect(await b.request({ type: 'claim', room: R('owned'), writeToken: 'intruder' })).toMatchObject({ code: 'forbidden' });
        expect(await b.request({ type: 'hello', room: R('owned'), writeToken: 'intruder' })).toMatchObject({ claimed: true, canWrite: false });
        expect(await b.request({ type: 'hello', room: R('owned'), writeToken: T('owned') })).toMatchObject({ canWrite: true });
        expect(await b.request({ type: 'hello', room: R('owned') })).toMatchObject({ canWrite: null });
        // Reading needs no credential: entries are ciphertext, the room name is the read secret.
        expect(await b.fetchAll(R('owned'))).toHaveLength(1);

        // A write naming a generation needs the room to exist with it (claim creates it first);
        // the empty generation of a room that does not exist is not one.
        expect(
          await a.request({ type: 'append', room: R('claimed-first'), entries: [bytes(1)], writeToken: T('claimed-first'), generation: '', seq: 1 }),
        ).toMatchObject({ code: 'bad-request' });
        const claimed = await a.request({ type: 'claim', room: R('claimed-first'), writeToken: T('claimed-first') });
        expect(claimed).toMatchObject({ type: 'claimed', generation: expect.stringMatching(/^[0-9a-f]{32}$/) });
        const generation = claimed.type === 'claimed' ? claimed.generation : '';
        expect(
          await a.request({
            type: 'append',
            room: R('claimed-first'),
            entries: [bytes(1)],
            writeToken: T('claimed-first'),
            generation: 'f'.repeat(32),
            seq: 1,
          }),
        ).toMatchObject({ code: 'conflict' });
        expect(
          await a.request({ type: 'append', room: R('claimed-first'), entries: [bytes(1)], writeToken: T('claimed-first'), generation, seq: 2 }),
        ).toMatchObject({ code: 'conflict' });
        expect(
          await a.request({ type: 'append', room: R('claimed-first'), entries: [bytes(1)], writeToken: T('claimed-first'), generation, seq: 1 }),
        ).toMatchObject({ type: 'ack', seqs: [1], generation });
        expect(await a.request({ type: 'claim', room: R('claimed-first'), writeToken: T('claimed-first') })).toMatchObject({ type: 'claimed' });
        expect(await a.request({ type: 'append', room: R('claimed-first'), entries: [bytes(1)], writeToken: 'another-token' })).toMatchObject({
          code: 'forbidden',
        });
        expect(await a.request({ type: 'append', room: R('claimed-first'), entries: [bytes(1)], writeToken: T('claimed-first') })).toMatchObject({ seqs: [2] });
      });

      it('compaction replaces entries <= upTo with a snapshot; later fetches see snapshot + newer entries, also after restart', async () => {
        const dataDir = tempDir();
        const s = await server({ dataDir });
        const c = await relay(s.url);
        await c.request({ type: 'append', room: R('cmp'), entries: [bytes(1), bytes(2), bytes(3), bytes(4), bytes(5)], writeToken: T('cmp') });
        expect(await c.request({ type: 'compact', room: R('cmp'), upTo: 9, snapshot: bytes(42), writeToken: T('cmp') })).toMatchObject({ code: 'bad-range' });
        expect(await c.request({ type: 'compact', room: R('cmp'), upTo: 3, snapshot: bytes(1, 2, 3), writeToken: T('cmp') })).toEqual({
          type: 'compacted',
          id: expect.any(Number),
          room: R('cmp'),
          upTo: 3,
        });
        const expected = [
          { seq: 3, kind: 'snapshot', data: bytes(1, 2, 3) },
          { seq: 4, kind: 'update', data: bytes(4) },
          { seq: 5, kind: 'update', data: bytes(5) },
        ];
        expect(await c.fetchAll(R('cmp'))).toEqual(expected);
        expect((await c.fetchAll(R('cmp'), 1))[0]).toEqual(expected[0]); // behind the snapshot: get it
        expect(await c.fetchAll(R('cmp'), 3)).toEqual(expected.slice(1)); // already past it: skip it
        expect(await c.request({ type: 'append', room: R('cmp'), entries: [bytes(6)], writeToken: T('cmp') })).toMatchObject({ seqs: [6] });
        expect(await c.request({ type: 'hello', room: R('cmp') })).toMatchObject({ head: 6, snapshotSeq: 3 });
        expect(await c.request({ type: 'compact', room: R('cmp'), upTo: 2, snapshot: bytes(0), writeToken: T('cmp') })).toMatchObject({ code: 'bad-range' });
        // Compacting everything leaves only the snapshot, and the head is kept.
        expect(await c.request({ type: 'compact', room: R('cmp'), upTo: 6, snapshot: bytes(6, 6), writeToken: T('cmp') })).toMatchObject({ type: 'compacted' });
        expect(await c.fetchAll(R('cmp'))).toEqual([{ seq: 6, kind: 'snapshot', data: bytes(6, 6) }]);
        await c.request({ type: 'append', room: R('cmp'), entries: [bytes(7)], writeToken: T('cmp') });

        await s.close();
        const s2 = await server({ dataDir });
        const c2 = await relay(s2.url);
        expect(await c2.fetchAll(R('cmp'))).toEqual([
          { seq: 6, kind: 'snapshot', data: bytes(6, 6) },
          { seq: 7, kind: 'update', data: bytes(7) },
        ]);
        expect(await c2.request({ type: 'append', room: R('cmp'), entries: [bytes(8)], writeToken: T('cmp') })).toMatchObject({ seqs: [8] });
      });

      itEmbedded('enforces entry size, room quota and total quota (in 4 KiB disk blocks) with their error codes; compaction frees a full room', async () => {
        // A room is a directory, meta.json and its log, each in whole 4 KiB blocks: 16 KiB is
        // room for a log of two blocks.
        const s = await server({ maxEntryBytes: 2000, maxSnapshotBytes: 3000, roomQuotaBytes: 16384, totalQuotaBytes: 40960 });
        const c = await relay(s.url);
        expect(await c.request({ type: 'append', room: R('q1'), entries: [randomBytesOf(2001)], writeToken: T('q1') })).toMatchObject({ code: 'too-large' });
        let seqs = 0;
        for (;;) {
          const r = await c.request({ type: 'append', room: R('q1'), entries: [randomBytesOf(1900)], writeToken: T('q1') });
          if (r.type === 'error') {
            expect(r.code).toBe('room-full');
            expect(r.message).toMatch(/compact/);
            break;
          }
          seqs++;
        }
        expect(seqs).toBe(4); // 4 × (1900 + 17 bytes framing) = 7668 ≤ 2 blocks < 5 × 1917
        expect(await c.request({ type: 'compact', room: R('q1'), upTo: 4, snapshot: randomBytesOf(3001), writeToken: T('q1') })).toMatchObject({
          code: 'too-large',
        });
        expect(await c.request({ type: 'compact', room: R('q1'), upTo: 4, snapshot: randomBytesOf(100), writeToken: T('q1') })).toMatchObject({
          type: 'compacted',
        });
        expect(await c.request({ type: 'append', room: R('q1'), entries: [randomBytesOf(1900)], writeToken: T('q1') })).toMatchObject({ seqs: [5] });

        // Room q1 now takes 12 KiB (3 blocks); the total quota (40 KiB) runs out in other rooms first.
        let outcome: string | undefined;
        for (let i = 0; i < 10 && !outcome; i++) {
          for (const room of ['q2', 'q3']) {
            const r = await c.request({ type: 'append', room: R(room), entries: [randomBytesOf(1900)], writeToken: T(room) });
            if (r.type === 'error') {
              outcome = r.code;
              break;
            }
          }
        }
        expect(outcome).toBe('server-full');
        const health = (await (await fetch(`http://127.0.0.1:${s.port}/healthz`)).json()) as { ok: boolean };
        expect(health.ok).toBe(true);
      });

      it('limits the rooms one connection may follow', async () => {
        const s = await server({ maxTopics: 2 });
        const c = await relay(s.url);
        await c.request({ type: 'hello', room: R('r1') });
        await c.request({ type: 'hello', room: R('r2') });
        expect(await c.request({ type: 'hello', room: R('r2') })).toMatchObject({ type: 'welcome' });
        expect(await c.request({ type: 'hello', room: R('r3') })).toMatchObject({ code: 'too-many-rooms' });
        await c.request({ type: 'leave', room: R('r1') });
        expect(await c.request({ type: 'hello', room: R('r3') })).toMatchObject({ type: 'welcome' });
        const health = (await (await fetch(`http://127.0.0.1:${s.port}/healthz`)).json()) as { relayRooms: number };
        expect(health.relayRooms).toBe(2);
      });

      it('answers malformed frames with bad-request (echoing a recoverable id) and closes with 4400 when repeated', async () => {
        const s = await server({ maxMalformed: 2 });
        const c = await relay(s.url);
        c.raw.send('{"type":"fetch","id":77,"room":"r","since":"zero"}');
        expect(await c.nextMessage((m) => m.type === 'error')).toMatchObject({ id: 77, code: 'bad-request', message: 'since must be a non-negative integer' });
        c.raw.ws.send(Buffer.from([1, 2, 3]), { binary: true });
        expect(await c.nextMessage((m) => m.type === 'error')).toMatchObject({ code: 'bad-request' });
        c.raw.send('not json');
        expect((await c.raw.closed).code).toBe(4400);
      });

      it('closes an oversized relay frame with 1009 and a flooding relay client with 4429', async () => {
        const s = await server({ maxEntryBytes: 1000, maxSnapshotBytes: 1000, ratePerSec: 10, rateBurst: 20 });
        const big = await relay(s.url);
        big.raw.send({ type: 'append', room: R('r'), writeToken: T('r'), entries: ['A'.repeat(100_000)] });
        expect((await big.raw.closed).code).toBe(1009);
        const flood = await relay(s.url);
        for (let i = 0; i < 50; i++) flood.post({ type: 'ping' });
        expect((await flood.raw.closed).code).toBe(4429);
      });

      itEmbedded('stores the bytes exactly, with neither room name nor token in clear on disk', async () => {
        const dataDir = tempDir();
        const s = await server({ dataDir });
        const c = await relay(s.url);
        const token = 'plain-token-9a7c';
        const room = roomOf(token);
        const payload = randomBytesOf(4096);
        await c.request({ type: 'append', room, entries: [payload], writeToken: token });
        const dir = path.join(dataDir, 'rooms', roomDirName(room));
        expect(readdirSync(path.join(dataDir, 'rooms'))).toEqual([roomDirName(room)]);
        const log = readFileSync(path.join(dir, 'log'));
        expect(log.length).toBe(4096 + 17);
        expect(Buffer.compare(log.subarray(17), Buffer.from(payload))).toBe(0);
        const meta = readFileSync(path.join(dir, 'meta.json'), 'utf8');
        expect(JSON.parse(meta)).toMatchObject({
          format: 2,
          generation: expect.stringMatching(/^[0-9a-f]{32}$/),
          credential: expect.stringMatching(/^[0-9a-f]{64}$/),
          compactedUpTo: 0,
        });
        for (const f of readdirSync(dir)) {
          const text = readFileSync(path.join(dir, f)).toString('latin1');
          expect(text).not.toContain(room);
          expect(text).not.toContain(token);
        }
      });

      itEmbedded('retention deletes rooms idle longer than retentionDays at start, keeping recent ones', async () => {
        const dataDir = tempDir();
        const s = await server({ dataDir });
        const c = await relay(s.url);
        await c.request({ type: 'append', room: R('old'), entries: [bytes(1)], writeToken: T('old') });
        await c.request({ type: 'append', room: R('fresh'), entries: [bytes(2)], writeToken: T('fresh') });
        await s.close();
        const oldDir = path.join(dataDir, 'rooms', roomDirName(R('old')));
        const then = new Date(Date.now() - 31 * 86_400_000);
        for (const f of ['log', 'meta.json']) utimesSync(path.join(oldDir, f), then, then);

        const s2 = await server({ dataDir, retentionDays: 30 });
        expect(() => statSync(oldDir)).toThrow();
        const c2 = await relay(s2.url);
        expect(await c2.fetchAll(R('old'))).toEqual([]);
        expect(await c2.fetchAll(R('fresh'))).toEqual([{ seq: 1, kind: 'update', data: bytes(2) }]);
        // The deleted room can be created again, only by its own token, with a new generation.
        expect(await c2.request({ type: 'append', room: R('old'), entries: [bytes(3)], writeToken: 'new' })).toMatchObject({ code: 'forbidden' });
        expect(await c2.request({ type: 'append', room: R('old'), entries: [bytes(3)], writeToken: T('old') })).toMatchObject({ seqs: [1] });
      });
    },
  );
