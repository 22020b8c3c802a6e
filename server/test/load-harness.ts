/**
 * The server under load, shared by `bench/server-load.bench.ts` (500 clients, 60 s) and
 * `server/test/load.test.ts` (a few seconds in CI). Not a test file itself.
 *
 * The real entry point (`server/main.ts`) runs as a child process on 127.0.0.1 with a temp
 * data dir, so its RSS (read from /proc every second) is the server's alone, not the 500
 * client sockets' of this process. Honest clients:
 *   - signaling: `clients` sockets in `rooms` topics, each publishing a y-webrtc-sized
 *     message (SDP/ICE-like, 200 B–4 KB) every ~`publishIntervalMs` and a ping every 15 s,
 *     as stock y-webrtc does; every delivery is checked (each subscriber, the sender too,
 *     must get every message: loss) and timed (latency, send → receive, same clock);
 *   - relay: `relayClients` sockets, two per room, appending 1–8 KB entries, fetching, and
 *     receiving each other's pushes (ack latency, lost pushes).
 * Abusive clients, in rooms of their own: a flood over the rate limit (expect 4429), an
 * oversized frame (1009), malformed JSON (4400), too many topics (4413), and a slow reader
 * that never reads while three publishers fill its topic (4503, found in the server's log).
 *
 * Every loop is bounded by count and time, and the run ends by itself.
 */
import http from 'node:http';
import { promises as fsp, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { encodeClientMessage, parseServerMessage } from '../../protocol/relay.ts';
import { roomOf as roomForToken, spawnServer, tempDir, type ChildServer } from './helpers.ts';

/** What to run. */
export interface LoadOptions {
  /** Honest signaling clients. */
  clients: number;
  /** Signaling topics they are spread over (clients / rooms per room). */
  rooms: number;
  /** How long honest traffic runs, in ms (abuse runs inside this window). */
  durationMs: number;
  /** Mean interval between one client's publishes, in ms (uniformly 0.5–1.5 × this). */
  publishIntervalMs: number;
  /** Honest relay clients (two per relay room). */
  relayClients: number;
  /** Mean interval between one relay client's appends, in ms. */
  relayIntervalMs: number;
  /** Run the abusive clients too. */
  abuse: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /**
   * Several server processes sharing PostgreSQL (relay storage) and Redis (fan-out) instead of
   * one process with the embedded store. Client i talks to process floor(i / rooms) % processes,
   * so every signaling room has members on each process, and the two partners of a relay room
   * (clients 2k and 2k+1 of the relay clients, alternating) are on different processes.
   */
  cluster?: { processes: number; databaseUrl: string; redisUrl: string };
}

/** Percentiles of a sample, in ms. */
export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** How one abusive client ended. */
export interface AbuseResult {
  /** Close code the client saw (or the server logged, for the slow reader); null if never closed. */
  code: number | null;
  /** The code PROTOCOL.md documents for it. */
  expected: number;
  /** What the client did before it was closed. */
  detail: string;
}

/** Everything measured. */
export interface LoadReport {
  /** Server processes, and the relay store they used. */
  processes: number;
  store: 'embedded' | 'postgres';
  clients: number;
  rooms: number;
  relayClients: number;
  durationSeconds: number;
  /** Open-files soft limit seen, and whether the client count had to be reduced for it. */
  fdLimit: number | null;
  scaledDown: boolean;
  serverStayedUp: boolean;
  healthChecks: { ok: number; failed: number };
  rssMiB: { start: number; max: number; end: number; samples: number } | null;
  signaling: {
    published: number;
    expectedDeliveries: number;
    delivered: number;
    lost: number;
    duplicates: number;
    /** Honest messages published per second, and deliveries per second (one message reaches every member of its room). */
    publishedPerSecond: number;
    deliveredPerSecond: number;
    /** Every honest delivery. */
    latencyMs: Latency;
    /** Deliveries of messages sent after the abusive clients were done (the flood and slow reader load the server too). */
    quietLatencyMs: Latency;
  };
  /** Seconds from the start of the honest traffic during which the abusive clients ran. */
  abuseSeconds: number;
  relay: {
    appends: number;
    acked: number;
    failed: number;
    ackedPerSecond: number;
    ackLatencyMs: Latency;
    quietAckLatencyMs: Latency;
    pushLatencyMs: Latency;
    pushesExpected: number;
    pushesReceived: number;
    pushesLost: number;
    fetches: number;
  };
  abuse: Record<'flood' | 'oversized' | 'malformed' | 'tooManyTopics' | 'slowReader', AbuseResult> | null;
  /** Event-loop delay of this (client) process, which adds to the latencies measured. */
  clientLoopDelayMs: { p50: number; max: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentiles(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { count: s.length, p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(s.at(-1) ?? 0) };
}

/** The soft open-files limit of this process (Linux), or null when unknown. */
export function openFilesLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : null;
  } catch {
    return null;
  }
}

function rssMiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function health(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url.replace(/^ws/, 'http') + '/healthz', { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

let nextAddress = 1;

/**
 * A distinct client address for each honest socket: the server runs with `--trust-proxy` and
 * sees `X-Forwarded-For`, as behind Caddy, so its per-address limits apply as they would to
 * people in different places (every socket here really comes from 127.0.0.1).
 */
export function freshAddress(): string {
  const n = nextAddress++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function connect(url: string, address = freshAddress()): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers: { 'x-forwarded-for': address } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Opens sockets a few dozen at a time: a thundering herd would measure the kernel's backlog, not the server. */
async function connectMany(url: (i: number) => string, n: number): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let i = 0; i < n; i += 50) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, k) => connect(url(i + k))))));
  }
  return out;
}

