/**
 * Turns untrusted page HTML into clip HTML that is safe to store in a shared notebook and
 * render in the side panel of every partner: DOMPurify plus a stricter policy (no forms,
 * frames, styles or inline SVG; only web, mail and telephone links; raster data: images
 * only), absolute URLs, links that open in a new tab without an opener, and a size bound.
 *
 * A clip travels to the other partners' browsers, so a payload that survives here runs in
 * someone else's extension page: every rule errs on the side of dropping content.
 */
import DOMPurify, { type Config } from 'dompurify';
import { readableText, truncateText, utf8ByteLength } from './text.ts';

/** Default bound on a clip's HTML: 2 MB of UTF-8. */
export const DEFAULT_MAX_HTML_BYTES = 2 * 1024 * 1024;
/** Default bound on a clip's plain text: 1 MB of UTF-8. */
export const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;

/** Options of {@link sanitizeHtml}. */
export interface SanitizeOptions {
  /** Bound on the returned HTML, in UTF-8 bytes (default {@link DEFAULT_MAX_HTML_BYTES}). */
  maxHtmlBytes?: number;
  /** Bound on the returned text, in UTF-8 bytes (default {@link DEFAULT_MAX_TEXT_BYTES}). */
  maxTextBytes?: number;
}

/** What {@link sanitizeHtml} returns. */
export interface SanitizedHtml {
  /** Safe HTML: serialised from a DOM, so always well-formed, even when cut. */
  html: string;
  /** The plain text of that HTML, with paragraph breaks. */
  text: string;
  /** True when the HTML or the text was cut to its bound. */
  truncated: boolean;
}

/**
 * Elements removed with their content, on top of DOMPurify's defaults (which already drop
 * scripts). Forms post to third parties; frames, objects and embeds load active content;
 * `<style>` restyles the side panel. Inline SVG and MathML are dropped whole because
 * namespace switches are where mutation-XSS lives, and clips rarely need them (an SVG in an
 * `<img>` stays, since images cannot run script).
 */
const FORBID_TAGS = [
  'style',
  'link',
  'meta',
  'base',
  'title',
  'form',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'textarea',
  'datalist',
  'output',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'portal',
  'fencedframe',
  'noscript',
  'noembed',
  'noframes',
  'template',
  'slot',
  'dialog',
  'svg',
  'math',
];

/**
 * Attributes removed everywhere. `style` can carry `url(javascript:)` and overlays;
 * `srcset`/`sizes` hold URLs we would have to rewrite one by one (`src` is kept);
 * ids, names and classes would clash with the side panel's own DOM (DOM clobbering).
 */
const FORBID_ATTR = [
  'style',
  'srcset',
  'sizes',
  'id',
  'name',
  'class',
  'form',
  'formaction',
  'action',
  'ping',
  'background',
  'srcdoc',
  'xmlns',
  'is',
  'autofocus',
  'tabindex',
  'contenteditable',
];

/** Attributes that hold a URL, made absolute or removed. */
const URL_ATTRS = ['href', 'src', 'poster', 'cite', 'longdesc', 'xlink:href', 'data'];

/** Schemes a clip may link to. */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * Inline images that cannot carry script. `data:image/svg+xml` is excluded because an SVG
 * opened in its own tab runs script.
 */
const SAFE_DATA_IMAGE = /^data:image\/(?:png|jpe?g|gif|webp|avif|bmp|x-icon);base64,[a-z0-9+/=\s]*$/i;

/**
 * The absolute form of `value` against `baseUrl` when it is a URL a clip may keep, else
 * undefined. Control characters and whitespace are stripped first, as browsers do when
 * they parse `java\tscript:` — otherwise the check and the browser would disagree.
 */
export function safeUrl(value: string, baseUrl: string, allowDataImage = false): string | undefined {
  const cleaned = value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, (m, offset: number) =>
    // Inner spaces in a path are legitimate (they get percent-encoded); leading/trailing not.
    offset === 0 || offset + m.length === value.length || /[\u0000-\u001f\u007f-\u009f]/.test(m) ? '' : m,
  );
  if (!cleaned) return undefined;
  if (allowDataImage && SAFE_DATA_IMAGE.test(cleaned)) return cleaned;
  let url: URL;
  try {
    url = new URL(cleaned, baseUrl);
  } catch {
    return undefined;
  }
  return SAFE_SCHEMES.has(url.protocol) ? url.href : undefined;
}

const PURIFY_CONFIG: Config = {
  FORBID_TAGS,
  FORBID_ATTR,
  // No custom elements or unknown protocols; keep DOMPurify's clobbering protection.
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: true,
  SANITIZE_DOM: true,
  WHOLE_DOCUMENT: false,
  RETURN_DOM: true,
};

