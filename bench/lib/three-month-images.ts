/**
 * Clip images for the three-month notebook (issue 14): an images doc with `totalBytes` of
 * JPEG-like images (random bytes behind a JPEG header: stored bytes are what loading costs, and
 * random bytes do not compress), one or two per clip for `clips` clips, and the update that adds
 * the clips' hash references to the notebook.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { putImages } from '../../lib/notebook/image-doc';
import { setClipImages } from '../../lib/notebook';

/** The two updates to store, and the image bytes they hold. */
export function threeMonthImages(
  notebookUpdate: Uint8Array,
  clips: number,
  totalBytes: number,
): { refsUpdate: Uint8Array; imagesUpdate: Uint8Array; imageBytes: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, notebookUpdate);
  const before = Y.encodeStateVector(doc);
  const ids = [...doc.getMap('clips').keys()].sort().slice(0, clips);
  const images = new Y.Doc();
  const perImage = Math.floor(totalBytes / Math.round(ids.length * 1.5));
  let seed = 1;
  let imageBytes = 0;
  ids.forEach((id, i) => {
    const refs: Record<string, string> = {};
    for (let k = 0; k < (i % 2 ? 2 : 1); k++) {
      const bytes = new Uint8Array(perImage);
      for (let j = 0; j < bytes.length; j++) bytes[j] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
      bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
      const hash = createHash('sha256').update(bytes).digest('hex');
      putImages(images, [{ hash, bytes, width: 1200, height: 800 }]);
      refs[`https://library.example.org/images/${id}-${k}.jpg`] = hash;
      imageBytes += bytes.length;
    }
    setClipImages(doc, id, refs, {});
  });
  const refsUpdate = Y.encodeStateAsUpdate(doc, before);
  const imagesUpdate = Y.encodeStateAsUpdate(images);
  doc.destroy();
  images.destroy();
  return { refsUpdate, imagesUpdate, imageBytes };
}
