import { useEffect } from 'react';
import { addSkipped, boundClipImages, sha256Hex, type KeptImage } from '../lib/clip/images';
import { IMAGE_QUEUE_CHANNEL, readPendingImages, removePendingImages } from '../lib/ext/image-queue';
import { hasImage, imageSizes, putImages } from '../lib/notebook/image-doc';
import { readClip, setClipImages } from '../lib/notebook';
import type { NotebookSession } from '../lib/sync/local/notebook-session';

/**
 * Files captured images into this notebook's images doc once their clip is here, and records on
 * the clip which stored image each of its image addresses shows. `trigger` changes when new
 * clips were filed (their images may have been waiting).
 */
export function useImageQueue(session: NotebookSession, trigger: string): void {
  useEffect(() => {
    let live = true;
    let busy: Promise<void> = Promise.resolve();
    const run = () =>
      (busy = busy
        .then(async () => {
          const pending = await readPendingImages();
          const mine = pending.filter((p) => (!p.notebookId || p.notebookId === session.id) && readClip(session.doc, p.clipId));
          if (!live || !mine.length) return;
          const images = session.images();
          await images.ready;
          if (!live) return;
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
          // Only once both databases hold them may they leave the queue.
          await Promise.all([images.persistence.confirm(), session.persistence.confirm()]);
          await removePendingImages(mine.map((p) => p.clipId));
        })
        .catch(() => {}));
    // At panel start, images left waiting from an earlier session are filed once the notebook has
    // painted (opening the queue's database then would compete with the notebook's own reads);
    // when clips were just filed, their images are filed at once.
    let idle: number | undefined;
    if (trigger) void run();
    else if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(() => void run(), { timeout: 2_000 });
    else void run();
    const ch = new BroadcastChannel(IMAGE_QUEUE_CHANNEL);
    ch.onmessage = () => void run();
    return () => {
      live = false;
      if (idle !== undefined) cancelIdleCallback(idle);
      ch.close();
    };
  }, [session, trigger]);
}
