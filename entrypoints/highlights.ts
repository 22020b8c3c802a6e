/**
 * In-page highlight script: shows partners' clipped passages on the page they came from. It runs
 * only where the person allowed it: registered at runtime for the sites they chose (see
 * lib/ext/highlights.ts), or injected once when they click the toolbar icon on a page. It asks the
 * background for this page's passages and nothing else; see lib/clip/highlight-page.ts for what
 * the page's own scripts can and cannot see.
 */
import { runHighlights } from '@/lib/clip/highlight-page';
import { askForPassages, reportPlacement, turnOffHere } from '@/lib/ext/highlights';

declare global {
  interface Window {
    /** Set once highlights ran in this page's isolated world (the registered script and an icon click may both inject it). */
    __partnerNotebookHighlights?: boolean;
  }
}

export default defineUnlistedScript(() => {
  if (window.__partnerNotebookHighlights) return;
  window.__partnerNotebookHighlights = true;
  void runHighlights(document, window, { ask: askForPassages, report: reportPlacement, turnOff: turnOffHere }).catch(() => {
    // A page the extension may no longer read (permission withdrawn) shows nothing.
  });
});
