/**
 * APA 7 references for clips (webpages), and the poster's sorted, de-duplicated source list.
 *
 * A citation is first built as parts (text, italic, link) and only then rendered per output
 * format, so each format escapes its own way and the PDF can draw the title oblique and the
 * URL clickable. Reference pattern (APA 7, "webpage on a website"):
 *   Author, A. A., & Author, B. (2026, March 3). *Title of page*. Site Name. https://…
 * With no author the site name is the author (and is not repeated); with neither, the title
 * moves to the author position. With no date: (n.d.) and "Retrieved Month Day, Year, from URL".
 * A PDF is cited as a report: the year only, "[Untitled document]" when it has no title, and its
 * quotes' in-text citations carry their pages ("(Dorj, 2024, p. 3)").
 */
import type { Clip } from '../notebook/types';
import { agreedThemes, outlinePartnerIds } from './draft';
import { cleanText, escapeHtml, escapeMarkdown, monthName, safeHttpUrl } from './format';
import type { PosterOutline } from '../notebook/poster/types';

/** A piece of a rendered citation. */
export interface CitationPart {
  text: string;
  italic?: boolean;
  /** Set on the URL part: the safe http(s) address it links to. */
  href?: string;
}

/** Output formats of citations. */
export type CiteFormat = 'text' | 'markdown' | 'html';

/** One line of the Sources section. */
export interface SourceEntry {
  /** The clip it cites; absent for references typed by hand. */
  clipId?: string;
  /** The safe http(s) address, if any (the de-duplication key). */
  url?: string;
  parts: CitationPart[];
  /** Plain text, used for sorting and for the PDF's search index. */
  text: string;
}

const squash = (s: string | undefined) =>
  cleanText(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();

// Words that mark a byline as a group author (kept whole, never inverted into "Surname, I.").
const ORG_WORDS =
  /(?<!\p{L})(librar\p{L}*|universit\p{L}*|association|council|ministry|museum|department|office|institute|foundation|society|agency|committee|government|school|college|center|centre|news|press|team|staff|editors?|editorial|inc|ltd|llc|gmbh|bibliot\p{L}*|библиотек\p{L}*|ifla|unesco|round table|network)(?!\p{L})/iu;

const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'da',
  'di',
  'du',
  'la',
  'le',
  'del',
  'della',
  'dos',
  'das',
  'ter',
  'ten',
  'bin',
  'ibn',
  'al',
  'el',
]);
const SUFFIX = /^(Jr\.?|Sr\.?|II|III|IV)$/;

/** True when a byline names an organisation rather than a person. */
export function isOrganisation(name: string, siteName?: string): boolean {
  const n = squash(name);
  if (siteName && n.toLowerCase() === squash(siteName).toLowerCase()) return true;
  return ORG_WORDS.test(n) || n.split(' ').length > 4 || /\d/.test(n);
}

function initials(given: string[]): string {
  return given
    .map((g) =>
      /^\p{Lu}\.$/u.test(g)
        ? g
        : g
            .split('-')
            .filter(Boolean)
            .map((part) => `${Array.from(part)[0]!.toUpperCase()}.`)
            .join('-'),
    )
    .join(' ');
}

/**
 * One author in APA form: "Kaladžija, A." for a person, unchanged for an organisation or a
 * single-word name. "Surname, Given" bylines are recognised as already inverted.
 */
export function apaAuthor(name: string, siteName?: string): string {
  const n = squash(name).replace(/,$/, '');
  if (!n || isOrganisation(n, siteName)) return n;
  const inverted = /^([^,]+),\s*([^,]+)$/.exec(n);
  if (inverted) {
    const [, family, given] = inverted;
    return `${family!.trim()}, ${initials(given!.trim().split(' '))}`;
  }
  const tokens = n.split(' ');
  if (tokens.length < 2) return n;
  // Names that are not capitalised words (handles, lowercase nicknames) are kept as written.
  if (!tokens.every((t) => /^[\p{Lu}\p{Lo}]/u.test(t) || PARTICLES.has(t.toLowerCase()))) return n;
  let suffix = '';
  if (SUFFIX.test(tokens[tokens.length - 1]!)) suffix = tokens.pop()!;
  const family = [tokens.pop()!];
  while (tokens.length > 1 && PARTICLES.has(tokens[tokens.length - 1]!.toLowerCase())) family.unshift(tokens.pop()!);
  if (!tokens.length) return n;
  return `${family.join(' ')}, ${initials(tokens)}${suffix ? `, ${suffix}` : ''}`;
}

/** Splits a byline into author names: "By A, B and C", "A; B", "A & B", "Surname, Given". */
export function splitByline(byline: string): string[] {
  const s = squash(byline).replace(/^(by|von|par|от)\s+/i, '');
  if (!s) return [];
  const pieces = s.split(/\s*;\s*|\s*,?\s+(?:and|und|et|и)\s+|\s*,?\s*&\s*/i).filter(Boolean);
  const names: string[] = [];
  for (const piece of pieces) {
    const subs = piece.split(/\s*,\s*/).filter(Boolean);
    // "Dorj, Batbayar" or "Smith, J. A." is one inverted name, not two authors.
    const oneInverted = subs.length === 2 && !subs[0]!.includes(' ') && subs[1]!.split(' ').length <= 3 && !isOrganisation(piece);
    if (subs.length === 1 || oneInverted || isOrganisation(piece)) names.push(piece);
    else names.push(...subs);
  }
  return names;
}

