import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
  POSTER_LIMITS,
  addPosterTableRow,
  addThemePoint,
  addThemeQuote,
  applyTextEdit,
  citeClipInPoster,
  hasPoster,
  initPoster,
  minimalTextEdit,
  posterText,
  proposePosterTheme,
  readPoster,
  readPosterTable,
  readPosterText,
  readProblems,
  readVoteRecorders,
  redraftPosterSection,
  removePosterTableRow,
  removeThemePoint,
  rowKeyFor,
  setPosterRowLabel,
  setPosterTableCell,
  setPosterText,
  themePointTexts,
  themeTitleText,
  unciteClipInPoster,
  voteTheme,
} from '../../../lib/notebook';
import { agreedThemes, draftOutline, proposeTheme, themeAgreement } from '../../../lib/poster/draft';
import { ANA, BATBAYAR, makeDoc } from '../factories';
import { CLIPS, INFO, NOTES, NOW, PARTNERS, TOPICS, seededOutline } from '../poster/fixtures';

const PARTNER_IDS = [ANA.id, BATBAYAR.id];
const drafted = () => draftOutline({ info: INFO, partners: PARTNERS, topics: TOPICS, clips: CLIPS, notes: NOTES, now: NOW });

/** Sends every update of `from` that `to` lacks. */
function sync(from: Y.Doc, to: Y.Doc) {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}
function syncBoth(a: Y.Doc, b: Y.Doc) {
  sync(a, b);
  sync(b, a);
}

describe('minimalTextEdit', () => {
  test('replaces only the changed middle', () => {
    expect(minimalTextEdit('Our libraries', 'Our two libraries')).toEqual({ index: 4, remove: 0, insert: 'two ' });
    expect(minimalTextEdit('abcdef', 'abXYef')).toEqual({ index: 2, remove: 2, insert: 'XY' });
    expect(minimalTextEdit('same', 'same')).toBeNull();
    expect(minimalTextEdit('', 'new')).toEqual({ index: 0, remove: 0, insert: 'new' });
    expect(minimalTextEdit('aaa', 'aa')).toEqual({ index: 2, remove: 1, insert: '' });
  });

  test('never splits a surrogate pair', () => {
    // 😀 and 😁 share their high surrogate: the edit must replace the whole character.
    const e = minimalTextEdit('a😀b', 'a😁b')!;
    expect(e).toEqual({ index: 1, remove: 2, insert: '😁' });
  });
});

describe('poster text fields', () => {
  test('a new notebook has no poster; reading a field does not create one', () => {
    const doc = makeDoc();
    let updates = 0;
    doc.on('update', () => updates++);
    expect(readPoster(doc)).toBeUndefined();
    expect(readPosterText(doc, 'title')).toBe('');
    expect(hasPoster(doc)).toBe(false);
    expect(doc.share.has('poster/text/title')).toBe(false);
    expect(updates).toBe(0);
  });

  test('setPosterText writes with a minimal edit and creates the poster', () => {
    const doc = makeDoc();
    setPosterText(doc, 'title', 'Sarajevo and Ulaanbaatar');
    const text = posterText(doc, 'title');
    const deltas: unknown[] = [];
    text.observe((e) => deltas.push(e.delta));
    setPosterText(doc, 'title', 'Sarajevo and Ulaanbaatar: two libraries');
    expect(deltas).toEqual([[{ retain: 24 }, { insert: ': two libraries' }]]);
    expect(readPoster(doc)!.title).toBe('Sarajevo and Ulaanbaatar: two libraries');
  });

  test('two partners typing into the same field at once both keep their words', () => {
    const a = makeDoc(1);
    const b = makeDoc(2);
    setPosterText(a, 'viewChanged', 'We learned.');
    syncBoth(a, b);
    // Offline at the same moment: Ana adds at the end, Batbayar at the start.
    setPosterText(a, 'viewChanged', 'We learned. Ana will start a reading club.');
    setPosterText(b, 'viewChanged', 'Together, we learned.');
    syncBoth(a, b);
    const merged = readPosterText(a, 'viewChanged');
    expect(merged).toBe(readPosterText(b, 'viewChanged'));
    expect(merged).toBe('Together, we learned. Ana will start a reading club.');
  });

  test('concurrent typing converges in any delivery order, with duplicates', () => {
    const docs = [makeDoc(1), makeDoc(2), makeDoc(3)];
    setPosterText(docs[0]!, 'difficultiesAndFuture', 'Time zones.');
    for (const d of docs.slice(1)) sync(docs[0]!, d);
    const updates: Uint8Array[] = [];
    docs.forEach((d, i) => d.on('update', (u: Uint8Array) => updates.push(u)) && void i);
    setPosterText(docs[0]!, 'difficultiesAndFuture', 'Time zones. Slow lines.');
    setPosterText(docs[1]!, 'difficultiesAndFuture', 'Big time zones.');
    setPosterText(docs[2]!, 'difficultiesAndFuture', 'Time zones!');
    const fresh = [makeDoc(4), makeDoc(5)];
    const base = Y.encodeStateAsUpdate(docs[0]!, Y.encodeStateVector(new Y.Doc()));
    for (const f of fresh) Y.applyUpdate(f, base);
    const shuffled = [...updates].reverse();
    for (const u of [...shuffled, ...updates]) Y.applyUpdate(fresh[0]!, u);
    for (const u of updates) Y.applyUpdate(fresh[1]!, u);
    const text = readPosterText(fresh[0]!, 'difficultiesAndFuture');
    expect(readPosterText(fresh[1]!, 'difficultiesAndFuture')).toBe(text);
    expect(text).toContain('Big');
    expect(text).toContain('Slow lines.');
    expect(text).toContain('!');
  });

  test('applyTextEdit tags the transaction with the given origin', () => {
    const doc = makeDoc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const me = {};
    applyTextEdit(posterText(doc, 'subtitle'), 'Ana · Batbayar', me);
    expect(origins).toEqual([me]);
  });

  test('unknown or forged field names are refused', () => {
    const doc = makeDoc();
    expect(() => posterText(doc, 'library:a/b' as never)).toThrow(/does not exist/);
    expect(() => posterText(doc, 'contact:x:password' as never)).toThrow();
    expect(readPosterText(doc, 'nope' as never)).toBe('');
  });
});

