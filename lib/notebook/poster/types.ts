/**
 * The poster outline the partners co-edit, and what the renderers need besides it.
 *
 * Plain, JSON-friendly data: every editable text is a plain string here so that the notebook
 * schema can store it as a collaborative Y.Text; lists are plain arrays; no Yjs, no classes.
 * Multi-line texts follow one tiny convention that every renderer understands (see
 * `splitBlocks` in `format.ts`): a blank line starts a new paragraph and lines that begin
 * with "- " or "• " are bullet items. That way partners can write lists in a plain text field
 * without learning Markdown, and the PDF needs no Markdown parser.
 */
import type { Clip, NotebookInfo, PartnerProfile } from '../types';

/** One partner's library, as described on the poster. */
export interface PosterLibrary {
  /** The partner this block is about (a {@link PartnerProfile} id). */
  partnerId: string;
  /** Editable description; drafted from the profile. */
  text: string;
}

/** One row of the side-by-side comparison table. */
export interface ComparisonRow {
  /** Row label, e.g. "Founded". */
  label: string;
  /** Cell text per partner id; a missing or empty value shows as a dash. */
  values: Record<string, string>;
}

/** The comparison of the partners' library experiences. */
export interface PosterComparison {
  /** What is very different. */
  different: string;
  /** What is similar. */
  similar: string;
  /** Cultural expectations of libraries the partnership uncovered. */
  culturalExpectations: string;
  /** Side-by-side figures; drafted from the profiles, editable. */
  table: ComparisonRow[];
}

/** A partner's vote on a proposed theme. */
export type ThemeVote = 'agree' | 'unsure';

/** A quote pulled into a theme, usually from a clip. */
export interface ThemeQuote {
  /** The quoted words. */
  text: string;
  /** The clip it comes from; the citation and the Sources entry are derived from it. */
  clipId?: string;
  /** Free-text source when the quote is not from a clip (e.g. "Conversation, 12 March"). */
  source?: string;
  /** For a quote from a PDF: its page or page range, "3" or "3–4" (cited as p. 3 / pp. 3–4). */
  pages?: string;
}

/** Where a proposed theme came from, so the UI can link back to the material. */
export interface ThemeOrigin {
  kind: 'topic' | 'clip' | 'note';
  id: string;
}

/** A theme that arose from the conversations; shown on the poster only when all partners agree. */
export interface PosterTheme {
  /** Stable id. */
  id: string;
  /** E.g. "Book club for adults: exchanging culture through novels". */
  title: string;
  /** Short points, one string each. */
  keyPoints: string[];
  /** Quotes with their sources. */
  quotes: ThemeQuote[];
  /** Vote per person id. The proposer counts as agreeing unless they voted otherwise. */
  votes: Record<string, ThemeVote>;
  /** Person id of who proposed it. */
  proposedBy: string;
  /** The material it was proposed from. */
  from?: ThemeOrigin;
}

/** Sources shown on the poster besides those cited by quotes. */
export interface PosterSources {
  /** Clips the partners added as sources explicitly (quoted clips are added automatically). */
  clipIds: string[];
  /** Other references typed by hand, one per line, shown as written. */
  extra: string;
}

/** One partner's contact block; drafted from the profile, editable. */
export interface PosterContact {
  partnerId: string;
  name: string;
  library: string;
  email: string;
  website: string;
  /** Social links, one URL each. */
  social: string[];
}

/** The poster outline: everything the poster shows, in the programme's order. */
export interface PosterOutline {
  /** Outline format version, for future migrations. */
  version: 1;
  /** When the outline was drafted (epoch ms). */
  draftedAt: number;
  title: string;
  subtitle: string;
  /** One block per partner, in poster order. */
  libraries: PosterLibrary[];
  comparison: PosterComparison;
  /** How the partners' view of librarianship changed. */
  viewChanged: string;
  /** Proposed themes; only agreed ones reach the poster. */
  themes: PosterTheme[];
  howWeWorked: string;
  topicsDiscussed: string;
  difficultiesAndFuture: string;
  sources: PosterSources;
  contacts: PosterContact[];
}

/** What renderers need besides the outline: who the partners are and the clips quotes cite. */
export interface PosterContext {
  /** Partner profiles (names, colours, countries, library names). */
  partners: PartnerProfile[];
  /** The notebook's clips (deleted ones are ignored). */
  clips: Clip[];
  /** The notebook, for the blog draft's programme name and PDF metadata. */
  info?: NotebookInfo;
}

/** Poster sizes the exporters know. */
export type PosterSize = '48x36in-landscape' | 'A0-portrait' | 'A1-portrait';

/** Options shared by the HTML and PDF exporters. */
export interface PosterRenderOptions {
  size: PosterSize;
}
