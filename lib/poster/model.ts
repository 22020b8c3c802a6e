/**
 * The poster as renderable blocks: one model that Markdown, HTML and PDF all draw, so the three
 * exports always show the same sections, in the same order, with the same words.
 */
import type { Clip, PartnerProfile } from '../notebook/types';
import { PERSON_COLORS, isSafeColor } from '../notebook/people';
import { type CitationPart, inTextCitationParts, sourcesList } from './cite';
import { agreedThemes, outlinePartnerIds } from './draft';
import { cleanText, isEmail, safeHttpUrl, splitBlocks } from './format';
import type { PosterContext, PosterOutline } from './types';
import { t, tEn, type Translate } from '../i18n';

/** A styled run of text inside a block. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  /** Muted (grey): placeholders like "Not written yet.". */
  muted?: boolean;
  /** A safe link target: http(s) or mailto:. */
  href?: string;
}

/** A block of a poster section. */
export type Block =
  | { kind: 'subheading'; text: string; color?: string }
  | { kind: 'paragraph'; runs: Run[] }
  /** `plain`: no bullet marks in HTML/PDF (hanging indent instead): references, contact lines. */
  | { kind: 'bullets'; items: Run[][]; plain?: boolean }
  | { kind: 'quote'; runs: Run[]; cite: Run[] }
  | { kind: 'table'; header: string[]; headerColors: string[]; rows: string[][] };

/** Ids of the poster sections, in the programme's order. */
export const SECTION_IDS = [
  'libraries',
  'comparison',
  'viewChanged',
  'themes',
  'howWeWorked',
  'topicsDiscussed',
  'difficultiesAndFuture',
  'sources',
  'contacts',
] as const;
/** One of {@link SECTION_IDS}. */
export type SectionId = (typeof SECTION_IDS)[number];

/** The heading of each section, as printed on the poster, in the language of `tr`. */
export function sectionHeading(id: SectionId, tr: Translate = t): string {
  return tr(`poster.section.${id}`);
}

/** The English headings (tests and the golden files compare with these). */
export const SECTION_HEADINGS = Object.fromEntries(SECTION_IDS.map((id) => [id, sectionHeading(id, tEn)])) as Record<SectionId, string>;

/** A section of the model. */
export interface ModelSection {
  id: SectionId;
  heading: string;
  blocks: Block[];
}

/** A partner as the renderers show them. */
export interface ModelPartner {
  id: string;
  name: string;
  /** A safe #rrggbb colour (the profile's, or a palette colour when the profile's is not safe). */
  color: string;
}

/** Everything a renderer draws. */
export interface PosterModel {
  title: string;
  subtitle: string;
  partners: ModelPartner[];
  sections: ModelSection[];
}

const placeholder = (text: string): Block => ({ kind: 'paragraph', runs: [{ text, italic: true, muted: true }] });

function textBlocks(text: string): Block[] {
  return splitBlocks(text).map((b) =>
    b.kind === 'paragraph' ? { kind: 'paragraph', runs: [{ text: b.text }] } : { kind: 'bullets', items: b.items.map((i) => [{ text: i }]) },
  );
}

const one = (s: string) => cleanText(s).replace(/\s+/g, ' ').trim();

const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};

/**
 * The colour, darkened until it has at least 3:1 contrast on white (WCAG AA for large text):
 * partner colours print as headings on a white poster, and a peer may have picked yellow.
 */
