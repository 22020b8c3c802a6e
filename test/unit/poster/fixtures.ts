/**
 * A seeded partnership for the poster tests: Ana Kaladžija (Sarajevo) and Батбаяр Дорж
 * (Ulaanbaatar), both in public libraries, with topics, clips, notes and a few themes.
 */
import type { Clip, NotebookInfo, PartnerProfile, Topic } from '../../../lib/notebook/types';
import { draftOutline, proposeTheme, quoteFromClip } from '../../../lib/poster/draft';
import type { PosterContext, PosterOutline } from '../../../lib/poster/types';
import { ANA, BATBAYAR, makeCaptured } from '../factories';

/** The fixed clock of the seed: 1 May 2026, 12:00 UTC. */
export const NOW = Date.UTC(2026, 4, 1, 12);

export const INFO: NotebookInfo = {
  title: 'Ana & Batbayar',
  programmeName: 'International Librarians Network, spring round',
  programmeStart: Date.UTC(2026, 1, 2),
  posterDeadline: Date.UTC(2026, 4, 15),
};

/** A partner profile, overridable field by field. */
export function makePartner(over: Partial<PartnerProfile> = {}): PartnerProfile {
  return {
    id: ANA.id,
    name: ANA.name,
    color: '#c2410c',
    country: 'Bosnia and Herzegovina',
    city: 'Sarajevo',
    timeZone: 'Europe/Sarajevo',
    libraryName: 'Sarajevo City Library',
    libraryType: 'public',
    facts: { founded: 1948, collectionSize: 450_000, registeredUsers: 30_000, staff: 85, yearlyVisits: 210_000 },
    website: 'https://library.example.ba',
    email: 'ana@library.example.ba',
    social: ['https://social.example/@ana'],
    ...over,
  };
}

export const PARTNERS: PartnerProfile[] = [
  makePartner(),
  makePartner({
    id: BATBAYAR.id,
    name: BATBAYAR.name,
    color: '#1f6feb',
    country: 'Mongolia',
    city: 'Ulaanbaatar',
    timeZone: 'Asia/Ulaanbaatar',
    libraryName: 'Ulaanbaatar City Public Library',
    // No yearly visits on purpose: a missing figure must simply be left out.
    facts: { founded: 1921, collectionSize: 1_200_000, registeredUsers: 85_000, staff: 120 },
    website: 'https://library.example.mn',
    email: 'batbayar@library.example.mn',
    social: [],
  }),
];

/** A topic, overridable field by field. */
export function makeTopic(over: Partial<Topic> & { id: string }): Topic {
  return { title: over.id, prompt: '', kind: 'programme', order: 1, archived: false, createdAt: Date.UTC(2026, 1, 2), ...over };
}

export const TOPICS: Topic[] = [
  makeTopic({ id: 't-advocacy', title: 'Advocacy and Lobbying', start: Date.UTC(2026, 1, 2), order: 1 }),
  makeTopic({ id: 't-spaces', title: 'Library Spaces', start: Date.UTC(2026, 1, 16), order: 2 }),
  makeTopic({ id: 't-books', title: 'Book clubs for adults', kind: 'own', order: 3 }),
  makeTopic({ id: 't-moving', title: 'Moving for a Job', start: Date.UTC(2026, 2, 2), order: 4 }),
  makeTopic({ id: 't-old', title: 'Old archived topic', order: 5, archived: true }),
];

/** A clip, overridable field by field. */
export function makeClip(over: Partial<Clip> & { id: string }): Clip {
  return { topicId: 't-books', tags: [], comment: '', clippedBy: BATBAYAR, clippedAt: Date.UTC(2026, 2, 3, 8), captured: makeCaptured(), ...over };
}

