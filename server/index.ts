import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { makeOriginCheck, resolveOptions, type ServerOptions } from './config.ts';
import { CloseCode } from './close-codes.ts';
import { AddressLimits, clientAddress, ReadGate } from './limits.ts';
import { createLogger } from './log.ts';
import { RELAY_PATH } from '../protocol/relay.ts';
import { RelayHub } from './relay.ts';
import { SignalingHub } from './signaling.ts';
import { openRedisFanout, type Fanout } from './fanout.ts';
import { PgStore } from './pg-store.ts';
import type { RelayStorage } from './relay-storage.ts';
import { RelayStore } from './storage.ts';

export type { ServerOptions } from './config.ts';

/** A running server. */
export interface RunningServer {
  /** Signaling URL, e.g. `ws://127.0.0.1:4444` (the relay is at `${url}/relay`). */
  url: string;
  /** The bound port (useful with `port: 0`). */
  port: number;
  /**
   * Stops accepting, closes every socket with 1001, waits for pending storage writes and
   * releases the port. Idempotent.
   */
  close(): Promise<void>;
}

/** Grace period for clients to answer the closing handshake before their sockets are cut. */
const CLOSE_GRACE_MS = 2000;

/**
 * Starts signaling (every path except `/relay`) and the encrypted relay (`/relay`) on one
 * HTTP server. Resolves once listening; rejects if the port is taken or storage cannot open.
 */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const opts = resolveOptions(options);
  const log = opts.logger ?? createLogger(opts.logLevel);
  const originAllowed = makeOriginCheck(opts);
  const startedAt = Date.now();

  const store: RelayStorage =
    opts.store === 'postgres' ? await PgStore.open({ ...opts, databaseUrl: opts.databaseUrl!, logger: log }) : await RelayStore.open({ ...opts, logger: log });
  let fanout: Fanout | undefined;
  try {
    fanout = opts.redisUrl ? await openRedisFanout(opts.redisUrl, log) : undefined;
  } catch (e) {
    await store.close();
    throw e;
  }
  const signaling = new SignalingHub(opts, log, fanout);
  const relay = new RelayHub(store, opts, log, fanout);
  const perAddress = new AddressLimits(opts);
  /** Timers that resume rate-limited sockets; cleared on close. */
  const rateTimers = new Set<NodeJS.Timeout>();

  // Two WebSocket servers only to get two payload limits: signaling messages are tiny,
  // relay frames carry up to a base64 snapshot.
  const signalWss = new WebSocketServer({ noServer: true, maxPayload: opts.maxSignalBytes, perMessageDeflate: false });
  const relayWss = new WebSocketServer({
    noServer: true,
    maxPayload: Math.ceil((Math.max(opts.maxEntryBytes, opts.maxSnapshotBytes) * 4) / 3) + 64 * 1024,
    perMessageDeflate: false,
  });

  const sockets = new Set<WebSocket>();
  const alive = new WeakSet<WebSocket>();
  let pendingUpgrades = 0;
  let nextConnId = 1;
  let closing = false;

  const httpServer = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      const body = JSON.stringify({
        ok: !closing,
        connections: sockets.size,
        rooms: signaling.topicCount,
        relayRooms: relay.roomCount,
        uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
      });
      res.writeHead(closing ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (pathname === '/' || pathname === RELAY_PATH) {
      res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      res.end('Partner Notebook server: connect with a WebSocket.\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });

  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  };

  httpServer.on('upgrade', (req, socket, head) => {
    // An abrupt client reset must not surface as an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    const origin = req.headers.origin;
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    if (!originAllowed(origin)) {
      // The origin itself is logged: it names an extension or website, not a room.
      log.warn('origin refused', { origin: String(origin).slice(0, 200) });
      return refuse(socket, 403, 'Forbidden');
    }
    if (sockets.size + pendingUpgrades >= opts.maxConnections) {
      log.warn('connection limit reached', { max: opts.maxConnections });
      return refuse(socket, 503, 'Service Unavailable');
    }
    // Counted from here until the socket closes, handshake or not. The address is not logged.
    const addr = clientAddress(req, opts.trustProxy);
    if (!perAddress.connect(addr)) {
      log.warn('per-address connection limit reached', { max: opts.maxConnectionsPerAddress });
      return refuse(socket, 429, 'Too Many Requests');
    }
    socket.once('close', () => perAddress.disconnect(addr));
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const isRelay = pathname === RELAY_PATH;
    // Counted until the handshake ends either way, so a burst of half-open upgrades cannot
    // overshoot maxConnections; a failed handshake never calls back but does close the socket.
    pendingUpgrades++;
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        pendingUpgrades--;
      }
    };
    socket.once('close', settle);
    (isRelay ? relayWss : signalWss).handleUpgrade(req, socket, head, (ws) => {
      settle();
      const connId = nextConnId++;
      const opened = Date.now();
      sockets.add(ws);
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      const gate = new ReadGate(ws);
      // Honest clients speak at once (subscribe, hello); a silent socket only holds a slot.
      const idle = setTimeout(() => ws.close(CloseCode.Idle, 'said nothing after connecting'), opts.idleTimeoutMs);
      // Registered before the hubs' listeners: the bytes are charged before any work is done,
      // and reading pauses while the address is over its byte rate (TCP pushes back on it).
      ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
        clearTimeout(idle);
        const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
        const wait = perAddress.received(addr, bytes);
        if (wait > 0) gate.holdFor(wait, rateTimers);
      });
      // Protocol errors (e.g. 1009 on an oversized frame) close the socket; log, don't crash.
      ws.on('error', (e) => log.warn('socket error', { conn: connId, error: e.message }));
      ws.on('close', (code) => {
        clearTimeout(idle);
        sockets.delete(ws);
        log.info('connection closed', { conn: connId, role: isRelay ? 'relay' : 'signaling', code, seconds: Math.round((Date.now() - opened) / 1000) });
      });
      log.info('connection opened', { conn: connId, role: isRelay ? 'relay' : 'signaling', connections: sockets.size });
      if (isRelay) relay.handle(ws, connId, { guard: perAddress.guard(addr), gate });
      else signaling.handle(ws, connId);
    });
  });

  // Keep-alive like the stock server: ping everyone each interval, drop those that did not
  // answer the previous ping. terminate(), not close(): a dead peer never finishes a handshake.
  const keepAlive = setInterval(() => {
    for (const ws of sockets) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, opts.pingIntervalMs);
  keepAlive.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  }).catch(async (e: unknown) => {
    clearInterval(keepAlive);
    await fanout?.close();
    await store.close();
    throw e;
  });

  const port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `ws://${hostForUrl}:${port}`;
  log.info('listening', {
    host: opts.host,
    port,
    store: opts.store,
    dataDir: opts.store === 'embedded' ? opts.dataDir : undefined,
    fanout: opts.redisUrl ? 'redis' : 'none',
    retentionDays: opts.retentionDays,
  });

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      closing = true;
      clearInterval(keepAlive);
      perAddress.close();
      for (const t of rateTimers) clearTimeout(t);
      const serverClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      for (const ws of sockets) ws.close(CloseCode.GoingAway, 'server shutting down');
      const deadline = Date.now() + CLOSE_GRACE_MS;
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const ws of sockets) ws.terminate();
      await fanout?.close();
      await store.close();
      await serverClosed;
      log.info('stopped', {});
    })());

  return { url, port, close };
}
