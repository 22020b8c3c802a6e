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
import type { CapturedContent, ClipKind } from '../../lib/notebook/types';
import { draftOutline, proposeTheme, quoteFromClip } from '../../lib/poster/draft';
import { EN, rng, sentence, utf8 } from './three-month-text';
import { CLIPS, DAY, LARGE_CLIPS, makeCaptured, NOTE_WORDS, OWN_TOPICS, PARTNERS, SPAN_DAYS, START, TAGS, TOPICS } from './three-month-content';
import { counters, type NoteTyper, typeSome } from './three-month-typing';

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
  const byKind: Record<ClipKind, number> = { page: 0, selection: 0, link: 0, image: 0, pdf: 0 };
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
