/**
 * Captures a tab's content by injecting the extraction script (scripting API; access comes from
 * activeTab after a menu click, the shortcut or the toolbar icon, or from the optional host
 * permission the person granted from the panel).
 */
import { browser, type Browser } from 'wxt/browser';
import { describeCaptureError, shareableLink, whyUnclippable } from '../clip/restricted';
import { parseCaptured } from '../notebook/parse';
import { randomId } from '../notebook/people';
import type { CapturedContent } from '../notebook/types';
import { looksLikePdfUrl } from '../clip/pdf';
import { addNotice, enqueueClip } from './clip-queue';
import type { ClipOutcome, QueuedClip } from './messages';
import { enqueuePdf } from './pdf-queue';
import { backgroundText } from './language';
import { queueClipImages } from './image-queue';

/** Thrown by {@link captureTab} when the tab shows a PDF: it is clipped as a file, not as a page. */
export class PdfTabError extends Error {
  constructor() {
    super('This tab shows a PDF.');
    this.name = 'PdfTabError';
  }
}

/** What to take from the tab. */
export type CaptureRequest =
  { mode: 'page' } | { mode: 'selection' } | { mode: 'link'; href: string; text?: string } | { mode: 'image'; src: string; alt?: string };

/** Runs the extraction script in the tab and returns what it captured, validated. */
export async function captureTab(tabId: number, req: CaptureRequest): Promise<CapturedContent> {
  // The script reads its instructions from its isolated world's window; set them first. The same
  // call tells whether the tab shows a PDF (Chrome's viewer keeps the file's own address).
  const [set] = await browser.scripting.executeScript({
    target: { tabId },
    func: (r: CaptureRequest) => {
      (window as unknown as { __partnerNotebookClip?: CaptureRequest; __partnerNotebookClipMode?: string }).__partnerNotebookClip = r;
      (window as unknown as { __partnerNotebookClipMode?: string }).__partnerNotebookClipMode = r.mode;
      return document.contentType;
    },
    args: [req],
  });
  if (set?.result === 'application/pdf') throw new PdfTabError();
  const [res] = await browser.scripting.executeScript({ target: { tabId }, files: ['/extract.js'] });
  const captured = parseCaptured(res?.result);
  if (!captured) throw new Error('The page returned nothing that could be saved.');
  return captured;
}

/**
 * Clips a tab and queues the clip for the panel. Never throws: failures come back as an outcome
 * with a message (and, with `notifyIfFailed`, are kept for the panel to show when it opens).
 */
export async function clipTab(
  tab: Browser.tabs.Tab,
  req: CaptureRequest,
  via: QueuedClip['via'],
  opts: { notifyIfFailed?: boolean; destination?: { notebookId: string; topicId: string } } = {},
): Promise<ClipOutcome> {
  const fail = async (o: Extract<ClipOutcome, { ok: false }>): Promise<ClipOutcome> => {
    if (opts.notifyIfFailed) await addNotice({ id: randomId(), at: Date.now(), message: o.message, url: o.url, title: o.title });
    return o;
  };
  const restricted = tab.url ? whyUnclippable(tab.url) : undefined;
  if (tab.id === undefined) return fail({ ok: false, reason: 'failed', message: await backgroundText('errors.noPageInWindow') });
  // Chromium tells an extension the address of its own pages after a toolbar click (recent
  // versions) or not at all (older ones): either way only a web address is offered as a link.
  if (restricted) return fail({ ok: false, reason: 'restricted', message: restricted, url: shareableLink(tab.url), title: tab.title });
  const queuePdf = async (url: string, title: string | undefined): Promise<ClipOutcome> => {
    const id = randomId();
    try {
      await enqueuePdf({ id, url, title, clippedAt: Date.now(), via, ...opts.destination });
    } catch (e) {
      return fail({ ok: false, reason: 'failed', message: (e as Error).message, url, title });
    }
    return { ok: true, queuedId: id, title: title || url, pdf: true };
  };
  // Firefox's PDF viewer cannot be scripted at all, so a .pdf address decides before trying.
  if (tab.url && looksLikePdfUrl(tab.url) && (req.mode === 'page' || req.mode === 'selection')) return queuePdf(tab.url, tab.title);
  let captured: CapturedContent;
  try {
    captured = await captureTab(tab.id, req);
  } catch (e) {
    if (e instanceof PdfTabError && tab.url) return queuePdf(tab.url, tab.title);
    const d = describeCaptureError((e as Error).message ?? String(e), tab.url);
    return fail({ ok: false, ...d, url: tab.url, title: tab.title });
  }
  const id = randomId();
  try {
    await enqueueClip({ id, captured, clippedAt: Date.now(), via, ...opts.destination });
  } catch (e) {
    return fail({ ok: false, reason: 'failed', message: (e as Error).message, url: captured.url, title: captured.title });
  }
  // Text first: the clip is filed now; its images follow once downloaded and shrunk.
  void queueClipImages(tab.id, id, captured, opts.destination?.notebookId);
  return { ok: true, queuedId: id, title: captured.title };
}

/** Queues a PDF from a link ("Clip this PDF" on a link to a .pdf file) for the panel to read. */
export async function clipPdfLink(href: string, text: string | undefined, via: QueuedClip['via']): Promise<ClipOutcome> {
  const id = randomId();
  try {
    await enqueuePdf({ id, url: href, title: text?.trim() || undefined, clippedAt: Date.now(), via });
  } catch (e) {
    const o = { ok: false as const, reason: 'failed' as const, message: (e as Error).message, url: href, title: text };
    await addNotice({ id: randomId(), at: Date.now(), message: o.message, url: href, title: text });
    return o;
  }
  return { ok: true, queuedId: id, title: text?.trim() || href, pdf: true };
}

/** The tab the person is looking at: the active tab of the last focused window, skipping the panel's own tab. */
export async function pageTab(excludeTabId?: number): Promise<Browser.tabs.Tab | undefined> {
  const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (active && active.id !== excludeTabId) return active;
  // The panel is open in a tab of its own (e.g. a browser without side panels): use the tab
  // the person was on before it.
  const others = (await browser.tabs.query({ lastFocusedWindow: true })).filter((t) => t.id !== excludeTabId);
  return others.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
}
