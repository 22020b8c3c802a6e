/** Reads what the extension stored in IndexedDB, from one of its pages (tests and benchmarks). */
import type { Page } from 'playwright-core';
import * as Y from 'yjs';

/**
 * Page-side expression: the stored updates of the (first) notebook in the page's IndexedDB. A
 * string, shared by both readers below (and so tsx adds no helpers the page lacks).
 */
const READ_UPDATES = `(async () => {
  const name = (await indexedDB.databases()).find((d) => d.name && d.name.startsWith('pn-notebook-')).name;
  const db = await new Promise((ok) => (indexedDB.open(name).onsuccess = (e) => ok(e.target.result)));
  const all = await new Promise((ok) => {
    const req = db.transaction('updates').objectStore('updates').getAll();
    req.onsuccess = () => ok(req.result);
  });
  db.close();
  return all;
})()`;

/** Bytes y-indexeddb holds for the (first) notebook open in `page`: the document as stored. Cheap to poll. */
export async function storedNotebookBytes(page: Page): Promise<number> {
  return (await page.evaluate(`${READ_UPDATES}.then((all) => all.reduce((n, u) => n + u.byteLength, 0))`)) as number;
}

/**
 * The notebook's document as one merged Yjs update, read from `page`'s IndexedDB: its size is
 * what a fresh partner has to receive (the stored updates may hold superseded data too).
 */
export async function mergedNotebookBytes(page: Page): Promise<number> {
  const b64 = (await page.evaluate(`${READ_UPDATES}.then((all) => all.map((u) => {
    let bin = '';
    for (let i = 0; i < u.length; i += 0x8000) bin += String.fromCharCode(...u.subarray(i, i + 0x8000));
    return btoa(bin);
  }))`)) as string[];
  return Y.mergeUpdates(b64.map((s) => new Uint8Array(Buffer.from(s, 'base64')))).byteLength;
}
