/**
 * Markdown exports: the poster (CommonMark + GFM tables) and a blog-post draft.
 * All text from the outline, profiles and clips is escaped, so nothing a web page or a peer
 * wrote can become a link, an image or raw HTML in the file.
 */
import type { PartnerProfile } from '../notebook/types';
import { inTextCitation } from './cite';
import { agreedThemes, outlinePartnerIds } from './draft';
import { cleanText, countWords, escapeMarkdown, splitBlocks } from './format';
import { type Block, type Run, buildPosterModel } from './model';
import type { PosterContext, PosterOutline } from './types';
import { t, type Translate } from '../i18n';

function runMd(r: Run, first: boolean): string {
  const text = r.text;
  if (r.href) {
    // Autolink when the text is the address itself (the parser may have added a final slash).
    if (r.href === text || r.href === `${text}/`) return `<${r.href}>`;
    return `[${escapeMarkdown(text)}](<${r.href}>)`;
  }
  const leading = text.match(/^\s*/)![0];
  const trailing = text.slice(leading.length).match(/\s*$/)![0];
  const core = text.slice(leading.length, text.length - trailing.length);
  if (!core) return text ? ' ' : '';
  let esc = escapeMarkdown(core);
  // Line-start markers ("#", "1.") are only dangerous in the first run of a line.
  if (!first) esc = esc.replace(/^\\([#>+=-])/, '$1').replace(/^(\d+)\\([.)])/, '$1$2');
  if (r.bold) esc = `**${esc}**`;
  if (r.italic) esc = `*${esc}*`;
  return leading + esc + trailing;
}

/** Runs as one Markdown line. */
function runsMd(runs: Run[]): string {
  return runs.map((r, i) => runMd(r, i === 0)).join('');
}

const cell = (s: string) => escapeMarkdown(s) || ' ';

function blockMd(b: Block): string {
  switch (b.kind) {
    case 'subheading':
      return `### ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return runsMd(b.runs);
    case 'bullets':
      return b.items.map((i) => `- ${runsMd(i)}`).join('\n');
    case 'quote':
      return `> ${runsMd(b.runs)}${b.cite.length ? ` — ${b.cite.map((r) => runMd(r, false)).join('')}` : ''}`;
    case 'table': {
      const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
      return [row(b.header), `| ${b.header.map(() => '---').join(' | ')} |`, ...b.rows.map(row)].join('\n');
    }
  }
}

/**
 * The poster as Markdown: "# title", the subtitle in italics, then every section as "## heading"
 * in the programme's order (Our libraries, Comparing our libraries with a GFM table, How our
 * view of librarianship changed, Themes we chose together — agreed themes only, How we worked
 * together, Topics we discussed, Difficulties and the future, Sources, Contacts). Sections
 * nobody wrote show "*Not written yet.*". Ends with a newline.
 */
export function posterMarkdown(outline: PosterOutline, ctx: PosterContext): string {
  const m = buildPosterModel(outline, ctx);
  const out: string[] = [`# ${escapeMarkdown(m.title)}`];
  if (m.subtitle) out.push(`*${escapeMarkdown(m.subtitle)}*`);
  for (const s of m.sections) {
    out.push(`## ${escapeMarkdown(s.heading)}`);
    for (const b of s.blocks) out.push(blockMd(b));
  }
  return `${out.join('\n\n')}\n`;
}

/** The programme's minimum length of a blog post, in words. */
export const BLOG_MIN_WORDS = 500;

/** Marks a prompt for the writers; prompts are not counted as words. */
const prompt = (tr: Translate, text: string) => `[${tr('blog.writeHere')}: ${text}]`;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function para(text: string): string[] {
  return splitBlocks(text).map((b) => (b.kind === 'paragraph' ? escapeMarkdown(b.text) : b.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n')));
}

/** Words of a draft, not counting prompts and the word-count line. */
export function blogWordCount(markdown: string, tr: Translate = t): number {
  const write = new RegExp(`\\[${escapeRe(tr('blog.writeHere'))}:[^\\]]*\\]`, 'g');
  const count = new RegExp(`^\\[${escapeRe(tr('blog.wordCountLabel'))}:.*$`, 'gm');
  return countWords(markdown.replace(write, '').replace(count, ''));
}

/**
 * A blog-post draft in Markdown, following the programme's guidance: at least
 * {@link BLOG_MIN_WORDS} words, with each partner's name, country, library name and library
 * type. Built only from the outline: nothing is padded. Empty parts get clearly marked prompts
 * ("[Write here: …]"), and the last line counts the words and says how many are still needed.
 */
export function blogPostDraft(outline: PosterOutline, ctx: PosterContext): string {
  const tr = ctx.t ?? t;
  const ask = (text: string) => prompt(tr, text);
  const m = buildPosterModel(outline, ctx);
  const ids = outlinePartnerIds(outline);
  const profiles = ids.map((id) => ctx.partners.find((p) => p.id === id)).filter((p): p is PartnerProfile => !!p);
  const out: string[] = [`# ${escapeMarkdown(m.title)}`];
  const byline = [
    new Intl.ListFormat(tr('meta.locale'), { type: 'conjunction' }).format(m.partners.map((p) => p.name)),
    cleanText(ctx.info?.programmeName ?? '').trim(),
  ]
    .filter(Boolean)
    .join(' · ');
  if (byline) out.push(`*${escapeMarkdown(byline)}*`);

  out.push(`## ${tr('blog.whoWeAre')}`);
  for (const p of profiles) {
    const facts = [p.country.trim(), p.libraryName.trim(), p.libraryType ? tr(`blog.libraryType.${p.libraryType}`) : ''];
    const missing = [!facts[0] && tr('blog.yourCountry'), !facts[1] && tr('blog.yourLibraryName'), !facts[2] && tr('blog.typeOfLibrary')].filter(
      (x): x is string => !!x,
    );
    out.push(`**${escapeMarkdown(p.name.trim() || tr('poster.aPartner'))}** · ${facts.filter(Boolean).map(escapeMarkdown).join(' · ')}`.replace(/ · $/, ''));
    if (missing.length) out.push(ask(tr('blog.missingFacts', { facts: missing.join(', '), name: p.name.trim() || tr('blog.thisPartner') })));
    const lib = outline.libraries.find((l) => l.partnerId === p.id);
    out.push(...para(lib?.text ?? ''));
  }

  const sections: Array<[string, string, string]> = [
    [
      tr('blog.surprised'),
      [outline.comparison.different, outline.comparison.similar, outline.comparison.culturalExpectations].filter((x) => x.trim()).join('\n\n'),
      tr('blog.surprisedAsk'),
    ],
    [tr('poster.section.viewChanged'), outline.viewChanged, tr('blog.viewChangedAsk')],
  ];
  for (const [h, text, question] of sections) {
    out.push(`## ${h}`);
    const body = para(text);
    out.push(...(body.length ? body : [ask(question)]));
  }

  out.push(`## ${tr('blog.themes')}`);
  const themes = agreedThemes(outline, ids);
  if (!themes.length) out.push(ask(tr('blog.themesAsk')));
  for (const th of themes) {
    out.push(`### ${escapeMarkdown(th.title.trim() || tr('poster.untitledTheme'))}`);
    const points = th.keyPoints.filter((k) => k.trim()).map((k) => `- ${escapeMarkdown(k.trim())}`);
    if (points.length) out.push(points.join('\n'));
    for (const q of th.quotes.filter((q) => q.text.trim())) {
      const clip = q.clipId ? ctx.clips.find((c) => c.id === q.clipId) : undefined;
      const cite = clip ? ` ${inTextCitation(clip, 'markdown', q.pages)}` : '';
      out.push(`> “${escapeMarkdown(q.text.trim())}”${cite}`);
    }
  }

  for (const [h, text, question] of [
    [tr('poster.section.howWeWorked'), outline.howWeWorked, tr('blog.howWeWorkedAsk')],
    [tr('blog.whatNext'), outline.difficultiesAndFuture, tr('blog.whatNextAsk')],
  ] as const) {
    out.push(`## ${h}`);
    const body = para(text);
    out.push(...(body.length ? body : [ask(question)]));
  }

  let words = blogWordCount(out.join('\n\n'), tr);
  if (words < BLOG_MIN_WORDS) {
    // Every section has material but the whole is short: ask for a story, the part readers remember.
    out.push(`## ${tr('blog.moment')}`, ask(tr('blog.momentAsk', { count: Math.max(50, BLOG_MIN_WORDS - words) })));
    words = blogWordCount(out.join('\n\n'), tr);
  }
  out.push(
    words >= BLOG_MIN_WORDS
      ? `[${tr('blog.wordCountLabel')}: ${tr('blog.wordCountEnough', { words, min: BLOG_MIN_WORDS })}]`
      : `[${tr('blog.wordCountLabel')}: ${tr('blog.wordCountShort', { words, min: BLOG_MIN_WORDS, count: BLOG_MIN_WORDS - words })}]`,
  );
  return `${out.join('\n\n')}\n`;
}
