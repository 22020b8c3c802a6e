// Setting up the three-month bench outside the panel: serving bytes, seeding a fresh profile's IndexedDB as the extension stores it, reading stored sizes, the panel's startup bundle.
import { gzipSync } from 'node:zlib';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Person } from '../../test/e2e/harness';
import type { ThreeMonthMeta } from './three-month-notebook';
import { nodeNow } from './bench-kit';

/** Serves the notebook's bytes once to the extension (CORS: the worker's origin is chrome-extension://). */
export async function serveBytes(bytes: Uint8Array) {
  const server = createHttpServer((req, res) => {
    if (req.url !== '/notebook.bin') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength), 'access-control-allow-origin': '*' });
    res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/notebook.bin`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

/** A 127.0.0.1 port nothing listens on (bound, then released): connections are refused at once. */
export async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as { port: number };
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/**
 * Puts the notebook into `person`'s profile as the extension keeps it. Runs in the service worker
 * (same origin as the panel, so the same IndexedDB and storage), before any panel page is open,
 * so no y-indexeddb instance can create the database first. `ms` is measured from Node (fetch, store, settings).
 */
export async function seedProfile(person: Person, meta: ThreeMonthMeta, bytesUrl: string, signaling: string): Promise<{ storedBytes: number; ms: number }> {
  const me = meta.partners[0]!;
  const now = Date.now();
  const storage = {
    identity: { id: me.id, name: me.name, color: me.color },
    notebooks: [
      { id: meta.notebookId, title: meta.title, createdAt: now - 91 * 86_400_000, lastOpenedAt: now - 86_400_000, secret: randomBytes(32).toString('hex') },
    ],
    activeNotebook: meta.notebookId,
    syncSettings: { signaling: [signaling], iceServers: [], relay: false },
  };
  const t0 = nodeNow();
  const storedBytes = await addStoredUpdate(person, `pn-notebook-${meta.notebookId}`, bytesUrl);
  await person.worker.evaluate(`(async (s) => { await chrome.storage.local.set(s); })(${JSON.stringify(storage)})`);
  return { storedBytes, ms: nodeNow() - t0 };
}

/**
 * Adds one stored update (fetched from `url`) to a y-indexeddb database, creating it as
 * y-indexeddb does (lib0/indexeddb's openDB + createStores); returns the bytes stored.
 */
export async function addStoredUpdate(person: Person, dbName: string, url: string): Promise<number> {
  return person.worker.evaluate(`(async (a) => {
    const bytes = new Uint8Array(await (await fetch(a.url)).arrayBuffer());
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open(a.dbName);
      req.onupgradeneeded = () => { req.result.createObjectStore('updates', { autoIncrement: true }); req.result.createObjectStore('custom'); };
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    await new Promise((ok, fail) => { const tx = db.transaction(['updates'], 'readwrite'); tx.objectStore('updates').add(bytes); tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
    db.close();
    return bytes.byteLength;
  })(${JSON.stringify({ dbName, url })})`);
}

/** Bytes and records in the notebook's IndexedDB stores, read from the service worker (no panel involved). */
export async function storedSize(person: Person, dbName: string): Promise<{ updates: number; custom: number; records: number }> {
  return person.worker.evaluate(`(async (name) => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const all = (store) => new Promise((ok, fail) => { const r = db.transaction([store]).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const size = (v) => v instanceof Uint8Array || v instanceof ArrayBuffer ? v.byteLength : typeof v === 'string' ? v.length : JSON.stringify(v ?? null).length;
    const u = await all('updates');
    const c = db.objectStoreNames.contains('custom') ? await all('custom') : [];
    db.close();
    return { updates: u.reduce((n, v) => n + size(v), 0), custom: c.reduce((n, v) => n + size(v), 0), records: u.length + c.length };
  })(${JSON.stringify(dbName)})`);
}

/** Bytes and versions in the notebook's History database (lib/sync/local/history-store.ts), read from the service worker. */
export async function historySize(person: Person, notebookId: string): Promise<{ bytes: number; versions: number; reasons: string[] }> {
  return person.worker.evaluate(`(async (name) => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    if (!db.objectStoreNames.contains('data')) { db.close(); return { bytes: 0, versions: 0, reasons: [] }; }
    const all = (store) => new Promise((ok, fail) => { const r = db.transaction([store]).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const data = await all('data');
    const versions = await all('versions');
    db.close();
    return { bytes: data.reduce((n, v) => n + v.byteLength, 0) + versions.reduce((n, v) => n + v.sv.byteLength + v.snap.byteLength + 200, 0), versions: versions.length, reasons: versions.map((v) => v.reason) };
  })(${JSON.stringify(`pn-history-${notebookId}`)})`);
}

/** The JS sidepanel.html loads before anything is imported on demand: scripts + modulepreloads + static imports, transitively. */
export function startupBundle(dir: string) {
  const html = readFileSync(join(dir, 'sidepanel.html'), 'utf8');
  // Every <script src> (the classic prefetch script and the module entry) and every modulepreload.
  const entry = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) =>
    m[1]!.replace(/^\//, ''),
  );
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!.replace(/^\//, ''));
  const seen = new Set<string>();
  const queue = [...entry];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f) || !existsSync(join(dir, f))) continue;
    seen.add(f);
    const code = readFileSync(join(dir, f), 'utf8');
    // Static forms only: import{…}from"./x.js", import x from"./x.js", import"./x.js", export{…}from"./x.js". Not import("…").
    for (const m of code.matchAll(/(?:^|[;\s})])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+\.js|\/[^"'`]+\.js)["'`]/g)) {
      const spec = m[1]!;
      const path = spec.startsWith('/') ? spec.slice(1) : join(f, '..', spec);
      if (!seen.has(path)) queue.push(path);
    }
  }
  const gz = (f: string) => gzipSync(readFileSync(join(dir, f)), { level: 9 }).byteLength;
  const files = [...seen].map((f) => ({ file: f, bytes: readFileSync(join(dir, f)).byteLength, gzip: gz(f) }));
  return {
    files,
    jsGzip: files.reduce((n, f) => n + f.gzip, 0),
    jsRaw: files.reduce((n, f) => n + f.bytes, 0),
    cssGzip: css.filter((f) => existsSync(join(dir, f))).reduce((n, f) => n + gz(f), 0),
    gz,
  };
}
