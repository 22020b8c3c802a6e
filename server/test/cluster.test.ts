/**
 * Two real server processes (server/main.ts) sharing a real Redis (fan-out) and a real
 * PostgreSQL (relay storage), both started from Debian's packages (services.ts). Skipped, with the
 * reason printed, only when those packages are not installed (`npm test` installs them).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytesOf, RelayClient, roomOf, spawnServer, TestClient, type ChildServer } from './helpers.ts';
import { appendBurstThenKill, expectBurstSurvived } from './killed-burst.ts';
import { freePort, servicesUnavailable, startPostgres, startRedis, type Service } from './services.ts';

const unavailable = servicesUnavailable();
if (unavailable) console.warn(`SKIPPED server/test/cluster.test.ts: ${unavailable}`);

// In CI `npm test` installs both packages first: a skip there would hide a broken install.
describe.runIf(!!unavailable && process.env.CI === 'true')('CI has Redis and PostgreSQL', () => {
  it('installed them', () => {
    expect.fail(`CI must run the multi-process tests, but: ${unavailable}`);
  });
});

let redis: Service;
let postgres: Service;
let children: ChildServer[] = [];
let sockets: { terminate(): void }[] = [];

/** Closes every client socket and kills every server process of the test, waiting until they are gone. */
async function stopAll(): Promise<void> {
  for (const s of sockets) s.terminate();
  sockets = [];
  await Promise.all(
    children.map((c) => {
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
      return c.exited;
    }),
  );
  children = [];
}
/** Polls `cond` every 50 ms until it holds or the clock passes `deadline` (the caller's expect then says what was missing). */
async function waitUntil(cond: () => boolean, deadline: number): Promise<void> {
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
async function proc(extra: string[] = []): Promise<ChildServer> {
  const c = await spawnServer(['--store', 'postgres', '--database-url', postgres.url, '--redis-url', redis.url, ...extra]);
  children.push(c);
  return c;
}
async function cluster(extra: string[] = []): Promise<[ChildServer, ChildServer]> {
  return [await proc(extra), await proc(extra)];
}
async function sig(url: string): Promise<TestClient> {
  const c = await TestClient.connect(url);
  sockets.push(c.ws);
  return c;
}
async function relay(url: string): Promise<RelayClient> {
  const c = await RelayClient.connect(url);
  sockets.push(c.raw.ws);
  return c;
}
async function subscribe(c: TestClient, ...topics: string[]): Promise<void> {
  c.send({ type: 'subscribe', topics });
  c.send({ type: 'ping' });
  await c.next('pong');
}
/** A signaling client of `url` subscribed to `topic` (the server has handled the subscribe). */
async function subscriber(url: string, topic: string): Promise<TestClient> {
  const c = await sig(url);
  await subscribe(c, topic);
  return c;
}
/**
 * Publishes until `receiver` gets it: a process subscribes to Redis asynchronously after its
 * client's subscribe, so the very first message may race that (real clients re-announce too).
 */
async function publishUntilReceived(sender: TestClient, receiver: TestClient, topic: string, data: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    sender.send({ type: 'publish', topic, data: `${data}#${i}` });
    try {
      return await receiver.next('publish', 200);
    } catch {
      // not yet subscribed on the other side
    }
  }
  throw new Error('never delivered');
}
const T = (name: string) => `cluster-token-${name}`;
const R = (name: string) => roomOf(T(name));
const bytes = (...xs: number[]) => new Uint8Array(xs);