/**
 * Sanitises untrusted `html` from the page at `baseUrl`, with a DOMPurify instance created
 * over `window` (the page's own window in the browser, a jsdom window in tests).
 *
 * Guarantees: no script, event handler, frame, object, embed, form control, style element or
 * attribute, inline SVG/MathML; every kept URL is absolute http(s)/mailto/tel, or a raster
 * `data:image` in an `<img src>`; every link has `rel="noopener noreferrer"` and
 * `target="_blank"`; the HTML is at most `maxHtmlBytes` (cut at an element boundary, or
 * within the last text node, never inside a tag) and the text at most `maxTextBytes`.
 * Never throws on odd input: an empty string comes back as empty.
 */
export function sanitizeHtml(html: string, baseUrl: string, window: Window, opts: SanitizeOptions = {}): SanitizedHtml {
  const maxHtmlBytes = opts.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES;
  const maxTextBytes = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  if (!html) return { html: '', text: '', truncated: false };

  // A fresh instance per call: hooks close over this call's base URL, and instances are
  // cheap next to parsing the HTML itself.
  const purify = DOMPurify(window as unknown as Parameters<typeof DOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName.toLowerCase();
    for (const attr of URL_ATTRS) {
      const value = el.getAttribute(attr);
      if (value === null) continue;
      const safe = safeUrl(value, baseUrl, tag === 'img' && attr === 'src');
      if (safe === undefined) el.removeAttribute(attr);
      else if (safe !== value) el.setAttribute(attr, safe);
    }
    // Markup inside an attribute value is inert here, but turns live if a later step (the
    // poster export, a Markdown converter) ever re-serialises attributes carelessly.
    for (const attr of Array.from(el.attributes)) {
      if (/<\/?[a-z!?]/i.test(attr.value)) el.removeAttribute(attr.name);
    }
    if (tag === 'a' || tag === 'area') {
      if (el.hasAttribute('href')) {
        // The clip is shown inside the extension: never hand the linked page an opener or
        // a referrer pointing into the extension.
        el.setAttribute('rel', 'noopener noreferrer');
        el.setAttribute('target', '_blank');
      } else {
        el.removeAttribute('target');
      }
    } else {
      el.removeAttribute('target');
    }
  });

  let body: Element;
  try {
    body = purify.sanitize(html, PURIFY_CONFIG) as unknown as Element;
  } catch {
    // DOMPurify only throws on broken environments; a clip without HTML still has metadata.
    return { html: '', text: '', truncated: true };
  }

  let truncated = false;
  let out = body.innerHTML;
  if (utf8ByteLength(out) > maxHtmlBytes) {
    truncated = true;
    // Serialised sizes are estimated per node; shrink the budget until the result fits.
    for (let budget = maxHtmlBytes; budget > 0 && utf8ByteLength(out) > maxHtmlBytes; budget = Math.floor(budget * 0.9)) {
      const copy = body.cloneNode(true) as Element;
      fitChildren(copy, budget);
      out = copy.innerHTML;
      if (utf8ByteLength(out) <= maxHtmlBytes) body = copy;
    }
    if (utf8ByteLength(out) > maxHtmlBytes) out = '';
  }
  const text = truncateText(readableText(body), maxTextBytes);
  return { html: out, text: text.text, truncated: truncated || text.truncated };
}

/** Serialised size of a node as it will appear in innerHTML, in UTF-8 bytes. */
function serialisedBytes(node: Node): number {
  if (node.nodeType === 1) return utf8ByteLength((node as Element).outerHTML);
  if (node.nodeType === 3) {
    const data = (node as Text).data;
    // Escaping grows &, <, > and no-break spaces into entities.
    const extra = (data.match(/[&<>\u00a0]/g)?.length ?? 0) * 5;
    return utf8ByteLength(data) + extra;
  }
  if (node.nodeType === 8) return utf8ByteLength((node as Comment).data) + 7; // <!--…-->
  return 0;
}

/**
 * Keeps the longest prefix of `parent`'s children that fits in `budget` bytes: whole
 * children while they fit, then descends into the first child that does not (so a huge
 * article keeps its first paragraphs rather than nothing), then drops everything after.
 * Returns the bytes used.
 */
function fitChildren(parent: Node, budget: number): number {
  let used = 0;
  let child = parent.firstChild;
  while (child) {
    const size = serialisedBytes(child);
    if (used + size <= budget) {
      used += size;
      child = child.nextSibling;
      continue;
    }
    const remaining = budget - used;
    let keep = false;
    if (child.nodeType === 1) {
      const el = child as Element;
      const tags = size - utf8ByteLength(el.innerHTML);
      if (tags < remaining && el.firstChild) {
        used += tags + fitChildren(el, remaining - tags);
        keep = true;
      }
    } else if (child.nodeType === 3 && remaining > 0) {
      (child as Text).data = truncateText((child as Text).data, remaining).text;
      used += serialisedBytes(child);
      keep = true;
    }
    // Everything after the cut point goes (and the child itself when nothing of it fits).
    for (let drop = keep ? child.nextSibling : child; drop;) {
      const next: ChildNode | null = drop.nextSibling;
      parent.removeChild(drop);
      drop = next;
    }
    break;
  }
  return used;
}
