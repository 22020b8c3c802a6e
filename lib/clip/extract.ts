/**
 * Page → clip extraction: pure functions over a Document (the live page in the in-page
 * script, a jsdom document in tests). No browser.* and no globals: the only window used is
 * `doc.defaultView`, for DOMPurify.
 *
 * EXTRACTOR CHOICE: Mozilla Readability 0.6.0 for the article and as the first source of
 * metadata, plus our own meta-tag/JSON-LD/microdata reader (metadata.ts) for the fields it
 * leaves empty. Measured with `npx tsx scripts/eval-extractors.ts` on the 40 pages in
 * ../shared/fixtures/pages (jsdom, Node 20, 2 cores; per-field share of pages matching
 * expected-metadata.json, whitespace collapsed, dates as instants):
 *
 *   field          Readability  Defuddle 0.19.4  own reader  extractPage
 *   title             100%          80%             75%         100%
 *   byline            100%          63%             50%          95%
 *   excerpt           100%          63%             63%         100%
 *   siteName          100%          65%             95%          98%
 *   lang              100%          98%             98%          98%
 *   dir               100%          80% (no field)  100%         100%
 *   publishedTime     100%          75%             68%          75%
 *   all fields        100%          75%             78%          95%
 *   ms/page median      93           550              10          129
 *   ms/page mean       174          1254              21          217
 *   ms/page max       1554         17673             162         2200  (wikipedia-2)
 *
 * Why Readability: the expected values ARE Readability's output (the fixtures come from its
 * test suite), so its 100% is circular; but reading Defuddle's misses page by page, they are
 * mostly worse, not different: the author put in siteName (6 pages), body text as excerpt,
 * Wikipedia titles replaced by the short description, no text direction at all; its better
 * calls (bylines without "By", dates Readability misses) are what our own reader adds anyway.
 * Readability is also 4–6× faster, 33 KB minified against 335 KB for Defuddle's bundle
 * (extract.js is 79 KB in all, with DOMPurify), and it is the engine of Firefox Reader View,
 * well exercised on hostile pages. extractPage's 14 differences are all fields Readability leaves empty and our reader
 * fills (dates on 10 pages, 2 bylines, a site name, a language), each checked by hand and
 * listed in test/unit/clip/extract-fixtures.test.ts.
 */
import { Readability } from '@mozilla/readability';
import type { CapturedContent } from '../notebook/types.ts';
import { anchorForRange, anchorForText } from './anchor.ts';
import { absoluteWebUrl, baseUrlOf, cleanDir, cleanLang, cleanText, parseDate, readPageMetadata, titleFromUrl, type PageMetadata } from './metadata.ts';
import { DEFAULT_MAX_TEXT_BYTES, sanitizeHtml, type SanitizedHtml } from './sanitize.ts';
import { readStructuredData } from './structured-data.ts';
import { countWords, readableText, tidyText, truncateText } from './text.ts';

/** Options shared by the extractors. */
export interface ExtractOptions {
  /** Bound on the clip's HTML in UTF-8 bytes (default 2 MB). */
  maxHtmlBytes?: number;
  /** Bound on the clip's plain text in UTF-8 bytes (default 1 MB). */
  maxTextBytes?: number;
}

/** What {@link extractPage} returns: a page clip's captured content. */
export type ExtractedPage = CapturedContent & { kind: 'page' };

/** A selection as the caller has it: a live DOM range, or HTML and text already cut out. */
export type SelectionInput = Range | { html: string; text: string };

/** A link the user clipped (e.g. from the context menu). */
export interface LinkInput {
  href: string;
  /** The link's text, if any. */
  text?: string;
}

/** An image the user clipped. */
export interface ImageInput {
  src: string;
  alt?: string;
}

/**
 * Readability aborts above this many elements; such pages (huge listings, endless feeds)
 * fall back to the cleaned body, which is then bounded by the size limit.
 */
const MAX_ELEMENTS_FOR_READABILITY = 100_000;

/** Tags dropped from the body when Readability finds no article: page chrome, not content. */
const CHROME_SELECTOR = 'nav, header, footer, aside, [role="navigation"], [role="banner"], [role="contentinfo"], [aria-hidden="true"]';

type ReadabilityArticle = NonNullable<ReturnType<Readability['parse']>>;

/**
 * Runs Readability on a clone (it rewrites the document it is given, and the live page must
 * stay untouched). Undefined when the page has no article or Readability fails.
 */
function runReadability(doc: Document): ReadabilityArticle | undefined {
  if (!doc.documentElement) return undefined;
  try {
    const clone = doc.cloneNode(true) as Document;
    return new Readability(clone, { maxElemsToParse: MAX_ELEMENTS_FOR_READABILITY }).parse() ?? undefined;
  } catch {
    return undefined;
  }
}

/** The body's HTML without page chrome, from a clone: what a page clip keeps without an article. */
function fallbackBodyHtml(doc: Document): string {
  if (!doc.body) return '';
  const body = doc.body.cloneNode(true) as HTMLElement;
  for (const el of Array.from(body.querySelectorAll(CHROME_SELECTOR))) el.remove();
  return body.innerHTML;
}

/** Page metadata that never throws: on failure, the address stands in for the title. */
function safeMetadata(doc: Document, url: string): PageMetadata {
  try {
    return readPageMetadata(doc, url);
  } catch {
    return { title: titleFromUrl(url) };
  }
}

/**
 * Sanitises clip HTML with the document's own window. A document without one (made by
 * DOMParser in some browsers) keeps no HTML, only the text: storing unsanitised HTML is
 * never an option.
 */
