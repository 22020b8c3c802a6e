/**
 * Page metadata from meta tags, link elements and JSON-LD, without running a readability
 * pass: cheap enough for selection, link and image clips, and the fallback for page clips
 * where Readability finds nothing (see extract.ts for which source wins per field).
 */
import type { CapturedContent } from '../notebook/types.ts';
import { jsonLdTypes, readJsonLd, type JsonLdNode } from './structured-data.ts';

/** Metadata every clip kind carries about the page it came from (the fields are documented on {@link CapturedContent}). */
export type PageMetadata = Pick<
  CapturedContent,
  'title' | 'canonicalUrl' | 'siteName' | 'byline' | 'publishedTime' | 'lang' | 'dir' | 'excerpt' | 'leadImage' | 'favicon'
>;

/** Primary language subtags written right to left, for pages that declare a language but no direction. */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** Bounds on metadata strings: a page can put a megabyte in a meta tag. */
const MAX_TITLE = 500;
const MAX_SHORT = 300;
const MAX_EXCERPT = 1000;

/** Collapses whitespace, trims and bounds a metadata string; undefined when empty. */
export function cleanText(value: unknown, max = MAX_SHORT): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.replace(/\s+/g, ' ').trim();
  if (!s) return undefined;
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

/** True for http(s) URLs, the only ones metadata links may point to. */
function isWebUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/**
 * The URL relative references on the page resolve against: its `<base href>` when that is
 * a web URL, else the page address. Reading the attribute (not `doc.baseURI`) keeps this
 * correct for documents parsed without a URL.
 */
export function baseUrlOf(doc: Document, url: string): string {
  const href = doc.querySelector('base[href]')?.getAttribute('href');
  if (href) {
    try {
      const base = new URL(href, url);
      if (isWebUrl(base)) return base.href;
    } catch {
      // Unparseable <base>: browsers fall back to the document address too.
    }
  }
  return url;
}

/** `value` resolved against `base` when it becomes an http(s) URL, else undefined. */
export function absoluteWebUrl(value: unknown, base: string): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    const url = new URL(value.trim(), base);
    // Longer addresses are tracking blobs or abuse, and the notebook cuts fields at 8,000 chars.
    return isWebUrl(url) && url.href.length <= 4096 ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A title made from the address when the page has none: host and path, e.g.
 * "library.example.mn/news/2024". Falls back to the raw string for non-URLs.
 */
export function titleFromUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = decodeURIComponentSafe(u.pathname).replace(/\/+$/, '');
    return (u.host + path || url).slice(0, MAX_TITLE);
  } catch {
    return url.slice(0, MAX_TITLE) || 'Untitled page';
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Entities that sites double-escape inside meta content ("&amp;quot;" shows as "&quot;"). */
const NAMED_ENTITIES: Record<string, string> = { quot: '"', amp: '&', apos: "'", lt: '<', gt: '>', nbsp: ' ' };

/** Decodes named and numeric character references left in a metadata string. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref.toLowerCase()] ?? m;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : m;
  });
}

/** The content of the first `<meta>` whose name, property or itemprop is one of `keys`. */
function meta(doc: Document, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const k = key.toLowerCase();
    for (const el of Array.from(doc.querySelectorAll('meta[content]'))) {
      const names = [el.getAttribute('property'), el.getAttribute('name'), el.getAttribute('itemprop')]
        .filter((n): n is string => !!n)
        .flatMap((n) => n.toLowerCase().split(/\s+/));
      if (names.includes(k)) {
        const value = cleanText(decodeEntities(el.getAttribute('content') ?? ''), 10_000);
        if (value) return value;
      }
    }
  }
  return undefined;
}

/** Name(s) from a JSON-LD person/organisation value: a string, {name}, or a list of them. */
function jsonLdNames(value: unknown): string | undefined {
  const list = Array.isArray(value) ? value : [value];
  const names = list
    .map((v) => (typeof v === 'string' ? v : v && typeof v === 'object' ? (v as JsonLdNode).name : undefined))
    .filter((n): n is string => typeof n === 'string' && !!n.trim() && !/^https?:\/\//.test(n.trim()));
  return names.length ? names.join(', ') : undefined;
}

/** A URL from a JSON-LD image value: a string, {url}, or a list of them. */
function jsonLdUrl(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') {
    const url = (first as JsonLdNode).url ?? (first as JsonLdNode).contentUrl;
    return typeof url === 'string' ? url : undefined;
  }
  return undefined;
}

