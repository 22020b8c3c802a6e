/**
 * The background's wiring: toolbar icon, context menus, keyboard shortcut and panel requests.
 * Kept apart from the entrypoint so the handlers have names (and a debug handle for tests).
 */
import { browser, type Browser } from 'wxt/browser';
import { clipNoticesItem, clipQueueItem } from './clip-queue';
import { clipPdfLink, clipTab, pageTab, type CaptureRequest } from './capture';
import { answerHighlightRequest, recordHighlightReport, showHighlightsInTab, turnOffFromPage, type HighlightAnswer } from './highlights';
import { parseBackgroundRequest, type ClipOutcome } from './messages';
import { backgroundText, languageReady, readLanguageChoice, localeFor } from './language';
import { translatorFor } from '../i18n';

/** Context-menu item ids. */
export const MENU = {
  page: 'pn-clip-page',
  selection: 'pn-clip-selection',
  link: 'pn-clip-link',
  image: 'pn-clip-image',
  pdfLink: 'pn-clip-pdf-link',
} as const;
/** The keyboard command (manifest `commands`). */
export const CLIP_COMMAND = 'clip-page';

let titles: string[] = [];
/** The context-menu titles last created (for the debugging handle and end-to-end tests). */
export function menuTitles(): string[] {
  return titles;
}

/** Creates the context-menu entries (on install, browser start-up and a change of language). */
export async function createMenus(): Promise<void> {
  // In the language chosen in Settings (the service worker may have just woken: read it again).
  const tr = await translatorFor(localeFor(await readLanguageChoice()));
  titles = [tr('menus.clipPage'), tr('menus.clipSelection'), tr('menus.clipLink'), tr('menus.clipPdf'), tr('menus.clipImage')];
  browser.contextMenus.removeAll(() => {
    browser.contextMenus.create({ id: MENU.page, title: tr('menus.clipPage'), contexts: ['page'] });
    browser.contextMenus.create({ id: MENU.selection, title: tr('menus.clipSelection'), contexts: ['selection'] });
    browser.contextMenus.create({ id: MENU.link, title: tr('menus.clipLink'), contexts: ['link'] });
    // Only on links to .pdf files: the PDF itself (text, pages, metadata) rather than the link.
    browser.contextMenus.create({
      id: MENU.pdfLink,
      title: tr('menus.clipPdf'),
      contexts: ['link'],
      targetUrlPatterns: ['*://*/*.pdf', '*://*/*.pdf?*', '*://*/*.PDF', '*://*/*.PDF?*'],
    });
    browser.contextMenus.create({ id: MENU.image, title: tr('menus.clipImage'), contexts: ['image'] });
  });
}

/** A context-menu click: capture what was clicked and queue it for the panel. */
export async function onMenuClick(info: Browser.contextMenus.OnClickData, tab?: Browser.tabs.Tab): Promise<ClipOutcome | undefined> {
  await languageReady();
  if (!tab) return undefined;
  let req: CaptureRequest;
  switch (info.menuItemId) {
    case MENU.page:
      req = { mode: 'page' };
      break;
    case MENU.selection:
      req = { mode: 'selection' };
      break;
    case MENU.link:
      if (!info.linkUrl) return undefined;
      req = { mode: 'link', href: info.linkUrl, text: info.selectionText };
      break;
    case MENU.pdfLink: {
      if (!info.linkUrl) return undefined;
      const out = await clipPdfLink(info.linkUrl, info.selectionText, 'menu');
      await showBadge(out);
      return out;
    }
    case MENU.image:
      if (!info.srcUrl) return undefined;
      req = { mode: 'image', src: info.srcUrl };
      break;
    default:
      return undefined;
  }
  const out = await clipTab(tab, req, 'menu', { notifyIfFailed: true });
  await showBadge(out);
  return out;
}

/** The keyboard shortcut: clip the page in the active tab. */
export async function onCommand(command: string, tab?: Browser.tabs.Tab): Promise<ClipOutcome | undefined> {
  if (command !== CLIP_COMMAND) return undefined;
  await languageReady();
  const target = tab?.id !== undefined ? tab : await pageTab();
  if (!target) return undefined;
  const out = await clipTab(target, { mode: 'page' }, 'shortcut', { notifyIfFailed: true });
  await showBadge(out);
  return out;
}

/** Requests from the side panel, and from the highlight script on pages the person allowed. */
export async function onPanelMessage(message: unknown, sender?: Browser.runtime.MessageSender): Promise<ClipOutcome | HighlightAnswer | undefined> {
  const req = parseBackgroundRequest(message);
  if (!req) return undefined;
  await languageReady();
  if (req.type === 'highlight-passages') return sender ? answerHighlightRequest(req, sender) : { off: true };
  if (req.type === 'highlight-report') return void (sender && (await recordHighlightReport(req, sender)));
  if (req.type === 'highlight-site-off') return void (sender && (await turnOffFromPage(sender)));
  const tab = await pageTab(req.excludeTabId);
  if (!tab) return { ok: false, reason: 'failed', message: await backgroundText('errors.noPageOpen') };
  const destination = req.notebookId && req.topicId ? { notebookId: req.notebookId, topicId: req.topicId } : undefined;
  return clipTab(tab, { mode: 'page' }, 'panel', { destination });
}

// The icon's badge tells a person whose panel is closed that clips are waiting (a number) or
// that one failed (“!”, explained when the panel opens).
async function showBadge(out: ClipOutcome) {
  const waiting = (await clipQueueItem.getValue()).length;
  const problems = (await clipNoticesItem.getValue()).length;
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  await action.setBadgeBackgroundColor({ color: out.ok ? '#0b57d0' : '#b42318' });
  await action.setBadgeText({ text: problems ? '!' : waiting ? String(waiting) : '' });
}

/** Clears the badge once the panel has taken the queue. */
export async function refreshBadge(): Promise<void> {
  const waiting = (await clipQueueItem.getValue()).length;
  const problems = (await clipNoticesItem.getValue()).length;
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  await action.setBadgeText({ text: problems ? '!' : waiting ? String(waiting) : '' });
}

/**
 * The toolbar icon opens the notebook: Chrome's side panel or Firefox's sidebar. The click also
 * grants activeTab on that tab, so "Clip this page" in the panel works there without asking, and
 * partners' highlights show on the page (unless turned off).
 */
export function onActionClick(tab: Browser.tabs.Tab): void {
  const b = browser as unknown as { sidePanel?: { open(o: { windowId: number }): Promise<void> }; sidebarAction?: { toggle(): Promise<void> } };
  // Both must be called synchronously inside the click handler (user gesture).
  if (b.sidePanel && tab.windowId !== undefined) void b.sidePanel.open({ windowId: tab.windowId }).catch(() => {});
  else void b.sidebarAction?.toggle().catch(() => {});
  // The click is also the person's permission to show partners' highlights on this page, this visit.
  void showHighlightsInTab(tab).catch(() => {});
}
