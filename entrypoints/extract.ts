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
 * The background sets `window.__partnerNotebookClipMode = 'selection'` (in the isolated
 * world, before injecting) to clip the current selection instead of the page.
 */
import type { CapturedContent } from '@/lib/notebook/types';
import { extractPage, extractSelection } from '@/lib/clip/extract';

declare global {
  interface Window {
    /** Set by the background before injection: 'selection' clips the selection, anything else the page. */
    __partnerNotebookClipMode?: 'page' | 'selection';
  }
}

export default defineUnlistedScript((): CapturedContent => {
  const url = location.href;
  if (window.__partnerNotebookClipMode === 'selection') {
    const selection = window.getSelection();
    if (selection && selection.rangeCount > 0 && selection.toString().trim()) {
      return extractSelection(document, url, selection.getRangeAt(0));
    }
  }
  return extractPage(document, url);
});
