import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
  EXAMPLE_TOPICS,
  LIMITS,
  MIGRATIONS,
  NotebookError,
  SCHEMA_VERSION,
  addClip,
  addClipTags,
  addTopic,
  countWords,
  deleteClip,
  fragmentText,
  initNotebook,
  migrate,
  moveClip,
  moveTopic,
  noteBody,
  noteText,
  readClip,
  readClips,
  readInfo,
  readPartner,
  readPartners,
  readProblems,
  readTopic,
  readTopics,
  removeClipTag,
  removePartner,
  restoreClip,
  schemaVersion,
  setClipComment,
  setInfo,
  subscribe,
  topicStats,
  updatePartner,
  updateTopic,
  registerClient,
  clientPeople,
  summarizeChange,
  type Migration,
} from '../../../lib/notebook';
import { ANA, BATBAYAR, makeCaptured, makeDeps, makeDoc } from '../factories';

const START = Date.UTC(2026, 2, 2);

function seeded(exampleTopics = true) {
  const doc = makeDoc();
  const deps = makeDeps();
  initNotebook(doc, { info: { title: 'Ana & Batbayar', programmeName: 'ILN spring', programmeStart: START }, exampleTopics }, deps);
  return { doc, deps };
}

function writeParagraph(doc: Y.Doc, topicId: string, text: string) {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  noteBody(doc, topicId).push([p]);
}

describe('notebook info', () => {
  test('a new notebook has the current schema version and its info', () => {
    const { doc } = seeded(false);
    expect(schemaVersion(doc)).toBe(SCHEMA_VERSION);
    expect(readInfo(doc)).toEqual({ title: 'Ana & Batbayar', programmeName: 'ILN spring', programmeStart: START, posterDeadline: undefined });
  });

  test('setInfo changes and clears fields, trimming the title', () => {
    const { doc } = seeded(false);
    setInfo(doc, { title: '  Ana   and Batbayar ', posterDeadline: START + 90 * 86_400_000 });
    expect(readInfo(doc).title).toBe('Ana and Batbayar');
    expect(readInfo(doc).posterDeadline).toBe(START + 90 * 86_400_000);
    setInfo(doc, { posterDeadline: undefined });
    expect(readInfo(doc).posterDeadline).toBeUndefined();
    expect(readInfo(doc).programmeStart).toBe(START);
  });
});

describe('topics', () => {
  test('example topics: the seven programme prompts, fortnightly from the programme start', () => {
    const { doc } = seeded();
    const topics = readTopics(doc);
    expect(topics.map((t) => t.title)).toEqual(EXAMPLE_TOPICS.map((t) => t.title));
    expect(topics.every((t) => t.kind === 'programme' && !t.archived && t.prompt.length > 10)).toBe(true);
    expect(topics[0]!.start).toBe(START);
    expect(topics[1]!.start).toBe(START + 14 * 86_400_000);
    expect(topics[0]!.end).toBe(topics[1]!.start! - 1);
  });

  test('an empty notebook has no topics', () => {
    expect(readTopics(seeded(false).doc)).toEqual([]);
  });

  test('addTopic appends; a blank title is refused with a message', () => {
    const { doc, deps } = seeded(false);
    const a = addTopic(doc, { title: 'Book clubs' }, deps);
    const b = addTopic(doc, { title: 'Makerspaces', prompt: 'Do you have one?' }, deps);
    expect(readTopics(doc).map((t) => t.id)).toEqual([a, b]);
    expect(readTopic(doc, b)).toMatchObject({ title: 'Makerspaces', prompt: 'Do you have one?', kind: 'own', archived: false });
    expect(() => addTopic(doc, { title: '   ' }, deps)).toThrow(NotebookError);
  });

  test('updateTopic edits title, prompt, dates and archive flag', () => {
    const { doc, deps } = seeded(false);
    const id = addTopic(doc, { title: 'x', start: 5, end: 6 }, deps);
    updateTopic(doc, id, { title: 'Library Spaces', prompt: 'Rooms', archived: true, start: undefined });
    expect(readTopic(doc, id)).toMatchObject({ title: 'Library Spaces', prompt: 'Rooms', archived: true, start: undefined, end: 6 });
    expect(() => updateTopic(doc, 'nope', { title: 'y' })).toThrow(/no longer exists/);
  });

  test('moveTopic places a topic between its new neighbours', () => {
    const { doc } = seeded();
    const ids = readTopics(doc).map((t) => t.id);
    moveTopic(doc, ids[6]!, 0);
    expect(readTopics(doc)[0]!.id).toBe(ids[6]);
    moveTopic(doc, ids[6]!, 3);
    expect(readTopics(doc).map((t) => t.id)).toEqual([ids[0], ids[1], ids[2], ids[6], ids[3], ids[4], ids[5]]);
    moveTopic(doc, ids[0]!, 99);
    expect(readTopics(doc).at(-1)!.id).toBe(ids[0]);
  });

  test('notes: one fragment per topic, plain text and word counts', () => {
    const { doc } = seeded();
    const [a, b] = readTopics(doc);
    writeParagraph(doc, a!.id, 'We met on Tuesday.');
    writeParagraph(doc, a!.id, 'Book club for adults');
    expect(noteText(doc, a!.id)).toBe('We met on Tuesday.\nBook club for adults');
    expect(fragmentText(noteBody(doc, b!.id))).toBe('');
    expect(noteBody(doc, a!.id)).toBe(noteBody(doc, a!.id));
    expect(countWords('Батбаяр went to the library’s café')).toBe(6);
    expect(countWords('图书馆 reading')).toBe(4);
  });
});

