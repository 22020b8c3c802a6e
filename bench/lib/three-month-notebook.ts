/**
 * A seeded "three-month notebook" (issue 8's benchmark notebook), generated in Node as one Yjs
 * update: 12 topics, 2 000 clips, 12 notes of about 3 000 words typed keystroke by keystroke,
 * three partners' profiles and a drafted poster.
 *
 * Why keystrokes: a note a person typed is not one string. Every keystroke is its own Yjs
 * transaction (y-prosemirror's sync plugin writes one per ProseMirror transaction), typos leave
 * deletions behind, every panel open is a new Yjs client, and edits in the middle of older
 * paragraphs split runs of characters into separate items. That is what makes real notes heavy to
 * load and to bind to the editor, so the notes here are produced the same way: characters are
 * inserted one transaction at a time into the topic's Y.XmlFragment, in the element shapes
 * y-prosemirror (`@tiptap/y-tiptap`) writes for Tiptap's StarterKit (`paragraph`, `heading` with a
 * `level` attribute, `blockquote`, text marks as formatting attributes), with backspaces, new
 * paragraphs and occasional edits further up.
 *
 * Everything is derived from the seed (ids, clock, Yjs client ids, text), so one seed always gives
 * the same bytes; {@link loadThreeMonthNotebook} caches them under bench-results/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import {
  addClip,
  addTopic,
  initNotebook,
  initPoster,
  noteBody,
  noteText,
  countWords,
  proposePosterTheme,
  readClips,
  readInfo,
  readPartners,
  readTopics,
  registerClient,
  setMemberEntry,
  updatePartner,
  type Deps,
} from '../../lib/notebook';
import type { CapturedContent, ClipKind, LibraryType } from '../../lib/notebook/types';
import { draftOutline, proposeTheme, quoteFromClip } from '../../lib/poster/draft';

/** Bump when the generator's output changes, so stale caches are not reused. */
export const GENERATOR_VERSION = 5;

/** What the benchmark needs to know about the generated notebook (kept beside the cached bytes). */
export interface ThreeMonthMeta {
  seed: number;
  generatorVersion: number;
  notebookId: string;
  title: string;
  /** The three partners; the first is the person at the benchmark's computer. */
  partners: { id: string; name: string; color: string }[];
  /** Topics in list order. */
  topics: { id: string; title: string; clips: number; noteWords: number }[];
  clips: {
    count: number;
    byKind: Record<ClipKind, number>;
    /** UTF-8 bytes of `captured.text`, over all clips. */
    textBytesMean: number;
    textBytesMax: number;
    /** Clips with about 200 KB of text. */
    large: number;
    /** UTF-8 bytes of all captured JSON strings (text, HTML and fields). */
    capturedBytes: number;
  };
  notes: { keystrokes: number; backspaces: number; newBlocks: number; midTextEdits: number; quotes: number; words: number };
  /** Yjs client ids used (one per simulated panel session). */
  clientIds: number;
  /** Bytes of the encoded update (Y.encodeStateAsUpdate of the whole doc). */
  updateBytes: number;
  generationMs: number;
  /** The last words of the first topic's note, to recognise that the editor rendered it. */
  firstNoteTail: string;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** sfc32: small, fast, good enough for test data; seeded through splitmix32. */
function rng(seed: number) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    /** Log-normal with the given median. */
    logNormal(median: number, sigma: number) {
      const u = Math.max(next(), 1e-12),
        v = next();
      return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    },
    id() {
      let bin = '';
      for (let i = 0; i < 16; i++) bin += String.fromCharCode(Math.floor(next() * 256));
      return Buffer.from(bin, 'latin1').toString('base64url');
    },
    clientId: () => Math.floor(next() * 0x7fffffff) >>> 0,
  };
  return r;
}
type Rng = ReturnType<typeof rng>;

// ---------------------------------------------------------------------------------------------
// Text

