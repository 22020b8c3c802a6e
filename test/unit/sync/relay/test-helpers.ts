/**
 * Shared pieces of the relay client tests: an in-process server, in-memory stores, a `ws`
 * WebSocket that tests can cut abruptly, and small waiting helpers.
 */
import { promises as fsp } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { startServer, type RunningServer, type ServerOptions } from '../../../../server/index';
import { silentLogger } from '../../../../server/log';
import { deriveKeys, type NotebookKeys } from '../../../../lib/sync/keys/derive';
import {
  RelayClient,
  type RelayClientOptions,
  type RelayCursorStore,
  type RelayError,
  type RelayLegacyStore,
  type RelayStatus,
  type RelayUploadStore,
} from '../../../../lib/sync/relay/client';
export { prng } from '../../factories';

/** A temporary directory for one server's data. */
export function tempDir(prefix = 'pn-relay-client-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A relay server on 127.0.0.1 that can be restarted on the same port and data directory. */
export class TestRelay {
  private server: RunningServer | null = null;
  port = 0;

  constructor(
    readonly dataDir = tempDir(),
    readonly options: Partial<ServerOptions> = {},
  ) {}

  /** The relay endpoint (stable across restarts once started). */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/relay`;
  }

  /** Starts (again). */
  async start(): Promise<this> {
    this.server = await startServer({ host: '127.0.0.1', port: this.port, dataDir: this.dataDir, logger: silentLogger, ...this.options });
    this.port = this.server.port;
    return this;
  }

  /** Stops; clients see 1001 and go offline. */
  async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }

  /** Stops and deletes the data directory. */
  async dispose(): Promise<void> {
    await this.stop();
    await fsp.rm(this.dataDir, { recursive: true, force: true });
  }

  /** Whether running. */
  get running(): boolean {
    return this.server !== null;
  }

  /** Every file under the data directory with its bytes. */
  async files(): Promise<{ file: string; bytes: Buffer }[]> {
    const out: { file: string; bytes: Buffer }[] = [];
    const walk = async (dir: string) => {
      for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else out.push({ file: p, bytes: await fsp.readFile(p) });
      }
    };
    await walk(this.dataDir);
    return out;
  }

  /** Bytes of all room logs (what the relay stores for notebooks). */
  async logBytes(): Promise<number> {
    return (await this.files()).filter((f) => path.basename(f.file) === 'log').reduce((n, f) => n + f.bytes.length, 0);
  }
}

/** In-memory cursor and relay-state stores, as the extension keeps them per notebook. */
export class MemoryStores {
  cursor = 0;
  generation = '';
  tag: string | undefined;
  state: Uint8Array | null = null;
  legacy: number | null = 0;
  readonly cursorStore: RelayCursorStore = {
    load: async () => ({ generation: this.generation, seq: this.cursor, tag: this.tag }),
    save: async (c) => {
      this.cursor = c.seq;
      this.generation = c.generation;
      this.tag = c.tag;
    },
  };
  readonly legacyStore: RelayLegacyStore = {
    load: async () => this.legacy,
    save: async (seq) => {
      this.legacy = seq;
    },
  };
  readonly uploadStore: RelayUploadStore = {
    load: async () => this.state,
    save: async (s) => {
      this.state = s;
    },
  };
}

/** A `ws` WebSocket class whose live sockets a test can terminate (an abrupt network cut). */
export function trackedWebSocket(): { Impl: new (url: string) => WebSocket; sockets: Set<WebSocket> } {
  const sockets = new Set<WebSocket>();
  class Tracked extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.add(this);
      this.on('close', () => sockets.delete(this));
    }
  }
  return { Impl: Tracked, sockets };
}

/** One simulated partner: a doc, its stores, and the relay client currently running for it. */
export class Partner {
  readonly doc = new Y.Doc();
  readonly stores = new MemoryStores();
  readonly errors: RelayError[] = [];
  readonly statuses: RelayStatus[] = [];
  readonly ws = trackedWebSocket();
  client: RelayClient | null = null;

  constructor(
    readonly name: string,
    public keys: NotebookKeys,
    private readonly extra: Partial<RelayClientOptions> = {},
  ) {}

  /** Starts a new relay client for this partner (like opening the side panel). */
  async connect(relay: TestRelay, options: Partial<RelayClientOptions> = {}): Promise<RelayClient> {
    if (this.client) throw new Error(`${this.name} is already connected`);
    const client = new RelayClient({
      doc: this.doc,
      keys: this.keys,
      url: relay.url,
      WebSocketImpl: this.ws.Impl,
      cursorStore: this.stores.cursorStore,
      uploadStore: this.stores.uploadStore,
      legacyStore: this.stores.legacyStore,
      batchMs: 10,
      backoff: { minMs: 20, maxMs: 200 },
      maxMessagesPerSecond: Infinity,
      onError: (e) => this.errors.push(e),
      onStatus: (s) => this.statuses.push(s),
      ...this.extra,
      ...options,
    });
    this.client = client;
    await client.start();
    return client;
  }

  /** Connects and waits until in sync. */
  async sync(relay: TestRelay, options?: Partial<RelayClientOptions>): Promise<RelayClient> {
    const c = this.client ?? (await this.connect(relay, options));
    await c.flush(15_000);
    return c;
  }

  /** Stops the running client (like closing the side panel). Returns it for its stats. */
  async disconnect(): Promise<RelayClient> {
    const c = this.client;
    if (!c) throw new Error(`${this.name} is not connected`);
    this.client = null;
    await c.stop();
    return c;
  }

  /** Cuts every socket abruptly (no closing handshake): the client sees 1006. */
  cutNetwork(): void {
    for (const s of this.ws.sockets) s.terminate();
  }

  /** A comparable view of the test document's shared types. */
  view(): string {
    return viewOf(this.doc);
  }
}

/** The shared types the tests use, as JSON. */
export function viewOf(doc: Y.Doc): string {
  // Keys sorted: a map's key order follows the order in which a replica received them.
  const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ notes: sorted(doc.getMap('notes').toJSON()), clips: sorted(doc.getMap('clips').toJSON()), text: doc.getText('text').toString() });
}

/** Keys for a fixed test secret. */
export function keysFor(seed: number): Promise<NotebookKeys> {
  return deriveKeys(new Uint8Array(32).map((_, i) => (i * 7 + seed * 31) & 0xff));
}

/** Polls `condition` until true; throws with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
