/**
 * Domain types of a Partner Notebook. Plain TypeScript: no Yjs here.
 * Every date is epoch milliseconds. The files of lib/notebook (behind index.ts; `keys.ts` names the roots) map these onto the Y.Doc.
 */

/** Kind of a discussion topic: sent by the programme's organisers, or chosen by the partners. */
export type TopicKind = 'programme' | 'own';

/** Kinds of library a partner can work in (the programme matches partners by these). */
export const LIBRARY_TYPES = ['public', 'academic', 'school', 'special', 'national', 'other'] as const;
/** One of {@link LIBRARY_TYPES}. */
export type LibraryType = (typeof LIBRARY_TYPES)[number];

/** What the notebook is about: one notebook per partnership. */
export interface NotebookInfo {
  /** Shown in the switcher, e.g. "Ana & Batbayar". */
  title: string;
  /** The mentoring programme, e.g. "International Librarians Network, spring round". */
  programmeName: string;
  /** When the programme started (epoch ms), if known. */
  programmeStart?: number;
  /** When the poster must be submitted (epoch ms), if known. */
  posterDeadline?: number;
}

/** A discussion topic. Its note body lives apart (a Y.XmlFragment per topic). */
export interface Topic {
  /** Stable random id. */
  id: string;
  /** Short title, e.g. "Library Spaces". */
  title: string;
  /** The organisers' prompt or the partners' own question. */
  prompt: string;
  /** Sent by the programme, or the partners' own. */
  kind: TopicKind;
  /** First day of the fortnight this topic is discussed in (epoch ms). */
  start?: number;
  /** Last moment of that fortnight (epoch ms). */
  end?: number;
  /** Position in the list; fractional so that concurrent reorders merge. */
  order: number;
  /** Hidden from the main list but kept with all its material. */
  archived: boolean;
  /** When it was created (epoch ms). */
  createdAt: number;
}

/** How a clip was taken. */
export type ClipKind = 'page' | 'selection' | 'link' | 'image' | 'pdf';

/** Where each page of a clipped PDF starts in its text, for page numbers in search, quotes and citations. */
export interface PdfPages {
  /** Pages in the file. */
  pageCount: number;
  /** Offset in `text` where page n + 1 starts, ascending; as many as pages were read (fewer than `pageCount` when cut). */
  pageStarts: number[];
}

/** The person who did something, as recorded in the notebook. */
export interface PersonRef {
  /** The person's stable id (their partner profile id). */
  id: string;
  /** Their name at the time. */
  name: string;
}

/**
 * What was captured from the page. Immutable after capture: stored as plain strings,
 * never as collaborative text (one item instead of thousands; loading stays fast).
 */
export interface CapturedContent {
  kind: ClipKind;
  /** Address of the page the clip came from. */
  url: string;
  /** The page's canonical address, when it declares one. */
  canonicalUrl?: string;
  title: string;
  siteName?: string;
  byline?: string;
  /** Publication time (epoch ms), when the page says. */
  publishedTime?: number;
  /** BCP 47 language tag, e.g. "mn" or "en-US". */
  lang?: string;
  /** Text direction. */
  dir?: 'ltr' | 'rtl';
  /** Description or first lines. */
  excerpt?: string;
  /** Absolute URL of the lead image. */
  leadImage?: string;
  /** Absolute URL of the favicon. */
  favicon?: string;
  /** Sanitised readable HTML (the article, or the selection). */
  html?: string;
  /** Plain text of the same. */
  text?: string;
  wordCount?: number;
  /** For selection clips: a little text before and after, to find the quote again. */
  anchor?: { prefix: string; exact: string; suffix: string };
  /** For link clips: where the link points. */
  linkUrl?: string;
  /** For image clips: the image address. */
  imageUrl?: string;
  /** For image clips: the alt text. */
  imageAlt?: string;
  /** schema.org data found on the page (Library, Organization…), as JSON text. */
  structuredData?: string;
  /** For PDF clips: where each page starts in `text`. */
  pdf?: PdfPages;
  /** True when the content was cut to the size bound. */
  truncated?: boolean;
}

/** A clip in the notebook: captured content plus what partners change about it. */
export interface Clip {
  id: string;
  /** The topic it belongs to. */
  topicId: string;
  /** Tags, sorted, unique. */
  tags: string[];
  /** A partner's comment on it. */
  comment: string;
  clippedBy: PersonRef;
  /** When it was clipped (epoch ms). */
  clippedAt: number;
  /** Soft delete, so "Undo" can bring it back and peers converge. */
  deletedAt?: number;
  captured: CapturedContent;
}

/** Figures about a library, as the poster asks for them. All optional; numbers are counts. */
export interface LibraryFacts {
  /** Year founded. */
  founded?: number;
  collectionSize?: number;
  registeredUsers?: number;
  staff?: number;
  yearlyVisits?: number;
}

/** One partner's profile: who they are and their library. */
export interface PartnerProfile {
  /** The person's stable id (same as their local identity id). */
  id: string;
  name: string;
  /** CSS colour for their cursor and poster accents, e.g. "#1f77b4". */
  color: string;
  country: string;
  city: string;
  /** IANA time zone, e.g. "Asia/Ulaanbaatar". */
  timeZone: string;
  libraryName: string;
  libraryType?: LibraryType;
  facts: LibraryFacts;
  website: string;
  email: string;
  /** Social links, one URL each. */
  social: string[];
}
