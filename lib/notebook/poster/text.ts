import * as Y from 'yjs';
import { LOCAL_ORIGIN, POSTER_TEXT_PREFIX, posterMap, write } from '../keys';
import { NotebookError } from '../parse';
import { skip } from '../problems';

// =============================================================================================
// Poster (issue 7) — everything below belongs to the poster outline the partners co-edit.
//
// Shape:
//   poster                 Y.Map   version, draftedAt, and flat keys:
//                                  `lib:<partnerId>`      → order of that partner's library block
//                                  `contact:<partnerId>`  → order of that partner's contact block
//                                  `row:<rowKey>`         → JSON {label, order}: a comparison row
//                                  `cell:<rowKey>:<pid>`  → string: one table cell
//                                  `source:<clipId>`      → true: a clip added to Sources
//   poster/themes          Y.Map<themeId, Y.Map>  title (Y.Text), points (Y.Array<Y.Text>),
//                                  quotes (Y.Array<JSON string>), votes (Y.Map<personId, vote>),
//                                  recordedBy (Y.Map<personId, personId>), proposedBy, from (JSON),
//                                  order, createdAt
//   poster/text/<field>    Y.Text  every free text (title, sections, library blocks, contacts)
//
// Why flat keys and root-level texts instead of nested maps: partners draft while offline. Two
// replicas that each create a nested Y.Text under the same key resolve last-writer-wins, and
// whatever the losing partner typed into it disappears. Root types merge by name and flat keys
// merge key by key, so concurrent drafting can at worst show a drafted sentence twice (visible,
// fixable), never drop what someone wrote. Themes have random ids, so their nested types are
// only ever created by one person.

/** Size bounds of poster fields, so one peer cannot bloat everyone's notebook. */
export const POSTER_LIMITS = {
  /** One free text (a section, a library block). */
  text: 20_000,
  /** A theme title, a key point, a table cell or label, a contact field. */
  short: 1_000,
  quote: 2_000,
  themes: 100,
  pointsPerTheme: 30,
  quotesPerTheme: 30,
  rows: 40,
} as const;

/** Free-text fields of the outline that are not per partner. */
export const POSTER_TEXT_FIELDS = [
  'title',
  'subtitle',
  'viewChanged',
  'howWeWorked',
  'topicsDiscussed',
  'difficultiesAndFuture',
  'comparison.different',
  'comparison.similar',
  'comparison.culturalExpectations',
  'sources.extra',
] as const;

/** Editable parts of a partner's contact block; `social` holds one link per line. */
export const CONTACT_FIELDS = ['name', 'library', 'email', 'website', 'social'] as const;
/** One of {@link CONTACT_FIELDS}. */
export type ContactField = (typeof CONTACT_FIELDS)[number];

/**
 * A collaborative text of the poster: a fixed field, a partner's library block
 * (`library:<partnerId>`) or a field of a partner's contact block (`contact:<partnerId>:<field>`).
 */
export type PosterTextField = (typeof POSTER_TEXT_FIELDS)[number] | `library:${string}` | `contact:${string}:${ContactField}`;

/** Sections that "Draft the poster" writes and that can be re-drafted one by one. */
export const DRAFTED_SECTIONS = ['heading', 'libraries', 'comparison', 'howWeWorked', 'topicsDiscussed', 'contacts'] as const;
/** One of {@link DRAFTED_SECTIONS}. */
export type DraftedSection = (typeof DRAFTED_SECTIONS)[number];

// Ids go into root-type names and flat keys: no separators, bounded, so a peer cannot forge keys.
export const safeKey = (s: string) => /^[A-Za-z0-9_-]{1,64}$/.test(s);

export function isPosterField(field: string): field is PosterTextField {
  if ((POSTER_TEXT_FIELDS as readonly string[]).includes(field)) return true;
  const lib = /^library:(.+)$/.exec(field);
  if (lib) return safeKey(lib[1]!);
  const c = /^contact:([^:]+):(.+)$/.exec(field);
  return !!c && safeKey(c[1]!) && (CONTACT_FIELDS as readonly string[]).includes(c[2]!);
}

export const fieldLimit = (field: PosterTextField) =>
  field.startsWith('contact:') || field === 'title' || field === 'subtitle' ? POSTER_LIMITS.short : POSTER_LIMITS.text;

/**
 * The smallest single edit that turns `from` into `to`: the common prefix and suffix stay, only
 * the middle is replaced. Applying only this to a Y.Text (instead of "delete all, insert all")
 * is what lets two partners type into the same field at once and both keep their words.
 * Never splits a surrogate pair, so an emoji is replaced whole.
 */
export function minimalTextEdit(from: string, to: string): { index: number; remove: number; insert: string } | null {
  if (from === to) return null;
  const max = Math.min(from.length, to.length);
  let start = 0;
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(from.charCodeAt(from.length - end))) end--;
  return { index: start, remove: from.length - start - end, insert: to.slice(start, to.length - end) };
}
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Makes `text` read `value` with a minimal edit (see {@link minimalTextEdit}).
 * `origin` lets a bound input recognise, and skip, the echo of its own change.
 */
export function applyTextEdit(text: Y.Text, value: string, origin: unknown = LOCAL_ORIGIN): void {
  const edit = minimalTextEdit(text.toString(), value);
  if (!edit) return;
  const apply = () => {
    if (edit.remove) text.delete(edit.index, edit.remove);
    if (edit.insert) text.insert(edit.index, edit.insert);
  };
  if (text.doc) text.doc.transact(apply, origin);
  else apply();
}

/** The collaborative text of a poster field, for binding to an input. Root-level: see the shape notes. */
export function posterText(doc: Y.Doc, field: PosterTextField): Y.Text {
  if (!isPosterField(field)) throw new NotebookError('That part of the poster does not exist. Reopen the Poster tab.');
  return doc.getText(POSTER_TEXT_PREFIX + field);
}

/** The current text of a poster field ('' when nobody wrote it), bounded. Reading never creates it. */
export function readPosterText(doc: Y.Doc, field: PosterTextField): string {
  const name = POSTER_TEXT_PREFIX + field;
  if (!isPosterField(field) || !doc.share.has(name)) return '';
  try {
    return doc.getText(name).toString().slice(0, fieldLimit(field));
  } catch {
    // The name is bound to another type on this replica (a bug or a hostile peer): read as empty.
    return skip<string>(doc, `poster/${field}`) ?? '';
  }
}

/** Replaces a poster field's text with `value`, as a minimal edit, so concurrent typing merges. */
export function setPosterText(doc: Y.Doc, field: PosterTextField, value: string, origin: unknown = LOCAL_ORIGIN): void {
  write(
    doc,
    () => {
      ensurePoster(doc);
      applyTextEdit(posterText(doc, field), value.slice(0, fieldLimit(field)), origin);
    },
    origin,
  );
}

/** Marks the poster as started (version 1); called inside a write. */
export function ensurePoster(doc: Y.Doc) {
  const p = posterMap(doc);
  if (p.get('version') !== 1) p.set('version', 1);
}

/** A quote's page or page range ("3", "3–4"), or undefined. */
export function quotePages(v: unknown): string | undefined {
  return typeof v === 'string' && /^\d{1,6}(–\d{1,6})?$/.test(v) ? v : undefined;
}
