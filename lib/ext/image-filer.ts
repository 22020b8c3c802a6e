/**
 * Files captured images into an open notebook's images doc once their clip is here, and records on
 * the clip which stored image each of its image addresses shows. Images wait in a queue of their
 * own (lib/ext/image-queue.ts) because they are captured in the page's tab after the clip's text.
 */
import { addSkipped, boundClipImages, sha256Hex, type KeptImage } from '../clip/images';
import { readClip, setClipImages } from '../notebook';
import { hasImage, imageSizes, putImages } from '../notebook/image-doc';
import type { NotebookSession } from '../sync/local/notebook-session';
import { IMAGE_QUEUE_CHANNEL, readPendingImages, removePendingImages } from './image-queue';

type Session = Pick<NotebookSession, 'id' | 'doc' | 'persistence' | 'images'>;

/**
 * Files the waiting images of this notebook's clips that are here now. Images of clips not filed
 * yet keep waiting. Only once both databases hold them do they leave the queue.
 * @param live checked between steps: false once the panel moved on (nothing more is written)
 */
export async function fileWaitingImages(session: Session, live: () => boolean = () => true): Promise<void> {
  const pending = await readPendingImages();
  const mine = pending.filter((p) => (!p.notebookId || p.notebookId === session.id) && readClip(session.doc, p.clipId));
  if (!live() || !mine.length) return;
  const images = session.images();
  await images.ready;
  if (!live()) return;
  let total = 0;
  imageSizes(images.doc).forEach((n) => (total += n));
  for (const p of mine) {
    // The hash is the image's name everywhere: computed here, never taken from the page.
    const checked: KeptImage[] = [];
    for (const img of p.images) checked.push({ ...img, hash: await sha256Hex(img.bytes) });
    const { kept, skipped } = boundClipImages(checked, { existing: (h) => hasImage(images.doc, h), notebookBytes: total });
    putImages(images.doc, kept);
    for (const k of kept) total += k.bytes.length;
    if (!readClip(session.doc, p.clipId)) continue;
    setClipImages(session.doc, p.clipId, Object.fromEntries(kept.map((k) => [k.url, k.hash])), addSkipped(p.skipped, skipped));
  }
  await Promise.all([images.persistence.confirm(), session.persistence.confirm()]);
  await removePendingImages(mine.map((p) => p.clipId));
}

/**
 * Files waiting images now (`soon`: clips were just filed) or once the panel is idle (at start:
 * opening the queue's database then would compete with the notebook's own reads), and again
 * whenever the background says more are waiting. Returns the function that stops it.
 */
export function watchWaitingImages(session: Session, soon: boolean): () => void {
  let live = true;
  let busy: Promise<void> = Promise.resolve();
  const run = () => (busy = busy.then(() => fileWaitingImages(session, () => live)).catch(() => {}));
  let idle: number | undefined;
  if (soon || typeof requestIdleCallback !== 'function') void run();
  else idle = requestIdleCallback(() => void run(), { timeout: 2_000 });
  const ch = new BroadcastChannel(IMAGE_QUEUE_CHANNEL);
  ch.onmessage = () => void run();
  return () => {
    live = false;
    if (idle !== undefined) cancelIdleCallback(idle);
    ch.close();
  };
}
