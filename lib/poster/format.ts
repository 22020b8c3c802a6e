/**
 * Small text helpers shared by the poster renderers: numbers, dates, words, safe links and the
 * plain-text paragraph/bullet convention of outline fields.
 */

/**
 * U+202F NARROW NO-BREAK SPACE: the "thin space" digit separator of SI / ISO 80000.
 * A fixed, locale-neutral grouping on purpose: the poster is read by an international audience
 * for whom "1,200" and "1.200" mean different things, and the output must not depend on the
 * browser's locale (the two partners would otherwise export different posters). No-break, so
 * a number never wraps in the middle. Noto Sans has the glyph.
 */
export const THIN_SPACE = '\u202F';

/** A count with thin-space grouping: 1200000 → "1 200 000" (U+202F between groups). Non-finite → "". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '';
  const neg = n < 0;
  const digits = String(Math.round(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, THIN_SPACE);
  return (neg ? '−' : '') + grouped;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** English month name of a 0-based month index. */
export function monthName(month: number): string {
  return MONTHS[month] ?? '';
}

/**
 * "3 March 2026" in UTC. Day-month-year because most of the programme's readers use it and it
 * cannot be misread the way 03/04 can; UTC so both partners export the same text.
 */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${monthName(d.getUTCMonth())} ${d.getUTCFullYear()}`;
}

/** Words in a text: letter/number runs, with inner apostrophes and hyphens kept ("don't", "e-mail"). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/**
 * Text as it may be rendered: NFC (so "Kaladžija" typed with a combining caron becomes one
 * glyph the font has), Windows/Mac newlines unified, tabs as spaces, other control characters
 * dropped (they would draw as boxes or break PDF strings).
 */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')

    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}

/** A block of an outline text field. */
export type TextBlock = { kind: 'paragraph'; text: string } | { kind: 'bullets'; items: string[] };

/**
 * Splits an outline text into paragraphs and bullet lists. Convention (documented in types.ts):
 * blank lines separate paragraphs; lines starting with "- ", "* " or "• " are bullet items;
 * other consecutive lines join into one paragraph (single newlines are soft, as in Markdown).
 */
export function splitBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let para: string[] = [];
  let items: string[] | undefined;
  const flushPara = () => {
    if (para.length) blocks.push({ kind: 'paragraph', text: para.join(' ') });
    para = [];
  };
  const flushItems = () => {
    if (items?.length) blocks.push({ kind: 'bullets', items });
    items = undefined;
  };
  for (const raw of cleanText(text).split('\n')) {
    const line = raw.trim();
    const bullet = /^(?:[-*•])\s+(.*)$/.exec(line);
    if (!line) {
      flushPara();
      flushItems();
    } else if (bullet) {
      flushPara();
      (items ??= []).push(bullet[1]!.trim());
    } else if (items && raw.startsWith('  ')) {
      // An indented line continues the previous bullet item.
      items[items.length - 1] += ' ' + line;
    } else {
      flushItems();
      para.push(line);
    }
  }
  flushPara();
  flushItems();
  return blocks;
}

/**
 * The URL if it is an absolute http(s) address, normalised by the URL parser, else undefined.
 * Everything clickable on the poster goes through this: clip addresses come from arbitrary web
 * pages and peers, and `javascript:`/`data:` links must never become links.
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.username || u.password) return undefined;
  return u.href;
}

/** A plausible e-mail address (no spaces, one @, a dot in the domain, no markup characters). */
export function isEmail(s: string): boolean {
  return /^[^\s@<>"'()[\],;:]+@[^\s@<>"'()[\],;:]+\.[^\s@<>"'()[\],;:]+$/.test(s.trim());
}

/** Joins "a", "b" and "c" as "a, b and c" (no Oxford comma: plain English prose). */
export function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "1 clip" / "3 clips". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Escapes plain text so that Markdown shows it literally (CommonMark + GFM). Text from clips
 * and peers must never turn into links, images, raw HTML or emphasis by accident; escaping
 * only what can start markup keeps the file readable ("1,200 items" stays as it is).
 */
export function escapeMarkdown(text: string): string {
  let s = text
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    // An ampersand only matters when it would start an entity like &amp; or &#60;.
    .replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');
  // Characters that start a block only at the beginning of a line.
  s = s.replace(/^(\s*)([#>+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  return s;
}
