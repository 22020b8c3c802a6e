/**
 * Plain-text helpers for clips: block-aware text of a DOM subtree, size bounds measured
 * in UTF-8 bytes (what storage and sync actually pay for) and word counts that also work
 * for scripts written without spaces (Chinese, Japanese, Thai).
 */

/** Elements after which a reader expects a line break in plain text. */
const BLOCK_TAGS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BR',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TR',
  'UL',
]);

/** Elements whose text is never shown to a reader (scripts, styles, templates). */
export const INVISIBLE_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'OBJECT', 'SVG', 'MATH', 'HEAD', 'TITLE']);

/**
 * Number of bytes `s` takes as UTF-8, without allocating an encoded copy (clips can be
 * megabytes; TextEncoder would double the memory just to measure).
 */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      // A surrogate pair is one 4-byte code point.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Cuts `text` to at most `maxBytes` of UTF-8, preferring the last whitespace in the final
 * 200 characters so that a word is not split. Never splits a surrogate pair.
 */
export function truncateText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (text.length <= maxBytes / 4 || utf8ByteLength(text) <= maxBytes) {
    return { text, truncated: false };
  }
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    const isPair = c >= 0xd800 && c <= 0xdbff && end + 1 < text.length;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : isPair ? 4 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += isPair ? 2 : 1;
  }
  const space = text.lastIndexOf(' ', end);
  const newline = text.lastIndexOf('\n', end);
  const cut = Math.max(space, newline);
  return { text: text.slice(0, cut > end - 200 && cut > 0 ? cut : end).trimEnd(), truncated: true };
}

/** Collapses runs of spaces and tabs, trims lines, and keeps at most one blank line. */
export function tidyText(text: string): string {
  return text
    .replace(/[ \t\f\v\r\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The text a reader sees in `root`, with line breaks after block elements (textContent
 * would glue "end of one paragraph.Start of the next" together) and without the text of
 * scripts and styles.
 */
export function readableText(root: Node): string {
  const parts: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === 3 /* TEXT_NODE */) {
      parts.push((node as Text).data.replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1 /* ELEMENT_NODE */ && node.nodeType !== 11 /* FRAGMENT */) return;
    const tag = node.nodeType === 1 ? (node as Element).tagName.toUpperCase() : '';
    if (INVISIBLE_TAGS.has(tag)) return;
    if (tag === 'PRE') {
      parts.push('\n', node.textContent ?? '', '\n');
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) parts.push('\n');
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child);
    if (block) parts.push(tag === 'P' || /^H\d$/.test(tag) ? '\n\n' : '\n');
  };
  walk(root);
  return tidyText(parts.join(''));
}

/** Unicode ranges of scripts usually written without spaces between words. */
const UNSPACED_SCRIPT = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Number of words in `text`. Uses `Intl.Segmenter` when the text contains a script that
 * is written without spaces (each Chinese word would otherwise count as one huge word);
 * splitting on whitespace is faster and exact enough everywhere else.
 */
export function countWords(text: string): number {
  if (!text.trim()) return 0;
  if (UNSPACED_SCRIPT.test(text) && typeof Intl !== 'undefined' && 'Segmenter' in Intl) {
    let n = 0;
    for (const s of new Intl.Segmenter(undefined, { granularity: 'word' }).segment(text)) {
      if (s.isWordLike) n++;
    }
    return n;
  }
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
