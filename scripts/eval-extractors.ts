/**
 * Scores Mozilla Readability, Defuddle, our meta-tag reader and our own `extractPage` on the golden pages in
 * `../shared/fixtures/pages`: per-field match rate against `expected-metadata.json` and
 * extraction time per page. Run: `npx tsx scripts/eval-extractors.ts [--json-only]`.
 *
 * Caveat printed with the figures: the expected values come from Readability's own test
 * suite, so they favour Readability wherever "correct" is a matter of taste (e.g. a byline
 * with the date glued on). Read the per-page misses, not only the rates.
 */
import { performance } from 'node:perf_hooks';
import { Readability } from '@mozilla/readability';
import Defuddle from 'defuddle';
import { JSDOM } from 'jsdom';
import { extractPage } from '../lib/clip/extract.ts';
import { readPageMetadata } from '../lib/clip/metadata.ts';
import { FIXTURE_URL, METADATA_FIELDS, fieldMatches, loadFixturePages, type MetadataField } from '../test/unit/clip/fixture-pages.ts';

/** What each extractor reports, mapped onto the fixture's field names. */
type Found = Partial<Record<MetadataField, unknown>>;

interface Extractor {
  name: string;
  /** Extracts from a freshly parsed document (each extractor gets its own copy). */
  run(doc: Document): Found;
}

const extractors: Extractor[] = [
  {
    name: 'readability',
    run(doc) {
      // Readability mutates the document it is given; the clone mirrors what extract.ts does.
      const r = new Readability(doc.cloneNode(true) as Document).parse();
      return r ? { title: r.title, byline: r.byline, excerpt: r.excerpt, siteName: r.siteName, lang: r.lang, dir: r.dir, publishedTime: r.publishedTime } : {};
    },
  },
  {
    name: 'defuddle',
    run(doc) {
      const r = new Defuddle(doc, { url: FIXTURE_URL, useAsync: false }).parse();
      // Defuddle has no text-direction field: scored as "not found".
      return { title: r.title, byline: r.author, excerpt: r.description, siteName: r.site, lang: r.language, dir: undefined, publishedTime: r.published };
    },
  },
  {
    // Our meta-tag/JSON-LD reader alone: what selection/link/image clips get, and the
    // fallback extractPage uses where Readability finds nothing.
    name: 'own-meta',
    run(doc) {
      const { title, byline, excerpt, siteName, lang, dir, publishedTime } = readPageMetadata(doc, FIXTURE_URL);
      return { title, byline, excerpt, siteName, lang, dir, publishedTime };
    },
  },
  {
    name: 'extractPage',
    run(doc) {
      const r = extractPage(doc, FIXTURE_URL);
      return { title: r.title, byline: r.byline, excerpt: r.excerpt, siteName: r.siteName, lang: r.lang, dir: r.dir, publishedTime: r.publishedTime };
    },
  },
];

interface PageResult {
  page: string;
  ms: number;
  error?: string;
  misses: { field: MetadataField; expected: unknown; actual: unknown }[];
}

interface ExtractorReport {
  extractor: string;
  /** Share of pages (0..1) where the field matched. */
  matchRate: Record<MetadataField, number>;
  /** Over all fields and pages. */
  overall: number;
  msMedian: number;
  msMean: number;
  msMax: number;
  pages: PageResult[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function evaluate(): ExtractorReport[] {
  const pages = loadFixturePages();
  const results = new Map<string, PageResult[]>(extractors.map((e) => [e.name, []]));
  for (const page of pages) {
    for (const ex of extractors) {
      // Parse outside the timer: parsing cost is the browser's, not the extractor's.
      const doc = new JSDOM(page.html, { url: FIXTURE_URL }).window.document;
      const start = performance.now();
      let found: Found = {};
      let error: string | undefined;
      try {
        found = ex.run(doc);
      } catch (err) {
        error = String(err);
      }
      const ms = performance.now() - start;
      const misses = METADATA_FIELDS.filter((f) => error !== undefined || !fieldMatches(f, found[f], page.expected[f] ?? null)).map((f) => ({
        field: f,
        expected: page.expected[f] ?? null,
        actual: found[f] ?? null,
      }));
      results.get(ex.name)!.push({ page: page.name, ms: round(ms, 1), error, misses });
    }
  }
  return extractors.map((ex) => {
    const rs = results.get(ex.name)!;
    const matchRate = Object.fromEntries(
      METADATA_FIELDS.map((f) => [f, round(rs.filter((r) => !r.misses.some((m) => m.field === f)).length / rs.length)]),
    ) as Record<MetadataField, number>;
    const totalMisses = rs.reduce((n, r) => n + r.misses.length, 0);
    const times = rs.map((r) => r.ms);
    return {
      extractor: ex.name,
      matchRate,
      overall: round(1 - totalMisses / (rs.length * METADATA_FIELDS.length)),
      msMedian: round(median(times), 1),
      msMean: round(times.reduce((a, b) => a + b, 0) / times.length, 1),
      msMax: round(Math.max(...times), 1),
      pages: rs,
    };
  });
}

function printTable(reports: ExtractorReport[]): void {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(6);
  const head = ['field'.padEnd(14), ...reports.map((r) => r.extractor.padStart(12))].join(' ');
  const lines = [head, '-'.repeat(head.length)];
  for (const f of METADATA_FIELDS) {
    lines.push([f.padEnd(14), ...reports.map((r) => pct(r.matchRate[f]).padStart(12))].join(' '));
  }
  lines.push(['ALL FIELDS'.padEnd(14), ...reports.map((r) => pct(r.overall).padStart(12))].join(' '));
  for (const k of ['msMedian', 'msMean', 'msMax'] as const) {
    lines.push([k.padEnd(14), ...reports.map((r) => `${r.msMedian === undefined ? '' : r[k]} ms`.padStart(12))].join(' '));
  }
  console.log(lines.join('\n'));
  console.log('\nPer page: ms, then misses (field: expected | actual)');
  const pageNames = reports[0]?.pages.map((p) => p.page) ?? [];
  for (const name of pageNames) {
    console.log(`\n${name}`);
    for (const r of reports) {
      const p = r.pages.find((x) => x.page === name)!;
      const detail = p.error ? `ERROR ${p.error}` : p.misses.map((m) => `${m.field}: ${JSON.stringify(m.expected)} | ${JSON.stringify(m.actual)}`).join('; ');
      console.log(`  ${r.extractor.padEnd(12)} ${String(p.ms).padStart(7)} ms  ${detail}`);
    }
  }
}

const reports = evaluate();
const summary = reports.map(({ pages, ...rest }) => ({ ...rest, perPageMs: Object.fromEntries(pages.map((p) => [p.page, p.ms])) }));
console.log(JSON.stringify(summary, null, 2));
if (!process.argv.includes('--json-only')) {
  console.log('');
  printTable(reports);
  console.log("\nNote: expected values come from Readability's own test suite; they favour Readability where taste decides.");
}
