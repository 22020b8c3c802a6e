/**
 * Markdown exports: the poster (CommonMark + GFM tables) and a blog-post draft.
 * All text from the outline, profiles and clips is escaped, so nothing a web page or a peer
 * wrote can become a link, an image or raw HTML in the file.
 */
import type { PartnerProfile } from '../notebook/types';
import { inTextCitation } from './cite';
import { agreedThemes, libraryTypeLabel, outlinePartnerIds } from './draft';
import { cleanText, countWords, escapeMarkdown, splitBlocks } from './format';
import { type Block, type Run, buildPosterModel } from './model';
import type { PosterContext, PosterOutline } from '../notebook/poster/types';

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
const prompt = (text: string) => `[Write here: ${text}]`;

function para(text: string): string[] {
  return splitBlocks(text).map((b) => (b.kind === 'paragraph' ? escapeMarkdown(b.text) : b.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n')));
}

/** Words of a draft, not counting prompts and the word-count line. */
export function blogWordCount(markdown: string): number {
  return countWords(markdown.replace(/\[Write here:[^\]]*\]/g, '').replace(/^\[Word count:.*$/gm, ''));
}

/**
 * A blog-post draft in Markdown, following the programme's guidance: at least
 * {@link BLOG_MIN_WORDS} words, with each partner's name, country, library name and library
 * type. Built only from the outline: nothing is padded. Empty parts get clearly marked prompts
 * ("[Write here: …]"), and the last line counts the words and says how many are still needed.
 */
export function blogPostDraft(outline: PosterOutline, ctx: PosterContext): string {
  const m = buildPosterModel(outline, ctx);
  const ids = outlinePartnerIds(outline);
  const profiles = ids.map((id) => ctx.partners.find((p) => p.id === id)).filter((p): p is PartnerProfile => !!p);
  const out: string[] = [`# ${escapeMarkdown(m.title)}`];
  const byline = [m.partners.map((p) => p.name).join(' and '), cleanText(ctx.info?.programmeName ?? '').trim()].filter(Boolean).join(' · ');
  if (byline) out.push(`*${escapeMarkdown(byline)}*`);

  out.push('## Who we are');
  for (const p of profiles) {
    const facts = [p.country.trim(), p.libraryName.trim(), p.libraryType ? `${libraryTypeLabel(p.libraryType).toLowerCase()} library` : ''];
    const missing = [!facts[0] && 'your country', !facts[1] && 'your library’s name', !facts[2] && 'the type of library'].filter(Boolean);
    out.push(`**${escapeMarkdown(p.name.trim() || 'A partner')}** · ${facts.filter(Boolean).map(escapeMarkdown).join(' · ')}`.replace(/ · $/, ''));
    if (missing.length) out.push(prompt(`${missing.join(', ')} for ${p.name.trim() || 'this partner'} — the programme asks for them`));
    const lib = outline.libraries.find((l) => l.partnerId === p.id);
    out.push(...para(lib?.text ?? ''));
  }

  const sections: Array<[string, string, string]> = [
    ['What surprised us about each other’s libraries', [outline.comparison.different, outline.comparison.similar, outline.comparison.culturalExpectations].filter((t) => t.trim()).join('\n\n'), 'what is very different between your libraries, what is similar, and which expectations of libraries in each country surprised you (about 120 words)'],
    ['How our view of librarianship changed', outline.viewChanged, 'new practices or ideas you will bring home, what you now understand better about your own work, and an assumption that turned out wrong (about 120 words)'],
  ];
  for (const [h, text, ask] of sections) {
    out.push(`## ${h}`);
    const body = para(text);
    out.push(...(body.length ? body : [prompt(ask)]));
  }

  out.push('## The themes we chose together');
  const themes = agreedThemes(outline, ids);
  if (!themes.length) out.push(prompt('the themes you agreed on, and how you chose them together (about 100 words)'));
  for (const t of themes) {
    out.push(`### ${escapeMarkdown(t.title.trim() || 'Untitled theme')}`);
    const points = t.keyPoints.filter((k) => k.trim()).map((k) => `- ${escapeMarkdown(k.trim())}`);
    if (points.length) out.push(points.join('\n'));
    for (const q of t.quotes.filter((q) => q.text.trim())) {
      const clip = q.clipId ? ctx.clips.find((c) => c.id === q.clipId) : undefined;
      const cite = clip ? ` ${inTextCitation(clip, 'markdown', q.pages)}` : '';
      out.push(`> “${escapeMarkdown(q.text.trim())}”${cite}`);
    }
  }

  for (const [h, text, ask] of [
    ['How we worked together', outline.howWeWorked, 'how you kept in touch across time zones and what helped'],
    ['What comes next', outline.difficultiesAndFuture, 'what was difficult, and what you will do next or keep doing together (about 80 words)'],
  ] as const) {
    out.push(`## ${h}`);
    const body = para(text);
    out.push(...(body.length ? body : [prompt(ask)]));
  }

  let words = blogWordCount(out.join('\n\n'));
  if (words < BLOG_MIN_WORDS) {
    // Every section has material but the whole is short: ask for a story, the part readers remember.
    out.push('## A moment we will remember', prompt(`a conversation, a surprise or a small story from your partnership (about ${Math.max(50, BLOG_MIN_WORDS - words)} words)`));
    words = blogWordCount(out.join('\n\n'));
  }
  out.push(
    words >= BLOG_MIN_WORDS
      ? `[Word count: ${words} (the programme asks for at least ${BLOG_MIN_WORDS}). Delete this line before publishing.]`
      : `[Word count: ${words} of at least ${BLOG_MIN_WORDS}: ${BLOG_MIN_WORDS - words} more words needed. Delete this line before publishing.]`,
  );
  return `${out.join('\n\n')}\n`;
}