/** The main creative-work node (Article, NewsArticle, BlogPosting, WebPage…) in the JSON-LD. */
function mainWork(nodes: JsonLdNode[]): JsonLdNode | undefined {
  return (
    nodes.find((n) => jsonLdTypes(n).some((t) => /Article|Posting|Report/.test(t))) ??
    nodes.find((n) => jsonLdTypes(n).some((t) => /^(WebPage|CreativeWork|ItemPage)$/.test(t)))
  );
}

/**
 * Parses a date as the page wrote it into epoch ms; undefined when unparseable or outside
 * 1800–2200 (pages put "0000-00-00" and version numbers in date fields).
 */
export function parseDate(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const s = value.trim();
  let ms = Date.parse(s);
  // "2017-11-16T14:15+0000": offsets without a colon are common and not ISO.
  if (Number.isNaN(ms)) ms = Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isNaN(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1800 && year <= 2200 ? ms : undefined;
}

/** A BCP 47-looking tag, normalised from "en_US" to "en-US"; undefined when not one. */
export function cleanLang(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const tag =
    value
      .trim()
      .replace(/_/g, '-')
      .split(/[,;\s]/)[0] ?? '';
  return /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag) ? tag : undefined;
}

/** 'ltr' or 'rtl' from a dir attribute value; undefined for "auto" and junk. */
export function cleanDir(value: unknown): 'ltr' | 'rtl' | undefined {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return v === 'ltr' || v === 'rtl' ? v : undefined;
}

/** Direction implied by a language tag, for pages that declare a language but no direction. */
export function dirOfLang(lang: string | undefined): 'rtl' | undefined {
  const primary = lang?.split('-')[0]?.toLowerCase();
  return primary && RTL_LANGUAGES.has(primary) ? 'rtl' : undefined;
}

/** Separators sites put between a headline and their own name in `<title>`. */
const TITLE_SEPARATOR = /^(.*\S)\s+[|\-–—:·»]\s+([^|\-–—:·»]+)$/;

/**
 * The `<title>` without a trailing " | Site" when that part names the site (its siteName,
 * or a word of its host name). Undefined for an undefined title.
 */
function stripSiteSuffix(title: string | undefined, siteName: string | undefined, url: string): string | undefined {
  const m = title ? TITLE_SEPARATOR.exec(title) : null;
  if (!title || !m) return title;
  const tail = (m[2] ?? '').trim().toLowerCase();
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    // No host to compare with.
  }
  const names = [siteName?.toLowerCase(), ...host.split('.').filter((p) => p.length > 2 && p !== 'www' && p !== 'com')];
  const namesSite = names.some((n) => n && (tail === n || tail.replace(/[^a-z0-9]/g, '').includes(n.replace(/[^a-z0-9]/g, ''))));
  return namesSite && m[1] ? m[1] : title;
}

/**
 * The microdata publication date of the page's main item: an Article-like item first (a
 * video or sidebar item carries its own date), then the item holding the first `<h1>`,
 * then the first date on the page.
 */
function microdataDate(doc: Document): string | undefined {
  const candidates = Array.from(doc.querySelectorAll('[itemprop~="datePublished"]'));
  const itemType = (c: Element) => c.closest('[itemscope]')?.getAttribute('itemtype') ?? '';
  const h1 = doc.querySelector('h1');
  const main =
    candidates.find((c) => /Article|Posting|Report/.test(itemType(c))) ??
    (h1 ? candidates.find((c) => c.closest('[itemscope]')?.contains(h1)) : undefined) ??
    candidates[0];
  return main?.getAttribute('content') ?? main?.getAttribute('datetime') ?? undefined;
}

/**
 * The page's icon: the first `<link rel="icon">` (any of the rel spellings), then Apple's
 * touch icon, then `/favicon.ico` of the origin, which browsers request by default.
 */