/** APA author list: "A", "A, & B", "A, B, & C"; 21 or more: the first 19, ". . .", the last. */
export function apaAuthorList(authors: string[]): string {
  if (authors.length <= 1) return authors[0] ?? '';
  if (authors.length > 20) return `${authors.slice(0, 19).join(', ')}, . . . ${authors[authors.length - 1]}`;
  return `${authors.slice(0, -1).join(', ')}, & ${authors[authors.length - 1]}`;
}

/** The address a clip cites: the link target for link clips, else canonical, else page URL; http(s) only. */
export function clipUrl(clip: Clip): string | undefined {
  const c = clip.captured;
  if (c.kind === 'link') return safeHttpUrl(c.linkUrl) ?? safeHttpUrl(c.canonicalUrl) ?? safeHttpUrl(c.url);
  return safeHttpUrl(c.canonicalUrl) ?? safeHttpUrl(c.url);
}

/** APA date "March 3, 2026" (UTC: a page's date has no reliable zone). */
export function apaDate(ms: number): string {
  const d = new Date(ms);
  return `${monthName(d.getUTCMonth())} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

const validTime = (t: number | undefined): t is number => typeof t === 'number' && Number.isFinite(t) && !Number.isNaN(new Date(t).getTime());

/** Adds a final period unless the text already ends with terminal punctuation. */
function period(s: string): string {
  return /[.?!]$/.test(s) ? s : `${s}.`;
}

/** The APA reference of a clip, as parts to render. */
export function citationParts(clip: Clip): CitationPart[] {
  const c = clip.captured;
  const site = squash(c.siteName).replace(/\.$/, '');
  const title = squash(c.title).replace(/\.$/, '');
  const url = clipUrl(clip);
  const authors = splitByline(c.byline ?? '').map((a) => apaAuthor(a, site));
  const parts: CitationPart[] = [];
  const titleParts: CitationPart[] = [];
  // Untitled works get a bracketed description, not italics (APA 7, 9.29).
  if (title) titleParts.push({ text: title, italic: true });
  else titleParts.push({ text: c.kind === 'image' ? '[Untitled image]' : c.kind === 'pdf' ? '[Untitled document]' : '[Untitled web page]' });
  if (title && c.kind === 'image') titleParts.push({ text: ' [Image]' });
  const titleEnd = () => {
    const last = titleParts[titleParts.length - 1]!;
    if (!/[.?!]$/.test(last.text)) titleParts.push({ text: '.' });
  };

  let author = '';
  if (authors.length) author = apaAuthorList(authors);
  else if (site) author = site;
  const siteIsAuthor = !!site && (!authors.length || (authors.length === 1 && authors[0]!.toLowerCase() === site.toLowerCase()));
  const date = validTime(c.publishedTime)
    ? (() => {
        const d = new Date(c.publishedTime!);
        // Reports (PDFs) are dated by year in APA 7; web pages by their full date.
        if (c.kind === 'pdf') return `(${d.getUTCFullYear()}).`;
        return `(${d.getUTCFullYear()}, ${monthName(d.getUTCMonth())} ${d.getUTCDate()}).`;
      })()
    : '(n.d.).';

  if (author) {
    parts.push({ text: `${period(author)} ${date} ` });
    titleEnd();
    parts.push(...titleParts);
  } else {
    titleEnd();
    parts.push(...titleParts, { text: ` ${date}` });
  }
  if (site && !siteIsAuthor) parts.push({ text: ` ${period(site)}` });
  if (url) {
    if (validTime(c.publishedTime) || !validTime(clip.clippedAt)) parts.push({ text: ' ' }, { text: url, href: url });
    else parts.push({ text: ` Retrieved ${apaDate(clip.clippedAt)}, from ` }, { text: url, href: url });
  }
  return mergeParts(parts);
}

function mergeParts(parts: CitationPart[]): CitationPart[] {
  const out: CitationPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && !last.italic && !p.italic && !last.href && !p.href) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** Renders citation parts: plain text, Markdown (`*title*`, autolinks) or HTML (`<i>`, `<a>`), escaped for that format. */
export function renderParts(parts: CitationPart[], format: CiteFormat): string {
  return parts
    .map((p, i) => {
      if (format === 'text') return p.text;
      if (format === 'markdown') {
        // URL.href percent-encodes spaces and angle brackets, so an autolink cannot be broken out of.
        if (p.href) return p.text === p.href ? `<${p.href}>` : `[${escapeMarkdown(p.text)}](<${p.href}>)`;
        const leading = p.text.match(/^\s*/)![0];
        const trailing = p.text.slice(leading.length).match(/\s*$/)![0];
        const core = p.text.slice(leading.length, p.text.length - trailing.length);
        if (!core) return p.text;
        // Block markers only matter at the start of the line, i.e. in the first part.
        const esc =
          i === 0
            ? escapeMarkdown(core)
            : escapeMarkdown(core)
                .replace(/^\\([#>+=-])/, '$1')
                .replace(/^(\d+)\\([.)])/, '$1$2');
        return leading + (p.italic ? `*${esc}*` : esc) + trailing;
      }
      const esc = escapeHtml(p.text);
      if (p.href) return `<a href="${escapeHtml(p.href)}">${esc}</a>`;
      return p.italic ? `<i>${esc}</i>` : esc;
    })
    .join('');
}

/** The APA 7 reference of a clip in the given format (default plain text). */
export function citeClip(clip: Clip, format: CiteFormat = 'text'): string {
  return renderParts(citationParts(clip), format);
}

function familyOf(apa: string): string {
  return apa.includes(', ') && !isOrganisation(apa) ? apa.slice(0, apa.indexOf(', ')) : apa;
}

/**
 * APA in-text citation parts: (Kaladžija, 2026), (Dorj & Kaladžija, n.d.), (Smith et al., 2025),
 * (Site Name, 2026) or, with neither author nor site, the italic title.
 */
export function inTextCitationParts(clip: Clip, pages?: string): CitationPart[] {
  const c = clip.captured;
  const site = squash(c.siteName).replace(/\.$/, '');
  const authors = splitByline(c.byline ?? '').map((a) => familyOf(apaAuthor(a, site)));
  const year = validTime(c.publishedTime) ? String(new Date(c.publishedTime!).getUTCFullYear()) : 'n.d.';
  let who: CitationPart;
  if (authors.length === 1) who = { text: authors[0]! };
  else if (authors.length === 2) who = { text: `${authors[0]} & ${authors[1]}` };
  else if (authors.length > 2) who = { text: `${authors[0]} et al.` };
  else if (site) who = { text: site };
  else who = { text: squash(c.title) || 'Untitled', italic: !!squash(c.title) };
  return mergeParts([{ text: '(' }, who, { text: `, ${year}${pages ? `, ${pageLocator(pages)}` : ''})` }]);
}

/** APA page locator of a quote's pages: "3" → "p. 3", "3–4" → "pp. 3–4". */
export function pageLocator(pages: string): string {
  return pages.includes('–') ? `pp. ${pages}` : `p. ${pages}`;
}

/** The in-text citation of a clip in the given format; `pages` ("3", "3–4") for a quote from a PDF. */
export function inTextCitation(clip: Clip, format: CiteFormat = 'text', pages?: string): string {
  return renderParts(inTextCitationParts(clip, pages), format);
}

/** De-duplication key of an address: without fragment and trailing slash. */
function urlKey(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href.replace(/\/$/, '');
}

/** Splits a hand-typed reference into text and links to its http(s) addresses. */
function linkify(line: string): CitationPart[] {
  const parts: CitationPart[] = [];
  let last = 0;
  for (const m of line.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g)) {
    const href = safeHttpUrl(m[0]);
    if (!href) continue;
    if (m.index! > last) parts.push({ text: line.slice(last, m.index) });
    parts.push({ text: m[0], href });
    last = m.index! + m[0].length;
  }
  if (last < line.length) parts.push({ text: line.slice(last) });
  return parts;
}

/**
 * The poster's Sources: clips quoted in agreed themes plus clips added as sources, plus the
 * hand-typed extra references; de-duplicated by URL (two clips of one page are one source),
 * sorted alphabetically as an APA reference list is. `partnerIds` defaults to the outline's
 * library blocks. Clips that no longer exist are skipped (their quotes still show their text).
 */
export function sourcesList(outline: PosterOutline, clips: Clip[], partnerIds: readonly string[] = outlinePartnerIds(outline)): SourceEntry[] {
  const byId = new Map(clips.map((c) => [c.id, c]));
  const ids = [...agreedThemes(outline, partnerIds).flatMap((t) => t.quotes.map((q) => q.clipId)), ...outline.sources.clipIds].filter(
    (id): id is string => !!id,
  );
  const seen = new Set<string>();
  const entries: SourceEntry[] = [];
  for (const id of ids) {
    const clip = byId.get(id);
    if (!clip) continue;
    const url = clipUrl(clip);
    const key = url ? urlKey(url) : `clip:${squash(clip.captured.title).toLowerCase() || clip.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const parts = citationParts(clip);
    entries.push({ clipId: clip.id, ...(url ? { url } : {}), parts, text: renderParts(parts, 'text') });
  }
  for (const raw of cleanText(outline.sources.extra).split('\n')) {
    const line = raw.trim().replace(/^[-*•]\s+/, '');
    if (!line) continue;
    const parts = linkify(line);
    const url = parts.find((p) => p.href)?.href;
    const key = url ? urlKey(url) : `text:${line.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ ...(url ? { url } : {}), parts, text: line });
  }
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  return entries.sort((a, b) => collator.compare(a.text.replace(/^\W+/u, ''), b.text.replace(/^\W+/u, '')));
}
