/** Reads what the extension stored in IndexedDB, from one of its pages (tests and benchmarks). */
import type { Page } from 'playwright-core';

/** Bytes y-indexeddb holds for the (first) notebook open in `page`: the document as stored. */
export async function storedNotebookBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const name = (await indexedDB.databases()).find((d) => d.name?.startsWith('pn-notebook-'))!.name!;
    const db = await new Promise<IDBDatabase>((ok) => (indexedDB.open(name).onsuccess = (e) => ok((e.target as IDBOpenDBRequest).result)));
    const all = await new Promise<Uint8Array[]>((ok) => {
      const req = db.transaction('updates').objectStore('updates').getAll();
      req.onsuccess = () => ok(req.result as Uint8Array[]);
    });
    db.close();
    return all.reduce((n, u) => n + u.byteLength, 0);
  });
}