const closed = (ws: WebSocket, timeoutMs: number) =>
  new Promise<number | null>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve(null);
    const t = setTimeout(() => resolve(null), timeoutMs);
    ws.once('close', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });

/** Runs the load and returns the figures. Always stops the server and closes every socket. */
export async function runServerLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const fdLimit = openFilesLimit();
  // This process holds one descriptor per socket (the server child as many again, under its
  // own copy of the limit); keep 100 for files, pipes and the abusive clients.
  const wanted = options.clients + options.relayClients;
  const room = fdLimit === null || !Number.isFinite(fdLimit) ? wanted : Math.max(10, fdLimit - 100);
  const scaledDown = wanted > room;
  const clients = scaledDown ? Math.max(2, Math.floor((options.clients * room) / wanted)) : options.clients;
  const relayClients = scaledDown ? Math.floor((options.relayClients * room) / wanted) & ~1 : options.relayClients & ~1;
  if (scaledDown) log(`open-files limit ${fdLimit}: running ${clients} + ${relayClients} clients (raise it with \`ulimit -n 4096\`)`);

  const dataDir = tempDir('pn-load-');
  const servers: ChildServer[] = [];
  const sockets: WebSocket[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const cluster = options.cluster;
  const processes = cluster ? Math.max(1, cluster.processes) : 1;
  try {
    const args = cluster
      ? ['--store', 'postgres', '--database-url', cluster.databaseUrl, '--redis-url', cluster.redisUrl, '--log-level', 'warn', '--trust-proxy']
      : ['--data-dir', dataDir, '--log-level', 'warn', '--trust-proxy'];
    for (let k = 0; k < processes; k++) servers.push(await spawnServer(args));
    const url = servers[0]!.url;
    const urlFor = (i: number, per: number) => servers[Math.floor(i / per) % processes]!.url;
    let serverExited = false;
    for (const srv of servers) void srv.exited.then(() => (serverExited = true));
    log(`server${processes > 1 ? 's' : ''} ${servers.map((srv) => `${srv.url} (pid ${srv.proc.pid})`).join(', ')}${cluster ? ' on PostgreSQL + Redis' : ''}`);

    // ---- sampling: RSS (all processes together) and /healthz every second ----------------
    const rss: number[] = [];
    const healthChecks = { ok: 0, failed: 0 };
    const totalRss = () => {
      const xs = servers.map((srv) => rssMiB(srv.proc.pid!));
      return xs.some((x) => x === null) ? null : xs.reduce((a, b) => a! + b!, 0);
    };
    const firstRss = totalRss();
    if (firstRss !== null) rss.push(firstRss);
    const sampler = setInterval(() => {
      const r = totalRss();
      if (r !== null) rss.push(r);
      for (const srv of servers) void health(srv.url).then((ok) => void (ok ? healthChecks.ok++ : healthChecks.failed++));
    }, 1000);

    // ---- honest signaling clients --------------------------------------------------------
    const rooms = Math.max(1, Math.min(options.rooms, clients));
    const sig = await connectMany((i) => urlFor(i, rooms), clients);
    sockets.push(...sig);
    const roomOf = (i: number) => `load-room-${i % rooms}`;
    const members = new Map<string, number>();
    for (let i = 0; i < clients; i++) members.set(roomOf(i), (members.get(roomOf(i)) ?? 0) + 1);
    const abuseWindow = { start: 0, end: Infinity };
    const latencies: number[] = [];
    /** Latencies of messages sent while no abusive client was active. */
    const quietLatencies: number[] = [];
    const seen = new Map<string, number>(); // "sender:seq" → deliveries
    let published = 0;
    let expectedDeliveries = 0;
    let duplicates = 0;
    sig.forEach((ws, i) => {
      const received = new Set<string>();
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { type?: string; from?: number; seq?: number; sentAt?: number };
        if (m.type !== 'publish' || typeof m.sentAt !== 'number') return;
        const ms = performance.now() - m.sentAt;
        latencies.push(ms);
        if (m.sentAt > abuseWindow.end) quietLatencies.push(ms);
        const key = `${m.from}:${m.seq}`;
        if (received.has(key)) duplicates++;
        received.add(key);
        seen.set(key, (seen.get(key) ?? 0) + 1);
      });
      ws.on('error', () => {});
      ws.send(JSON.stringify({ type: 'subscribe', topics: [roomOf(i)] }));
    });
    // Subscriptions in place before anyone publishes (with Redis, each process subscribes its channels too).
    await sleep(cluster ? 1000 : 300);

    // ---- honest relay clients --------------------------------------------------------------
    const relaySockets = await connectMany((i) => `${urlFor(i, 1)}/relay`, relayClients);
    sockets.push(...relaySockets);
    const relay = { appends: 0, acked: 0, failed: 0, pushesExpected: 0, pushesReceived: 0, fetches: 0 };
    const ackLatencies: number[] = [];
    const pushLatencies: number[] = [];
    const quietAckLatencies: number[] = [];
    const relayTokenOf = (i: number) => `token-load-relay-${Math.floor(i / 2)}`;
    const relayRoomOf = (i: number) => roomForToken(relayTokenOf(i));
    const relayWaiters = new Map<string, (ok: boolean) => void>();
    relaySockets.forEach((ws, i) => {
      ws.on('message', (data) => {
        const p = parseServerMessage(String(data));
        if (!p.ok) return;
        const m = p.message;
        if (m.type === 'push') {
          relay.pushesReceived += m.entries.length;
          // Each entry starts with its append's send time (same clock): append → partner's push.
          for (const e of m.entries)
            if (e.data.length >= 8) pushLatencies.push(performance.now() - new DataView(e.data.buffer, e.data.byteOffset, 8).getFloat64(0));
        } else if ('id' in m && m.id !== undefined) {
          const w = relayWaiters.get(`${i}:${m.id}`);
          relayWaiters.delete(`${i}:${m.id}`);
          w?.(m.type !== 'error');
        }
      });
      ws.on('error', () => {});
    });
    let relayNextId = 1;
    const relayRequest = (i: number, msg: Parameters<typeof encodeClientMessage>[0]) =>
      new Promise<boolean>((resolve) => {
        const id = relayNextId++;
        const t = setTimeout(() => {
          relayWaiters.delete(`${i}:${id}`);
          resolve(false);
        }, 10_000);
        relayWaiters.set(`${i}:${id}`, (ok) => {
          clearTimeout(t);
          resolve(ok);
        });
        relaySockets[i]!.send(encodeClientMessage({ ...msg, id } as Parameters<typeof encodeClientMessage>[0]));
      });
    await Promise.all(relaySockets.map((_, i) => relayRequest(i, { type: 'hello', room: relayRoomOf(i), writeToken: relayTokenOf(i) })));
    if (cluster) await sleep(500);

    // ---- abusive clients (in the window, rooms of their own) ------------------------------
    abuseWindow.start = performance.now();
    const abuse = options.abuse ? runAbuse(url, sockets, log).finally(() => (abuseWindow.end = performance.now())) : null;
    if (!abuse) abuseWindow.end = abuseWindow.start;

    // ---- the honest traffic ----------------------------------------------------------------
    loopDelay.enable();
    const start = performance.now();
    const end = start + options.durationMs;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    };
    const padding = 'x'.repeat(4000);
    sig.forEach((ws, i) => {
      let seq = 0;
      const tick = () => {
        if (performance.now() >= end || ws.readyState !== WebSocket.OPEN) return;
        const size = 200 + Math.floor(Math.random() * 3800);
        ws.send(JSON.stringify({ type: 'publish', topic: roomOf(i), from: i, seq: ++seq, sentAt: performance.now(), pad: padding.slice(0, size) }));
        published++;
        expectedDeliveries += members.get(roomOf(i))!;
        later(options.publishIntervalMs * (0.5 + Math.random()), tick);
      };
      later(Math.random() * options.publishIntervalMs, tick);
      const ping = () => {
        if (performance.now() >= end || ws.readyState !== WebSocket.OPEN) return;
        ws.send('{"type":"ping"}');
        later(15_000, ping);
      };
      later(Math.random() * 15_000, ping);
    });
    relaySockets.forEach((_, i) => {
      let n = 0;
      const tick = () => {
        if (performance.now() >= end) return;
        n++;
        const bytes = new Uint8Array(1024 + Math.floor(Math.random() * 7 * 1024));
        relay.appends++;
        // Its room partner receives this as a push.
        if (relaySockets.length > (i ^ 1)) relay.pushesExpected++;
        const t0 = performance.now();
        new DataView(bytes.buffer).setFloat64(0, t0);
        void relayRequest(i, { type: 'append', room: relayRoomOf(i), entries: [bytes], writeToken: relayTokenOf(i) }).then((ok) => {
          if (ok) {
            relay.acked++;
            ackLatencies.push(performance.now() - t0);
            if (t0 > abuseWindow.end) quietAckLatencies.push(performance.now() - t0);
          } else relay.failed++;
        });
        if (n % 5 === 0) {
          relay.fetches++;
          void relayRequest(i, { type: 'fetch', room: relayRoomOf(i), since: 0, maxBytes: 64 * 1024 });
        }
        later(options.relayIntervalMs * (0.5 + Math.random()), tick);
      };
      later(Math.random() * options.relayIntervalMs, tick);
    });

    let lastReport = start;
    while (performance.now() < end && !serverExited) {
      await sleep(200);
      if (performance.now() - lastReport >= 10_000) {
        lastReport = performance.now();
        log(`${Math.round((lastReport - start) / 1000)} s: ${published} published, ${latencies.length} delivered, RSS ${rss.at(-1)?.toFixed(1)} MiB`);
      }
    }
    for (const t of timers) clearTimeout(t);
    // Let in-flight messages land before counting losses.
    const drainUntil = performance.now() + 5000;
    while (performance.now() < drainUntil && (latencies.length < expectedDeliveries || relay.acked + relay.failed < relay.appends)) await sleep(50);
    await sleep(200);
    loopDelay.disable();
    const abuseResults = abuse ? await abuse : null;
    clearInterval(sampler);
    const serverStayedUp = !serverExited && (await Promise.all(servers.map((srv) => health(srv.url)))).every(Boolean);
    rss.push(totalRss() ?? rss.at(-1) ?? 0);

    let delivered = 0;
    for (const v of seen.values()) delivered += v;
    delivered -= duplicates;
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const seconds = options.durationMs / 1000;
    return {
      processes,
      store: cluster ? 'postgres' : 'embedded',
      clients,
      rooms,
      relayClients,
      durationSeconds: Math.round(options.durationMs / 100) / 10,
      fdLimit: fdLimit === Infinity ? null : fdLimit,
      scaledDown,
      serverStayedUp,
      healthChecks,
      rssMiB: rss.length ? { start: r1(rss[0]!), max: r1(Math.max(...rss)), end: r1(rss.at(-1)!), samples: rss.length } : null,
      signaling: {
        published,
        expectedDeliveries,
        delivered,
        lost: Math.max(0, expectedDeliveries - delivered),
        duplicates,
        publishedPerSecond: r1(published / seconds),
        deliveredPerSecond: r1(delivered / seconds),
        latencyMs: percentiles(latencies),
        quietLatencyMs: percentiles(quietLatencies),
      },
      relay: {
        ...relay,
        ackedPerSecond: r1(relay.acked / seconds),
        ackLatencyMs: percentiles(ackLatencies),
        quietAckLatencyMs: percentiles(quietAckLatencies),
        pushLatencyMs: percentiles(pushLatencies),
        pushesLost: Math.max(0, relay.pushesExpected - relay.pushesReceived),
      },
      abuse: abuseResults,
      abuseSeconds: Math.round((Math.min(abuseWindow.end, end) - abuseWindow.start) / 100) / 10,
      clientLoopDelayMs: { p50: r1(loopDelay.percentile(50) / 1e6), max: r1(loopDelay.max / 1e6) },
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    await Promise.all(
      servers.map(async (server) => {
        if (server.proc.exitCode !== null) return;
        server.proc.kill('SIGTERM');
        const t = setTimeout(() => server.proc.kill('SIGKILL'), 5000);
        await server.exited;
        clearTimeout(t);
      }),
    );
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
}

