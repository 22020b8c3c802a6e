/**
 * In-page extraction script. The background injects it on demand with
 * `browser.scripting.executeScript({ target: { tabId }, files: ['/extract.js'] })`; no
 * content script runs on pages otherwise (less exposure, no host permission at rest).
 *
 * WXT builds an unlisted script as an anonymous IIFE whose value is `main()`'s return
 * value, and Chrome/Firefox hand the last expression of an injected file back as the
 * `executeScript` result: so the `CapturedContent` returned here arrives in the
 * background as `results[0].result`. It must stay structured-cloneable (plain data only).
 *
 * Instructions come from the isolated world's window, set by the background just before
 * injection (lib/ext/capture.ts): `__partnerNotebookClipMode` ('page' | 'selection' | 'link'
 * | 'image') and `__partnerNotebookClip` (the request, with href/src for link and image
 * clips). Both are untrusted-shaped here and read defensively; anything unexpected clips the
 * page.
 */
import type { CapturedContent } from '@/lib/notebook/types';
import { extractPage, extractSelection, imageClip, linkClip } from '@/lib/clip/extract';

declare global {
  interface Window {
    /** Set by the background before injection: what to clip ('page' when absent). */
    __partnerNotebookClipMode?: string;
    /** Set by the background before injection: the capture request (see lib/ext/capture.ts). */
    __partnerNotebookClip?: unknown;
  }
}

/** A string field of an unknown request object, or undefined. */
function field(req: unknown, key: string): string | undefined {
  const value = req && typeof req === 'object' ? (req as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export default defineUnlistedScript((): CapturedContent => {
  const url = location.href;
  const req = window.__partnerNotebookClip;
  const mode = window.__partnerNotebookClipMode ?? field(req, 'mode');
  if (mode === 'selection') {
    const selection = window.getSelection();
    if (selection && selection.rangeCount > 0 && selection.toString().trim()) {
      return extractSelection(document, url, selection.getRangeAt(0));
    }
  }
  const href = field(req, 'href');
  if (mode === 'link' && href) return linkClip(document, url, { href, text: field(req, 'text') });
  const src = field(req, 'src');
  if (mode === 'image' && src) return imageClip(document, url, { src, alt: field(req, 'alt') });
  return extractPage(document, url);
});