describe('clips', () => {
  test('addClip stores the small fields as one string and HTML + text as one compressed value, and reads them back', () => {
    const { doc, deps } = seeded();
    const topicId = readTopics(doc)[0]!.id;
    const article = 'Opening hours and the reading club. '.repeat(2_000);
    const captured = makeCaptured({ text: article, html: `<p>${article}</p>` });
    const id = addClip(doc, { topicId, captured, clippedBy: BATBAYAR, tags: [' Reading ', 'reading', 'Clubs'] }, deps);
    const clip = readClip(doc, id)!;
    expect(clip).toMatchObject({ id, topicId, tags: ['clubs', 'reading'], comment: '', clippedBy: BATBAYAR });
    expect(clip.captured).toEqual(captured);
    expect({ ...clip.captured }).toEqual(captured);
    const raw = doc.getMap('clips').get(id) as Y.Map<unknown>;
    expect(typeof raw.get('captured')).toBe('string');
    expect(raw.get('captured')).not.toContain('Opening hours');
    const body = raw.get('body') as Uint8Array;
    expect(body).toBeInstanceOf(Uint8Array);
    expect(body.byteLength).toBeLessThan(article.length / 10);
    // Who and when in one immutable value; no item for an empty comment.
    expect([...raw.keys()].sort()).toEqual(['body', 'captured', 'made', 'tags', 'topicId']);
    // A partner receiving the update reads the same clip.
    const partner = makeDoc(7);
    Y.applyUpdate(partner, Y.encodeStateAsUpdate(doc));
    expect(readClip(partner, id)!.captured).toEqual(captured);
  });

  test('a link clip without HTML or text stores no body', () => {
    const { doc, deps } = seeded();
    const captured = makeCaptured({ kind: 'link', html: undefined, text: undefined, linkUrl: 'https://example.org/' });
    const id = addClip(doc, { topicId: readTopics(doc)[0]!.id, captured, clippedBy: ANA }, deps);
    expect((doc.getMap('clips').get(id) as Y.Map<unknown>).has('body')).toBe(false);
    expect(readClip(doc, id)!.captured).toEqual(captured);
  });

  test('a clip for a missing topic is refused', () => {
    const { doc, deps } = seeded();
    expect(() => addClip(doc, { topicId: 'gone', captured: makeCaptured(), clippedBy: ANA }, deps)).toThrow(/no longer exists/);
  });

  test('readClips filters by topic, newest first, and hides deleted clips', () => {
    const { doc, deps } = seeded();
    const [t1, t2] = readTopics(doc);
    const c1 = addClip(doc, { topicId: t1!.id, captured: makeCaptured({ title: 'one' }), clippedBy: ANA }, deps);
    const c2 = addClip(doc, { topicId: t1!.id, captured: makeCaptured({ title: 'two' }), clippedBy: ANA }, deps);
    const c3 = addClip(doc, { topicId: t2!.id, captured: makeCaptured({ title: 'three' }), clippedBy: ANA, clippedAt: 1 }, deps);
    expect(readClips(doc, { topicId: t1!.id }).map((c) => c.id)).toEqual([c2, c1]);
    expect(readClips(doc).map((c) => c.id)).toEqual([c2, c1, c3]);
    deleteClip(doc, c2, deps);
    expect(readClips(doc, { topicId: t1!.id }).map((c) => c.id)).toEqual([c1]);
    expect(readClips(doc, { includeDeleted: true })).toHaveLength(3);
    restoreClip(doc, c2);
    expect(readClips(doc, { topicId: t1!.id })).toHaveLength(2);
  });

  test('move, tag, untag and comment', () => {
    const { doc, deps } = seeded();
    const [t1, t2] = readTopics(doc);
    const id = addClip(doc, { topicId: t1!.id, captured: makeCaptured(), clippedBy: ANA }, deps);
    moveClip(doc, id, t2!.id);
    addClipTags(doc, id, ['Spaces', 'makerspace']);
    removeClipTag(doc, id, 'spaces');
    setClipComment(doc, id, 'Look at their opening hours');
    expect(readClip(doc, id)).toMatchObject({ topicId: t2!.id, tags: ['makerspace'], comment: 'Look at their opening hours' });
    expect(() => moveClip(doc, id, 'nope')).toThrow(NotebookError);
    expect(() => setClipComment(doc, 'nope', 'x')).toThrow(NotebookError);
    addClipTags(
      doc,
      id,
      Array.from({ length: 50 }, (_, i) => `t${i}`),
    );
    expect(readClip(doc, id)!.tags).toHaveLength(LIMITS.tagsPerClip);
  });

  test('topicStats counts live clips and note words per topic', () => {
    const { doc, deps } = seeded();
    const [t1, t2] = readTopics(doc);
    addClip(doc, { topicId: t1!.id, captured: makeCaptured(), clippedBy: ANA }, deps);
    const gone = addClip(doc, { topicId: t1!.id, captured: makeCaptured(), clippedBy: ANA }, deps);
    deleteClip(doc, gone, deps);
    writeParagraph(doc, t2!.id, 'three little words');
    const stats = topicStats(doc);
    expect(stats.get(t1!.id)).toEqual({ clips: 1, noteWords: 0 });
    expect(stats.get(t2!.id)).toEqual({ clips: 0, noteWords: 3 });
  });
});

