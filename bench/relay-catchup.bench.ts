/**
 * How long a partner takes to catch up on "two weeks of work" through the encrypted relay.
 *
 *   npx tsx bench/relay-catchup.bench.ts
 *
 * Partner A makes 500 typing-sized note edits and 100 clips (~6 KB of text each), each sent
 * as its own relay entry, as if spread over many short sessions. Then B, which last synced
 * before A started, and C, which never synced, catch up. Runs with the default compaction
 * thresholds (200 entries / 2 MiB) and once with compaction off, for comparison.
 * Prints one JSON line (the main figure: returning B with compaction) and a table.
 * Figures, not assertions: timings depend on the machine.
 */
import { mkdtempSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { startServer } from '../server/index';
import { silentLogger } from '../server/log';
import { deriveKeys, type NotebookKeys } from '../lib/sync/keys/derive';
import { RelayClient, type RelayClientOptions, type RelayCursor, type RelayStats } from '../lib/sync/relay/client';
import { prng } from '../test/unit/factories';

interface Row {
  scenario: string;
  catchupMs: number;
  entries: number;
  bytes: number;
  storageAfterCompactionBytes: number;
  docEncodedBytes: number;
}

function stores() {
  let cursor: RelayCursor | null = null;
  let state: Uint8Array | null = null;
  return {
    cursorStore: { load: async () => cursor, save: async (c: RelayCursor) => void (cursor = c) },
    uploadStore: { load: async () => state, save: async (s: Uint8Array) => void (state = s) },
  };
}

async function logBytes(dataDir: string): Promise<number> {
  let total = 0;
  const walk = async (dir: string) => {
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name === 'log') total += (await fsp.stat(p)).size;
    }
  };
  await walk(dataDir);
  return total;
}

async function run(label: string, compaction: boolean): Promise<Row[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pn-relay-bench-'));
  // A's two weeks are replayed in seconds, so lift the server's per-connection rate limit.
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, logger: silentLogger, ratePerSec: 100_000, rateBurst: 100_000 });
  const url = `${server.url}/relay`;
  const keys: NotebookKeys = await deriveKeys(new Uint8Array(32).fill(42));
  const base = (doc: Y.Doc, s: ReturnType<typeof stores>): RelayClientOptions => ({
    doc,
    keys,
    url,
    WebSocketImpl: WebSocket,
    ...s,
    batchMs: 5,
    maxMessagesPerSecond: Infinity,
    compactAfterEntries: compaction ? 200 : Number.MAX_SAFE_INTEGER,
    compactAfterBytes: compaction ? 2 * 1024 * 1024 : Number.MAX_SAFE_INTEGER,
    onError: (e) => console.error(`[${label}]`, e.code, e.message),
  });

  // A starts the notebook; B syncs once (it then has a cursor) and leaves.
  const docA = new Y.Doc();
  const storesA = stores();
  const a = new RelayClient(base(docA, storesA));
  await a.start();
  docA.getText('note-0').insert(0, 'Agenda for our first call. ');
  await a.flush(10_000);
  const docB = new Y.Doc();
  const storesB = stores();
  const b1 = new RelayClient(base(docB, storesB));
  await b1.start();
  await b1.flush(10_000);
  await b1.stop();

  // Two weeks of A's work: 500 edits of a few words and 100 clips, one entry each.
  const rand = prng(7);
  const words = ['budget', 'volunteers', 'reading club', 'makerspace', 'zine fair', 'oral history', 'Leipzig', 'Porto Alegre', 'outreach'];
  const clipsDone: number[] = [];
  for (let i = 0; i < 600; i++) {
    if (i % 6 === 5) {
      const n = clipsDone.length;
      const body = Array.from({ length: 800 }, () => words[Math.floor(rand() * words.length)])
        .join(' ')
        .slice(0, 6000);
      docA.getMap('clips').set(`clip-${n}`, { title: `Clip ${n}`, url: `https://example.org/${n}`, body, capturedAt: 1_700_000_000_000 + n });
      clipsDone.push(n);
    } else {
      const note = docA.getText(`note-${Math.floor(rand() * 10)}`);
      if (note.length > 40 && rand() < 0.25) note.delete(Math.floor(rand() * (note.length - 10)), 1 + Math.floor(rand() * 8));
      else note.insert(Math.floor(rand() * (note.length + 1)), `${words[Math.floor(rand() * words.length)]} `);
    }
    await a.flush(10_000);
  }
  const aStats = a.stats;
  await a.stop();
  const storage = await logBytes(dataDir);
  const docEncodedBytes = Y.encodeStateAsUpdate(docA).length;

  const catchUp = async (scenario: string, doc: Y.Doc, s: ReturnType<typeof stores>): Promise<Row> => {
    const c = new RelayClient(base(doc, s));
    const t0 = performance.now();
    await c.start();
    await c.flush(60_000);
    const catchupMs = performance.now() - t0;
    const st: RelayStats = c.stats;
    await c.stop();
    const sameState = Buffer.from(Y.encodeStateVector(doc)).equals(Buffer.from(Y.encodeStateVector(docA)));
    if (!sameState || doc.getMap('clips').size !== clipsDone.length || doc.getText('note-3').toString() !== docA.getText('note-3').toString()) {
      throw new Error(`${scenario}: did not receive the notebook`);
    }
    return {
      scenario: `${label}: ${scenario}`,
      catchupMs: Math.round(catchupMs * 10) / 10,
      entries: st.entriesFetched,
      bytes: st.bytesReceived,
      storageAfterCompactionBytes: storage,
      docEncodedBytes,
    };
  };
  const rows = [await catchUp('returning B', docB, storesB), await catchUp('fresh C', new Y.Doc(), stores())];
  await server.close();
  await fsp.rm(dataDir, { recursive: true, force: true });
  console.error(`[${label}] A appended ${aStats.entriesAppended} entries (${aStats.bytesSent} B incl. snapshots), compactions ${aStats.compactions}`);
  return rows;
}

const rows = [...(await run('compaction on', true)), ...(await run('compaction off', false))];
const main = rows[0]!;
console.log(
  JSON.stringify({
    catchupMs: main.catchupMs,
    entries: main.entries,
    bytes: main.bytes,
    storageAfterCompactionBytes: main.storageAfterCompactionBytes,
    docEncodedBytes: main.docEncodedBytes,
  }),
);
console.table(rows);