export function readableOnWhite(hex: string): string {
  let [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let c = hex.toLowerCase();
  for (let k = 0; k < 20 && 1.05 / (luminance(c) + 0.05) < 3; k++) {
    [r, g, b] = [r, g, b].map((v) => Math.round(v * 0.9)) as [number, number, number];
    c = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  }
  return c;
}

/** Partners in poster order (library blocks first, then any other profile), with safe colours. */
export function modelPartners(outline: PosterOutline, partners: PartnerProfile[]): ModelPartner[] {
  const ids = [...outlinePartnerIds(outline)];
  for (const p of partners) if (!ids.includes(p.id)) ids.push(p.id);
  return ids.map((id, i) => {
    const p = partners.find((x) => x.id === id);
    const contact = outline.contacts.find((c) => c.partnerId === id);
    const name = one(p?.name ?? '') || one(contact?.name ?? '') || `Partner ${i + 1}`;
    // A colour comes from a peer: only #rrggbb reaches CSS or the PDF.
    const color = readableOnWhite(p && isSafeColor(p.color) ? p.color.toLowerCase() : PERSON_COLORS[i % PERSON_COLORS.length]!);
    return { id, name, color };
  });
}

const fromCitation = (parts: CitationPart[]): Run[] =>
  parts.map((p) => ({ text: p.text, ...(p.italic ? { italic: true } : {}), ...(p.href ? { href: p.href } : {}) }));

/** Builds the render model of an outline. */
export function buildPosterModel(outline: PosterOutline, ctx: PosterContext): PosterModel {
  const partners = modelPartners(outline, ctx.partners);
  const partnerIds = outlinePartnerIds(outline);
  const tr = ctx.t ?? t;
  // Placeholder shown for a section nobody wrote yet: visible, so nobody submits a silent gap.
  const notWritten = tr('poster.notWritten');
  const nameOf = (id: string) => partners.find((p) => p.id === id)?.name ?? tr('poster.aPartner');
  const colorOf = (id: string) => partners.find((p) => p.id === id)?.color;
  const clips = new Map<string, Clip>(ctx.clips.map((c) => [c.id, c]));
  const sections: ModelSection[] = [];
  const add = (id: SectionId, blocks: Block[], empty = notWritten) =>
    sections.push({ id, heading: sectionHeading(id, tr), blocks: blocks.length ? blocks : [placeholder(empty)] });

  add(
    'libraries',
    outline.libraries.flatMap((l): Block[] => {
      const body = textBlocks(l.text);
      return [{ kind: 'subheading', text: nameOf(l.partnerId), color: colorOf(l.partnerId) }, ...(body.length ? body : [placeholder(notWritten)])];
    }),
  );

  const cmp: Block[] = [];
  const table = outline.comparison.table.filter((r) => one(r.label) || Object.values(r.values).some((v) => one(v)));
  if (table.length && partnerIds.length) {
    cmp.push({
      kind: 'table',
      header: ['', ...partnerIds.map(nameOf)],
      headerColors: ['', ...partnerIds.map((id) => colorOf(id) ?? '')],
      rows: table.map((r) => [
        one(r.label),
        ...partnerIds.map((id) => (Object.prototype.hasOwnProperty.call(r.values, id) ? one(r.values[id] ?? '') : '') || '–'),
      ]),
    });
  }
  for (const [label, text] of [
    [tr('poster.veryDifferent'), outline.comparison.different],
    [tr('poster.similar'), outline.comparison.similar],
    [tr('poster.culturalExpectations'), outline.comparison.culturalExpectations],
  ] as const) {
    const body = textBlocks(text);
    if (body.length) cmp.push({ kind: 'subheading', text: label }, ...body);
  }
  add('comparison', cmp);
  add('viewChanged', textBlocks(outline.viewChanged));

  add(
    'themes',
    agreedThemes(outline, partnerIds).flatMap((t): Block[] => {
      const blocks: Block[] = [{ kind: 'subheading', text: one(t.title) || tr('poster.untitledTheme') }];
      const points = t.keyPoints.map(one).filter(Boolean);
      if (points.length) blocks.push({ kind: 'bullets', items: points.map((p) => [{ text: p }]) });
      for (const q of t.quotes) {
        const text = one(q.text);
        if (!text) continue;
        const clip = q.clipId ? clips.get(q.clipId) : undefined;
        const cite: Run[] = clip ? fromCitation(inTextCitationParts(clip, q.pages)) : one(q.source ?? '') ? [{ text: one(q.source ?? '') }] : [];
        blocks.push({ kind: 'quote', runs: [{ text: `“${text}”` }], cite });
      }
      return blocks;
    }),
    tr('poster.noThemeAgreed'),
  );

  add('howWeWorked', textBlocks(outline.howWeWorked));
  add('topicsDiscussed', textBlocks(outline.topicsDiscussed));
  add('difficultiesAndFuture', textBlocks(outline.difficultiesAndFuture));

  const sources = sourcesList(outline, ctx.clips, partnerIds);
  add('sources', sources.length ? [{ kind: 'bullets', plain: true, items: sources.map((s) => fromCitation(s.parts)) }] : [], tr('poster.noSources'));

  add(
    'contacts',
    outline.contacts.flatMap((c): Block[] => {
      const lines: Run[][] = [];
      if (one(c.library)) lines.push([{ text: one(c.library) }]);
      if (isEmail(c.email)) lines.push([{ text: c.email.trim(), href: `mailto:${c.email.trim()}` }]);
      else if (one(c.email)) lines.push([{ text: one(c.email) }]);
      for (const link of [c.website, ...c.social]) {
        const t = one(link);
        if (!t) continue;
        const href = safeHttpUrl(t) ?? (/^[\w.-]+\.[a-z]{2,}(\/\S*)?$/i.test(t) ? safeHttpUrl(`https://${t}`) : undefined);
        lines.push([href ? { text: t, href } : { text: t }]);
      }
      return [
        { kind: 'subheading', text: one(c.name) || nameOf(c.partnerId), color: colorOf(c.partnerId) },
        ...(lines.length ? [{ kind: 'bullets', plain: true, items: lines } as Block] : []),
      ];
    }),
  );

  return { title: one(outline.title) || tr('poster.defaultTitle'), subtitle: one(outline.subtitle), partners, sections };
}

/** Plain text of runs. */
export function runsText(runs: Run[]): string {
  return runs.map((r) => r.text).join('');
}