describe('partners', () => {
  test('updatePartner creates and edits a profile field by field', () => {
    const { doc } = seeded(false);
    updatePartner(doc, 'p1', {
      name: 'Batbayar',
      country: 'Mongolia',
      city: 'Ulaanbaatar',
      timeZone: 'Asia/Ulaanbaatar',
      libraryType: 'public',
      facts: { founded: 1921, staff: 40 },
    });
    updatePartner(doc, 'p1', { facts: { staff: 42, yearlyVisits: 120_000 }, social: [' https://facebook.com/ublib ', ''] });
    expect(readPartner(doc, 'p1')).toMatchObject({
      name: 'Batbayar',
      country: 'Mongolia',
      libraryType: 'public',
      facts: { founded: 1921, staff: 42, yearlyVisits: 120_000 },
      social: ['https://facebook.com/ublib'],
    });
    updatePartner(doc, 'p1', { libraryType: undefined, facts: { founded: undefined } });
    expect(readPartner(doc, 'p1')!.libraryType).toBeUndefined();
    expect(readPartner(doc, 'p1')!.facts.founded).toBeUndefined();
  });

  test('readPartners sorts by name; removePartner removes', () => {
    const { doc } = seeded(false);
    updatePartner(doc, 'b', { name: 'Zora' });
    updatePartner(doc, 'a', { name: 'Ana' });
    expect(readPartners(doc).map((p) => p.name)).toEqual(['Ana', 'Zora']);
    removePartner(doc, 'a');
    expect(readPartners(doc).map((p) => p.id)).toEqual(['b']);
  });

  test('concurrent edits of different fields of one profile both survive', () => {
    const a = makeDoc(1);
    const b = makeDoc(2);
    updatePartner(a, 'p', { name: 'Ana' });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    updatePartner(a, 'p', { city: 'Sarajevo' });
    updatePartner(b, 'p', { libraryName: 'City Library' });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(readPartner(a, 'p')).toMatchObject({ city: 'Sarajevo', libraryName: 'City Library' });
    expect(readPartner(a, 'p')).toEqual(readPartner(b, 'p'));
  });
});

describe('untrusted content from peers', () => {
  test('malformed entries are skipped and reported, the rest still reads', () => {
    const { doc, deps } = seeded();
    const topicId = readTopics(doc)[0]!.id;
    addClip(doc, { topicId, captured: makeCaptured(), clippedBy: ANA }, deps);
    doc.transact(() => {
      (doc.getMap('topics') as Y.Map<unknown>).set('evil', 'not a map');
      const bad = new Y.Map<unknown>();
      bad.set('captured', '{"kind":"virus","url":1}');
      (doc.getMap('clips') as Y.Map<unknown>).set('evil-clip', bad);
      const p = new Y.Map<unknown>();
      p.set('name', 42);
      (doc.getMap('partners') as Y.Map<unknown>).set('evil-person', p);
    }, 'remote');
    expect(readTopics(doc)).toHaveLength(7);
    expect(readClips(doc)).toHaveLength(1);
    expect(readPartners(doc)).toHaveLength(0);
    expect(readProblems(doc).sort()).toEqual(['clips/evil-clip', 'partners/evil-person', 'topics/evil']);
  });
});