export const CLIPS: Clip[] = [
  // Batbayar's reading club page: a person as author, no date → (n.d.) and "Retrieved …".
  makeClip({ id: 'c-club' }),
  makeClip({
    id: 'c-corner',
    topicId: 't-spaces',
    clippedBy: ANA,
    clippedAt: Date.UTC(2026, 1, 21, 10),
    captured: makeCaptured({
      url: 'https://library.example.ba/news/children-corner?utm=x#top',
      title: 'Our new children’s corner',
      siteName: 'Sarajevo City Library',
      byline: 'Ana Kaladžija',
      publishedTime: Date.UTC(2026, 1, 20),
    }),
  }),
  makeClip({
    id: 'c-manifesto',
    topicId: 't-advocacy',
    clippedBy: ANA,
    clippedAt: Date.UTC(2026, 1, 5, 9),
    captured: makeCaptured({
      kind: 'selection',
      url: 'https://www.example.org/public-library-manifesto/',
      title: 'IFLA-UNESCO Public Library Manifesto 2022',
      siteName: 'IFLA',
      byline: undefined,
      publishedTime: Date.UTC(2022, 6, 18),
      anchor: { prefix: '', exact: 'The public library, the local gateway to knowledge, provides a basic condition for lifelong learning.', suffix: '' },
    }),
  }),
  makeClip({ id: 'c-old', topicId: 't-old', captured: makeCaptured({ title: 'Archived material', url: 'https://example.com/old' }) }),
  makeClip({ id: 'c-deleted', topicId: 't-moving', deletedAt: Date.UTC(2026, 2, 4), captured: makeCaptured({ title: 'Deleted clip' }) }),
];

export const NOTES: Record<string, string> = {
  't-advocacy': 'We compared how our libraries talk to the city council. Ana brings yearly figures; Batbayar invites councillors to events.',
  't-spaces': 'Children’s corners in both libraries. Quiet rooms are rare in Ulaanbaatar.',
  't-books': 'Both libraries run reading clubs for adults. We read the same novel in two languages.',
  't-moving': '',
};

/** The poster context of the seed. */
export const CTX: PosterContext = { partners: PARTNERS, clips: CLIPS, info: INFO };

/** The drafted outline, then edited the way the partners would: texts written, themes voted. */
export function seededOutline(): PosterOutline {
  const o = draftOutline({ info: INFO, partners: PARTNERS, topics: TOPICS, clips: CLIPS, notes: NOTES, now: NOW, channels: ['email', 'video calls'] });
  o.comparison.different = 'Batbayar’s library is almost three times larger, and winter shapes its opening hours.';
  o.viewChanged =
    'We both learned to show our value with stories, not only with numbers.\n\n- Ana will start a bilingual reading club.\n- Batbayar will invite councillors to the library.';
  o.difficultiesAndFuture = 'Six hours apart, we were rarely online together. We will keep reading one novel a season.';
  o.themes = [
    {
      ...proposeTheme({
        id: 'th-club',
        title: 'Book club for adults: exchanging culture through novels',
        proposedBy: BATBAYAR.id,
        keyPoints: ['Monthly meetings in both cities', 'One novel, two languages'],
        quotes: [quoteFromClip(CLIPS[0]!), { text: 'We read the same novel in two languages.', source: 'Our call, 12 March 2026' }],
        from: { kind: 'topic', id: 't-books' },
      }),
      votes: { [BATBAYAR.id]: 'agree', [ANA.id]: 'agree' },
    },
    // Pending: only the proposer agrees.
    proposeTheme({ id: 'th-spaces', title: 'Spaces for children', proposedBy: ANA.id, quotes: [quoteFromClip(CLIPS[1]!)] }),
    // Disputed: Batbayar is unsure.
    {
      ...proposeTheme({ id: 'th-council', title: 'Talking to the city council', proposedBy: ANA.id, quotes: [quoteFromClip(CLIPS[2]!)] }),
      votes: { [ANA.id]: 'agree', [BATBAYAR.id]: 'unsure' },
    },
    {
      ...proposeTheme({
        id: 'th-gateway',
        title: 'The library as the local gateway to knowledge',
        proposedBy: ANA.id,
        keyPoints: ['Lifelong learning for everyone'],
        quotes: [quoteFromClip(CLIPS[2]!)],
      }),
      votes: { [ANA.id]: 'agree', [BATBAYAR.id]: 'agree' },
    },
  ];
  o.sources = {
    clipIds: ['c-corner'],
    extra:
      'https://www.example.org/public-library-manifesto\nAmerican Library Association. (2019). Core values of librarianship. https://www.example.net/core-values',
  };
  return o;
}
