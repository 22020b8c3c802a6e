import { beforeEach, describe, expect, it } from 'vitest';
import type { Clip } from '../../../lib/notebook/types';
import { createSearchIndex, INDEX_LIMITS, type SearchIndex, type SearchResult } from '../../../lib/search/index';
import { ANA, BATBAYAR, makeCaptured } from '../factories';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 9);

let n = 0;
function clip(over: Partial<Omit<Clip, 'captured'>> & { captured?: Partial<Clip['captured']> } = {}): Clip {
  const { captured, ...rest } = over;
  n++;
  return {
    id: `clip-${n}`,
    topicId: 'topic-spaces',
    tags: [],
    comment: '',
    clippedBy: ANA,
    clippedAt: T0 + n * 1000,
    ...rest,
    captured: makeCaptured({ title: `Untitled ${n}`, text: 'Opening hours and contact details.', excerpt: undefined, ...captured }),
  };
}

const ids = (rs: SearchResult[]) => rs.map((r) => (r.type === 'clip' ? r.clipId : `note:${r.topicId}`));

describe('search index', () => {
  let index: SearchIndex;
  beforeEach(() => {
    index = createSearchIndex();
    n = 0;
  });

  it('finds a word that is only in a clip’s text, and one that is only in a note', () => {
    index.addClip(clip({ id: 'makerspace', captured: { text: 'The new makerspace has two 3D printers.' } }));
    index.addClip(clip({ id: 'other' }));
    index.setNote('topic-spaces', 'Library Spaces', 'We both want quiet rooms.\nBatbayar described the ger district branch.');
    expect(ids(index.search('printers'))).toEqual(['makerspace']);
    const notes = index.search('ger district');
    expect(ids(notes)).toEqual(['note:topic-spaces']);
    expect(notes[0]).toMatchObject({ type: 'note', offset: 0 });
  });

  it('ranks a title match above clips and notes that only mention the word in their body', () => {
    const filler = 'The library council met again to discuss budgets and opening hours. ';
    index.addClip(clip({ id: 'body', captured: { text: `${filler.repeat(20)} Advocacy matters. Advocacy is hard. We did some advocacy.` } }));
    index.addClip(clip({ id: 'title', captured: { title: 'Advocacy toolkit for public libraries', text: filler.repeat(30) } }));
    index.addClip(clip({ id: 'comment', comment: 'Good for the advocacy section of our poster' }));
    index.setNote('topic-advocacy', 'Proving Our Worth', 'Some notes on advocacy and lobbying at the ministry.');
    const rs = index.search('advocacy');
    expect(ids(rs)[0]).toBe('title');
    expect(new Set(ids(rs))).toEqual(new Set(['title', 'body', 'comment', 'note:topic-advocacy']));
    expect(rs[0]).toMatchObject({ fields: ['title'] });
  });

  it('ranks a tag match above a body match', () => {
    index.addClip(clip({ id: 'body', captured: { text: 'A short piece about storytime for toddlers.' } }));
    index.addClip(clip({ id: 'tagged', tags: ['storytime'], captured: { text: 'Photos of the children’s corner.' } }));
    expect(ids(index.search('storytime'))).toEqual(['tagged', 'body']);
  });

  it('matches prefixes from two letters and typos from four, but not on three-letter words', () => {
    index.addClip(clip({ id: 'lobby', captured: { text: 'Lobbying the city council for a new branch library.' } }));
    index.addClip(clip({ id: 'car', captured: { siteName: 'Parking', url: 'https://parking.example.org/', text: 'A car park next to the building.' } }));
    expect(ids(index.search('lobb'))).toEqual(['lobby']);
    expect(ids(index.search('lo'))).toEqual(['lobby']);
    expect(ids(index.search('libary'))).toEqual(['lobby']);
    expect(ids(index.search('counsil'))).toEqual(['lobby']);
    expect(ids(index.search('cat'))).toEqual([]);
  });

  it('requires every word, but falls back to any word rather than showing nothing', () => {
    index.addClip(clip({ id: 'both', captured: { text: 'Reading club for adults.' } }));
    index.addClip(clip({ id: 'one', captured: { text: 'A reading room with a view.' } }));
    expect(ids(index.search('reading club'))).toEqual(['both']);
    expect(new Set(ids(index.search('reading qwzxv')))).toEqual(new Set(['both', 'one']));
  });

  it('is diacritic- and case-insensitive, in Latin and Cyrillic', () => {
    index.addClip(clip({ id: 'ana', clippedBy: ANA, captured: { byline: 'Ana Kaladžija', text: 'Čitaonica u Sarajevu.' } }));
    index.addClip(clip({ id: 'bat', clippedBy: BATBAYAR, captured: { byline: undefined, text: 'Улаанбаатар хотын Төв номын сан. Библиотека Батбаяра.' } }));
    index.addClip(clip({ id: 'dj', captured: { text: 'Đurđa Pavlović runs the school library.' } }));
    expect(ids(index.search('kaladzija'))).toEqual(['ana']);
    expect(ids(index.search('KALADŽIJA'))).toEqual(['ana']);
    expect(ids(index.search('citaonica'))).toEqual(['ana']);
    expect(ids(index.search('номын'))).toEqual(['bat']);
    expect(ids(index.search('БИБЛИОТ'))).toEqual(['bat']);
    expect(ids(index.search('djurdja pavlovic'))).toEqual(['dj']);
  });

  it('keeps й apart from и (a different letter in Russian and Mongolian, not an accent)', () => {
    index.addClip(clip({ id: 'moi', captured: { text: 'мой дом' } }));
    expect(ids(index.search('мой'))).toEqual(['moi']);
    expect(ids(index.search('мои'))).toEqual([]);
  });

  describe('filters', () => {
    beforeEach(() => {
      index.addClip(
        clip({ id: 'a1', topicId: 't1', tags: ['events', 'photos'], clippedBy: ANA, clippedAt: T0, captured: { kind: 'page', text: 'reading club' } }),
      );
      index.addClip(
        clip({ id: 'a2', topicId: 't2', tags: ['events'], clippedBy: ANA, clippedAt: T0 + DAY, captured: { kind: 'selection', text: 'reading club quote' } }),
      );
      index.addClip(
        clip({
          id: 'b1',
          topicId: 't1',
          tags: ['Photos'],
          clippedBy: BATBAYAR,
          clippedAt: T0 + 2 * DAY,
          captured: { kind: 'image', text: 'reading room photo' },
        }),
      );
      index.addClip(
        clip({ id: 'b2', topicId: 't2', tags: [], clippedBy: BATBAYAR, clippedAt: T0 + 3 * DAY, captured: { kind: 'link', text: 'reading list' } }),
      );
      index.addClip(clip({ id: 'gone', topicId: 't1', deletedAt: T0, captured: { text: 'reading' } }));
      index.setNote('t1', 'Events', 'Our reading plans.');
      index.setNote('t2', 'Spaces', 'Reading corners.');
    });

    it('list filtered clips newest first when the query is empty, without notes or deleted clips', () => {
      expect(ids(index.search(''))).toEqual(['b2', 'b1', 'a2', 'a1']);
      expect(ids(index.search('  ', { topicId: 't1' }))).toEqual(['b1', 'a1']);
      expect(ids(index.search('', { tag: 'photos' }))).toEqual(['b1', 'a1']);
      expect(ids(index.search('', { personId: BATBAYAR.id }))).toEqual(['b2', 'b1']);
      expect(ids(index.search('', { kind: ['selection', 'image'] }))).toEqual(['b1', 'a2']);
      expect(ids(index.search('', { from: T0 + DAY, to: T0 + 2 * DAY }))).toEqual(['b1', 'a2']);
      expect(ids(index.search('', {}, { limit: 2 }))).toEqual(['b2', 'b1']);
    });

    it('combine with each other and with a query', () => {
      expect(ids(index.search('', { topicId: 't1', personId: ANA.id }))).toEqual(['a1']);
      expect(ids(index.search('', { tag: ['events', 'photos'] }))).toEqual(['a1']);
      expect(ids(index.search('', { topicId: ['t1', 't2'], kind: 'link', from: T0 }))).toEqual(['b2']);
      expect(ids(index.search('club', { personId: ANA.id, topicId: 't2' }))).toEqual(['a2']);
      expect(ids(index.search('reading', { tag: 'events', from: T0 + DAY }))).toEqual(['a2']);
    });

    it('include a topic’s note under a topic filter, and drop notes under clip-only filters', () => {
      expect(new Set(ids(index.search('reading', { topicId: 't1' })))).toEqual(new Set(['a1', 'b1', 'note:t1']));
      expect(ids(index.search('reading', { personId: ANA.id })).some((id) => id.startsWith('note:'))).toBe(false);
      expect(ids(index.search('reading', { type: 'note' })).sort()).toEqual(['note:t1', 'note:t2']);
    });
  });

  describe('incremental updates', () => {
    it('replaces a clip re-added with the same id, and removes deleted ones', () => {
      const c = clip({ id: 'c', captured: { title: 'Old title about budgets' } });
      index.addClip(c);
      index.addClip({ ...c, captured: { ...c.captured, title: 'New title about volunteers' } });
      expect(ids(index.search('budgets'))).toEqual([]);
      expect(ids(index.search('volunteers'))).toEqual(['c']);
      index.addClip({ ...c, deletedAt: T0 });
      expect(ids(index.search('volunteers'))).toEqual([]);
      index.addClip(c);
      index.removeClip('c');
      index.removeClip('never-there');
      expect(index.size).toEqual({ clips: 0, notes: 0 });
    });

    it('re-indexes an edited note, including an edit deep inside a long one, and forgets removed notes', () => {
      const para = (i: number) => `Paragraph ${i} about opening hours and membership cards for new readers in the city.`;
      const lines = Array.from({ length: 200 }, (_, i) => para(i));
      index.setNote('t', 'Spaces', lines.join('\n'));
      lines[150] = 'We agreed the mobile library bus deserves its own poster panel.';
      index.setNote('t', 'Spaces', lines.join('\n'));
      const [hit] = index.search('mobile bus');
      expect(hit).toMatchObject({ type: 'note', topicId: 't' });
      expect(hit!.type === 'note' && hit!.offset).toBeGreaterThan(0);
      expect(
        index
          .snippets(hit!)
          .flat()
          .filter((p) => p.match)
          .map((p) => p.text),
      ).toEqual(['mobile', 'bus']);

      index.setNote('t', 'Spaces', 'Short now.');
      expect(index.search('mobile')).toEqual([]);
      expect(ids(index.search('short'))).toEqual(['note:t']);
      index.setNote('t', 'Renamed topic', 'Short now.');
      expect(ids(index.search('renamed'))).toEqual(['note:t']);
      expect(index.search('spaces')).toEqual([]);
      index.removeNote('t');
      expect(index.search('short')).toEqual([]);
      expect(index.size.notes).toBe(0);
    });

    it('finds an empty note by its topic title, and clear() forgets everything', () => {
      index.setNote('t', 'Moving for a Job', '');
      expect(ids(index.search('moving'))).toEqual(['note:t']);
      index.addClip(clip());
      index.clear();
      expect(index.search('')).toEqual([]);
      expect(index.search('moving')).toEqual([]);
    });
  });

  it(`indexes a clip’s text up to ${INDEX_LIMITS.text} characters`, () => {
    const pad = 'lorem ipsum dolor '.repeat(Math.ceil(INDEX_LIMITS.text / 18));
    index.addClip(clip({ id: 'long', captured: { text: `early ${pad.slice(0, INDEX_LIMITS.text - 20)} inside ${pad} beyondthecap` } }));
    expect(ids(index.search('early'))).toEqual(['long']);
    expect(ids(index.search('inside'))).toEqual(['long']);
    expect(index.search('beyondthecap')).toEqual([]);
  });

  it('gives snippets from the part of a clip that matched: body, else comment', () => {
    index.addClip(clip({ id: 'c', comment: 'Ask Batbayar about the <b>winter</b> hours', captured: { text: 'Summer reading programme for children.' } }));
    const [body] = index.search('summer');
    expect(index.snippets(body!)).toEqual([
      [
        { text: 'Summer', match: true },
        { text: ' reading programme for children.', match: false },
      ],
    ]);
    const [comment] = index.search('winter');
    expect(index.snippets(comment!)).toEqual([
      [
        { text: 'Ask Batbayar about the <b>', match: false },
        { text: 'winter', match: true },
        { text: '</b> hours', match: false },
      ],
    ]);
  });
});