describe('migrations', () => {
  test('a fresh doc migrates to the current version once; migrating again runs nothing', () => {
    const doc = makeDoc();
    expect(migrate(doc)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(schemaVersion(doc)).toBe(SCHEMA_VERSION);
    expect(migrate(doc)).toEqual([]);
  });

  test('an older doc runs only the newer migrations, in order, and keeps its data', () => {
    const { doc, deps } = seeded();
    const clip = addClip(doc, { topicId: readTopics(doc)[0]!.id, captured: makeCaptured(), clippedBy: ANA }, deps);
    const renameCountries: Migration = {
      to: SCHEMA_VERSION + 1,
      name: 'upper-case country codes',
      run: (d) => readPartners(d).forEach((p) => updatePartner(d, p.id, { country: p.country.toUpperCase() })),
    };
    updatePartner(doc, 'p', { name: 'Ana', country: 'ba' });
    expect(migrate(doc, [...MIGRATIONS, renameCountries])).toEqual(['upper-case country codes']);
    expect(schemaVersion(doc)).toBe(SCHEMA_VERSION + 1);
    expect(readPartner(doc, 'p')!.country).toBe('BA');
    expect(readClip(doc, clip)).toBeDefined();
  });

  test("version 2 moves a version 1 clip's HTML and text into a compressed body, losing nothing; peers may both run it", () => {
    const { doc, deps } = seeded();
    const topicId = readTopics(doc)[0]!.id;
    const legacy = makeCaptured({ truncated: true, structuredData: '{"@type":"Library"}' });
    // A clip as version 1 wrote it: everything in one JSON string.
    const write1 = (d: Y.Doc, id: string) =>
      d.transact(() => {
        const m = new Y.Map<unknown>();
        d.getMap('clips').set(id, m);
        m.set('captured', JSON.stringify(legacy));
        m.set('topicId', topicId);
        m.set('clippedBy', JSON.stringify(ANA));
        m.set('clippedAt', 5);
      });
    write1(doc, 'old');
    const link = addClip(doc, { topicId, captured: makeCaptured({ kind: 'link', html: undefined, text: undefined }), clippedBy: ANA }, deps);
    doc.getMap('meta').set('schemaVersion', 1);
    const peer = makeDoc(9);
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    expect(readClip(doc, 'old')!.captured).toEqual(legacy); // read as version 1 before migrating

    expect(migrate(doc)).toEqual(['clip bodies compressed']);
    expect(migrate(peer)).toEqual(['clip bodies compressed']);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer));
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    for (const d of [doc, peer]) {
      const m = d.getMap('clips').get('old') as Y.Map<unknown>;
      expect(m.get('body')).toBeInstanceOf(Uint8Array);
      expect(m.get('captured')).not.toContain(legacy.html!);
      expect(readClip(d, 'old')!.captured).toEqual(legacy);
      expect((d.getMap('clips').get(link) as Y.Map<unknown>).has('body')).toBe(false);
    }
    expect(migrate(doc)).toEqual([]);
  });

  test('a doc from a newer version is refused and left untouched', () => {
    const doc = makeDoc();
    doc.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 5);
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => migrate(doc)).toThrow(/newer version of Partner Notebook/);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});

test('subscribe is called after every change and can be undone', () => {
  const { doc, deps } = seeded(false);
  let calls = 0;
  const off = subscribe(doc, () => calls++);
  addTopic(doc, { title: 'a' }, deps);
  setInfo(doc, { title: 'b' });
  off();
  addTopic(doc, { title: 'c' }, deps);
  expect(calls).toBe(2);
});

test('a change from a partner is attributed to them and to the topics it touched', () => {
  const { doc: a, deps } = seeded();
  const b = makeDoc(22);
  registerClient(a, 'person-ana');
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  registerClient(b, 'person-bat');
  const [t1, t2, t3] = readTopics(a);
  const clipId = addClip(a, { topicId: t3!.id, captured: makeCaptured(), clippedBy: ANA }, deps);
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  let seen: ReturnType<typeof summarizeChange> | undefined;
  a.on('afterTransaction', (tr: Y.Transaction) => tr.origin === 'remote' && (seen = summarizeChange(a, tr)));
  const before = Y.encodeStateVector(a);
  writeParagraph(b, t1!.id, 'Batbayar wrote this');
  addClip(b, { topicId: t2!.id, captured: makeCaptured(), clippedBy: BATBAYAR }, makeDeps('b'));
  addClipTags(b, clipId, ['from-bat']);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, before), 'remote');
  expect(seen!.people).toEqual(['person-bat']);
  expect(seen!.topics.sort()).toEqual([t1!.id, t2!.id, t3!.id].sort());
  expect(clientPeople(a).get(a.clientID)).toBe('person-ana');
});
