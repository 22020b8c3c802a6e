import { agreedThemes, draftComparisonTable, draftLibraryText, draftOutline, proposeTheme, themeAgreement, utcOffsetMinutes } from '../../../lib/poster/draft';
import { THIN_SPACE, formatCount } from '../../../lib/poster/format';
import { ANA, BATBAYAR } from '../factories';
import { CLIPS, INFO, NOTES, NOW, PARTNERS, TOPICS, makePartner, seededOutline } from './fixtures';

const T = THIN_SPACE;

describe('draftLibraryText', () => {
  it('describes a complete profile in one sentence with thin-space grouped figures', () => {
    expect(draftLibraryText(PARTNERS[0]!)).toBe(
      `Ana Kaladžija works at Sarajevo City Library, a public library in Sarajevo, Bosnia and Herzegovina, founded in 1948, with 450${T}000 items, 30${T}000 registered users, 85 staff and 210${T}000 visits a year.`,
    );
  });

  it('leaves missing figures out instead of printing undefined', () => {
    expect(draftLibraryText(PARTNERS[1]!)).toBe(
      `Батбаяр Дорж works at Ulaanbaatar City Public Library, a public library in Ulaanbaatar, Mongolia, founded in 1921, with 1${T}200${T}000 items, 85${T}000 registered users and 120 staff.`,
    );
    const bare = makePartner({ libraryName: '', libraryType: undefined, city: '', country: '', facts: {} });
    expect(draftLibraryText(bare)).toBe('Ana Kaladžija is a librarian.');
    const typeOnly = makePartner({ libraryName: '', libraryType: 'academic', facts: { staff: 1 } });
    expect(draftLibraryText(typeOnly)).toBe('Ana Kaladžija works at an academic library in Sarajevo, Bosnia and Herzegovina, with 1 staff member.');
    for (const p of [bare, typeOnly, makePartner({ facts: { founded: Number.NaN, collectionSize: undefined } })]) {
      expect(draftLibraryText(p)).not.toMatch(/undefined|NaN|null/);
    }
  });

  it('formats counts with a fixed, locale-independent grouping', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe(`1${T}000`);
    expect(formatCount(1_234_567)).toBe(`1${T}234${T}567`);
  });
});

describe('draftComparisonTable', () => {
  it('has one row per figure with values per partner; missing values are absent', () => {
    const rows = draftComparisonTable(PARTNERS);
    expect(rows.map((r) => r.label)).toEqual(['Library', 'Type', 'Country', 'Founded', 'Collection (items)', 'Registered users', 'Staff', 'Visits a year']);
    expect(rows[3]!.values).toEqual({ [ANA.id]: '1948', [BATBAYAR.id]: '1921' });
    expect(rows[7]!.values).toEqual({ [ANA.id]: `210${T}000` });
  });
});

