import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket, type ClientOptions } from 'ws';
import { startServer, type RunningServer, type ServerOptions } from '../index.ts';
import type { Logger, LogFields } from '../log.ts';
import { encodeClientMessage, parseServerMessage, RELAY_ROOM_PREFIX, type RelayClientMessage, type RelayServerMessage } from '../../protocol/relay.ts';

/** The relay room a write token may create (what `relayRoomFor` computes, synchronously). */
export function roomOf(writeToken: string): string {
  return createHash('sha256')
    .update(RELAY_ROOM_PREFIX + writeToken, 'utf8')
    .digest('hex');
}

/** A fresh temporary data directory. */
export function tempDir(prefix = 'pn-relay-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Logger that keeps every line (as the JSON text that would be printed). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const emit = (level: string) => (msg: string, fields?: LogFields) => {
    lines.push(JSON.stringify({ level, msg, ...fields }));
  };
  return { lines, debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Starts an in-process server on a free loopback port with a temp data dir and silent logs. */
export async function startTestServer(opts: Partial<ServerOptions> = {}): Promise<RunningServer & { dataDir: string }> {
  const dataDir = opts.dataDir ?? tempDir();
  const server = await startServer({ host: '127.0.0.1', port: 0, logger: memoryLogger(), ...opts, dataDir });
  return { ...server, dataDir };
}

/** How a socket ended. */
export interface Closed {
  code: number;
  reason: string;
}

/** A WebSocket test client that queues incoming text messages for awaiting. */
export class TestClient {
  private readonly queue: string[] = [];
  private waiters: (() => void)[] = [];
  /** Resolves when the socket closes. */
  readonly closed: Promise<Closed>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.queue.push(data.toString());
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.wake();
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on('error', () => {});
  }

  /** Opens a connection; rejects with the HTTP status when the upgrade is refused. */
  static connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`HTTP ${res.statusCode}`));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Sends a JSON object (or a raw string) as a text frame. */
  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Next raw text message matching `match`, skipping others; rejects after `timeoutMs`. */
  async nextText(match: (text: string) => boolean = () => true, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.queue.findIndex(match);
      if (i !== -1) return this.queue.splice(i, 1)[0]!;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting for a message');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Next JSON message (signaling), optionally of a given type. */
  async next(type?: string, timeoutMs?: number): Promise<Record<string, unknown>> {
    const text = await this.nextText((t) => type === undefined || (JSON.parse(t) as { type?: string }).type === type, timeoutMs);
    return JSON.parse(text) as Record<string, unknown>;
  }

  /** Messages received and not yet consumed. */
  pending(): string[] {
    return [...this.queue];
  }

  /** Closes the socket and waits for it to end. */
  async close(): Promise<Closed> {
    this.ws.close();
    return this.closed;
  }
}

/** Relay client speaking the typed protocol through `protocol.ts`, as the extension will. */
export class RelayClient {
  private nextId = 1;
  private constructor(readonly raw: TestClient) {}

  /** Connects to `${url}/relay`. */
  static async connect(url: string, options?: ClientOptions): Promise<RelayClient> {
    return new RelayClient(await TestClient.connect(`${url}/relay`, options));
  }

  /** Sends a message (assigning an id when missing) without waiting. Returns the id. */
  post(message: RelayClientMessage): number {
    const id = message.id ?? this.nextId++;
    this.raw.send(encodeClientMessage({ ...message, id } as RelayClientMessage));
    return id;
  }

  /** Sends a request and returns the reply with the same id (an `error` reply is returned, not thrown). */
  async request(message: RelayClientMessage, timeoutMs?: number): Promise<RelayServerMessage> {
    const id = this.post(message);
    return this.nextMessage((m) => 'id' in m && m.id === id, timeoutMs);
  }

  /** Next parsed server message matching `match`. */
  async nextMessage(match: (m: RelayServerMessage) => boolean, timeoutMs?: number): Promise<RelayServerMessage> {
    const text = await this.raw.nextText((t) => {
      const p = parseServerMessage(t);
      return p.ok && match(p.message);
    }, timeoutMs);
    const p = parseServerMessage(text);
    if (!p.ok) throw new Error(p.error);
    return p.message;
  }

  /** Fetches every entry after `since`, following pages. */
  async fetchAll(room: string, since = 0): Promise<{ seq: number; kind: string; data: Uint8Array }[]> {
    const out: { seq: number; kind: string; data: Uint8Array }[] = [];
    for (;;) {
      const r = await this.request({ type: 'fetch', room, since });
      if (r.type !== 'entries') throw new Error(`fetch failed: ${JSON.stringify(r)}`);
      out.push(...r.entries);
      if (!r.more) return out;
      since = r.entries[r.entries.length - 1]!.seq;
    }
  }

  /** Closes the connection. */
  close(): Promise<Closed> {
    return this.raw.close();
  }
}

/** Random bytes of a given length. */
export function randomBytesOf(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
}

/** A server running as a child process (`node --import tsx server/main.ts`). */
export interface ChildServer {
  proc: ChildProcess;
  url: string;
  /** Everything the process printed on stdout so far. */
  stdout: () => string;
  /** Resolves with the exit code (or signal name) once the process ends. */
  exited: Promise<number | string>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Spawns the real entry point and waits for its `listening ws://…` line. */
export function spawnServer(args: string[]): Promise<ChildServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 15_000);
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening (ws:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, stdout: () => out, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}\n${err}`));
    });
  });
}
