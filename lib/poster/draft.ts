/**
 * Drafts a poster outline from the notebook, and decides which themes the partners agreed on.
 *
 * Everything drafted here is a suggestion the partners then edit together: plain sentences
 * built only from facts the notebook holds (no invented figures, no "undefined"), left empty
 * where only the partners can write (what changed in their view, difficulties…).
 */
import { currentLocale, list, t, type Translate } from '../i18n';
import type { Clip, LibraryType, NotebookInfo, PartnerProfile, Topic } from '../notebook/types';
import { countWords, formatCount, formatDay, joinAnd, plural } from './format';
import type { ComparisonRow, PosterContact, PosterLibrary, PosterOutline, PosterTheme, ThemeOrigin, ThemeQuote } from '../notebook/poster/types';
import { isValidTimeZone, zoneOffset } from '../topics/time-zone';

/** What {@link draftOutline} drafts from: plain data read from the notebook. */
export interface DraftInput {
  info: NotebookInfo;
  partners: PartnerProfile[];
  topics: Topic[];
  clips: Clip[];
  /** Plain text of each topic's note, by topic id. */
  notes: Record<string, string>;
  /** The clock, as a parameter so drafts are reproducible (and time zones resolve at this moment). */
  now: number;
  /** How the partners kept in touch, e.g. ["email", "video calls"]; mentioned in "How we worked together". */
  channels?: string[];
}

const TYPE_PHRASE: Record<LibraryType, string> = {
  public: 'a public library',
  academic: 'an academic library',
  school: 'a school library',
  special: 'a special library',
  national: 'a national library',
  other: 'a library',
};

const TYPE_LABEL: Record<LibraryType, string> = {
  public: 'Public',
  academic: 'Academic',
  school: 'School',
  special: 'Special',
  national: 'National',
  other: 'Other',
};

/** "Public", "Academic"… for a library type; "" when unknown. */
export function libraryTypeLabel(type: LibraryType | undefined, tr: Translate = t): string {
  return type && TYPE_LABEL[type] ? tr(`libraryType.${type}`) : '';
}

/**
 * A partner's name as written in the profile. Deliberately the full name, not a guessed first
 * name: name order differs between cultures (family name first in Hungarian, Mongolian
 * patronymics, Chinese names), and a wrong guess on a public poster is worse than formality.
 */
function displayName(p: PartnerProfile): string {
  return p.name.trim() || 'A partner';
}

function place(p: PartnerProfile): string {
  return [p.city.trim(), p.country.trim()].filter(Boolean).join(', ');
}

const isCount = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/**
 * The drafted description of one partner's library, e.g. "Ana Kaladžija works at Sarajevo City
 * Library, a public library in Sarajevo, Bosnia and Herzegovina, founded in 1948, with 450 000
 * items, 30 000 registered users, 85 staff and 210 000 visits a year." Missing parts are left out.
 */
export function draftLibraryText(p: PartnerProfile): string {
  const name = displayName(p);
  const lib = p.libraryName.trim();
  const type = p.libraryType ? TYPE_PHRASE[p.libraryType] : undefined;
  const where = place(p);
  let s: string;
  if (lib) s = `${name} works at ${lib}` + (type ? `, ${type}` : '') + (where ? ` in ${where}` : '');
  else if (type) s = `${name} works at ${type}` + (where ? ` in ${where}` : '');
  else if (where) s = `${name} works at a library in ${where}`;
  else s = `${name} is a librarian`;
  const f = p.facts ?? {};
  if (isCount(f.founded) && f.founded > 0) s += `, founded in ${Math.round(f.founded)}`;
  const figures: string[] = [];
  if (isCount(f.collectionSize)) figures.push(plural(f.collectionSize, 'item'));
  if (isCount(f.registeredUsers)) figures.push(plural(f.registeredUsers, 'registered user'));
  if (isCount(f.staff)) figures.push(`${formatCount(f.staff)} ${f.staff === 1 ? 'staff member' : 'staff'}`);
  if (isCount(f.yearlyVisits)) figures.push(`${plural(f.yearlyVisits, 'visit')} a year`);
  if (figures.length) s += `, with ${joinAnd(figures)}`;
  return `${s}.`;
}

