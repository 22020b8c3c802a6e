/**
 * Pages that no extension may script: the browser's own pages, extension stores, the built-in
 * PDF viewer, local files without permission. For these the clipper offers to save the link.
 */
import { t } from '../i18n';
import { parseWebUrl } from './web-url';

/** Why a page cannot be clipped, in words for the person; undefined when it can be tried. */
export function whyUnclippable(url: string | undefined): string | undefined {
  if (!url) return t('errors.noWebPage');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return t('errors.noWebPage');
  }
  const host = u.hostname;
  if (['chrome:', 'edge:', 'brave:', 'opera:', 'vivaldi:', 'about:', 'view-source:', 'devtools:', 'chrome-search:'].includes(u.protocol)) {
    return t('errors.browserPage');
  }
  if (u.protocol === 'chrome-extension:' || u.protocol === 'moz-extension:' || u.protocol === 'extension:') {
    return u.pathname.toLowerCase().endsWith('.pdf') || url.includes('.pdf') ? t('errors.browserPdfViewer') : t('errors.extensionPage');
  }
  if (
    host === 'chromewebstore.google.com' ||
    (host === 'chrome.google.com' && u.pathname.startsWith('/webstore')) ||
    host === 'addons.mozilla.org' ||
    host === 'microsoftedge.microsoft.com'
  ) {
    return t('errors.extensionStore');
  }
  if (u.protocol === 'file:') return undefined; // may work if the person allowed file access; the capture error says so otherwise
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return t('errors.onlyWebPages');
  return undefined;
}

/**
 * The address worth offering to save as a link when a page cannot be clipped: only a web address
 * a partner can open too (a browser's own page, an extension page or a local file is not).
 * Undefined: the person is asked to paste the page's address instead.
 */
export function shareableLink(url: string | undefined): string | undefined {
  return parseWebUrl(url) ? url : undefined;
}

/** Turns a capture failure from the browser into a message for the person. */
export function describeCaptureError(message: string, url: string | undefined): { reason: 'no-access' | 'restricted' | 'failed'; message: string } {
  const m = message.toLowerCase();
  if (url?.startsWith('file:') || m.includes('file://')) {
    return { reason: 'restricted', message: t('errors.fileAccess') };
  }
  if (m.includes('must request permission') || m.includes('cannot access contents of the page') || m.includes('missing host permission')) {
    return { reason: 'no-access', message: t('errors.needPermission') };
  }
  const restricted = url ? whyUnclippable(url) : undefined;
  if (restricted) return { reason: 'restricted', message: restricted };
  if (m.includes('cannot access a chrome') || m.includes('cannot access chrome') || m.includes('about:') || m.includes('edge://')) {
    return { reason: 'restricted', message: whyUnclippable('chrome://x')! };
  }
  if (m.includes('gallery cannot be scripted') || m.includes('webstore')) {
    return { reason: 'restricted', message: whyUnclippable('https://chromewebstore.google.com/')! };
  }
  if (m.includes('pdf')) return { reason: 'restricted', message: whyUnclippable('chrome-extension://x/y.pdf')! };
  if (m.includes('cannot be scripted') || m.includes('cannot access')) {
    return { reason: 'restricted', message: t('errors.cannotReadPage') };
  }
  if (m.includes('frame with id 0 was removed') || m.includes('no tab with id') || m.includes('tab was closed')) {
    return { reason: 'failed', message: t('errors.pageClosed') };
  }
  return { reason: 'failed', message: t('errors.pageNotRead', { detail: message.slice(0, 160) }) };
}
