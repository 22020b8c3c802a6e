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
 *
 * This file runs the honest traffic; the sockets and probes are in load-sockets.ts, the abusive
 * clients in load-abuse.ts, the figures and their table in load-report.ts.
 */
import { promises as fsp } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { encodeClientMessage, parseServerMessage } from '../../protocol/relay.ts';
import { roomOf as roomForToken, spawnServer, tempDir, type ChildServer } from './helpers.ts';
import { runAbuse } from './load-abuse.ts';
import { percentiles, type LoadReport } from './load-report.ts';
import { connectMany, health, openFilesLimit, rssMiB, sleep } from './load-sockets.ts';

// The harness's entry points, for the benchmarks and load.test.ts.
export { formatReport, type AbuseResult, type Latency, type LoadReport } from './load-report.ts';

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