describe('drafting', () => {
  test('initPoster stores a drafted outline that reads back the same', () => {
    const doc = makeDoc();
    const outline = seededOutline();
    initPoster(doc, outline);
    expect(readPoster(doc)).toEqual(outline);
  });

  test('drafting again never overwrites what partners wrote; it fills only empty parts', () => {
    const doc = makeDoc();
    const first = initPoster(doc, drafted());
    expect(first).toEqual(['heading', 'libraries', 'comparison', 'howWeWorked', 'topicsDiscussed', 'contacts']);
    setPosterText(doc, 'title', 'Our own title');
    setPosterText(doc, `library:${ANA.id}`, '');
    setPosterTableCell(doc, rowKeyFor('Staff'), ANA.id, 'about 85');
    const again = initPoster(doc, drafted());
    const o = readPoster(doc)!;
    expect(o.title).toBe('Our own title');
    expect(o.libraries.find((l) => l.partnerId === ANA.id)!.text).toMatch(/^Ana Kaladžija works at Sarajevo City Library/);
    expect(o.comparison.table.find((r) => r.label === 'Staff')!.values[ANA.id]).toBe('about 85');
    expect(again).toEqual(['libraries']);
  });

  test('a partner added later gets library and contact blocks after the existing ones', () => {
    const doc = makeDoc();
    initPoster(doc, draftOutline({ info: INFO, partners: [PARTNERS[1]!], topics: TOPICS, clips: CLIPS, notes: NOTES, now: NOW }));
    initPoster(doc, drafted());
    expect(readPoster(doc)!.libraries.map((l) => l.partnerId)).toEqual([BATBAYAR.id, ANA.id]);
    expect(readPoster(doc)!.contacts.map((c) => c.partnerId)).toEqual([BATBAYAR.id, ANA.id]);
  });

  test('re-drafting a section replaces it where the draft has words, and only that section', () => {
    const doc = makeDoc();
    initPoster(doc, drafted());
    setPosterText(doc, 'howWeWorked', 'We emailed.');
    setPosterText(doc, 'topicsDiscussed', 'Our list.');
    setPosterText(doc, 'comparison.culturalExpectations', 'Quiet is expected in Sarajevo.');
    setPosterTableCell(doc, rowKeyFor('Staff'), ANA.id, '90');
    expect(redraftPosterSection(doc, drafted(), 'howWeWorked')).toBe(true);
    expect(redraftPosterSection(doc, drafted(), 'comparison')).toBe(true);
    const o = readPoster(doc)!;
    expect(o.howWeWorked).toBe(drafted().howWeWorked);
    expect(o.topicsDiscussed).toBe('Our list.');
    expect(o.comparison.culturalExpectations).toBe('Quiet is expected in Sarajevo.');
    expect(o.comparison.table.find((r) => r.label === 'Staff')!.values[ANA.id]).toBe('85');
    expect(redraftPosterSection(doc, drafted(), 'howWeWorked')).toBe(false);
  });

  test('two partners drafting offline at once lose nothing either wrote', () => {
    const a = makeDoc(1);
    const b = makeDoc(2);
    initPoster(a, drafted());
    setPosterText(a, 'viewChanged', 'Ana: stories beat numbers.');
    initPoster(b, drafted());
    setPosterText(b, 'difficultiesAndFuture', 'Batbayar: winter power cuts.');
    setPosterTableCell(b, rowKeyFor('Staff'), BATBAYAR.id, '121');
    syncBoth(a, b);
    const oa = readPoster(a)!;
    expect(oa).toEqual(readPoster(b));
    expect(oa.viewChanged).toBe('Ana: stories beat numbers.');
    expect(oa.difficultiesAndFuture).toBe('Batbayar: winter power cuts.');
    expect(oa.comparison.table.find((r) => r.label === 'Staff')!.values[BATBAYAR.id]).toBe('121');
    expect(oa.libraries.map((l) => l.partnerId)).toEqual([ANA.id, BATBAYAR.id]);
    // The drafted title was inserted on both sides: both copies show (visible, not lost).
    expect(oa.title).toContain(drafted().title);
  });
});