function favicon(doc: Document, base: string, url: string): string | undefined {
  const links = Array.from(doc.querySelectorAll('link[rel][href]'));
  const byRel = (rel: string) => links.find((l) => (l.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes(rel));
  for (const rel of ['icon', 'apple-touch-icon', 'apple-touch-icon-precomposed']) {
    const href = absoluteWebUrl(byRel(rel)?.getAttribute('href'), base);
    if (href) return href;
  }
  return absoluteWebUrl('/favicon.ico', url);
}

/**
 * Metadata of `doc` (the page at `url`) from its meta tags, links and JSON-LD. Pure: reads
 * the document only. Never throws; the title falls back to the address's host and path.
 */
export function readPageMetadata(doc: Document, url: string): PageMetadata {
  const base = baseUrlOf(doc, url);
  let nodes: JsonLdNode[] = [];
  try {
    nodes = readJsonLd(doc);
  } catch {
    // Broken JSON-LD only costs the fields it would have given.
  }
  const work = mainWork(nodes);
  const html = doc.documentElement;

  const publisher = work?.publisher;
  const siteName =
    cleanText(meta(doc, 'og:site_name', 'application-name')) ??
    cleanText(jsonLdNames(publisher)) ??
    cleanText(jsonLdNames(nodes.find((n) => jsonLdTypes(n).includes('WebSite'))));

  const docTitle = cleanText(doc.querySelector('title')?.textContent, MAX_TITLE);
  const ogTitle = cleanText(meta(doc, 'og:title', 'twitter:title', 'dc.title'), MAX_TITLE);
  const title =
    // "Headline | Section | Site": the og:title is usually the bare headline.
    (docTitle && ogTitle && docTitle !== ogTitle && docTitle.includes(ogTitle) ? ogTitle : undefined) ??
    stripSiteSuffix(docTitle, siteName, url) ??
    ogTitle ??
    cleanText(work?.headline ?? work?.name, MAX_TITLE) ??
    cleanText(doc.querySelector('h1')?.textContent, MAX_TITLE) ??
    titleFromUrl(url);

  const metaAuthor = meta(doc, 'author', 'article:author', 'dc.creator', 'parsely-author', 'sailthru.author');
  const byline =
    cleanText(metaAuthor && !/^https?:\/\//.test(metaAuthor) ? metaAuthor : undefined) ??
    cleanText(jsonLdNames(work?.author ?? work?.creator)) ??
    cleanText(doc.querySelector('[rel~="author"], [itemprop~="author"]')?.textContent);

  const publishedTime =
    parseDate(meta(doc, 'article:published_time', 'og:article:published_time')) ??
    parseDate(work?.datePublished) ??
    parseDate(
      meta(doc, 'dc.date.issued', 'dcterms.issued', 'dc.date', 'dcterms.date', 'date', 'pubdate', 'publishdate', 'parsely-pub-date', 'sailthru.date'),
    ) ??
    parseDate(microdataDate(doc)) ??
    parseDate(doc.querySelector('time[pubdate]')?.getAttribute('datetime'));

  const httpEquivLang = doc.querySelector('meta[http-equiv="content-language" i]')?.getAttribute('content');
  const lang =
    cleanLang(html?.getAttribute('lang')) ??
    cleanLang(html?.getAttribute('xml:lang')) ??
    cleanLang(httpEquivLang) ??
    cleanLang(meta(doc, 'og:locale', 'dc.language', 'language')) ??
    cleanLang(work?.inLanguage);

  // The body's direction wins: it is the one the content is laid out in.
  const dir = cleanDir(doc.body?.getAttribute('dir')) ?? cleanDir(html?.getAttribute('dir')) ?? dirOfLang(lang);

  const excerpt =
    cleanText(meta(doc, 'description', 'og:description', 'twitter:description', 'dc.description'), MAX_EXCERPT) ?? cleanText(work?.description, MAX_EXCERPT);

  const leadImage =
    absoluteWebUrl(meta(doc, 'og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src'), base) ??
    absoluteWebUrl(jsonLdUrl(work?.image ?? work?.thumbnailUrl), base) ??
    absoluteWebUrl(doc.querySelector('link[rel~="image_src" i]')?.getAttribute('href'), base);

  const canonicalUrl = absoluteWebUrl(doc.querySelector('link[rel~="canonical" i]')?.getAttribute('href'), base) ?? absoluteWebUrl(meta(doc, 'og:url'), base);

  return { title, canonicalUrl, siteName, byline, publishedTime, lang, dir, excerpt, leadImage, favicon: favicon(doc, base, url) };
}
