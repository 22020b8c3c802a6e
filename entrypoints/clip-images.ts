/**
 * In-page image capture, injected by the background right after a page clip was queued
 * (lib/ext/image-queue.ts): the clip's text is in the panel at once, its images follow. Reads
 * the image addresses from its isolated world's window (`__partnerNotebookImages`), returns
 * the kept images (bytes as base64) and what was left out.
 */
import { captureImages, type CapturedImages } from '@/lib/clip/image-capture';

declare global {
  interface Window {
    /** Set by the background before injection: the clip's image addresses. */
    __partnerNotebookImages?: unknown;
  }
}

export default defineUnlistedScript(async (): Promise<CapturedImages> => {
  const req = window.__partnerNotebookImages;
  const urls = Array.isArray(req) ? req.filter((u): u is string => typeof u === 'string' && /^https?:/i.test(u)) : [];
  return captureImages(urls);
});
