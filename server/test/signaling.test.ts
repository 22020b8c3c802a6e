import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import * as Y from 'yjs';
import { memoryLogger, roomOf, startTestServer, TestClient } from './helpers.ts';
import { servicesUnavailable, startRedis, type Service } from './services.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let servers: Server[] = [];
let clients: TestClient[] = [];

/**
 * The protocol tests run twice: on one server, and on two servers sharing a Redis (fan-out),
 * with each test's clients alternating between the two. There, `clients` in a relayed publish
 * counts the subscribers on the sender's server only.
 */
let redis: Service | undefined;
const partnerOf = new Map<string, { url: string; clientCount: number }>();

async function server(opts: Parameters<typeof startTestServer>[0] = {}): Promise<Server> {
  const s = await startTestServer({ ...opts, redisUrl: redis?.url });
  servers.push(s);
  if (redis) {
    const second = await startTestServer({ ...opts, redisUrl: redis.url });
    servers.push(second);
    partnerOf.set(s.url, { url: second.url, clientCount: 0 });
  }
  return s;
}
async function client(url: string, options?: ClientOptions): Promise<TestClient> {
  const partner = partnerOf.get(url);
  const target = partner && partner.clientCount++ % 2 === 1 ? partner.url : url;
  const c = await TestClient.connect(target, options);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients) c.ws.terminate();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  clients = [];
});

const redisUnavailable = servicesUnavailable();
if (redisUnavailable) console.warn(`SKIPPED signaling protocol on two servers + Redis: ${redisUnavailable}`);

for (const mode of ['one', 'two'] as const)
  describe.skipIf(mode === 'two' && !!redisUnavailable)(`y-webrtc signaling protocol (${mode === 'one' ? 'one server' : 'two servers sharing Redis'})`, () => {
    beforeAll(async () => {
      if (mode === 'two') redis = await startRedis();
    }, 30_000);
    afterAll(async () => {
      await redis?.stop();
      redis = undefined;
    });
    /** The `clients` count a publish carries: exact on one server, the sender's server's share on two. */
    const clientsCount = (n: number) => (mode === 'one' ? n : expect.any(Number));

    it('relays publish to every subscriber with the clients count, honours unsubscribe, answers ping', async () => {
      const s = await server();
      const a = await client(s.url);
      const b = await client(s.url);
      a.send({ type: 'subscribe', topics: ['room-1'] });
      b.send({ type: 'subscribe', topics: ['room-1', 'room-2'] });
      // Round-trip a ping so both subscriptions are processed before publishing.
      a.send({ type: 'ping' });
      b.send({ type: 'ping' });
      expect(await a.next('pong')).toEqual({ type: 'pong' });
      expect(await b.next('pong')).toEqual({ type: 'pong' });

      const data = { type: 'announce', from: 'peer-a' };
      a.send({ type: 'publish', topic: 'room-1', data });
      const expected = { type: 'publish', topic: 'room-1', data, clients: clientsCount(2) };
      expect(await a.next('publish')).toEqual(expected);
      expect(await b.next('publish')).toEqual(expected);

      b.send({ type: 'unsubscribe', topics: ['room-1'] });
      b.send({ type: 'ping' });
      await b.next('pong');
      a.send({ type: 'publish', topic: 'room-1', data: 'second' });
      expect(await a.next('publish')).toMatchObject({ data: 'second', clients: clientsCount(1) });
      // b is still on room-2 and gets nothing from room-1.
      a.send({ type: 'publish', topic: 'room-2', data: 'to-b' });
      expect(await b.next('publish')).toMatchObject({ topic: 'room-2', data: 'to-b', clients: clientsCount(1) });
      expect(b.pending()).toEqual([]);
    });

    it('works with a stock y-webrtc WebrtcProvider (subscribe + encrypted announce)', async () => {
      const s = await server();
      const watcher = await client(s.url);
      watcher.send({ type: 'subscribe', topics: ['stock-room'] });
      watcher.send({ type: 'ping' });
      await watcher.next('pong');

      const g = globalThis as { WebSocket?: unknown };
      const before = g.WebSocket;
      g.WebSocket = WebSocket; // Node 20 has no global WebSocket; lib0's client needs one.
      const { WebrtcProvider } = await import('y-webrtc');
      const doc = new Y.Doc();
      // On two servers the watcher is on the first and the provider on the second.
      const providerUrl = partnerOf.get(s.url)?.url ?? s.url;
      const provider = new WebrtcProvider('stock-room', doc, { signaling: [providerUrl], password: 'secret', peerOpts: { config: { iceServers: [] } } });
      try {
        const announce = await watcher.next('publish');
        expect(announce.topic).toBe('stock-room');
        expect(announce.clients).toEqual(clientsCount(2));
        // With a password, y-webrtc encrypts signaling payloads: the server relays a base64 string.
        expect(typeof announce.data).toBe('string');
      } finally {
        // destroy() alone leaves the shared signaling connection reconnecting; disconnect() ends it.
        provider.disconnect();
        provider.destroy();
        await provider.key;
        doc.destroy();
        g.WebSocket = before;
      }
    });
  });