describe.skipIf(!!unavailable)('two server processes sharing Redis and PostgreSQL', () => {
  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });
  afterEach(stopAll);

  it('signaling: publishes reach subscribers on the other process, once, and only that topic', async () => {
    const [p1, p2] = await cluster();
    const a = await subscriber(p1.url, 'topic-x');
    const b = await subscriber(p2.url, 'topic-x');
    const bystander = await subscriber(p1.url, 'topic-y');

    const got = await publishUntilReceived(a, b, 'topic-x', 'from-a');
    expect(got).toMatchObject({ type: 'publish', topic: 'topic-x' });
    // The other direction, now that both processes are subscribed.
    b.send({ type: 'publish', topic: 'topic-x', data: 'from-b' });
    expect(
      await a.next('publish', 2000).then(async function skip(m): Promise<Record<string, unknown>> {
        // a also gets its own earlier publishes back (as from the stock server): skip those.
        return m.data === 'from-b' ? m : skip(await a.next('publish', 2000));
      }),
    ).toMatchObject({ data: 'from-b', topic: 'topic-x' });
    // No echo loop: b got its own message exactly once (from its own process, not again via Redis).
    expect(await b.next('publish', 2000)).toMatchObject({ data: 'from-b' });
    await new Promise((r) => setTimeout(r, 300));
    expect(b.pending().filter((t) => t.includes('from-b'))).toEqual([]);
    expect(bystander.pending()).toEqual([]);

    // After b unsubscribes, p2 leaves the channel: nothing more reaches b.
    b.send({ type: 'unsubscribe', topics: ['topic-x'] });
    b.send({ type: 'ping' });
    await b.next('pong');
    await new Promise((r) => setTimeout(r, 100));
    const before = b.pending().length;
    a.send({ type: 'publish', topic: 'topic-x', data: 'after-leave' });
    await a.next('publish');
    await new Promise((r) => setTimeout(r, 300));
    expect(
      b
        .pending()
        .slice(before)
        .filter((t) => t.includes('after-leave')),
    ).toEqual([]);
  });

  it('relay: an append on process 1 is pushed live to a follower on process 2 and fetched there', async () => {
    const [p1, p2] = await cluster();
    const writer = await relay(p1.url);
    const reader = await relay(p2.url);
    expect(await writer.request({ type: 'hello', room: R('live'), writeToken: T('live') })).toMatchObject({ type: 'welcome', head: 0 });
    // `welcome` waits until p2 receives the room's channel: no sleep needed before appending.
    expect(await reader.request({ type: 'hello', room: R('live') })).toMatchObject({ type: 'welcome', head: 0 });
    const ack = await writer.request({ type: 'append', room: R('live'), entries: [bytes(1, 2), bytes(3)], writeToken: T('live') });
    expect(ack).toMatchObject({ type: 'ack', seqs: [1, 2] });
    const push = await reader.nextMessage((m) => m.type === 'push', 3000);
    expect(push).toMatchObject({ type: 'push', room: R('live'), generation: (ack as { generation: string }).generation });
    expect(push.type === 'push' && push.entries).toEqual([
      { seq: 1, kind: 'update', data: bytes(1, 2) },
      { seq: 2, kind: 'update', data: bytes(3) },
    ]);
    // The writer is not pushed its own entries, by either process.
    await new Promise((r) => setTimeout(r, 300));
    expect(writer.raw.pending()).toEqual([]);

    // Reads on either process see the same room, generation and seqs.
    const s2 = await reader.request({ type: 'hello', room: R('live'), writeToken: T('live') });
    expect(s2).toMatchObject({ head: 2, claimed: true, canWrite: true, generation: (ack as { generation: string }).generation });
    expect(await reader.fetchAll(R('live'))).toEqual([
      { seq: 1, kind: 'update', data: bytes(1, 2) },
      { seq: 2, kind: 'update', data: bytes(3) },
    ]);
    // And the reader's append on p2 reaches the writer on p1.
    await reader.request({ type: 'append', room: R('live'), entries: [bytes(9)], writeToken: T('live') });
    expect(await writer.nextMessage((m) => m.type === 'push', 3000)).toMatchObject({ entries: [{ seq: 3, data: bytes(9) }] });
  });

  it('relay: an append naming a seq is atomic across processes (exactly one of two racing writers wins)', async () => {
    const [p1, p2] = await cluster();
    const a = await relay(p1.url);
    const b = await relay(p2.url);
    const first = await a.request({ type: 'append', room: R('race'), entries: [bytes(0)], writeToken: T('race') });
    const generation = (first as { generation: string }).generation;
    let head = 1;
    for (let round = 0; round < 25; round++) {
      const seq = head + 1;
      const [ra, rb] = await Promise.all([
        a.request({ type: 'append', room: R('race'), entries: [bytes(1, round)], writeToken: T('race'), generation, seq }),
        b.request({ type: 'append', room: R('race'), entries: [bytes(2, round)], writeToken: T('race'), generation, seq }),
      ]);
      const acks = [ra, rb].filter((r) => r.type === 'ack');
      const conflicts = [ra, rb].filter((r) => r.type === 'error' && r.code === 'conflict');
      expect(acks).toHaveLength(1);
      expect(conflicts).toHaveLength(1);
      expect(acks[0]).toMatchObject({ seqs: [seq] });
      head = seq;
    }
    const all = await b.fetchAll(R('race'));
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    // A stale generation is refused on either process.
    expect(await b.request({ type: 'append', room: R('race'), entries: [bytes(1)], writeToken: T('race'), generation: 'f'.repeat(32) })).toMatchObject({
      code: 'conflict',
    });
  });

  it('relay: tokens, room quota and compaction hold across processes', async () => {
    const [p1, p2] = await cluster(['--room-quota', '12k', '--max-entry-bytes', '4k']);
    const a = await relay(p1.url);
    const b = await relay(p2.url);
    // Only the token a room is named after may create it; another token may not write to it.
    expect(await a.request({ type: 'claim', room: R('q'), writeToken: 'not-its-token' })).toMatchObject({ code: 'forbidden' });
    const claimed = await a.request({ type: 'claim', room: R('q'), writeToken: T('q') });
    expect(claimed).toMatchObject({ type: 'claimed', generation: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await b.request({ type: 'claim', room: R('q'), writeToken: T('q') })).toMatchObject({ generation: (claimed as { generation: string }).generation });
    expect(await b.request({ type: 'append', room: R('q'), entries: [bytes(1)], writeToken: 'other' })).toMatchObject({ code: 'forbidden' });
    expect(await b.request({ type: 'append', room: R('q'), entries: [randomBytesOf(5000)], writeToken: T('q') })).toMatchObject({ code: 'too-large' });

    // Fill the room from both processes until the quota (12 KiB, shared) refuses.
    let full: string | undefined;
    for (let i = 0; i < 10 && !full; i++) {
      const r = await (i % 2 ? b : a).request({ type: 'append', room: R('q'), entries: [randomBytesOf(2000)], writeToken: T('q') });
      if (r.type === 'error') full = r.code;
    }
    expect(full).toBe('room-full');
    const before = await a.fetchAll(R('q'));
    expect(before.length).toBeGreaterThanOrEqual(3);
    const head = before[before.length - 1]!.seq;
    // Compacting on the other process frees the space; reads on both see the snapshot.
    expect(await b.request({ type: 'compact', room: R('q'), upTo: head, snapshot: bytes(7, 7), writeToken: T('q') })).toMatchObject({ type: 'compacted' });
    expect(await a.fetchAll(R('q'))).toEqual([{ seq: head, kind: 'snapshot', data: bytes(7, 7) }]);
    expect(await a.request({ type: 'append', room: R('q'), entries: [randomBytesOf(2000)], writeToken: T('q') })).toMatchObject({ seqs: [head + 1] });
    expect(await a.request({ type: 'compact', room: R('q'), upTo: head - 1, snapshot: bytes(1), writeToken: T('q') })).toMatchObject({ code: 'bad-range' });
  });

  it('stores only hashes and ciphertext in PostgreSQL: no room name, no token', async () => {
    const [p1] = await cluster();
    const c = await relay(p1.url);
    const token = 'cluster-plain-token-5e1f';
    const payload = randomBytesOf(300);
    await c.request({ type: 'append', room: roomOf(token), entries: [payload], writeToken: token });
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    try {
      const rooms = await db.query('SELECT * FROM relay_rooms');
      const entries = await db.query('SELECT room_id, seq, kind, data FROM relay_entries');
      const text = JSON.stringify(rooms.rows) + JSON.stringify(entries.rows.map((e) => ({ ...e, data: undefined })));
      expect(text).not.toContain(roomOf(token));
      expect(text).not.toContain(token);
      const mine = entries.rows.filter((e) => Buffer.compare(e.data as Buffer, Buffer.from(payload)) === 0);
      expect(mine).toHaveLength(1);
    } finally {
      await db.end();
    }
  });

  it('SIGKILL of a process right after acks loses no acknowledged write; the other process serves them', async () => {
    const [p1, p2] = await cluster(['--rate', '100000', '--burst', '100000']);
    const writer = await relay(p1.url);
    const TOKEN = T('durable');
    const ROOM = R('durable');
    const burst = await appendBurstThenKill(writer, p1, { room: ROOM, writeToken: TOKEN, total: 2000, strict: false });
    expect(await p1.exited).toBe('SIGKILL');

    const reader = await relay(p2.url);
    const stored = await reader.fetchAll(ROOM);
    expectBurstSurvived(stored, burst);
    expect(await reader.request({ type: 'append', room: ROOM, entries: [bytes(1)], writeToken: TOKEN })).toMatchObject({ seqs: [stored.length + 1] });
  }, 60_000);

  it('starts without Redis (saying so), serves its own clients, and fans out once Redis comes up', async () => {
    const port = await freePort();
    const lonely = await spawnServer(['--store', 'postgres', '--database-url', postgres.url, '--redis-url', `redis://127.0.0.1:${port}`]);
    children.push(lonely);
    expect(lonely.stdout()).toContain('Redis unreachable');
    const a = await subscriber(lonely.url, 'topic-late');
    const a2 = await subscriber(lonely.url, 'topic-late');
    a.send({ type: 'publish', topic: 'topic-late', data: 'local' });
    expect(await a2.next('publish', 2000)).toMatchObject({ data: 'local' });
    const relayClient = await relay(lonely.url);
    expect(await relayClient.request({ type: 'append', room: R('late'), entries: [bytes(5)], writeToken: T('late') })).toMatchObject({
      type: 'ack',
      seqs: [1],
    });

    const late = await startRedis(port);
    try {
      const other = await spawnServer(['--store', 'postgres', '--database-url', postgres.url, '--redis-url', late.url]);
      children.push(other);
      await waitUntil(() => lonely.stdout().includes('Redis reachable again'), Date.now() + 15_000);
      expect(lonely.stdout()).toContain('Redis reachable again');
      const b = await subscriber(other.url, 'topic-late');
      expect(await publishUntilReceived(b, a2, 'topic-late', 'across')).toMatchObject({ topic: 'topic-late' });
    } finally {
      await stopAll();
      await late.stop();
    }
  }, 40_000);

  it('keeps serving local clients while Redis is away, says so in its log, and fans out again when it is back', async () => {
    const [p1, p2] = await cluster();
    const a = await subscriber(p1.url, 'topic-r');
    const a2 = await subscriber(p1.url, 'topic-r');
    const b = await subscriber(p2.url, 'topic-r');
    await publishUntilReceived(a, b, 'topic-r', 'before');

    const port = redis.port;
    await redis.stop('SIGKILL');
    const deadline = Date.now() + 10_000;
    await waitUntil(() => p1.stdout().includes('Redis unreachable'), deadline);
    expect(p1.stdout()).toContain('Redis unreachable: messages to other server processes are dropped until it is back; local clients are still served');
    // Local delivery on p1 goes on.
    a.send({ type: 'publish', topic: 'topic-r', data: 'while-away' });
    expect(
      await a2.next('publish', 2000).then(async function skip(m): Promise<Record<string, unknown>> {
        return m.data === 'while-away' ? m : skip(await a2.next('publish', 2000));
      }),
    ).toMatchObject({ data: 'while-away' });
    expect(p1.proc.exitCode).toBeNull();

    redis = await startRedis(port);
    await waitUntil(() => p1.stdout().includes('Redis reachable again') && p2.stdout().includes('Redis reachable again'), deadline + 10_000);
    expect(p1.stdout()).toContain('Redis reachable again: fan-out to other server processes restored');
    // Both processes resubscribed by themselves: cross-process delivery works again.
    const got = await publishUntilReceived(a, b, 'topic-r', 'after');
    expect(String(got.data)).toMatch(/^after#/);
  }, 40_000);
});
