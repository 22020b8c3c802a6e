/**
 * The reader view's document: clip HTML (already sanitised at capture, sanitised again here
 * because a partner's copy is untrusted) inside a page whose own CSP forbids every script.
 * The panel shows it in an <iframe sandbox> without allow-scripts, a third, independent wall.
 */
import { date, t } from '../i18n';
import DOMPurify from 'dompurify';
import type { CapturedContent } from '../notebook/types';
import { parseWebUrl } from './web-url';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A safe http(s) URL, or undefined. */
export function safeHref(u: string | undefined): string | undefined {
  return parseWebUrl(u)?.href;
}

/** How the reader shows a clip's images. */
export interface ReaderImages {
  /** Image address in the clip → a data: URL of the copy kept in the notebook. */
  kept?: Map<string, string>;
  /** The person chose "Show images from this site": images not kept load from the web. */
  remote?: boolean;
}

/**
 * Values of attributes that are not URLs (width="600", colspan="2", rel="noopener", target)
 * pass; a value that starts with a scheme passes only for http(s), mailto and tel. (A regexp
 * of schemes alone also removed every plain value: widths, table spans, rel and target.)
 */
const READER_URI = /^(?:(?:https?|mailto|tel):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

/** Sanitises clip HTML for display with the given window's DOMPurify; images come from `images` (see {@link ReaderImages}). */
export function purifyForReader(html: string, win: Window & typeof globalThis, images: ReaderImages = {}): string {
  const purify = DOMPurify(win);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName.toLowerCase();
    if (tag === 'img') {
      const src = el.getAttribute('src') ?? '';
      const kept = images.kept?.get(src);
      if (kept) el.setAttribute('src', kept);
      else if (!images.remote || !/^https?:/i.test(src)) {
        // Not fetched unless the person asks: a remote image tells its server who read the clip, and when.
        el.removeAttribute('src');
        el.setAttribute('data-not-kept', '');
      }
    } else if (el.hasAttribute('src')) {
      el.removeAttribute('src');
    }
    // Plain values pass the URI rule above (so widths survive); links must still be web, mail or
    // phone links or in-page anchors (a relative one would resolve against the extension's pages).
    for (const attr of ['href', 'cite', 'longdesc']) {
      const v = el.getAttribute(attr);
      if (v !== null && !/^(?:https?:|mailto:|tel:|#)/i.test(v.trim())) el.removeAttribute(attr);
    }
    if (tag === 'a' || tag === 'area') {
      if (el.hasAttribute('href')) {
        el.setAttribute('rel', 'noopener noreferrer');
        el.setAttribute('target', '_blank');
      } else el.removeAttribute('target');
    } else el.removeAttribute('target');
  });
  return purify.sanitize(html, {
    FORBID_TAGS: [
      'style',
      'script',
      'iframe',
      'frame',
      'object',
      'embed',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'link',
      'meta',
      'base',
      'svg',
      'math',
      'video',
      'audio',
      'source',
      'track',
      'picture',
    ],
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'poster', 'background', 'ping'],
    ALLOWED_URI_REGEXP: READER_URI,
  });
}

/** Whether a clip's HTML (or image) has images that are not kept in the notebook. */
export function hasRemoteImages(c: CapturedContent, kept: Map<string, string> | undefined): boolean {
  if (c.kind === 'image') return !!c.imageUrl && !kept?.has(c.imageUrl);
  for (const m of (c.html ?? '').matchAll(/<img\b[^>]*?\ssrc="([^"]*)"/gi)) {
    if (!kept?.has(m[1]!.replace(/&amp;/g, '&'))) return true;
  }
  return false;
}

/** The full reader document for one clip. */
export function readerDocument(c: CapturedContent, win: Window & typeof globalThis, images: ReaderImages = {}, notes: string[] = []): string {
  const source = safeHref(c.url);
  const imageUrl = safeHref(c.imageUrl);
  const keptImage = imageUrl ? images.kept?.get(imageUrl) : undefined;
  const imageSrc = keptImage ?? (images.remote ? imageUrl : undefined);
  const body =
    c.kind === 'link'
      ? `<p><a href="${esc(safeHref(c.linkUrl) ?? '#')}">${esc(c.text || c.linkUrl || '')}</a></p>`
      : c.kind === 'image'
        ? `<figure><img ${imageSrc ? `src="${esc(imageSrc)}"` : 'data-not-kept'} alt="${esc(c.imageAlt ?? '')}"><figcaption>${esc(c.imageAlt ?? '')}</figcaption></figure>`
        : c.html
          ? purifyForReader(c.html, win, images)
          : `<p>${esc(c.text ?? c.excerpt ?? '')}</p>`;
  const meta = [c.byline, c.siteName, c.publishedTime ? date(c.publishedTime) : undefined]
    .filter(Boolean)
    .map((s) => esc(String(s)))
    .join(' · ');
  // Only the notebook's own copies (data:) unless the person asked for this site's images.
  const imgSrc = images.remote ? 'data: https: http:' : 'data:';
  return `<!doctype html><html lang="${esc(c.lang ?? '')}" dir="${c.dir === 'rtl' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>${esc(c.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<base target="_blank">
<style>body{font:16px/1.6 system-ui,'Noto Sans',sans-serif;color:#1b1f24;margin:0 12px 24px;overflow-wrap:anywhere}img{max-width:100%;height:auto}
img[data-not-kept]{display:inline-block;min-width:2em;min-height:1.5em;border:1px dashed #8c959f;border-radius:4px;color:#57606a;font-size:.85rem}
h1{font-size:1.3rem;line-height:1.3}.meta{color:#57606a;font-size:.85rem}blockquote{border-left:3px solid #d0d7de;margin:0;padding-left:12px}
pre{white-space:pre-wrap}table{border-collapse:collapse;max-width:100%}td,th{border:1px solid #d0d7de;padding:2px 6px}.cut{background:#fff4e5;padding:8px;border-radius:6px}</style></head>
<body><h1>${esc(c.title)}</h1><p class="meta">${meta}</p>${c.truncated ? `<p class="cut">${esc(t('clipCard.thisPageWasVery'))}</p>` : ''}${notes.map((n) => `<p class="cut">${esc(n)}</p>`).join('')}
${body}${source ? `<p class="meta"><a href="${esc(source)}">Original page</a></p>` : ''}</body></html>`;
}