describe('comparison table', () => {
  test('rows can be added, renamed and removed; cells are per row and partner', () => {
    const doc = makeDoc();
    let n = 0;
    const key = addPosterTableRow(doc, 'Opening hours', { newId: () => `row-${++n}` });
    setPosterTableCell(doc, key, ANA.id, '8–20');
    setPosterTableCell(doc, key, BATBAYAR.id, '9–18');
    setPosterRowLabel(doc, key, 'Opening hours (weekdays)');
    expect(readPosterTable(doc)).toEqual([{ key, label: 'Opening hours (weekdays)', values: { [ANA.id]: '8–20', [BATBAYAR.id]: '9–18' } }]);
    setPosterTableCell(doc, key, ANA.id, '');
    expect(readPosterTable(doc)[0]!.values).toEqual({ [BATBAYAR.id]: '9–18' });
    removePosterTableRow(doc, key);
    expect(readPosterTable(doc)).toEqual([]);
  });
});

describe('themes and votes', () => {
  const theme = (id = 'th-1', by = ANA.id) => proposeTheme({ id, title: '  Book club   for adults ', proposedBy: by, from: { kind: 'topic', id: 't-books' } });

  test('a proposed theme waits for every partner; each partner votes for themselves', () => {
    const doc = makeDoc();
    proposePosterTheme(doc, theme());
    let t = readPoster(doc)!.themes[0]!;
    expect(t).toMatchObject({
      id: 'th-1',
      title: 'Book club for adults',
      votes: { [ANA.id]: 'agree' },
      proposedBy: ANA.id,
      from: { kind: 'topic', id: 't-books' },
    });
    expect(themeAgreement(t, PARTNER_IDS)).toBe('pending');
    voteTheme(doc, 'th-1', BATBAYAR.id, 'unsure');
    expect(themeAgreement(readPoster(doc)!.themes[0]!, PARTNER_IDS)).toBe('disputed');
    voteTheme(doc, 'th-1', BATBAYAR.id, 'agree');
    t = readPoster(doc)!.themes[0]!;
    expect(themeAgreement(t, PARTNER_IDS)).toBe('agreed');
    expect(agreedThemes(readPoster(doc)!, PARTNER_IDS).map((x) => x.id)).toEqual(['th-1']);
    expect(readVoteRecorders(doc)).toEqual({});
  });

  test('a vote recorded for a partner says who recorded it, until the partner votes themselves', () => {
    const doc = makeDoc();
    proposePosterTheme(doc, theme());
    voteTheme(doc, 'th-1', BATBAYAR.id, 'agree', ANA.id);
    expect(readVoteRecorders(doc)).toEqual({ 'th-1': { [BATBAYAR.id]: ANA.id } });
    voteTheme(doc, 'th-1', BATBAYAR.id, 'agree');
    expect(readVoteRecorders(doc)).toEqual({});
  });

  test('votes of two partners made at once both count', () => {
    const a = makeDoc(1);
    const b = makeDoc(2);
    proposePosterTheme(a, theme('th-1', 'person-cho'));
    syncBoth(a, b);
    voteTheme(a, 'th-1', ANA.id, 'agree');
    voteTheme(b, 'th-1', BATBAYAR.id, 'agree');
    syncBoth(a, b);
    expect(readPoster(b)!.themes[0]!.votes).toEqual({ 'person-cho': 'agree', [ANA.id]: 'agree', [BATBAYAR.id]: 'agree' });
  });

  test('title and key points are collaborative texts', () => {
    const doc = makeDoc();
    proposePosterTheme(doc, theme());
    applyTextEdit(themeTitleText(doc, 'th-1'), 'Book clubs for adults');
    addThemePoint(doc, 'th-1', 'Monthly meetings');
    addThemePoint(doc, 'th-1', 'One novel, two languages');
    applyTextEdit(themePointTexts(doc, 'th-1')[0]!, 'Monthly meetings in both cities');
    removeThemePoint(doc, 'th-1', themePointTexts(doc, 'th-1')[1]!);
    expect(readPoster(doc)!.themes[0]).toMatchObject({ title: 'Book clubs for adults', keyPoints: ['Monthly meetings in both cities'] });
  });

  test('a quote from a clip puts the clip in Sources; the same quote is not added twice', () => {
    const doc = makeDoc();
    proposePosterTheme(doc, theme());
    addThemeQuote(doc, 'th-1', { text: 'Our monthly reading club meets on Thursdays.', clipId: 'c-club' });
    addThemeQuote(doc, 'th-1', { text: 'Our monthly reading club meets on Thursdays.', clipId: 'c-club' });
    expect(readPoster(doc)!.themes[0]!.quotes).toEqual([{ text: 'Our monthly reading club meets on Thursdays.', clipId: 'c-club' }]);
    expect(readPoster(doc)!.sources.clipIds).toEqual(['c-club']);
    citeClipInPoster(doc, 'c-corner');
    unciteClipInPoster(doc, 'c-club');
    expect(readPoster(doc)!.sources.clipIds).toEqual(['c-corner']);
    expect(() => addThemeQuote(doc, 'th-1', { text: '   ' })).toThrow(/needs some words/);
    expect(() => addThemeQuote(doc, 'nope', { text: 'x' })).toThrow(/no longer on the poster/);
  });
});

