/**
 * Starving the relay without any credential (issue 12, point 3), each written as the attack.
 * Every test plays an attacker who holds no notebook secret, then checks that an honest
 * partner is still served.
 *
 * Different client addresses are simulated with `X-Forwarded-For` on a server started with
 * `trustProxy` (as behind Caddy or nginx): every test socket really comes from 127.0.0.1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayStore } from '../storage.ts';
import { randomBytesOf, RelayClient, startTestServer, tempDir, TestClient } from './helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let servers: Server[] = [];
let sockets: { terminate(): void }[] = [];
let stores: RelayStore[] = [];

afterEach(async () => {
  for (const s of sockets) s.terminate();
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(stores.map((s) => s.close()));
  servers = [];
  sockets = [];
  stores = [];
});

async function server(opts: Parameters<typeof startTestServer>[0] = {}): Promise<Server> {
  const s = await startTestServer({ trustProxy: true, ...opts });
  servers.push(s);
  return s;
}

/** A relay client that the server sees as coming from `address`. */
async function relayFrom(url: string, address: string): Promise<RelayClient> {
  const c = await RelayClient.connect(url, { headers: { 'x-forwarded-for': address } });
  sockets.push(c.raw.ws);
  return c;
}

/** The relay room a write token may create (PROTOCOL.md "Room names"), computed independently. */
function roomOf(token: string): string {
  return createHash('sha256').update(`partner-notebook/relay-room/v2\n${token}`, 'utf8').digest('hex');
}

const limits = { maxEntryBytes: 1 << 20, maxSnapshotBytes: 1 << 23, roomQuotaBytes: 1 << 26, totalQuotaBytes: 1 << 30, retentionDays: 0 };

/** Bytes the files and directories under `dir` really occupy on disk. */
function realDiskBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += statSync(p).blocks * 512;
    if (e.isDirectory()) n += realDiskBytes(p);
  }
  return n;
}

