/**
 * Poster export benchmark: draft + Markdown + HTML + PDF for a notebook with 100 clips.
 * Run: npx tsx bench/poster.bench.ts   (prints JSON, then a readable table)
 *
 * Not a test: it asserts nothing, it reports figures. The notebook is synthetic but shaped like
 * a real three-month partnership: 2 partners, 12 topics with notes, 100 clips, 6 themes (4
 * agreed) quoting clips, and every clip listed in Sources (the worst case for the PDF layout).
 */
import { readFileSync } from 'node:fs';
import type { Clip, PartnerProfile, Topic } from '../lib/notebook/types';
import { draftOutline, proposeTheme, quoteFromClip } from '../lib/poster/draft';
import { posterHtml } from '../lib/poster/html';
import { blogPostDraft, posterMarkdown } from '../lib/poster/markdown';
import { posterPdf } from '../lib/poster/pdf';
import type { PosterContext } from '../lib/poster/types';
import { PARTNERS } from '../test/unit/poster/fixtures';

const RUNS = Number(process.env.RUNS ?? 5);
const NOW = Date.UTC(2026, 4, 1, 12);
const dir = 'node_modules/@expo-google-fonts/noto-sans/';
const fonts = {
  regular: new Uint8Array(readFileSync(`${dir}400Regular/NotoSans_400Regular.ttf`)),
  bold: new Uint8Array(readFileSync(`${dir}700Bold/NotoSans_700Bold.ttf`)),
};

// The poster tests' two partners, with the ids the clips below use, Ana without social links and
// Batbayar's shorter address (as this benchmark has always measured them).
const partners: PartnerProfile[] = [
  { ...PARTNERS[0]!, id: 'ana', social: [] },
  { ...PARTNERS[1]!, id: 'bat', email: 'bat@library.example.mn' },
];
const topics: Topic[] = Array.from({ length: 12 }, (_, i) => ({
  id: `t${i}`,
  title: `Topic ${i + 1}`,
  prompt: '',
  kind: i % 3 ? 'programme' : 'own',
  order: i,
  archived: false,
  createdAt: NOW - 90 * 86_400_000,
  start: NOW - (90 - 7 * i) * 86_400_000,
}));
const notes = Object.fromEntries(topics.map((t) => [t.id, 'We talked about how our libraries serve readers in winter and in summer. '.repeat(20)]));
const clips: Clip[] = Array.from({ length: 100 }, (_, i) => ({
  id: `c${i}`,
  topicId: `t${i % 12}`,
  tags: [],
  comment: '',
  clippedBy: { id: i % 2 ? 'ana' : 'bat', name: '' },
  clippedAt: NOW - i * 3_600_000,
  captured: {
    kind: i % 5 === 0 ? 'selection' : 'page',
    url: `https://library${i % 7}.example.org/news/${i}-a-story-about-reading`,
    title: `News item ${i}: the library opens a new reading room for families`,
    siteName: `Library ${i % 7}`,
    ...(i % 3 ? { byline: i % 4 ? 'Ana Kaladžija' : 'Jane Doe, John Smith and Batbayar Dorj' } : {}),
    ...(i % 2 ? { publishedTime: NOW - i * 86_400_000 } : {}),
    excerpt: 'A short description of the page, as the page itself gives it, for the quote.',
    text: 'Body text. '.repeat(300),
  },
}));
const ctx: PosterContext = { partners, clips, info: { title: 'Ana & Batbayar', programmeName: 'International Librarians Network' } };

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}
async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const results: Record<string, { firstMs: number; medianMs: number; bytes?: number }> = {};
const record = (name: string, ms: number, bytes?: number) => {
  const r = (results[name] ??= { firstMs: ms, medianMs: 0, ...(bytes !== undefined ? { bytes } : {}) });
  (r as { all?: number[] } & typeof r).all = [...((r as { all?: number[] }).all ?? []), ms];
};

for (let run = 0; run < RUNS; run++) {
  const [outline, draftMs] = time(() => {
    const o = draftOutline({ info: ctx.info!, partners, topics, clips, notes, now: NOW, channels: ['email'] });
    o.themes = Array.from({ length: 6 }, (_, i) => ({
      ...proposeTheme({
        id: `th${i}`,
        title: `Theme ${i + 1}`,
        proposedBy: 'ana',
        keyPoints: ['One point', 'Another point'],
        quotes: clips.slice(i * 5, i * 5 + 3).map((c) => quoteFromClip(c)),
      }),
      ...(i < 4 ? { votes: { ana: 'agree', bat: 'agree' } as const } : {}),
    }));
    o.sources.clipIds = clips.map((c) => c.id);
    return o;
  });
  record('draft', draftMs);
  const [md, mdMs] = time(() => posterMarkdown(outline, ctx));
  record('markdown', mdMs, new TextEncoder().encode(md).length);
  const [blog, blogMs] = time(() => blogPostDraft(outline, ctx));
  record('blog draft', blogMs, new TextEncoder().encode(blog).length);
  for (const size of ['48x36in-landscape', 'A1-portrait'] as const) {
    const [html, htmlMs] = time(() => posterHtml(outline, ctx, { size }));
    record(`html ${size}`, htmlMs, new TextEncoder().encode(html).length);
    const [pdf, pdfMs] = await timeAsync(() => posterPdf(outline, ctx, { size, fonts, now: NOW }));
    record(`pdf ${size}`, pdfMs, pdf.length);
  }
}
for (const r of Object.values(results) as Array<{ firstMs: number; medianMs: number; all?: number[] }>) {
  r.medianMs = Math.round(median(r.all!) * 10) / 10;
  r.firstMs = Math.round(r.firstMs * 10) / 10;
  delete r.all;
}

const env = { node: process.version, runs: RUNS, clips: clips.length, topics: topics.length, cpus: (await import('node:os')).cpus().length };
console.log(JSON.stringify({ env, results }, null, 2));
console.log('');
console.log('step                      first (ms)   median (ms)   output');
for (const [name, r] of Object.entries(results)) {
  const out = r.bytes !== undefined ? `${(r.bytes / 1024).toFixed(1)} KiB` : '';
  console.log(`${name.padEnd(26)}${String(r.firstMs).padStart(10)}${String(r.medianMs).padStart(14)}   ${out}`);
}
