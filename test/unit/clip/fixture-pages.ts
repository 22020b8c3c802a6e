/**
 * Loads the golden pages in `../shared/fixtures/pages` and compares extracted metadata
 * with their `expected-metadata.json`. Shared by the unit tests and
 * `scripts/eval-extractors.ts` so that both score a field the same way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNSAFE_TAGS } from '../../shared/unsafe-tags';

/** Where the fixture pages live: `/work/shared/fixtures/pages` next to the checkout. */
export const FIXTURE_PAGES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/pages');

/**
 * The address the pages are parsed at. Readability's own suite uses this fake host, so
 * relative links resolve the same way its expected values were produced; it never resolves.
 */
export const FIXTURE_URL = 'http://fakehost/test/page.html';

/** The metadata fields the fixtures give, in the order reports list them. */
export const METADATA_FIELDS = ['title', 'byline', 'excerpt', 'siteName', 'lang', 'dir', 'publishedTime'] as const;

/** One of {@link METADATA_FIELDS}. */
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** `expected-metadata.json`: a missing key means the page declares nothing (null). */
export type ExpectedMetadata = Partial<Record<MetadataField, string | null>> & { readerable?: boolean };

/** A fixture page: its folder name, its HTML source and what a careful reader finds. */
export interface FixturePage {
  name: string;
  html: string;
  expected: ExpectedMetadata;
}

/** Every fixture page, sorted by name. Throws when the fixture folder is missing. */
export function loadFixturePages(dir: string = FIXTURE_PAGES_DIR): FixturePage[] {
  if (!existsSync(dir)) throw new Error(`Fixture pages not found at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'source.html')))
    .map((e) => e.name)
    .sort()
    .map((name) => ({
      name,
      html: readFileSync(join(dir, name, 'source.html'), 'utf8'),
      expected: JSON.parse(readFileSync(join(dir, name, 'expected-metadata.json'), 'utf8')) as ExpectedMetadata,
    }));
}

/** Collapses runs of whitespace and trims, so that a reflowed byline still matches. */
function normaliseText(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Epoch ms from a number or a date string; undefined when there is nothing parseable. */
function toEpoch(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Whether an extracted value matches the expected one. Empty and missing count as null;
 * text compares with whitespace collapsed (HTML reflow is not a difference a reader
 * sees), lang case-insensitively (BCP 47 tags are), publishedTime as the same instant.
 */
export function fieldMatches(field: MetadataField, actual: unknown, expected: unknown): boolean {
  if (field === 'publishedTime') return toEpoch(actual) === toEpoch(expected);
  const a = typeof actual === 'string' ? normaliseText(actual) : '';
  const e = typeof expected === 'string' ? normaliseText(expected) : '';
  if (field === 'lang') return a.toLowerCase() === e.toLowerCase();
  return a === e;
}

/** Elements that must never appear in clip HTML (the list the end-to-end XSS journey checks too). */
const UNSAFE = new Set(UNSAFE_TAGS);
/** Attributes that hold a URL. */
const URL_ATTRS = new Set(['href', 'src', 'poster', 'cite', 'longdesc', 'xlink:href', 'data', 'action', 'formaction']);
/** What a URL attribute may hold after sanitising. */
const SAFE_URL = /^(https?:|mailto:|tel:|data:image\/(png|jpe?g|gif|webp|avif|bmp|x-icon);base64,)/i;

/**
 * Problems found in clip HTML (empty when safe): unsafe elements, event handlers, style
 * and srcdoc attributes, and URLs other than absolute http(s)/mailto/tel/raster data.
 * Parses the HTML rather than grepping it, so that article text about "onload=" or
 * "javascript:" is not mistaken for markup.
 */
export function unsafeHtmlProblems(html: string, parse: (html: string) => Document): string[] {
  const problems: string[] = [];
  if (/<script/i.test(html)) problems.push('contains "<script"');
  const doc = parse(`<!DOCTYPE html><html><body>${html}</body></html>`);
  // The body itself too: a payload's <body onload> merges into the wrapper's body.
  for (const el of [doc.body, ...Array.from(doc.body.querySelectorAll('*'))]) {
    const tag = el.localName.toLowerCase();
    if (UNSAFE.has(tag)) problems.push(`<${tag}>`);
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`<${tag} ${name}>`);
      if (name === 'style' || name === 'srcdoc' || name === 'formaction' || name === 'action') {
        problems.push(`<${tag} ${name}>`);
      }
      if (URL_ATTRS.has(name) && !SAFE_URL.test(attr.value)) problems.push(`<${tag} ${name}="${attr.value.slice(0, 60)}">`);
    }
    if (tag === 'a' && el.hasAttribute('href')) {
      if (el.getAttribute('rel') !== 'noopener noreferrer' || el.getAttribute('target') !== '_blank') {
        problems.push(`<a href> without rel/target`);
      }
    }
  }
  return problems;
}
