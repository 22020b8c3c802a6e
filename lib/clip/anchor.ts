/**
 * Text anchors for selection clips, in the shape of the W3C Web Annotation
 * TextQuoteSelector: the quote plus a little text before and after, so that the quote can
 * be found again on the live page even when the markup around it changes.
 */
import { INVISIBLE_TAGS } from './text.ts';

/** A quote and the text around it, whitespace collapsed. */
export interface TextAnchor {
  prefix: string;
  exact: string;
  suffix: string;
}

/** Characters of context kept either side of the quote. */
export const ANCHOR_CONTEXT = 32;

/** Collapses whitespace runs to one space (the same rule on page and quote). */
function collapse(s: string): string {
  return s.replace(/\s+/g, ' ');
}

/** The visible text nodes under `root`, in document order (script and style text skipped). */
function visibleTextNodes(root: Node): Text[] {
  const out: Text[] = [];
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) out.push(child as Text);
      else if (child.nodeType === 1 && !INVISIBLE_TAGS.has((child as Element).tagName.toUpperCase())) walk(child);
    }
  };
  walk(root);
  return out;
}

/** Builds an anchor from raw page text and the raw quote's position in it. */
function anchorAt(raw: string, start: number, end: number): TextAnchor {
  // Take a generous raw window, then collapse: indentation can be hundreds of spaces.
  const before = collapse(raw.slice(Math.max(0, start - ANCHOR_CONTEXT * 16), start));
  const after = collapse(raw.slice(end, end + ANCHOR_CONTEXT * 16));
  const exact = collapse(raw.slice(start, end));
  const lead = exact.startsWith(' ') || before.endsWith(' ');
  return {
    prefix: (lead ? `${before.trimEnd()} ` : before).slice(-ANCHOR_CONTEXT).trimStart(),
    exact: exact.trim(),
    suffix: after.slice(0, ANCHOR_CONTEXT).trimEnd(),
  };
}

/**
 * Anchor of a DOM range in `doc`: exact is the range's visible text, prefix and suffix the
 * {@link ANCHOR_CONTEXT} characters of page text around it. Undefined when the range
 * holds no text or lies outside the body.
 */
export function anchorForRange(doc: Document, range: Range): TextAnchor | undefined {
  const root = doc.body ?? doc.documentElement;
  if (!root) return undefined;
  let raw = '';
  let start = -1;
  let end = -1;
  for (const node of visibleTextNodes(root)) {
    const data = node.data;
    let inStart = 0;
    let inEnd = data.length;
    let intersects = false;
    try {
      intersects = range.intersectsNode(node);
    } catch {
      intersects = false;
    }
    if (intersects) {
      if (node === range.startContainer) inStart = range.startOffset;
      if (node === range.endContainer) inEnd = range.endOffset;
      if (start < 0) start = raw.length + inStart;
      end = raw.length + inEnd;
    }
    raw += data;
  }
  if (start < 0 || end <= start || !collapse(raw.slice(start, end)).trim()) return undefined;
  return anchorAt(raw, start, end);
}

/**
 * Anchor of a quote given as text (when the caller has no range, e.g. a selection sent as
 * `{html, text}`): finds its first occurrence in the page's visible text, whitespace
 * collapsed. When the quote is not found, prefix and suffix are empty.
 */
export function anchorForText(doc: Document, quote: string): TextAnchor | undefined {
  const exact = collapse(quote).trim();
  if (!exact) return undefined;
  const root = doc.body ?? doc.documentElement;
  const page = root ? collapse(visibleTextNodes(root).map((n) => n.data).join('')) : '';
  const at = page.indexOf(exact);
  if (at < 0) return { prefix: '', exact, suffix: '' };
  return anchorAt(page, at, at + exact.length);
}