const EN = (
  'library libraries reader readers collection catalogue archive children families community programme programmes visitors ' +
  'staff volunteers funding budget council school university students research digital access services lending reading room ' +
  'outreach workshop events exhibition local history heritage partnership mentoring librarian librarians public academic ' +
  'members membership survey needs assessment spaces makerspace study quiet noise opening hours evening weekend literacy ' +
  'storytime teenagers seniors newcomers language languages translation books ebooks audiobooks newspapers magazines ' +
  'computers internet wifi printing help desk reference question questions answer policy strategy plan report figures ' +
  'statistics impact value evidence stories advocacy lobbying mayor minister ministry grant grants donors friends network ' +
  'conference training skills career job move moving city village rural urban branch branches mobile bus delivery ' +
  'the a an and or but of to in on for with from by about as at into over after before during between through because ' +
  'we they our their this that these those it is was are were be been has have had will would can could should may might ' +
  'not only also more most very many much some every each other new old small large better good great first last next ' +
  'year years month week day days time people person group groups place places way ways part work working worked ' +
  'think thought found learned saw asked told said made make started opened closed visited compared shared wrote read ' +
  'how why what when where who which while although however therefore since still yet even just really quite often'
).split(' ');
const RU = (
  'библиотека библиотеки читатели читатель фонд каталог архив дети семьи сообщество программа посетители сотрудники ' +
  'волонтёры финансирование бюджет школа университет студенты исследование цифровой доступ услуги чтение зал выставка ' +
  'история наследие партнёрство наставничество город село книги журналы газеты компьютеры интернет помощь вопрос ответ ' +
  'и в на с по для от до из о что как это мы они наш их был была были будет может можно очень много новый год день'
).split(' ');
const EL = (
  'βιβλιοθήκη βιβλιοθήκες αναγνώστες συλλογή κατάλογος αρχείο παιδιά οικογένειες κοινότητα πρόγραμμα επισκέπτες προσωπικό ' +
  'εθελοντές χρηματοδότηση σχολείο πανεπιστήμιο φοιτητές έρευνα ψηφιακή πρόσβαση υπηρεσίες ανάγνωση αίθουσα έκθεση ιστορία ' +
  'και το η ο σε με για από που είναι ήταν θα μπορεί πολύ νέος χρόνος ημέρα'
).split(' ');

function sentence(r: Rng, words: readonly string[], min = 8, max = 22): string {
  const n = r.int(min, max);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.pick(words));
  const s = out.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + (r.chance(0.1) ? '?' : '.');
}

