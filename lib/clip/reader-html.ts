/**
 * The reader view's document: clip HTML (already sanitised at capture, sanitised again here
 * because a partner's copy is untrusted) inside a page whose own CSP forbids every script.
 * The panel shows it in an <iframe sandbox> without allow-scripts, a third, independent wall.
 */
import DOMPurify from 'dompurify';
import type { CapturedContent } from '../notebook/types';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A safe http(s) URL, or undefined. */
export function safeHref(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Sanitises clip HTML for display with the given window's DOMPurify. */
export function purifyForReader(html: string, win: Window & typeof globalThis): string {
  const purify = DOMPurify(win);
  return purify.sanitize(html, {
    FORBID_TAGS: ['style', 'script', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta', 'base', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
  });
}

/** The full reader document for one clip. */
export function readerDocument(c: CapturedContent, win: Window & typeof globalThis): string {
  const source = safeHref(c.url);
  const body =
    c.kind === 'link'
      ? `<p><a href="${esc(safeHref(c.linkUrl) ?? '#')}">${esc(c.text || c.linkUrl || '')}</a></p>`
      : c.kind === 'image'
        ? `<figure><img src="${esc(safeHref(c.imageUrl) ?? '')}" alt="${esc(c.imageAlt ?? '')}"><figcaption>${esc(c.imageAlt ?? '')}</figcaption></figure>`
        : c.html
          ? purifyForReader(c.html, win)
          : `<p>${esc(c.text ?? c.excerpt ?? '')}</p>`;
  const meta = [c.byline, c.siteName, c.publishedTime ? new Date(c.publishedTime).toLocaleDateString() : undefined].filter(Boolean).map((s) => esc(String(s))).join(' · ');
  return `<!doctype html><html lang="${esc(c.lang ?? '')}" dir="${c.dir === 'rtl' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>${esc(c.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'">
<base target="_blank">
<style>body{font:16px/1.6 system-ui,'Noto Sans',sans-serif;color:#1b1f24;margin:0 12px 24px;overflow-wrap:anywhere}img{max-width:100%;height:auto}
h1{font-size:1.3rem;line-height:1.3}.meta{color:#57606a;font-size:.85rem}blockquote{border-left:3px solid #d0d7de;margin:0;padding-left:12px}
pre{white-space:pre-wrap}table{border-collapse:collapse;max-width:100%}td,th{border:1px solid #d0d7de;padding:2px 6px}.cut{background:#fff4e5;padding:8px;border-radius:6px}</style></head>
<body><h1>${esc(c.title)}</h1><p class="meta">${meta}</p>${c.truncated ? '<p class="cut">This page was very long: only its first part was saved.</p>' : ''}
${body}${source ? `<p class="meta"><a href="${esc(source)}">Original page</a></p>` : ''}</body></html>`;
}
