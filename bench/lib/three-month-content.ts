// The three-month notebook's fixed content: partners, topics, sites, tags, sizes, and one clip's captured content.
import { countWords } from '../../lib/notebook';
import type { CapturedContent, ClipKind, LibraryType, PartnerProfile } from '../../lib/notebook/types';
import { article, EL, EN, esc, paragraph, type Rng, RU, sentence } from './three-month-text';

/** A partner's profile fields as the generator writes them, plus the site their clips come from. */
type SeedPartner = Pick<PartnerProfile, 'name' | 'color' | 'country' | 'city' | 'timeZone' | 'libraryName'> & { libraryType: LibraryType; site: string };

export const PARTNERS: SeedPartner[] = [
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

export const OWN_TOPICS = [
  { title: 'Library apps and e-lending', prompt: 'Which apps and e-lending services do our readers use, and what do they cost us?' },
  { title: 'Children’s reading clubs', prompt: 'How do we run reading clubs for children, and who leads them?' },
  { title: 'Working with volunteers', prompt: 'What do volunteers do in our libraries, and how do we keep them?' },
  { title: 'Digital literacy for seniors', prompt: 'What do older readers ask for help with, and who teaches them?' },
  { title: 'Local history collections', prompt: 'How do we collect, describe and show local history?' },
];

export const SITES = [
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
export const TAGS = [
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

export const DAY = 86_400_000;
/** A fixed "programme start" so that the bytes do not depend on the day the cache was made. */
export const START = Date.UTC(2026, 0, 12, 8, 0, 0);
export const SPAN_DAYS = 91;
export const TOPICS = 12;
export const CLIPS = 2_000;
export const LARGE_CLIPS = 20;
export const NOTE_WORDS = 3_000;

/** One clip's captured content, as lib/clip would produce it for that kind of clip. */
export function makeCaptured(r: Rng, kind: ClipKind, large: boolean, at: number): CapturedContent {
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
