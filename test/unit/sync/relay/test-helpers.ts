/**
 * Shared pieces of the relay client tests: an in-process server, in-memory stores, a `ws`
 * WebSocket that tests can cut abruptly, and small waiting helpers.
 */
import { promises as fsp } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
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

  /** Stops, copies the data directory aside and starts again; returns the copy's path. */
  async backUp(): Promise<string> {
    await this.stop();
    const backup = `${this.dataDir}-backup`;
    await fsp.cp(this.dataDir, backup, { recursive: true });
    await this.start();
    return backup;
  }

  /** Stops and replaces the data directory by the copy `backUp` made; start it again afterwards. */
  async restore(backup: string): Promise<void> {
    await this.stop();
    await fsp.rm(this.dataDir, { recursive: true, force: true });
    await fsp.cp(backup, this.dataDir, { recursive: true });
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

/**
 * Relays and partners for the tests of the calling file, stopped and deleted after each test.
 * Call once at the top of a test file.
 */
export function relayTestBed() {
  const relays: TestRelay[] = [];
  const partners: Partner[] = [];
  afterEach(async () => {
    for (const p of partners.splice(0)) if (p.client) await p.client.stop(0);
    for (const r of relays.splice(0)) await r.dispose();
  });
  /** A started relay, disposed of after the test. */
  async function relay(dataDir?: string, options?: Partial<ServerOptions>): Promise<TestRelay> {
    const r = await new TestRelay(dataDir, options).start();
    relays.push(r);
    return r;
  }
  /** `p`, its client stopped after the test. */
  function partner(p: Partner): Partner {
    partners.push(p);
    return p;
  }
  /** A fresh relay and partners A and B with the keys of `seed`, each synced once (A first, after `beforeSync(a)`). */
  async function syncedPair(seed: number, beforeSync?: (a: Partner) => void): Promise<{ keys: NotebookKeys; r: TestRelay; a: Partner; b: Partner }> {
    const keys = await keysFor(seed);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    const b = partner(new Partner('B', keys));
    beforeSync?.(a);
    await a.sync(r);
    await b.sync(r);
    return { keys, r, a, b };
  }
  return { relay, partner, syncedPair };
}

/** One record of a room log (server/storage.ts layout). */
export interface LogRecord {
  kind: 'update' | 'snapshot';
  seq: number;
  payload: Buffer;
}

/** Parses a room log (server/storage.ts layout) into records. */
export function parseLog(buf: Buffer): LogRecord[] {
  const out: LogRecord[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off);
    const body = buf.subarray(off + 8, off + 8 + len);
    out.push({
      kind: body[0] === 1 ? 'snapshot' : 'update',
      seq: body.readUInt32BE(1) * 2 ** 32 + body.readUInt32BE(5),
      payload: Buffer.from(body.subarray(9)),
    });
    off += 8 + len;
  }
  return out;
}