/**
 * The side-by-side table: library, type, country, founded, collection, registered users,
 * staff and visits a year. Counts use {@link formatCount} (fixed thin-space grouping, not the
 * reader's locale, so both partners export the same poster); a missing figure is simply absent
 * from `values` and renders as a dash.
 */
export function draftComparisonTable(partners: PartnerProfile[], tr: Translate = t): ComparisonRow[] {
  const row = (label: string, get: (p: PartnerProfile) => string | undefined): ComparisonRow => {
    const values: Record<string, string> = {};
    for (const p of partners) {
      const v = get(p)?.trim();
      if (v) values[p.id] = v;
    }
    return { label, values };
  };
  const count = (n: number | undefined) => (isCount(n) ? formatCount(n) : undefined);
  return [
    // Row labels are drafted in the panel's language; partners may edit them like any cell.
    row(tr('draft.row.library'), (p) => p.libraryName),
    row(tr('draft.row.type'), (p) => libraryTypeLabel(p.libraryType, tr)),
    row(tr('draft.row.country'), (p) => p.country),
    row(tr('draft.row.founded'), (p) => (isCount(p.facts?.founded) && p.facts.founded > 0 ? String(Math.round(p.facts.founded)) : undefined)),
    row(tr('draft.row.collection'), (p) => count(p.facts?.collectionSize)),
    row(tr('draft.row.registeredUsers'), (p) => count(p.facts?.registeredUsers)),
    row(tr('draft.row.staff'), (p) => count(p.facts?.staff)),
    row(tr('draft.row.visits'), (p) => count(p.facts?.yearlyVisits)),
  ];
}

/** Minutes east of UTC of an IANA zone at `at`, or undefined for an unknown zone (the sentence is then left out rather than guessed). */
export function utcOffsetMinutes(timeZone: string, at: number): number | undefined {
  return isValidTimeZone(timeZone) ? Math.round(zoneOffset(timeZone, at) / 60_000) : undefined;
}

function hoursText(minutes: number): string {
  const h = minutes / 60;
  const s = Number.isInteger(h) ? String(h) : h.toFixed(minutes % 30 === 0 ? 1 : 2);
  return `${s} ${h === 1 ? 'hour' : 'hours'}`;
}

const liveClips = (clips: Clip[]) => clips.filter((c) => c.deletedAt === undefined);

function topicHasMaterial(t: Topic, clips: Clip[], notes: Record<string, string>): boolean {
  return countWords(notes[t.id] ?? '') > 0 || clips.some((c) => c.topicId === t.id);
}