describe('draftOutline', () => {
  const o = draftOutline({ info: INFO, partners: PARTNERS, topics: TOPICS, clips: CLIPS, notes: NOTES, now: NOW, channels: ['email', 'video calls'] });

  it('drafts one library block and one contact per partner, in profile order', () => {
    expect(o.libraries.map((l) => l.partnerId)).toEqual([ANA.id, BATBAYAR.id]);
    expect(o.contacts[1]).toEqual({
      partnerId: BATBAYAR.id,
      name: 'Батбаяр Дорж',
      library: 'Ulaanbaatar City Public Library',
      email: 'batbayar@library.example.mn',
      website: 'https://library.example.mn',
      social: [],
    });
    expect(o.title).toBe('Sarajevo and Ulaanbaatar: a library partnership');
    expect(o.comparison.similar).toBe('We both work in public libraries.');
    expect(o.themes).toEqual([]);
    expect(JSON.parse(JSON.stringify(o))).toEqual(o);
  });

  it('counts topics with material, live clips, note words, places, time zones and channels', () => {
    expect(o.howWeWorked).toContain(
      'Over 13 weeks, from 2 February 2026 to 1 May 2026, we discussed 3 topics, saved 4 clips and wrote 45 words of notes together.',
    );
    // 1 May: Sarajevo is on summer time (UTC+2), Ulaanbaatar UTC+8.
    expect(o.howWeWorked).toContain('6 hours apart');
    expect(o.howWeWorked).toContain(
      'Ana Kaladžija was in Sarajevo, Bosnia and Herzegovina (Europe/Sarajevo) and Батбаяр Дорж in Ulaanbaatar, Mongolia (Asia/Ulaanbaatar)',
    );
    expect(o.howWeWorked).toContain('We kept in touch by email and video calls.');
  });

  it('lists non-archived topics with notes or clips only', () => {
    const lines = o.topicsDiscussed.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('- Advocacy and Lobbying (programme topic, from 2 February 2026): 1 clip, 19 words of notes');
    expect(o.topicsDiscussed).not.toContain('Moving for a Job');
    expect(o.topicsDiscussed).not.toContain('Old archived topic');
  });

  it('survives unknown time zones and a lone partner', () => {
    const p = makePartner({ timeZone: 'Mars/Olympus' });
    const lone = draftOutline({ info: { title: '', programmeName: '' }, partners: [p], topics: [], clips: [], notes: {}, now: NOW });
    expect(utcOffsetMinutes('Mars/Olympus', NOW)).toBeUndefined();
    expect(lone.howWeWorked).toBe(
      'We discussed 0 topics, saved 0 clips and wrote 0 words of notes together. Ana Kaladžija is in Sarajevo, Bosnia and Herzegovina (Mars/Olympus).',
    );
    expect(lone.subtitle).toBe('Ana Kaladžija');
  });
});

describe('themeAgreement', () => {
  const ids = [ANA.id, BATBAYAR.id];
  it('is agreed only when every partner agrees; the proposer counts as agreeing', () => {
    const t = proposeTheme({ id: 'x', title: 'X', proposedBy: ANA.id });
    expect(themeAgreement(t, ids)).toBe('pending');
    expect(themeAgreement({ ...t, votes: { ...t.votes, [BATBAYAR.id]: 'agree' } }, ids)).toBe('agreed');
    expect(themeAgreement({ ...t, votes: {} }, ids)).toBe('pending');
    expect(themeAgreement({ ...t, votes: { [BATBAYAR.id]: 'agree' } }, ids)).toBe('agreed');
  });

  it('is disputed as soon as one partner is unsure, including a proposer who changed their mind', () => {
    const t = proposeTheme({ id: 'x', title: 'X', proposedBy: ANA.id });
    expect(themeAgreement({ ...t, votes: { [BATBAYAR.id]: 'unsure' } }, ids)).toBe('disputed');
    expect(themeAgreement({ ...t, votes: { [ANA.id]: 'unsure', [BATBAYAR.id]: 'agree' } }, ids)).toBe('disputed');
  });

  it('ignores votes of non-partners, garbage votes, and needs partners', () => {
    const t = proposeTheme({ id: 'x', title: 'X', proposedBy: 'stranger' });
    expect(themeAgreement({ ...t, votes: { stranger: 'agree', [ANA.id]: 'agree' } }, ids)).toBe('pending');
    expect(themeAgreement({ ...t, votes: { [ANA.id]: 'agree', [BATBAYAR.id]: 'yes' as never } }, ids)).toBe('pending');
    expect(themeAgreement({ ...t, votes: { [ANA.id]: 'agree', [BATBAYAR.id]: 'agree' } }, [ANA.id, BATBAYAR.id, 'person-third'])).toBe('pending');
    expect(themeAgreement(t, [])).toBe('pending');
  });

  it('agreedThemes keeps the outline order', () => {
    expect(agreedThemes(seededOutline(), ids).map((t) => t.id)).toEqual(['th-club', 'th-gateway']);
  });
});
