/**
 * Search benchmark: `npx tsx bench/search.bench.ts`.
 *
 * Builds the index over a generated notebook of 2 000 clips (article-like text from a seeded
 * generator over a word list: about 6 KB on average, a few of 200 KB) and 12 topic notes of
 * ~3 000 words, then times ~200 realistic queries. Prints the figures as JSON and as a table.
 * Target: p95 ≤ 50 ms per query. This reports, it does not assert (benchmarks are not tests).
 */
import { performance } from 'node:perf_hooks';
import type { Clip, ClipKind, PersonRef } from '../lib/notebook/types';
import { createSearchIndex, type SearchFilters } from '../lib/search/index';
import { prng as rng } from '../test/unit/factories';

const CLIPS = 2_000;
const TOPICS = 12;
const NOTE_WORDS = 3_000;
const SEED = 20260302;

const rand = rng(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pickOf = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

const COMMON = `the of and to a in is that for it as with was on be by at this are from or have an they which one you were
her all she there would their we him been has when who will more no if out so said what up its about into than them can
only other new some could time these two may then do first any my now such like our over man me even most made after also
did many before must through back years where much your way well down should because each just those people how too
little state good very make world still own see men work long get here between both life being under never day same
another know while last might us great old year off come since against go came right used take three`.split(/\s+/);
const DOMAIN = `library libraries librarian librarians reader readers reading book books catalogue collection collections
loan loans lending membership member members branch branches archive archives digital digitisation children youth teens
adults storytime makerspace workshop workshops programme programmes exhibition exhibitions community communities
outreach advocacy lobbying funding budget budgets council ministry volunteers volunteer staff training literacy
information services service access accessibility space spaces building buildings renovation furniture shelves
study room rooms quiet noise events event club clubs partnership partnerships mentoring conference association
research university academic school public national special heritage manuscripts newspapers periodicals journals
subscriptions database databases wifi computers laptops printing scanner opening hours weekend evening summer winter
refugees migrants languages translation english mongolian bosnian spanish poster session survey statistics visits
users nonusers engagement impact evidence worth value stories photos social media website newsletter blog podcast
mobile bus rural village city district province capital cooperation exchange culture cultural novel novels poetry
festival festivals award awards grant grants report reports annual strategy policy policies copyright open science
repository metadata cataloguing classification circulation acquisitions preservation conservation`.split(/\s+/);
const NAMES = [
  'Kaladžija',
  'Sarajevo',
  'Ulaanbaatar',
  'Батбаяр',
  'Улаанбаатар',
  'номын',
  'сан',
  'Čitaonica',
  'knjižnica',
  'Đurđa',
  'Chicago',
  'Kansas',
  'Mostar',
  'Darkhan',
  'Erdenet',
];
const WORDS = [...DOMAIN, ...COMMON, ...NAMES];
// Zipf-like: a few words very common, a long tail of rare ones, like real text.
const WEIGHTS = WORDS.map((_, i) => 1 / (1 + ((i * 7919) % WORDS.length)) ** 0.9);
const CUMULATIVE = WEIGHTS.reduce<number[]>((acc, w) => (acc.push((acc.at(-1) ?? 0) + w), acc), []);
const TOTAL = CUMULATIVE.at(-1)!;
function word(): string {
  const r = rand() * TOTAL;
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return WORDS[lo]!;
}
function sentence(): string {
  const n = int(6, 22);
  const ws = Array.from({ length: n }, word);
  ws[0] = ws[0]!.charAt(0).toUpperCase() + ws[0]!.slice(1);
  return `${ws.join(' ')}${pickOf(['.', '.', '.', '?', '!'])}`;
}
function article(chars: number): string {
  const parts: string[] = [];
  let len = 0;
  while (len < chars) {
    const p = Array.from({ length: int(3, 7) }, sentence).join(' ');
    parts.push(p);
    len += p.length + 2;
  }
  return parts.join('\n\n');
}

const PEOPLE: PersonRef[] = [
  { id: 'person-ana', name: 'Ana Kaladžija' },
  { id: 'person-bat', name: 'Батбаяр Дорж' },
  { id: 'person-meg', name: 'Megan Holt' },
];
const KINDS: ClipKind[] = ['page', 'page', 'page', 'selection', 'selection', 'link', 'image'];
const TAGS = ['events', 'photos', 'statistics', 'poster', 'quote', 'children', 'funding', 'spaces', 'digital', 'outreach'];
const SITES = Array.from({ length: 25 }, () => `${pickOf(NAMES)} ${pickOf(['Public', 'City', 'University', 'National'])} Library`);
const TOPIC_IDS = Array.from({ length: TOPICS }, (_, i) => `topic-${i + 1}`);
const T0 = Date.UTC(2026, 2, 2);

function makeClip(i: number): Clip {
  // ~1% very long pages (200 KB); the rest exponential around 3.5 KB, for ~6 KB on average.
  const size = rand() < 0.01 ? 200_000 : Math.min(60_000, Math.max(300, Math.round(-Math.log(1 - rand()) * 3_500)));
  const kind = pickOf(KINDS);
  return {
    id: `clip-${i}`,
    topicId: pickOf(TOPIC_IDS),
    tags: [...new Set(Array.from({ length: int(0, 3) }, () => pickOf(TAGS)))].sort(),
    comment: rand() < 0.5 ? Array.from({ length: int(3, 30) }, word).join(' ') : '',
    clippedBy: pickOf(PEOPLE),
    clippedAt: T0 + Math.floor(rand() * 90 * 86_400_000),
    captured: {
      kind,
      url: `https://library${int(1, 40)}.example.org/news/${i}`,
      title: sentence().slice(0, 90),
      siteName: pickOf(SITES),
      byline: rand() < 0.6 ? `${pickOf(['Ana', 'Megan', 'Bat', 'Đurđa', 'Oyun'])} ${pickOf(NAMES)}` : undefined,
      text: article(size),
    },
  };
}

function noteText(): string {
  const lines: string[] = [];
  let words = 0;
  while (words < NOTE_WORDS) {
    const n = int(20, 90);
    lines.push(Array.from({ length: n }, word).join(' '));
    words += n;
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

const clips = Array.from({ length: CLIPS }, (_, i) => makeClip(i));
const notes = TOPIC_IDS.map((id, i) => ({ id, title: `Topic ${i + 1}: ${pickOf(DOMAIN)} and ${pickOf(DOMAIN)}`, text: noteText() }));
const textBytes = clips.reduce((s, c) => s + Buffer.byteLength(c.captured.text ?? ''), 0);

globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const index = createSearchIndex();
const b0 = performance.now();
for (const c of clips) index.addClip(c);
for (const n of notes) index.setNote(n.id, n.title, n.text);
const buildMs = performance.now() - b0;
globalThis.gc?.();
const heapAfter = process.memoryUsage().heapUsed;

type Query = { kind: string; q: string; filters?: SearchFilters };
const queries: Query[] = [];
const rareOrCommon = () => (rand() < 0.5 ? pickOf(DOMAIN) : word());
for (let i = 0; i < 60; i++) queries.push({ kind: 'one word', q: rareOrCommon() });
for (let i = 0; i < 40; i++) queries.push({ kind: 'two words', q: `${rareOrCommon()} ${rareOrCommon()}` });
for (let i = 0; i < 40; i++) {
  const w = pickOf(DOMAIN.filter((x) => x.length >= 5));
  queries.push({ kind: 'prefix', q: w.slice(0, int(2, 5)) });
}
for (let i = 0; i < 20; i++) {
  const w = pickOf(DOMAIN.filter((x) => x.length >= 6));
  const at = int(1, w.length - 2);
  queries.push({ kind: 'typo', q: w.slice(0, at) + 'x' + w.slice(at + 1) });
}
const randomFilter = (): SearchFilters =>
  pickOf<SearchFilters>([
    { topicId: pickOf(TOPIC_IDS) },
    { tag: pickOf(TAGS) },
    { personId: pickOf(PEOPLE).id },
    { kind: 'selection' },
    { from: T0 + 30 * 86_400_000, to: T0 + 45 * 86_400_000 },
    { topicId: pickOf(TOPIC_IDS), personId: pickOf(PEOPLE).id },
  ]);
for (let i = 0; i < 30; i++) queries.push({ kind: 'word + filter', q: rareOrCommon(), filters: randomFilter() });
for (let i = 0; i < 10; i++) queries.push({ kind: 'filter only', q: '', filters: randomFilter() });

// Warm-up pass (JIT), then the measured pass.
for (const { q, filters } of queries) index.search(q, filters);
const samples: { kind: string; ms: number; results: number }[] = [];
for (const { kind, q, filters } of queries) {
  const t = performance.now();
  const rs = index.search(q, filters);
  samples.push({ kind, ms: performance.now() - t, results: rs.length });
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(at(0.5)), p95: r(at(0.95)), max: r(s.at(-1)!), mean: r(s.reduce((a, b) => a + b, 0) / s.length) };
}

// Incremental work the panel does while people use it.
const t1 = performance.now();
index.addClip(makeClip(CLIPS + 1));
const addClipMs = performance.now() - t1;
const edited = notes[0]!.text.split('\n');
edited[Math.floor(edited.length / 2)] = 'an edit in the middle of the note about the mobile library bus';
const t2 = performance.now();
index.setNote(notes[0]!.id, notes[0]!.title, edited.join('\n'));
const noteEditMs = performance.now() - t2;
const t3 = performance.now();
index.setNote(notes[1]!.id, `${notes[1]!.title} (renamed)`, notes[1]!.text);
const noteRenameMs = performance.now() - t3;
const top = index.search('library reading').slice(0, 20);
const t4 = performance.now();
for (const r of top) index.snippets(r);
const snippets20Ms = performance.now() - t4;

const round = (x: number) => Math.round(x * 10) / 10;
const kinds = [...new Set(samples.map((s) => s.kind))];
const report = {
  corpus: {
    clips: CLIPS,
    notes: TOPICS,
    textMB: round(textBytes / 1_048_576),
    averageClipKB: round(textBytes / CLIPS / 1024),
    clipsOver100KB: clips.filter((c) => (c.captured.text?.length ?? 0) > 100_000).length,
  },
  buildMs: round(buildMs),
  heapMB: round((heapAfter - heapBefore) / 1_048_576),
  queries: stats(samples.map((s) => s.ms)),
  byKind: Object.fromEntries(
    kinds.map((k) => [
      k,
      {
        ...stats(samples.filter((s) => s.kind === k).map((s) => s.ms)),
        avgResults: Math.round(samples.filter((s) => s.kind === k).reduce((a, s) => a + s.results, 0) / samples.filter((s) => s.kind === k).length),
      },
    ]),
  ),
  incremental: { addClipMs: round(addClipMs), noteEditMs: round(noteEditMs), noteRenameMs: round(noteRenameMs), snippetsTop20Ms: round(snippets20Ms) },
  targetP95Ms: 50,
  node: process.version,
};

console.log(JSON.stringify(report, null, 2));
console.log('');
console.log(
  `Search benchmark — ${CLIPS} clips (${report.corpus.textMB} MB text, avg ${report.corpus.averageClipKB} KB), ${TOPICS} notes of ~${NOTE_WORDS} words`,
);
console.log(`Build: ${report.buildMs} ms   heap: ~${report.heapMB} MB${globalThis.gc ? '' : ' (run with --expose-gc for a steadier figure)'}`);
console.table(Object.fromEntries([['all', report.queries], ...Object.entries(report.byKind)].map(([k, v]) => [k, v])));
console.log(
  `Incremental: addClip ${report.incremental.addClipMs} ms, note edit ${report.incremental.noteEditMs} ms, note rename ${report.incremental.noteRenameMs} ms, snippets for top 20 ${report.incremental.snippetsTop20Ms} ms`,
);
console.log(`p95 ${report.queries.p95} ms against a target of ≤ ${report.targetP95Ms} ms.`);
