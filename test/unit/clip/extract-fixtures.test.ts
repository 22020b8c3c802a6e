// Golden-page tests: extractPage over every page in ../shared/fixtures/pages.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../lib/clip/extract.ts';
import { FIXTURE_URL, METADATA_FIELDS, fieldMatches, loadFixturePages, unsafeHtmlProblems, type MetadataField } from './fixture-pages.ts';

const parseHtml = (html: string) => new JSDOM(html).window.document;

const pages = loadFixturePages();

/**
 * Where extractPage may differ from expected-metadata.json (which is Readability's own
 * output), with the value we give instead and why. The test fails when a listed value
 * changes or a listed difference disappears (then remove the row), and on any other
 * difference: a regression. Dates without an offset are written as the page has them, so
 * that they are parsed in the same time zone as extractPage parses them.
 */
const ALLOWED_DIFFERENCES: { page: string; field: MetadataField; ours: string; reason: string }[] = [
  {
    page: 'citylab-1',
    field: 'publishedTime',
    ours: '2019-04-30T13:39:00-04:00',
    reason: 'microdata datePublished of the article; Readability reads no microdata',
  },
  { page: 'cnn', field: 'publishedTime', ours: '2016-02-01T01:28:49Z', reason: 'meta date; matches the "Feb. 1, 2016" in the page title' },
  { page: 'dropbox-blog', field: 'publishedTime', ours: '2020-11-11T18:00:00Z', reason: 'article:published_time meta the page declares' },
  { page: 'ehow-1', field: 'publishedTime', ours: '05/29/2007 09:49:00', reason: 'meta publishdate (no offset: local time, a known ambiguity)' },
  { page: 'gmw', field: 'publishedTime', ours: '2017-03-10', reason: 'meta date the page declares' },
  { page: 'nytimes-2', field: 'publishedTime', ours: '2016-07-29T20:42:34Z', reason: 'article:published_time; the day the story ran' },
  { page: 'nytimes-4', field: 'publishedTime', ours: '2018-09-25T21:28:31Z', reason: 'article:published_time; matches the URL date' },
  { page: 'telegraph', field: 'publishedTime', ours: '2017-11-16T14:15:00Z', reason: 'meta date with a colon-less offset, which we repair' },
  {
    page: 'yahoo-3',
    field: 'publishedTime',
    ours: '2015-03-11T19:46:14Z',
    reason: 'microdata of the Article item; equals the byline\'s "March 11, 2015 3:46 PM" EDT',
  },
  { page: 'youth', field: 'publishedTime', ours: '2017-03-10', reason: 'meta date the page declares' },
  { page: 'la-nacion', field: 'siteName', ours: 'LA NACION', reason: 'from og:site_name-like metadata via our reader; Readability gives none' },
  { page: 'telegraph', field: 'byline', ours: 'Our Foreign Staff', reason: 'meta author; the page credits the desk, Readability finds no byline' },
  { page: 'tumblr', field: 'byline', ours: 'mcupdate', reason: "meta author is the blog's user name; weaker than a person's name, better than none" },
  { page: 'tmz-1', field: 'lang', ours: 'en', reason: 'meta content-language; the html element has no lang' },
];

const allowed = (page: string, field: MetadataField) => ALLOWED_DIFFERENCES.find((d) => d.page === page && d.field === field);

describe('extractPage on the fixture pages', () => {
  it('has fixture pages to test', () => {
    expect(pages.length).toBeGreaterThanOrEqual(40);
  });

  it('lists only pages and fields that exist', () => {
    for (const d of ALLOWED_DIFFERENCES) {
      expect(pages.map((p) => p.name)).toContain(d.page);
      expect(METADATA_FIELDS).toContain(d.field);
    }
  });

  it.each(pages.map((p) => [p.name, p] as const))('%s', (_name, page) => {
    const doc = new JSDOM(page.html, { url: FIXTURE_URL }).window.document;
    const before = doc.documentElement.outerHTML;

    const clip = extractPage(doc, FIXTURE_URL);

    // Pure: the live page is not touched (Readability runs on a clone).
    expect(doc.documentElement.outerHTML).toBe(before);

    expect(clip.kind).toBe('page');
    expect(clip.url).toBe(FIXTURE_URL);
    expect(clip.title.length).toBeGreaterThan(0);
    expect(clip.html?.length ?? 0).toBeGreaterThan(0);
    expect(clip.text?.length ?? 0).toBeGreaterThan(0);
    expect(clip.wordCount ?? 0).toBeGreaterThan(0);
    expect(clip.favicon).toMatch(/^https?:\/\//);

    // No <script, no on*= handler, no javascript: (or other non-web) URL, no style.
    expect(unsafeHtmlProblems(clip.html ?? '', parseHtml)).toEqual([]);

    for (const field of METADATA_FIELDS) {
      const expected = page.expected[field] ?? null;
      const actual = clip[field];
      const diff = allowed(page.name, field);
      if (diff) {
        expect(fieldMatches(field, actual, expected), `${page.name}.${field} now matches: remove it from ALLOWED_DIFFERENCES`).toBe(false);
        expect(fieldMatches(field, actual, diff.ours), `${page.name}.${field} changed (${diff.reason})`).toBe(true);
      } else {
        expect(fieldMatches(field, actual, expected), `${page.name}.${field}: got ${JSON.stringify(actual)}`).toBe(true);
      }
    }
  });
});
