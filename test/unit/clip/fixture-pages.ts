/**
 * Loads the golden pages in `../shared/fixtures/pages` and compares extracted metadata
 * with their `expected-metadata.json`. Shared by the unit tests and
 * `scripts/eval-extractors.ts` so that both score a field the same way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the fixture pages live: `/work/shared/fixtures/pages` next to the checkout. */
export const FIXTURE_PAGES_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/fixtures/pages',
);

/**
 * The address the pages are parsed at. Readability's own suite uses this fake host, so
 * relative links resolve the same way its expected values were produced; it never resolves.
 */
export const FIXTURE_URL = 'http://fakehost/test/page.html';

/** The metadata fields the fixtures give, in the order reports list them. */
export const METADATA_FIELDS = [
  'title',
  'byline',
  'excerpt',
  'siteName',
  'lang',
  'dir',
  'publishedTime',
] as const;

/** One of {@link METADATA_FIELDS}. */
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** `expected-metadata.json`: a missing key means the page declares nothing (null). */
export type ExpectedMetadata = Partial<Record<MetadataField, string | null>> & {
  readerable?: boolean;
};

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
      expected: JSON.parse(
        readFileSync(join(dir, name, 'expected-metadata.json'), 'utf8'),
      ) as ExpectedMetadata,
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