/** The abusive clients; resolves once each has been closed (or has timed out). */
async function runAbuse(url: string, sockets: WebSocket[], log: (s: string) => void): Promise<NonNullable<LoadReport['abuse']>> {
  const open = async () => {
    const ws = await connect(url);
    ws.on('error', () => {});
    sockets.push(ws);
    return ws;
  };

  // Flood: 1,000 publishes at once, five times the burst.
  const flooder = await open();
  flooder.send(JSON.stringify({ type: 'subscribe', topics: ['abuse-flood'] }));
  for (let i = 0; i < 1000 && flooder.readyState === WebSocket.OPEN; i++) flooder.send(JSON.stringify({ type: 'publish', topic: 'abuse-flood', n: i }));
  const flood = closed(flooder, 10_000);

  // One frame of 64 KiB + 1.
  const big = await open();
  big.send(JSON.stringify({ type: 'publish', topic: 'abuse-big', pad: 'x'.repeat(64 * 1024) }));
  const oversized = closed(big, 10_000);

  // Malformed JSON, one more than tolerated.
  const bad = await open();
  for (let i = 0; i < 6; i++) bad.send(i % 2 ? '{"type":' : 'not json at all');
  const malformed = closed(bad, 10_000);

  // 65 topics on one connection.
  const greedy = await open();
  greedy.send(JSON.stringify({ type: 'subscribe', topics: Array.from({ length: 65 }, (_, i) => `abuse-topic-${i}`) }));
  const tooManyTopics = closed(greedy, 10_000);

  // Slow reader: subscribed, but its socket is never read; three publishers fill the topic at
  // just under the rate limit (burst 200, then 45/s) with ~60 KB messages.
  const slow = await open();
  slow.send(JSON.stringify({ type: 'subscribe', topics: ['abuse-slow'] }));
  await sleep(100);
  (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
  const publishers = await Promise.all([open(), open(), open()]);
  const fat = JSON.stringify({ type: 'publish', topic: 'abuse-slow', pad: 'y'.repeat(60_000) });
  for (const p of publishers) p.send(JSON.stringify({ type: 'subscribe', topics: ['abuse-slow'] }));
  await sleep(50);
  // The server closes a consumer with more than 4 MiB queued (besides its largest frame) (and does not log it, unlike the
  // other closes), so the verdict is what the reader sees once it reads again: 4503 after the
  // data that was queued before the close. 4 s is the burst (~34 MB) plus ~30 MB more, beyond
  // 32 MiB plus what the loopback socket buffers absorb.
  const pumpUntil = performance.now() + 4000;
  let sent = 0;
  for (let round = 0; performance.now() < pumpUntil; round++) {
    const n = round === 0 ? 190 : 9; // the burst, then 45/s per publisher in 200 ms steps
    for (const p of publishers) for (let k = 0; k < n && p.readyState === WebSocket.OPEN; k++, sent++) p.send(fat);
    await sleep(200);
  }
  (slow as unknown as { _socket: { resume(): void } })._socket.resume();
  const slowCode = await closed(slow, 15_000);
  log(`slow reader: closed with ${slowCode} after ${sent} messages of 60 KB to its topic`);
  for (const p of publishers) p.close();

  return {
    flood: { code: await flood, expected: 4429, detail: '1,000 publishes at once (burst 200, 50/s)' },
    oversized: { code: await oversized, expected: 1009, detail: 'one 64 KiB + ~50 B text frame (limit 64 KiB)' },
    malformed: { code: await malformed, expected: 4400, detail: '6 frames that are not JSON objects (5 tolerated)' },
    tooManyTopics: { code: await tooManyTopics, expected: 4413, detail: 'subscribe to 65 topics (limit 64)' },
    slowReader: {
      code: slowCode,
      expected: 4503,
      detail: `never reads while 3 publishers send ${sent} × 60 KB to its topic (limit 4 MiB queued besides one frame)`,
    },
  };
}

/** A readable table of a report. */
export function formatReport(r: LoadReport): string {
  const rows: [string, string][] = [
    ['server', r.processes > 1 ? `${r.processes} processes, relay store PostgreSQL, fan-out through Redis` : `1 process, embedded relay store`],
    ['clients / rooms', `${r.clients} signaling in ${r.rooms} rooms + ${r.relayClients} relay${r.scaledDown ? ' (scaled down for the fd limit)' : ''}`],
    ['duration', `${r.durationSeconds} s`],
    ['server stayed up', `${r.serverStayedUp ? 'yes' : 'NO'} (health checks ${r.healthChecks.ok} ok, ${r.healthChecks.failed} failed)`],
    [
      'server RSS',
      r.rssMiB ? `start ${r.rssMiB.start} MiB, max ${r.rssMiB.max} MiB, end ${r.rssMiB.end} MiB (${r.rssMiB.samples} samples)` : 'not measurable here',
    ],
    ['signaling published', `${r.signaling.published} messages → ${r.signaling.expectedDeliveries} deliveries expected`],
    ['signaling delivered', `${r.signaling.delivered} (lost ${r.signaling.lost}, duplicates ${r.signaling.duplicates})`],
    ['signaling throughput', `${r.signaling.publishedPerSecond} messages/s published, ${r.signaling.deliveredPerSecond} deliveries/s`],
    [
      'signaling latency',
      `p50 ${r.signaling.latencyMs.p50} ms, p95 ${r.signaling.latencyMs.p95} ms, p99 ${r.signaling.latencyMs.p99} ms, max ${r.signaling.latencyMs.max} ms (all)`,
    ],
    [
      '  after the abuse',
      `p50 ${r.signaling.quietLatencyMs.p50} ms, p95 ${r.signaling.quietLatencyMs.p95} ms, p99 ${r.signaling.quietLatencyMs.p99} ms, max ${r.signaling.quietLatencyMs.max} ms (${r.signaling.quietLatencyMs.count} deliveries; abuse ran the first ${r.abuseSeconds} s)`,
    ],
    ['relay appends', `${r.relay.appends} (acked ${r.relay.acked}, failed ${r.relay.failed}, ${r.relay.ackedPerSecond}/s); ${r.relay.fetches} fetches`],
    [
      'relay ack latency',
      `p50 ${r.relay.ackLatencyMs.p50} ms, p95 ${r.relay.ackLatencyMs.p95} ms, max ${r.relay.ackLatencyMs.max} ms (all; ${r.store === 'postgres' ? 'one COMMIT' : 'one fsync'} per append)`,
    ],
    [
      '  after the abuse',
      `p50 ${r.relay.quietAckLatencyMs.p50} ms, p95 ${r.relay.quietAckLatencyMs.p95} ms, max ${r.relay.quietAckLatencyMs.max} ms (${r.relay.quietAckLatencyMs.count} appends)`,
    ],
    ['relay pushes', `${r.relay.pushesReceived} of ${r.relay.pushesExpected} (lost ${r.relay.pushesLost})`],
    [
      'relay push latency',
      `p50 ${r.relay.pushLatencyMs.p50} ms, p95 ${r.relay.pushLatencyMs.p95} ms, max ${r.relay.pushLatencyMs.max} ms (append sent → partner pushed)`,
    ],
    ['client event-loop delay', `p50 ${r.clientLoopDelayMs.p50} ms, max ${r.clientLoopDelayMs.max} ms (part of the latencies)`],
  ];
  if (r.abuse) {
    for (const [name, a] of Object.entries(r.abuse)) {
      rows.push([`abuse: ${name}`, `${a.code === a.expected ? 'closed' : 'UNEXPECTED'} ${a.code ?? '(not closed)'} (expected ${a.expected}) — ${a.detail}`]);
    }
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