describe('defensive reading', () => {
  test('malformed entries from a peer are skipped and reported, the rest reads', () => {
    const doc = makeDoc();
    proposePosterTheme(doc, proposeTheme({ id: 'th-ok', title: 'Fine', proposedBy: ANA.id }));
    doc.transact(() => {
      doc.getMap('poster/themes').set('th-bad', 'not a map' as never);
      const m = new Y.Map<unknown>();
      m.set('title', 'plain string, not a Y.Text');
      doc.getMap('poster/themes').set('th-bad2', m as never);
      const poster = doc.getMap<unknown>('poster');
      poster.set('row:broken', '{not json');
      poster.set('row:ok', JSON.stringify({ label: 'Staff', order: 1 }));
      poster.set('cell:ok:person-ana', 42);
      poster.set('cell:ok:person-bat', '120');
      poster.set('lib:bad/key', 1);
      poster.set('lib:person-ana', 'first');
      poster.set('source:c-1', 'yes');
    });
    const o = readPoster(doc)!;
    expect(o.themes.map((t) => t.id)).toEqual(['th-ok']);
    expect(o.comparison.table).toEqual([{ label: 'Staff', values: { 'person-bat': '120' } }]);
    expect(o.libraries).toEqual([]);
    expect(o.sources.clipIds).toEqual([]);
    expect(readProblems(doc)).toEqual(expect.arrayContaining(['poster/themes/th-bad', 'poster/themes/th-bad2', 'poster/row:broken']));
  });

  test('oversized text from a peer is cut to the bound on reading', () => {
    const doc = makeDoc();
    doc.getText('poster/text/title').insert(0, 'x'.repeat(POSTER_LIMITS.short + 50));
    doc.getMap('poster').set('version', 1);
    expect(readPoster(doc)!.title).toHaveLength(POSTER_LIMITS.short);
  });
});