/** The drafted "How we worked together" text: counts, places, time zones and channels. */
export function draftHowWeWorked(input: DraftInput): string {
  const clips = liveClips(input.clips);
  const discussed = input.topics.filter((t) => !t.archived && topicHasMaterial(t, clips, input.notes));
  const words = Object.entries(input.notes)
    .filter(([id]) => input.topics.some((t) => t.id === id))
    .reduce((n, [, text]) => n + countWords(text), 0);
  const sentences: string[] = [];

  const starts = [input.info.programmeStart, ...input.topics.map((t) => t.start), ...clips.map((c) => c.clippedAt)].filter(
    (t): t is number => typeof t === 'number' && t <= input.now,
  );
  const start = input.info.programmeStart ?? (starts.length ? Math.min(...starts) : undefined);
  const weeks = start === undefined ? 0 : Math.round((input.now - start) / (7 * 86_400_000));
  const did = `we discussed ${plural(discussed.length, 'topic')}, saved ${plural(clips.length, 'clip')} and wrote ${plural(words, 'word')} of notes together`;
  sentences.push(
    weeks >= 1 && start !== undefined
      ? `Over ${plural(weeks, 'week')}, from ${formatDay(start)} to ${formatDay(input.now)}, ${did}.`
      : `${did[0]!.toUpperCase()}${did.slice(1)}.`,
  );

  const byPerson = input.partners.map((p) => ({ p, n: clips.filter((c) => c.clippedBy.id === p.id).length })).filter((x) => x.n > 0);
  if (byPerson.length > 1) sentences.push(`${joinAnd(byPerson.map(({ p, n }) => `${displayName(p)} saved ${plural(n, 'clip')}`))}.`);

  const located = input.partners.filter((p) => place(p));
  if (located.length) {
    const where = located.map((p) => `${displayName(p)} ${located.length > 1 ? 'was' : 'is'} in ${place(p)}${p.timeZone ? ` (${p.timeZone})` : ''}`);
    // Past tense for the group reads naturally on a poster shown after the programme.
    let s = located.length > 1 ? joinAnd(where.map((w, i) => (i === 0 ? w : w.replace(' was in ', ' in ')))) : where[0]!;
    const offsets = input.partners.map((p) => utcOffsetMinutes(p.timeZone, input.now)).filter((o): o is number => o !== undefined);
    if (offsets.length >= 2) {
      const spread = Math.max(...offsets) - Math.min(...offsets);
      if (spread === 0) s += ': the same time zone';
      else s += `: ${offsets.length > 2 ? 'up to ' : ''}${hoursText(spread)} apart, so we mostly worked asynchronously in our shared notebook`;
    }
    sentences.push(`${s}.`);
  }

  const channels = (input.channels ?? []).map((c) => c.trim()).filter(Boolean);
  if (channels.length) sentences.push(`We kept in touch by ${joinAnd(channels)}.`);
  return sentences.join(' ');
}

/** The drafted "Topics we discussed" list: non-archived topics with notes or clips, in list order. */
export function draftTopicsDiscussed(input: Pick<DraftInput, 'topics' | 'clips' | 'notes'>): string {
  const clips = liveClips(input.clips);
  return [...input.topics]
    .filter((t) => !t.archived && topicHasMaterial(t, clips, input.notes))
    .sort((a, b) => a.order - b.order)
    .map((t) => {
      const n = clips.filter((c) => c.topicId === t.id).length;
      const w = countWords(input.notes[t.id] ?? '');
      const what = [n ? plural(n, 'clip') : '', w ? `${plural(w, 'word')} of notes` : ''].filter(Boolean).join(', ');
      const kind = t.kind === 'programme' ? 'programme topic' : 'our own topic';
      const when = t.start !== undefined ? `, from ${formatDay(t.start)}` : '';
      return `- ${t.title.trim() || 'Untitled topic'} (${kind}${when}): ${what}`;
    })
    .join('\n');
}

/**
 * Drafts a whole outline from the notebook. Drafted: title, subtitle, one library block per
 * partner, the comparison table (and a "similar"/"different" sentence about library types),
 * how we worked together, topics discussed and contacts. Left empty for the partners: view
 * changed, cultural expectations, difficulties and future. Themes start empty: they are chosen
 * together with {@link proposeTheme} and votes.
 */
export function draftOutline(input: DraftInput): PosterOutline {
  const partners = input.partners;
  const names = partners.map(displayName);
  const places = partners.map((p) => p.city.trim() || p.country.trim()).filter(Boolean);
  const libraries: PosterLibrary[] = partners.map((p) => ({ partnerId: p.id, text: draftLibraryText(p) }));
  const types = partners.map((p) => p.libraryType);
  let similar = '';
  let different = '';
  if (partners.length > 1 && types.every((t) => t && t === types[0]) && types[0] !== 'other') {
    similar = `${partners.length === 2 ? 'We both' : 'We all'} work in ${types[0]} libraries.`;
  } else if (partners.length > 1 && types.every(Boolean) && new Set(types).size > 1) {
    different = `${joinAnd(partners.map((p) => `${displayName(p)} works in ${TYPE_PHRASE[p.libraryType!]}`))}.`;
  }
  const contacts: PosterContact[] = partners.map((p) => ({
    partnerId: p.id,
    name: p.name.trim(),
    library: p.libraryName.trim(),
    email: p.email.trim(),
    website: p.website.trim(),
    social: (p.social ?? []).map((s) => s.trim()).filter(Boolean),
  }));
  return {
    version: 1,
    draftedAt: input.now,
    title: places.length
      ? t('draft.title', { places: currentLocale() === 'en' ? joinAnd(places) : list(places) })
      : input.info.title.trim() || t('poster.defaultTitle'),
    subtitle: [joinAnd(names), input.info.programmeName.trim()].filter(Boolean).join(' · '),
    libraries,
    comparison: { different, similar, culturalExpectations: '', table: draftComparisonTable(partners) },
    viewChanged: '',
    themes: [],
    howWeWorked: draftHowWeWorked(input),
    topicsDiscussed: draftTopicsDiscussed(input),
    difficultiesAndFuture: '',
    sources: { clipIds: [], extra: '' },
    contacts,
  };
}