function paragraph(r: Rng, words: readonly string[]): string {
  const n = r.int(2, 6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(sentence(r, words));
  return out.join(' ');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** An article of about `bytes` UTF-8 bytes of text, with readable HTML like the clipper's sanitised output. */
function article(r: Rng, words: readonly string[], bytes: number, site: string): { text: string; html: string; words: number } {
  const paras: string[] = [];
  const html: string[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    if (n > 0 && n % r.int(4, 8) === 0) {
      const h = sentence(r, words, 3, 7).replace(/[.?]$/, '');
      paras.push(h);
      html.push(`<h2>${esc(h)}</h2>`);
      size += utf8(h) + 2;
    }
    const p = paragraph(r, words);
    paras.push(p);
    // Some links and emphasis, as real articles have.
    let ph = esc(p);
    if (r.chance(0.25)) {
      const w = ph.split(' ');
      const i = r.int(0, Math.max(0, w.length - 3));
      w[i] = `<a href="https://${site}/${r.pick(EN)}-${r.int(1, 999)}">${w[i]}`;
      w[i + 1] = `${w[i + 1]}</a>`;
      ph = w.join(' ');
    }
    if (r.chance(0.15)) ph = ph.replace(/^(\S+ \S+)/, '<strong>$1</strong>');
    html.push(`<p>${ph}</p>`);
    size += utf8(p) + 2;
    n++;
  }
  const text = paras.join('\n\n');
  return { text, html: `<article>${html.join('')}</article>`, words: countWords(text) };
}

// ---------------------------------------------------------------------------------------------
// The partners and the notebook

const PARTNERS: {
  name: string;
  color: string;
  country: string;
  city: string;
  timeZone: string;
  libraryName: string;
  libraryType: LibraryType;
  site: string;
}[] = [
  {
    name: 'Ana Kaladžija',
    color: '#1f6feb',
    country: 'Bosnia and Herzegovina',
    city: 'Sarajevo',
    timeZone: 'Europe/Sarajevo',
    libraryName: 'City Library of Sarajevo',
    libraryType: 'public',
    site: 'bgs.ba',
  },
  {
    name: 'Batbayar Dorj',
    color: '#c2410c',
    country: 'Mongolia',
    city: 'Ulaanbaatar',
    timeZone: 'Asia/Ulaanbaatar',
    libraryName: 'National University of Mongolia Library',
    libraryType: 'academic',
    site: 'num.edu.mn',
  },
  {
    name: 'Nomvula Dlamini',
    color: '#15803d',
    country: 'South Africa',
    city: 'Durban',
    timeZone: 'Africa/Johannesburg',
    libraryName: 'Umlazi Secondary School Library',
    libraryType: 'school',
    site: 'durban.gov.za',
  },
];

const OWN_TOPICS = [
  { title: 'Library apps and e-lending', prompt: 'Which apps and e-lending services do our readers use, and what do they cost us?' },
  { title: 'Children’s reading clubs', prompt: 'How do we run reading clubs for children, and who leads them?' },
  { title: 'Working with volunteers', prompt: 'What do volunteers do in our libraries, and how do we keep them?' },
  { title: 'Digital literacy for seniors', prompt: 'What do older readers ask for help with, and who teaches them?' },
  { title: 'Local history collections', prompt: 'How do we collect, describe and show local history?' },
];

const SITES = [
  'ala.org',
  'ifla.org',
  'libraryjournal.com',
  'publiclibrariesonline.org',
  'theguardian.com',
  'bbc.co.uk',
  'cilip.org.uk',
  'eifl.net',
  'unesco.org',
  'nla.gov.au',
  'news.mn',
  'klix.ba',
  'ria.ru',
  'kathimerini.gr',
  'citypress.co.za',
];
const TAGS = [
  'funding',
  'spaces',
  'children',
  'advocacy',
  'statistics',
  'seniors',
  'digital',
  'volunteers',
  'events',
  'poster',
  'policy',
  'to-read',
  'quote',
  'idea',
];

const DAY = 86_400_000;
/** A fixed "programme start" so that the bytes do not depend on the day the cache was made. */
const START = Date.UTC(2026, 0, 12, 8, 0, 0);
const SPAN_DAYS = 91;
const TOPICS = 12;
const CLIPS = 2_000;
const LARGE_CLIPS = 20;
const NOTE_WORDS = 3_000;

/** One clip's captured content, as lib/clip would produce it for that kind of clip. */
function makeCaptured(r: Rng, kind: ClipKind, large: boolean, at: number): CapturedContent {
  const langRoll = r.next();
  const [lang, words] = langRoll < 0.85 ? (['en', EN] as const) : langRoll < 0.97 ? ([r.chance(0.6) ? 'ru' : 'mn', RU] as const) : (['el', EL] as const);
  const site = r.pick(SITES);
  const slug = `${r.pick(EN)}-${r.pick(EN)}-${r.pick(EN)}-${r.int(1000, 99999)}`;
  const url = `https://www.${site}/news/${new Date(at).getUTCFullYear()}/${slug}`;
  const title = sentence(r, words, 4, 11).replace(/[.?]$/, '');
  const base: CapturedContent = {
    kind,
    url,
    title,
    siteName: site.replace(/\..*$/, '').toUpperCase(),
    lang,
    dir: 'ltr',
    favicon: `https://www.${site}/favicon.ico`,
  };
  if (kind === 'page') {
    const bytes = large ? r.int(190_000, 215_000) : Math.min(40_000, Math.max(800, Math.round(r.logNormal(5_000, 0.6))));
    const a = article(r, words, bytes, `www.${site}`);
    return {
      ...base,
      canonicalUrl: url,
      byline: r.chance(0.7)
        ? `${r.pick(['Maria', 'John', 'Olena', 'Dorj', 'Thabo', 'Eleni', 'Sam'])} ${r.pick(['Smith', 'Petrova', 'Bat-Erdene', 'Nkosi', 'Papadopoulou', 'Jones'])}`
        : undefined,
      publishedTime: at - r.int(0, 400) * DAY,
      excerpt: a.text.slice(0, 200).replace(/\s+\S*$/, '…'),
      leadImage: r.chance(0.6) ? `https://www.${site}/images/${slug}.jpg` : undefined,
      html: a.html,
      text: a.text,
      wordCount: a.words,
      structuredData: r.chance(0.1)
        ? JSON.stringify({
            '@context': 'https://schema.org',
            '@type': 'Library',
            name: `${title} Library`,
            address: { '@type': 'PostalAddress', addressLocality: r.pick(PARTNERS).city },
            openingHours: 'Mo-Fr 09:00-19:00',
            url,
          })
        : undefined,
      truncated: undefined,
    };
  }
  if (kind === 'selection') {
    const p = paragraph(r, words);
    const before = sentence(r, words);
    const after = sentence(r, words);
    return {
      ...base,
      html: `<p>${esc(p)}</p>`,
      text: p,
      wordCount: countWords(p),
      anchor: { prefix: before.slice(-32), exact: p, suffix: after.slice(0, 32) },
    };
  }
  if (kind === 'link') return { ...base, linkUrl: `https://www.${r.pick(SITES)}/${slug}`, title: sentence(r, words, 3, 8).replace(/[.?]$/, '') };
  return { ...base, imageUrl: `https://www.${site}/images/${slug}.jpg`, imageAlt: sentence(r, words, 4, 12) };
}

// ---------------------------------------------------------------------------------------------
// Typing a note

/** One step of typing: `n` keystrokes of a note's script, run later inside some session. */
interface NoteTyper {
  topicId: string;
  fragment: Y.XmlFragment;
  /** Blocks in document order: the element and its text (created on the first character). */
  blocks: { el: Y.XmlElement; text: Y.XmlText | null }[];
  cur: number;
  words: number;
  pending: string;
  /** Marks to type the next characters with (bold, say). */
  attrs: Record<string, unknown> | undefined;
  done: boolean;
}

const counters = { keystrokes: 0, backspaces: 0, newBlocks: 0, midTextEdits: 0, quotes: 0 };

/** Runs `fn` as one transaction, the way y-prosemirror writes one per ProseMirror change. */
const key = (doc: Y.Doc, fn: () => void) => doc.transact(fn, 'y-sync$');

function textOf(doc: Y.Doc, b: NoteTyper['blocks'][number]): Y.XmlText {
  if (b.text) return b.text;
  const t = new Y.XmlText();
  b.el.insert(0, [t]);
  b.text = t;
  return t;
}

function newBlock(doc: Y.Doc, t: NoteTyper, name: 'paragraph' | 'heading') {
  key(doc, () => {
    const el = new Y.XmlElement(name);
    if (name === 'heading') el.setAttribute('level', 2 as unknown as string);
    t.fragment.insert(t.blocks.length ? t.fragment.length : 0, [el]);
    t.blocks.push({ el, text: null });
  });
  t.cur = t.blocks.length - 1;
  counters.newBlocks++;
}

/** Types one character at the end of the current block. */
function typeChar(doc: Y.Doc, t: NoteTyper, ch: string) {
  const b = t.blocks[t.cur]!;
  key(doc, () => {
    const text = textOf(doc, b);
    if (t.attrs) text.insert(text.length, ch, t.attrs);
    else text.insert(text.length, ch);
  });
  counters.keystrokes++;
}

function backspace(doc: Y.Doc, t: NoteTyper) {
  const text = t.blocks[t.cur]!.text;
  if (!text || text.length === 0) return;
  key(doc, () => text.delete(text.length - 1, 1));
  counters.keystrokes++;
  counters.backspaces++;
}

/** Types `s` at the end of the current block, with typos put right by backspacing. */
function typeString(doc: Y.Doc, r: Rng, t: NoteTyper, s: string) {
  for (const ch of s) {
    if (ch !== ' ' && r.chance(0.02)) {
      const wrong = r.int(1, 3);
      for (let i = 0; i < wrong; i++) typeChar(doc, t, String.fromCharCode(97 + r.int(0, 25)));
      for (let i = 0; i < wrong; i++) backspace(doc, t);
    }
    typeChar(doc, t, ch);
  }
}

/** Goes back to an older paragraph and inserts a few words in the middle, keystroke by keystroke. */
function editAbove(doc: Y.Doc, r: Rng, t: NoteTyper) {
  const candidates = t.blocks.filter((b, i) => i < t.blocks.length - 1 && b.text && b.text.length > 40 && b.el.nodeName === 'paragraph');
  if (!candidates.length) return;
  const b = r.pick(candidates);
  const text = b.text!;
  const s = text.toString();
  let pos = r.int(10, s.length - 5);
  while (pos > 0 && s[pos - 1] !== ' ') pos--;
  const words = `${sentence(r, EN, 2, 6).replace(/[.?]$/, '').toLowerCase()} `;
  for (const ch of words) {
    const at = pos++;
    key(doc, () => text.insert(at, ch));
    counters.keystrokes++;
  }
  // Sometimes a whole word is selected and deleted instead.
  if (r.chance(0.3)) {
    const s2 = text.toString();
    const from = s2.indexOf(' ', r.int(0, Math.max(0, s2.length - 20)));
    const to = from >= 0 ? s2.indexOf(' ', from + 1) : -1;
    if (from >= 0 && to > from) key(doc, () => text.delete(from, to - from));
  }
  counters.midTextEdits++;
}

/** "Quote in note": a blockquote and an attribution line with a link, in one transaction. */
function insertQuote(doc: Y.Doc, t: NoteTyper, clip: CapturedContent) {
  key(doc, () => {
    const quote = new Y.XmlElement('blockquote');
    const p = new Y.XmlElement('paragraph');
    const qt = new Y.XmlText();
    qt.insert(0, (clip.anchor?.exact ?? clip.excerpt ?? clip.title).slice(0, 400));
    p.insert(0, [qt]);
    quote.insert(0, [p]);
    const by = new Y.XmlElement('paragraph');
    const bt = new Y.XmlText();
    bt.insert(0, '— ');
    bt.insert(2, clip.title, { link: { href: clip.url, target: '_blank', rel: 'noopener noreferrer nofollow', class: null } });
    by.insert(0, [bt]);
    t.fragment.insert(t.fragment.length, [quote, by]);
    t.blocks.push({ el: quote, text: null }, { el: by, text: bt });
  });
  counters.quotes++;
}

/** Types about `budget` keystrokes more of a note: sentences, paragraphs, headings, quotes, edits. */
function typeSome(doc: Y.Doc, r: Rng, t: NoteTyper, budget: number, quotable: CapturedContent[]) {
  const start = counters.keystrokes;
  while (!t.done && counters.keystrokes - start < budget) {
    if (!t.blocks.length || r.chance(0.22)) {
      // A new paragraph (Enter), now and then a heading first.
      if (t.blocks.length && r.chance(0.12)) {
        newBlock(doc, t, 'heading');
        typeString(doc, r, t, sentence(r, EN, 2, 6).replace(/[.?]$/, ''));
      }
      if (t.blocks.length && quotable.length && r.chance(0.03)) insertQuote(doc, t, r.pick(quotable));
      newBlock(doc, t, 'paragraph');
    }
    const s = sentence(r, EN);
    const lead = (t.blocks[t.cur]!.text?.length ?? 0) > 0 ? ' ' : '';
    if (r.chance(0.05)) {
      // A bold phrase: Ctrl+B, a few words, Ctrl+B.
      const [first, ...rest] = s.split(' ');
      t.attrs = { bold: {} };
      typeString(doc, r, t, lead + first!);
      t.attrs = undefined;
      typeString(doc, r, t, ` ${rest.join(' ')}`);
    } else {
      typeString(doc, r, t, lead + s);
    }
    t.words += countWords(s);
    if (r.chance(0.03)) editAbove(doc, r, t);
    if (t.words >= NOTE_WORDS) t.done = true;
  }
}

// ---------------------------------------------------------------------------------------------

/** Generates the notebook for `seed`. Takes some seconds (about 250 000 transactions). */
export function generateThreeMonthNotebook(seed = 1): { update: Uint8Array; meta: ThreeMonthMeta } {
  const t0 = performance.now();
  Object.assign(counters, { keystrokes: 0, backspaces: 0, newBlocks: 0, midTextEdits: 0, quotes: 0 });
  const r = rng(seed);
  let clock = START;
  const deps: Deps = { newId: () => r.id(), now: () => clock };
  const doc = new Y.Doc({ gc: true });
  const clientIds = new Set<number>();
  const partners = PARTNERS.map((p) => ({ ...p, id: r.id() }));
  /** A new panel session: a fresh Yjs client id, registered as the panel does. */
  const session = (personId: string) => {
    doc.clientID = r.clientId();
    clientIds.add(doc.clientID);
    registerClient(doc, personId);
  };

  // Day 0: Ana creates the notebook with the programme's topics; everyone fills in a profile.
  session(partners[0]!.id);
  const title = `${partners[0]!.name.split(' ')[0]}, ${partners[1]!.name.split(' ')[0]} & ${partners[2]!.name.split(' ')[0]}`;
  initNotebook(
    doc,
    {
      info: { title, programmeName: 'International Librarians Network, spring round', programmeStart: START, posterDeadline: START + 100 * DAY },
      exampleTopics: true,
    },
    deps,
  );
  partners.forEach((p, i) => {
    if (i) session(p.id);
    updatePartner(doc, p.id, {
      name: p.name,
      color: p.color,
      country: p.country,
      city: p.city,
      timeZone: p.timeZone,
      libraryName: p.libraryName,
      libraryType: p.libraryType,
      facts: {
        founded: 1900 + r.int(0, 110),
        collectionSize: r.int(20_000, 2_000_000),
        registeredUsers: r.int(1_000, 90_000),
        staff: r.int(3, 180),
        yearlyVisits: r.int(10_000, 900_000),
      },
      website: `https://www.${p.site}/`,
      email: `${p.name.split(' ')[0]!.toLowerCase()}@${p.site}`,
      social: [`https://www.facebook.com/${p.site.split('.')[0]}`, `https://www.instagram.com/${p.site.split('.')[0]}`],
    });
    // A signed member entry is about this size (schema 'members': signing key id → signed JSON).
    setMemberEntry(
      doc,
      r.id() + r.id(),
      JSON.stringify({
        personId: p.id,
        name: p.name,
        key: { kty: 'EC', crv: 'P-256', x: r.id() + r.id().slice(0, 21), y: r.id() + r.id().slice(0, 21) },
        sig: r.id().repeat(4),
      }),
    );
  });
  // The partners' own topics, added in the first weeks.
  for (const t of OWN_TOPICS) {
    clock += r.int(1, 5) * DAY;
    addTopic(doc, { ...t, kind: 'own' }, deps);
  }
  const topics = readTopics(doc);
  if (topics.length !== TOPICS) throw new Error(`expected ${TOPICS} topics, got ${topics.length}`);

  // The work of three months, in time order: clips, and notes typed in sessions of a few hundred keystrokes.
  type Work = { at: number; kind: 'clip'; i: number } | { at: number; kind: 'note'; topic: number; seq: number };
  const work: Work[] = [];
  for (let i = 0; i < CLIPS; i++) work.push({ at: START + r.next() * SPAN_DAYS * DAY, kind: 'clip', i });
  const NOTE_SESSIONS = 45; // per note: 3 000 words ≈ 19 000 keystrokes, about 420 per session
  topics.forEach((_, ti) => {
    // Each topic is written mostly in its own weeks (programme topics fortnightly), a little later too.
    const from = START + (ti * (SPAN_DAYS - 21) * DAY) / (TOPICS - 1);
    const times = Array.from({ length: NOTE_SESSIONS }, () => from + r.next() * 21 * DAY + (r.chance(0.1) ? r.next() * 30 * DAY : 0)).sort((a, b) => a - b);
    times.forEach((at, seq) => work.push({ at, kind: 'note', topic: ti, seq }));
  });
  work.sort((a, b) => a.at - b.at);
  const largeAt = new Set<number>();
  while (largeAt.size < LARGE_CLIPS) largeAt.add(r.int(0, CLIPS - 1));

  const typers: NoteTyper[] = topics.map((t) => ({
    topicId: t.id,
    fragment: noteBody(doc, t.id),
    blocks: [],
    cur: 0,
    words: 0,
    pending: '',
    attrs: undefined,
    done: false,
  }));
  const quotable: CapturedContent[][] = topics.map(() => []);
  const byKind: Record<ClipKind, number> = { page: 0, selection: 0, link: 0, image: 0 };
  let textBytes = 0,
    textMax = 0,
    capturedBytes = 0;
  let sessionLeft = 0;
  let sessionPerson = partners[0]!.id;
  for (const w of work) {
    clock = Math.max(clock, Math.floor(w.at));
    // A panel session covers a few consecutive pieces of work by one person.
    if (sessionLeft-- <= 0) {
      sessionPerson = r.pick(partners).id;
      session(sessionPerson);
      sessionLeft = r.int(0, 6);
    }
    if (w.kind === 'clip') {
      const roll = r.next();
      const large = largeAt.has(w.i);
      const kind: ClipKind = large ? 'page' : roll < 0.78 ? 'page' : roll < 0.92 ? 'selection' : roll < 0.97 ? 'link' : 'image';
      const captured = makeCaptured(r, kind, large, clock);
      // Clips go mostly to the topic of the moment.
      const ti = Math.min(TOPICS - 1, Math.max(0, Math.round(((clock - START) / (SPAN_DAYS * DAY)) * (TOPICS - 1) + (r.next() - 0.5) * 4)));
      const person = partners.find((p) => p.id === sessionPerson)!;
      const tags = r.chance(0.6) ? Array.from({ length: r.int(1, 3) }, () => r.pick(TAGS)) : [];
      addClip(
        doc,
        {
          topicId: topics[ti]!.id,
          captured,
          clippedBy: { id: person.id, name: person.name },
          tags,
          comment: r.chance(0.3) ? sentence(r, EN) : '',
          clippedAt: clock,
        },
        deps,
      );
      byKind[kind]++;
      const tb = utf8(captured.text ?? '');
      textBytes += tb;
      textMax = Math.max(textMax, tb);
      capturedBytes += utf8(JSON.stringify(captured));
      if (kind === 'selection' || (kind === 'page' && !large)) quotable[ti]!.push(captured);
    } else {
      const t = typers[w.topic]!;
      const remaining = NOTE_SESSIONS - w.seq;
      typeSome(doc, r, t, Math.ceil(((NOTE_WORDS - t.words) * 6.4) / Math.max(1, remaining)), quotable[w.topic]!);
    }
  }
  for (const [ti, t] of typers.entries()) if (!t.done) typeSome(doc, r, t, Infinity, quotable[ti]!);

  // Near the end: the poster is drafted, and a few themes proposed.
  clock = START + SPAN_DAYS * DAY;
  session(partners[0]!.id);
  const clips = readClips(doc);
  const notes = Object.fromEntries(topics.map((t) => [t.id, noteText(doc, t.id)]));
  initPoster(doc, draftOutline({ info: readInfo(doc), partners: readPartners(doc), topics, clips, notes, now: clock, channels: ['email', 'video calls'] }));
  for (let i = 0; i < 4; i++) {
    const t = topics[i * 3]!;
    const quotes = clips
      .filter((c) => c.topicId === t.id)
      .slice(0, 2)
      .map((c) => quoteFromClip(c));
    proposePosterTheme(
      doc,
      proposeTheme({
        id: r.id(),
        title: t.title,
        proposedBy: r.pick(partners).id,
        keyPoints: [sentence(r, EN, 6, 12), sentence(r, EN, 6, 12)],
        quotes,
        from: { kind: 'topic', id: t.id },
      }),
      deps,
    );
  }

  const update = Y.encodeStateAsUpdate(doc);
  const firstNote = noteText(doc, topics[0]!.id);
  const lastLine =
    firstNote
      .split('\n')
      .filter((l) => l.trim())
      .at(-1) ?? '';
  const counts = new Map(topics.map((t) => [t.id, 0]));
  for (const c of clips) counts.set(c.topicId, (counts.get(c.topicId) ?? 0) + 1);
  const meta: ThreeMonthMeta = {
    seed,
    generatorVersion: GENERATOR_VERSION,
    notebookId: r.id(),
    title,
    partners: partners.map(({ id, name, color }) => ({ id, name, color })),
    topics: topics.map((t) => ({ id: t.id, title: t.title, clips: counts.get(t.id) ?? 0, noteWords: countWords(notes[t.id] ?? '') })),
    clips: { count: clips.length, byKind, textBytesMean: Math.round(textBytes / CLIPS), textBytesMax: textMax, large: LARGE_CLIPS, capturedBytes },
    notes: { ...counters, words: topics.reduce((n, t) => n + countWords(notes[t.id] ?? ''), 0) },
    clientIds: clientIds.size,
    updateBytes: update.byteLength,
    generationMs: Math.round(performance.now() - t0),
    firstNoteTail: lastLine.trim().slice(-40).trim(),
  };
  doc.destroy();
  return { update, meta };
}

/**
 * The notebook for `seed`, from `dir` when a previous run cached it (same seed and generator
 * version), else generated and cached there.
 */
export function loadThreeMonthNotebook(seed = 1, dir = 'bench-results'): { update: Uint8Array; meta: ThreeMonthMeta; cached: boolean; path: string } {
  const base = join(dir, `three-month-notebook-s${seed}-v${GENERATOR_VERSION}`);
  const path = `${base}.bin`;
  if (existsSync(path) && existsSync(`${base}.json`)) {
    const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as ThreeMonthMeta;
    const update = new Uint8Array(readFileSync(path));
    if (meta.updateBytes === update.byteLength) return { update, meta, cached: true, path };
  }
  const { update, meta } = generateThreeMonthNotebook(seed);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, update);
  writeFileSync(`${base}.json`, `${JSON.stringify(meta, null, 2)}\n`);
  return { update, meta, cached: false, path };
}

// `node --import tsx bench/lib/three-month-notebook.ts [seed]`: generate (or reuse) and describe it.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { meta, cached, path } = loadThreeMonthNotebook(Number(process.argv[2] ?? 1));
  console.log(JSON.stringify({ path, cached, ...meta }, null, 2));
}