describe('signaling limits', () => {
  it('closes an oversized message with 1009', async () => {
    const s = await server({ maxSignalBytes: 1024 });
    const c = await client(s.url);
    c.send({ type: 'publish', topic: 't', data: 'x'.repeat(2000) });
    expect((await c.closed).code).toBe(1009);
  });

  it('closes a connection subscribing more topics than allowed with 4413', async () => {
    const s = await server({ maxTopics: 3 });
    const c = await client(s.url);
    c.send({ type: 'subscribe', topics: ['a', 'b', 'c'] });
    c.send({ type: 'ping' });
    await c.next('pong');
    c.send({ type: 'subscribe', topics: ['d'] });
    expect(await c.closed).toEqual({ code: 4413, reason: 'more than 3 topics' });
  });

  it('answers malformed JSON with an error and closes with 4400 when it repeats', async () => {
    const s = await server({ maxMalformed: 2 });
    const c = await client(s.url);
    c.send('{not json');
    expect(await c.next('error')).toMatchObject({ type: 'error', code: 'bad-request' });
    c.send('[]');
    c.send('"type"');
    expect((await c.closed).code).toBe(4400);
  });

  it('closes a flooding client with 4429 while an honest client in another room is unaffected', async () => {
    const s = await server({ ratePerSec: 50, rateBurst: 100 });
    const flooder = await client(s.url);
    const honest = await client(s.url);
    honest.send({ type: 'subscribe', topics: ['quiet-room'] });
    flooder.send({ type: 'subscribe', topics: ['noisy-room'] });
    for (let i = 0; i < 300; i++) flooder.send({ type: 'publish', topic: 'noisy-room', data: i });
    expect(await flooder.closed).toEqual({ code: 4429, reason: 'rate limit exceeded' });

    honest.send({ type: 'publish', topic: 'quiet-room', data: 'still here' });
    expect(await honest.next('publish')).toMatchObject({ data: 'still here', clients: 1 });
  });

  it('refuses web origins, accepts extension origins and --allow-origin patterns', async () => {
    const s = await server({ allowOrigins: ['https://*.partner.example'] });
    await expect(TestClient.connect(s.url, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(TestClient.connect(s.url, { origin: 'null' })).rejects.toThrow('HTTP 403');
    for (const origin of ['chrome-extension://abcdefghijklmnop', 'moz-extension://1234-5678', 'https://lib.partner.example']) {
      const c = await client(s.url, { origin });
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
    }
    // Non-browser clients send no Origin and are allowed (the header is forgeable outside browsers).
    await client(s.url);

    const strict = await server({ allowExtensionOrigins: false, allowOrigins: ['chrome-extension://myid'] });
    await expect(TestClient.connect(strict.url, { origin: 'chrome-extension://otherid' })).rejects.toThrow('HTTP 403');
    await client(strict.url, { origin: 'chrome-extension://myid' });
  });

  it('refuses connections beyond maxConnections with 503', async () => {
    const s = await server({ maxConnections: 2 });
    await client(s.url);
    await client(`${s.url}/relay`);
    await expect(TestClient.connect(s.url)).rejects.toThrow('HTTP 503');
  });

  it('drops a peer that stops answering keep-alive pings', async () => {
    const s = await server({ pingIntervalMs: 50 });
    const dead = await client(s.url, { autoPong: false });
    const live = await client(s.url);
    const closed = await dead.closed;
    expect(closed.code).toBe(1006); // terminated: no closing handshake with a dead peer
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('operations', () => {
  it('GET /healthz reports connections, rooms and uptime', async () => {
    const s = await server();
    const c = await client(s.url);
    c.send({ type: 'subscribe', topics: ['x', 'y'] });
    c.send({ type: 'ping' });
    await c.next('pong');
    const res = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, connections: 1, rooms: 2, relayRooms: 0 });
    expect(body.uptimeSeconds).toBeTypeOf('number');
    expect((await fetch(`http://127.0.0.1:${s.port}/nope`)).status).toBe(404);
  });

  it('never writes topic names or payloads to stdout, even at debug level', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      // No logger option: the default stdout logger is what is under test.
      const s = await server({ logger: undefined, logLevel: 'debug', maxTopics: 2, maxMalformed: 0 });
      const topic = 'secret-topic-7f3a91';
      const payload = 'sdp-offer-payload-c0ffee';
      const relayRoom = roomOf(`tok-${topic}`);
      const a = await client(s.url);
      a.send({ type: 'subscribe', topics: [topic] });
      a.send({ type: 'publish', topic, data: { sdp: payload } });
      await a.next('publish');
      a.send({ type: 'unsubscribe', topics: [topic] });
      a.send({ type: 'subscribe', topics: [topic, topic + '-2', topic + '-3'] }); // too many: closed
      await a.closed;
      const r = await client(`${s.url}/relay`);
      r.send({ type: 'append', room: relayRoom, writeToken: `tok-${topic}`, entries: [btoa(payload)] });
      await r.next('ack');
      r.send(`{"type":"hello","room":"${relayRoom}"`); // malformed, echoing nothing back into logs
      await r.closed;
      await s.close();
      servers = servers.filter((x) => x !== s);
    } finally {
      spy.mockRestore();
    }
    const out = lines.join('');
    expect(out).toContain('"msg":"listening"');
    expect(out).toContain('"msg":"publish"');
    expect(out).toContain('"msg":"appended"');
    expect(out).not.toContain('secret-topic');
    expect(out).not.toContain(roomOf(`tok-secret-topic-7f3a91`));
    expect(out).not.toContain('c0ffee');
    expect(out).not.toContain(btoa('sdp-offer-payload-c0ffee'));
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('close() sends 1001 to connected clients', async () => {
    const s = await server();
    const c = await client(s.url);
    const r = await client(`${s.url}/relay`);
    await s.close();
    expect((await c.closed).code).toBe(1001);
    expect((await r.closed).code).toBe(1001);
  });

  it('memoryLogger sanity: a test server logs connection lifecycle', async () => {
    const logger = memoryLogger();
    const s = await server({ logger });
    const c = await client(s.url);
    await c.close();
    await s.close();
    expect(logger.lines.some((l) => l.includes('"connection opened"'))).toBe(true);
    expect(logger.lines.some((l) => l.includes('"connection closed"'))).toBe(true);
  });
});