/** A new theme proposal; the proposer's agreement is recorded as their vote. */
export function proposeTheme(input: {
  id: string;
  title: string;
  proposedBy: string;
  keyPoints?: string[];
  quotes?: ThemeQuote[];
  from?: ThemeOrigin;
}): PosterTheme {
  return {
    id: input.id,
    title: input.title,
    keyPoints: input.keyPoints ?? [],
    quotes: input.quotes ?? [],
    votes: { [input.proposedBy]: 'agree' },
    proposedBy: input.proposedBy,
    ...(input.from ? { from: input.from } : {}),
  };
}

/** A quote taken from a clip: the selected words for a selection clip, else its excerpt or title. */
export function quoteFromClip(clip: Clip, maxChars = 300, passage?: { text: string; pages: string }): ThemeQuote {
  const c = clip.captured;
  // A passage the person picked in a PDF (with its pages) is the quote.
  if (passage) {
    const text = passage.text.replace(/\s+/g, ' ').trim();
    return { text: text.length > maxChars ? `${text.slice(0, maxChars).replace(/\s+\S*$/, '')}…` : text, clipId: clip.id, pages: passage.pages };
  }
  let text = (c.anchor?.exact || c.excerpt || c.text || c.title || '').replace(/\s+/g, ' ').trim();
  if (text.length > maxChars) text = `${text.slice(0, maxChars).replace(/\s+\S*$/, '')}…`;
  return { text, clipId: clip.id };
}

/** Agreement state of a theme among the partners. */
export type ThemeAgreement = 'agreed' | 'pending' | 'disputed';

function voteOf(theme: PosterTheme, personId: string): 'agree' | 'unsure' | undefined {
  const v = Object.prototype.hasOwnProperty.call(theme.votes ?? {}, personId) ? theme.votes[personId] : undefined;
  if (v === 'agree' || v === 'unsure') return v;
  // Proposing is agreeing, unless the proposer later changed their vote to "unsure".
  return personId === theme.proposedBy ? 'agree' : undefined;
}

/**
 * 'agreed' when every partner agrees (the proposer counts as agreeing), 'disputed' when any
 * partner is unsure, else 'pending'. Votes of people who are not partners are ignored; with no
 * partners nothing can be agreed.
 */
export function themeAgreement(theme: PosterTheme, partnerIds: readonly string[]): ThemeAgreement {
  if (!partnerIds.length) return 'pending';
  const votes = partnerIds.map((id) => voteOf(theme, id));
  if (votes.includes('unsure')) return 'disputed';
  return votes.every((v) => v === 'agree') ? 'agreed' : 'pending';
}

/** The themes every partner agreed on, in outline order: the only ones that reach the poster. */
export function agreedThemes(outline: PosterOutline, partnerIds: readonly string[]): PosterTheme[] {
  return outline.themes.filter((t) => themeAgreement(t, partnerIds) === 'agreed');
}

/** Partner ids of an outline, in poster order (its library blocks). */
export function outlinePartnerIds(outline: PosterOutline): string[] {
  return outline.libraries.map((l) => l.partnerId);
}
