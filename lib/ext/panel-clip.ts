/**
 * "Clip this page" from the side panel: asks the background to capture the page in view and,
 * when the browser says the extension may not read it yet, asks the person's permission once.
 */
import { browser } from 'wxt/browser';
import type { ClipActiveTabRequest, ClipOutcome } from './messages';
import { t } from '../i18n';

const WEB_ORIGINS = ['http://*/*', 'https://*/*'];

async function ask(excludeTabId: number | undefined, notebookId: string, topicId: string | undefined): Promise<ClipOutcome> {
  const req: ClipActiveTabRequest = { type: 'clip-active-tab', excludeTabId, notebookId, topicId };
  const out = (await browser.runtime.sendMessage(req)) as ClipOutcome | undefined;
  return out ?? { ok: false, reason: 'failed', message: t('errors.extensionDidNotAnswer') };
}

/**
 * Asks the person once to let the extension read web pages (the optional host permission).
 * Call it as the very first thing in a click handler, before any `await`: Firefox honours
 * `permissions.request` only while the click is still being handled, Chrome for a few seconds.
 */
export function requestPageAccess(): Promise<boolean> {
  return browser.permissions.request({ origins: WEB_ORIGINS }).catch(() => false);
}

/**
 * Clips the page the person is looking at into the queue (the panel then files it).
 * Must be called from a click: the permission prompt needs the click's user activation (Chrome;
 * in Firefox the prompt after the awaits below is refused, so the panel then offers
 * {@link requestPageAccess} on a button of its own).
 */
export async function clipPageFromPanel(notebookId: string, topicId: string | undefined): Promise<ClipOutcome> {
  // When the panel is open in a tab of its own, the page to clip is another tab.
  const self = await browser.tabs.getCurrent().catch(() => undefined);
  const first = await ask(self?.id, notebookId, topicId);
  if (first.ok || first.reason !== 'no-access') return first;
  const granted = await requestPageAccess();
  if (!granted) {
    return {
      ...first,
      message:
        'Partner Notebook may not read this page yet. Allow it below, or click the Partner Notebook icon in the toolbar while on the page, or right-click the page and choose “Clip this page to Partner Notebook”.',
    };
  }
  return ask(self?.id, notebookId, topicId);
}
