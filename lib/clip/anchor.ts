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
    let intersects: boolean;
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
  const page = root
    ? collapse(
        visibleTextNodes(root)
          .map((n) => n.data)
          .join(''),
      )
    : '';
  const at = page.indexOf(exact);
  if (at < 0) return { prefix: '', exact, suffix: '' };
  return anchorAt(page, at, at + exact.length);
}

/** The page's visible text, whitespace collapsed as anchors are, and a way back to DOM ranges. */
export interface PageText {
  /** Collapsed text (the same rule as {@link anchorForRange}). */
  text: string;
  /** The DOM range of collapsed characters [start, end). */
  range(start: number, end: number): Range;
}

/** Reads `root`'s visible text once, for anchoring any number of quotes in it. */
export function pageText(doc: Document, root: Node = doc.body ?? doc.documentElement): PageText {
  const nodes = root ? visibleTextNodes(root) : [];
  // For each collapsed character: the text node and offset of the raw character it came from.
  const nodeOf: number[] = [];
  const offsetOf: number[] = [];
  let text = '';
  let lastSpace = false;
  nodes.forEach((node, n) => {
    const data = node.data;
    for (let i = 0; i < data.length; i++) {
      const space = /\s/.test(data[i]!);
      if (space && lastSpace) continue;
      text += space ? ' ' : data[i];
      nodeOf.push(n);
      offsetOf.push(i);
      lastSpace = space;
    }
  });
  return {
    text,
    range(start, end) {
      const r = doc.createRange();
      r.setStart(nodes[nodeOf[start]!]!, offsetOf[start]!);
      const last = end - 1;
      r.setEnd(nodes[nodeOf[last]!]!, offsetOf[last]! + 1);
      return r;
    },
  };
}

/** Characters `a` and `b` share at their ends (`fromEnd`) or starts. */
function common(a: string, b: string, fromEnd: boolean): number {
  let n = 0;
  const max = Math.min(a.length, b.length);
  while (n < max && (fromEnd ? a[a.length - 1 - n] === b[b.length - 1 - n] : a[n] === b[n])) n++;
  return n;
}

/**
 * Finds a text anchor in the page (text-quote anchoring, as Hypothesis does): every occurrence of
 * the quote is scored by how much of the recorded prefix and suffix surround it, and the best one
 * wins, so a phrase that occurs twice is placed where it was clipped. Case and spacing are
 * forgiven when the exact quote is not found. Undefined when the quote is not on the page (the
 * page changed): the caller lists it as not placed.
 */
export function findAnchor(page: PageText, anchor: TextAnchor): { start: number; end: number } | undefined {
  const exact = collapse(anchor.exact).trim();
  if (!exact) return undefined;
  const search = (hay: string, needle: string) => {
    let best: { start: number; score: number } | undefined;
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
      const before = hay.slice(Math.max(0, at - anchor.prefix.length - 1), at).trimEnd();
      const after = hay.slice(at + needle.length, at + needle.length + anchor.suffix.length + 1).trimStart();
      const score = common(before, collapse(anchor.prefix).trimEnd(), true) + common(after, collapse(anchor.suffix).trimStart(), false);
      if (!best || score > best.score) best = { start: at, score };
    }
    return best;
  };
  const found = search(page.text, exact) ?? search(page.text.toLowerCase(), exact.toLowerCase());
  return found ? { start: found.start, end: found.start + exact.length } : undefined;
}