describe('relay starvation attacks', () => {
  it('squatting: a room learnt from the network cannot be claimed with another token', async () => {
    const s = await server();
    const victimToken = randomBytes(32).toString('hex');
    const room = roomOf(victimToken);
    const attacker = await relayFrom(s.url, '203.0.113.9');
    const squat = await attacker.request({ type: 'claim', room, writeToken: 'attacker-token' });
    expect(squat).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await attacker.request({ type: 'append', room, entries: [new Uint8Array([1])], writeToken: 'attacker-token' })).toMatchObject({ code: 'forbidden' });

    const victim = await relayFrom(s.url, '198.51.100.1');
    expect(await victim.request({ type: 'claim', room, writeToken: victimToken })).toMatchObject({ type: 'claimed' });
    expect(await victim.request({ type: 'append', room, entries: [new Uint8Array([2])], writeToken: victimToken })).toMatchObject({ type: 'ack', seqs: [1] });
  });

  it('claims of fresh rooms are counted as the disk space they really take', async () => {
    const dataDir = tempDir();
    const store = await RelayStore.open({ dataDir, ...limits });
    stores.push(store);
    for (let i = 0; i < 40; i++) {
      const token = `junk-${i}`;
      await store.claim(roomOf(token), token);
    }
    const real = realDiskBytes(path.join(dataDir, 'rooms'));
    // A directory and a small file each take at least one 4 KiB block on ext4/xfs/tmpfs.
    expect(real).toBeGreaterThan(40 * 4096);
    expect(store.usedBytes).toBeGreaterThanOrEqual(real * 0.9);
  });

  it('claims of junk rooms from one address cannot fill the total quota: an existing notebook still appends', async () => {
    const s = await server({ totalQuotaBytes: 2 * 1024 * 1024 });
    const honestToken = randomBytes(32).toString('hex');
    const honestRoom = roomOf(honestToken);
    const honest = await relayFrom(s.url, '198.51.100.1');
    expect(await honest.request({ type: 'append', room: honestRoom, entries: [randomBytesOf(8000)], writeToken: honestToken })).toMatchObject({ type: 'ack' });

    // The attacker mints valid tokens and claims their rooms: each claim is a directory and
    // a meta.json file on the server's disk.
    const attacker = await relayFrom(s.url, '203.0.113.9');
    const codes = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const token = `junk-token-${i}`;
      const r = await attacker.request({ type: 'claim', room: roomOf(token), writeToken: token });
      const code = r.type === 'error' ? r.code : r.type;
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (r.type === 'error' && i > 100) break;
    }
    expect(codes.get('claimed') ?? 0).toBeLessThan(400);
    for (let i = 0; i < 5; i++) {
      expect(await honest.request({ type: 'append', room: honestRoom, entries: [randomBytesOf(8000)], writeToken: honestToken })).toMatchObject({
        type: 'ack',
      });
    }
  });

  it('fetch and hello of rooms that do not exist keep nothing in memory', async () => {
    const store = await RelayStore.open({ dataDir: tempDir(), ...limits });
    stores.push(store);
    for (let i = 0; i < 500; i++) {
      const room = randomBytes(32).toString('hex');
      expect(await store.read(room, 0, 1 << 20)).toMatchObject({ entries: [], head: 0 });
      expect(await store.status(room)).toMatchObject({ head: 0, claimed: false });
    }
    expect(store.loadedRooms).toBe(0);
  });

  it('idle sockets without Origin from one address cannot take every connection slot', async () => {
    const s = await server({ maxConnections: 40, maxConnectionsPerAddress: 8 });
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      try {
        const c = await TestClient.connect(s.url, { headers: { 'x-forwarded-for': '203.0.113.9' } });
        sockets.push(c.ws);
      } catch {
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    const honest = await relayFrom(s.url, '198.51.100.1');
    expect(await honest.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it('a socket that never says anything is closed after the handshake timeout', async () => {
    const s = await server({ idleTimeoutMs: 300 });
    const silent = await TestClient.connect(s.url, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    sockets.push(silent.ws);
    expect((await silent.closed).code).toBe(4408);
    // A client that speaks at once is not affected.
    const honest = await relayFrom(s.url, '198.51.100.1');
    expect(await honest.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await new Promise((r) => setTimeout(r, 600));
    expect(await honest.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it('a follower that never reads is closed with 4503 long before it holds 32 MiB in the server', async () => {
    const s = await server({ storedBytesPerAddress: 1 << 30, rateBytesPerSec: 1 << 30, rateBurstBytes: 1 << 30 });
    const token = randomBytes(32).toString('hex');
    const room = roomOf(token);
    const reader = await relayFrom(s.url, '203.0.113.9');
    await reader.request({ type: 'hello', room });
    let received = 0;
    reader.raw.ws.on('message', (d: Buffer) => (received += d.length));
    (reader.raw.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    const writer = await relayFrom(s.url, '198.51.100.1');
    const entry = randomBytesOf(512 * 1024);
    let sent = 0;
    for (let i = 0; i < 48; i++) {
      const r = await writer.request({ type: 'append', room, entries: [entry], writeToken: token });
      expect(r.type).toBe('ack');
      sent += Math.ceil((entry.length * 4) / 3);
    }
    (reader.raw.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await reader.raw.closed).code).toBe(4503);
    expect(received).toBeLessThan(sent);
  }, 60_000);

  it('one address cannot store more than its byte budget, and other addresses still can', async () => {
    const s = await server({ storedBytesPerAddress: 256 * 1024 });
    const token = randomBytes(32).toString('hex');
    const attacker = await relayFrom(s.url, '203.0.113.9');
    let over: string | undefined;
    for (let i = 0; i < 20 && !over; i++) {
      const r = await attacker.request({ type: 'append', room: roomOf(token), entries: [randomBytesOf(32 * 1024)], writeToken: token });
      if (r.type === 'error') over = r.code;
    }
    expect(over).toBe('over-limit');
    const honestToken = randomBytes(32).toString('hex');
    const honest = await relayFrom(s.url, '198.51.100.1');
    expect(await honest.request({ type: 'append', room: roomOf(honestToken), entries: [randomBytesOf(32 * 1024)], writeToken: honestToken })).toMatchObject({
      type: 'ack',
    });
  });

  it('the rate limit counts bytes: a client cannot push megabytes faster than the byte rate', async () => {
    const s = await server({ rateBytesPerSec: 256 * 1024, rateBurstBytes: 512 * 1024, storedBytesPerAddress: 1 << 30 });
    const token = randomBytes(32).toString('hex');
    const room = roomOf(token);
    const c = await relayFrom(s.url, '203.0.113.9');
    let acked = 0;
    c.raw.ws.on('message', (d: Buffer) => {
      if (d.toString().includes('"ack"')) acked++;
    });
    const started = performance.now();
    // 40 × 128 KiB = 5 MiB, pipelined: today all of it is taken in at once.
    for (let i = 0; i < 40; i++) c.post({ type: 'append', room, entries: [randomBytesOf(128 * 1024)], writeToken: token });
    await new Promise((r) => setTimeout(r, 1000));
    const elapsed = (performance.now() - started) / 1000;
    // An upper bound only (a loaded machine is slower, never faster): burst + rate × time,
    // in base64 frames of ~175 KB each, plus one frame in progress.
    const allowed = Math.ceil((512 * 1024 + 256 * 1024 * elapsed) / ((128 * 1024 * 4) / 3)) + 1;
    expect(acked).toBeLessThanOrEqual(allowed);
    expect(acked).toBeLessThan(40);
  });
});