function sanitizeFor(doc: Document, html: string, base: string, opts: ExtractOptions): SanitizedHtml {
  const view = doc.defaultView;
  if (view) {
    return sanitizeHtml(html, base, view, opts);
  }
  const holder = doc.createElement('div');
  holder.innerHTML = html; // inert: a window-less document runs no scripts and loads nothing
  const text = truncateText(readableText(holder), opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES);
  return { html: '', text: text.text, truncated: text.truncated };
}

/** Drops undefined fields, so the captured object stores and compares cleanly. */
function compact<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) if (obj[key] === undefined) delete obj[key];
  return obj;
}

/** Metadata fields of a clip (everything but kind and content). */
function metadataFields(meta: PageMetadata, url: string): Omit<CapturedContent, 'kind'> {
  return { url, ...meta };
}

/**
 * Extracts a page clip from `doc`, the page at `url`: metadata, the readable article as
 * sanitised HTML and text, word count, schema.org organisation data. Pure and never throws:
 * the passed document is not modified (Readability runs on a clone); a page without a
 * title, body or article degrades to what can be read, with the title falling back to the
 * address's host and path.
 */
export function extractPage(doc: Document, url: string, opts: ExtractOptions = {}): ExtractedPage {
  const meta = safeMetadata(doc, url);
  const base = baseUrlOf(doc, url);
  const article = runReadability(doc);
  const body = sanitizeFor(doc, article?.content ?? fallbackBodyHtml(doc), base, opts);
  let structuredData: string | undefined;
  try {
    structuredData = readStructuredData(doc);
  } catch {
    structuredData = undefined;
  }
  // Readability's metadata first: it scored best against the fixtures (see the header);
  // our meta-tag/JSON-LD reader fills what it leaves empty.
  const lang = cleanLang(article?.lang) ?? meta.lang;
  return compact({
    ...metadataFields(meta, url),
    kind: 'page',
    title: cleanText(article?.title, 500) ?? meta.title,
    byline: cleanText(article?.byline) ?? meta.byline,
    excerpt: cleanText(article?.excerpt, 1000) ?? meta.excerpt,
    siteName: cleanText(article?.siteName) ?? meta.siteName,
    publishedTime: parseDate(article?.publishedTime) ?? meta.publishedTime,
    lang,
    dir: cleanDir(article?.dir) ?? meta.dir,
    html: body.html,
    text: body.text,
    wordCount: countWords(body.text),
    structuredData,
    truncated: body.truncated,
  });
}

/**
 * Extracts a selection clip: the selected HTML (sanitised) and text, the page's metadata
 * and a text anchor (quote with ~32 characters of context either side) to find the quote
 * again. `selection` is a live range of `doc`, or HTML and text cut out by the caller (then
 * the anchor is found by searching the page text). Never throws.
 */
export function extractSelection(doc: Document, url: string, selection: SelectionInput, opts: ExtractOptions = {}): CapturedContent {
  const meta = safeMetadata(doc, url);
  const base = baseUrlOf(doc, url);
  let html = '';
  let quote = '';
  let anchor: CapturedContent['anchor'];
  try {
    if ('html' in selection) {
      html = typeof selection.html === 'string' ? selection.html : '';
      quote = typeof selection.text === 'string' ? selection.text : '';
      anchor = anchorForText(doc, quote);
    } else {
      const holder = doc.createElement('div');
      holder.appendChild(selection.cloneContents());
      html = holder.innerHTML;
      quote = readableText(holder);
      anchor = anchorForRange(doc, selection);
    }
  } catch {
    // A detached or foreign range: keep whatever was read before the failure.
  }
  const body = sanitizeFor(doc, html, base, opts);
  // Prefer the caller's text (it is what the user saw selected); else the HTML's text.
  const text = truncateText(tidyText(quote) || body.text, opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES);
  if (anchor && text.truncated) anchor = { ...anchor, exact: text.text };
  return compact({
    ...metadataFields(meta, url),
    kind: 'selection',
    html: body.html,
    text: text.text,
    wordCount: countWords(text.text),
    anchor,
    truncated: body.truncated || text.truncated,
  });
}

/**
 * A link clip: where the link points (absolute; only http(s), mailto and tel are kept), its
 * text, and the metadata of the page it was found on. Never throws.
 */
export function linkClip(doc: Document, url: string, link: LinkInput): CapturedContent {
  const meta = safeMetadata(doc, url);
  const base = baseUrlOf(doc, url);
  const linkUrl = absoluteWebUrl(link.href, base) ?? mailOrTel(link.href);
  const text = cleanText(link.text, 2000);
  return compact({ ...metadataFields(meta, url), kind: 'link', linkUrl, text, wordCount: text ? countWords(text) : undefined });
}

/** A mailto:/tel: address kept as is; anything else (javascript:, data:) is dropped. */
function mailOrTel(href: unknown): string | undefined {
  return typeof href === 'string' && /^\s*(mailto|tel):/i.test(href) ? href.trim().slice(0, 2000) : undefined;
}

/**
 * An image clip: the image's absolute http(s) address, its alt text, and the page's
 * metadata. A `data:` image is not kept as the address (it can be megabytes; the page
 * address and alt text still are). Never throws.
 */
export function imageClip(doc: Document, url: string, image: ImageInput): CapturedContent {
  const meta = safeMetadata(doc, url);
  const base = baseUrlOf(doc, url);
  return compact({ ...metadataFields(meta, url), kind: 'image', imageUrl: absoluteWebUrl(image.src, base), imageAlt: cleanText(image.alt, 2000) });
}
