/**
 * Images of a clip on their way from the page to the notebook. The background captures them in
 * the page's tab right after the clip's text was queued, and keeps them in an IndexedDB store of
 * the extension (shared by the background and every panel) until a panel files them into the
 * notebook's images doc. Bytes never go through `storage.local` (small quota, JSON only).
 */
import { browser } from 'wxt/browser';
import { base64ToBytes, IMAGE_LIMITS, imageSources, sniffImageType, type ImageType, type KeptImage, type SkipReason } from '../clip/images';
import type { CapturedImages } from '../clip/image-capture';
import type { CapturedContent } from '../notebook/types';

const DB = 'pn-image-queue';
const STORE = 'pending';
/** Name of the BroadcastChannel on which the background says that images are waiting. */
export const IMAGE_QUEUE_CHANNEL = 'pn-image-queue';
/** Clips whose images may wait at once; beyond that a clip keeps its text only and says so. */
const MAX_PENDING = 40;
/** Images not filed within this time (their clip was never filed, e.g. it was deleted from the queue) are dropped. */
const PENDING_TTL_MS = 7 * 24 * 3600_000;

/** A clip's images waiting for a panel. */
export interface PendingImages {
  /** The clip's id (queued clips keep their queue id as clip id). */
  clipId: string;
  /** The notebook it was clipped into, when chosen at clipping. */
  notebookId?: string;
  at: number;
  images: KeptImage[];
  skipped: Partial<Record<SkipReason, number>>;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clipId' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await open();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const r = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(r ? r.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

/** Every clip's images waiting (checked: this store is ours, but its contents came from pages). */
export async function readPendingImages(): Promise<PendingImages[]> {
  const all = ((await tx<unknown[]>('readonly', (s) => s.getAll())) ?? []) as PendingImages[];
  return all.filter((p) => p && typeof p.clipId === 'string' && Array.isArray(p.images));
}

/** Removes a clip's waiting images (filed, or too old). */
export async function removePendingImages(clipIds: string[]): Promise<void> {
  if (!clipIds.length) return;
  await tx('readwrite', (s) => void clipIds.forEach((id) => s.delete(id)));
}

/** Leaves a clip's captured images for the panel (dropping entries too old to be filed, bounding the queue). */
export async function putPendingImages(p: PendingImages): Promise<void> {
  const all = await readPendingImages();
  const old = all.filter((x) => Date.now() - x.at > PENDING_TTL_MS).map((x) => x.clipId);
  await removePendingImages(old);
  if (all.length - old.length >= MAX_PENDING) {
    p = { ...p, images: [], skipped: { ...p.skipped, 'clip-full': (p.skipped['clip-full'] ?? 0) + p.images.length } };
  }
  await tx('readwrite', (s) => void s.put(p));
  const ch = new BroadcastChannel(IMAGE_QUEUE_CHANNEL);
  ch.postMessage({ type: 'images-waiting', clipId: p.clipId });
  ch.close();
}

/** Checks what the in-page script returned (a page could tamper with its isolated world's result). */
export function parseCapturedImages(v: unknown): { images: KeptImage[]; skipped: Partial<Record<SkipReason, number>> } {
  const out: KeptImage[] = [];
  const skipped: Partial<Record<SkipReason, number>> = {};
  const r = v as Partial<CapturedImages> | null;
  if (r && typeof r === 'object' && r.skipped && typeof r.skipped === 'object') {
    for (const [k, n] of Object.entries(r.skipped)) if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && n < 10_000) skipped[k as SkipReason] = n;
  }
  for (const i of Array.isArray(r?.images) ? r!.images.slice(0, IMAGE_LIMITS.perClip) : []) {
    if (!i || typeof i !== 'object' || typeof i.url !== 'string' || typeof i.base64 !== 'string' || typeof i.hash !== 'string') continue;
    if (i.base64.length > (IMAGE_LIMITS.storedBytes * 4) / 3 + 4) continue;
    const bytes = base64ToBytes(i.base64);
    const type = bytes && sniffImageType(bytes);
    if (!bytes || !type) continue;
    const dim = (n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0);
    out.push({ url: i.url.slice(0, 4096), hash: i.hash, type: type as ImageType, width: dim(i.width), height: dim(i.height), bytes });
  }
  return { images: out, skipped };
}

/**
 * Captures the images of a clip just queued, in its tab, and leaves them for the panel. Never
 * throws: a page whose images cannot be read keeps its text, and the clip says why.
 */
export async function queueClipImages(tabId: number, clipId: string, captured: CapturedContent, notebookId?: string): Promise<void> {
  const urls = captured.kind === 'image' ? [captured.imageUrl].filter((u): u is string => !!u) : imageSources(captured.html);
  if (!urls.length) return;
  let result: unknown;
  try {
    await browser.scripting.executeScript({
      target: { tabId },
      func: (u: string[]) => void ((window as unknown as { __partnerNotebookImages?: string[] }).__partnerNotebookImages = u),
      args: [urls],
    });
    const [res] = await browser.scripting.executeScript({ target: { tabId }, files: ['/clip-images.js'] });
    result = res?.result;
  } catch {
    result = { images: [], skipped: { unreachable: urls.length } };
  }
  const parsed = parseCapturedImages(result);
  // Hashes are computed again by the panel; here the bytes are only carried.
  await putPendingImages({ clipId, notebookId, at: Date.now(), images: parsed.images, skipped: parsed.skipped }).catch(() => {});
}
