import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BLOG_MIN_WORDS, blogPostDraft, blogWordCount, posterMarkdown } from '../../../lib/poster/markdown';
import { SECTION_HEADINGS } from '../../../lib/poster/model';
import { makeCaptured } from '../factories';
import { CLIPS, CTX, makeClip, seededOutline } from './fixtures';

const GOLDEN = fileURLToPath(new URL('./golden/poster.md', import.meta.url));

describe('posterMarkdown', () => {
  it('matches the golden file for the seeded notebook (UPDATE_GOLDEN=1 rewrites it)', () => {
    const md = posterMarkdown(seededOutline(), CTX);
    if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN)) writeFileSync(GOLDEN, md);
    expect(md).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('has every section heading, in the programme order', () => {
    const md = posterMarkdown(seededOutline(), CTX);
    const headings = [...md.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(Object.values(SECTION_HEADINGS));
  });

  it('shows only agreed themes', () => {
    const md = posterMarkdown(seededOutline(), CTX);
    expect(md).toContain('### Book club for adults: exchanging culture through novels');
    expect(md).not.toContain('Spaces for children');
    expect(md).not.toContain('Talking to the city council');
  });

  it('marks empty sections instead of leaving silent gaps', () => {
    const o = seededOutline();
    o.viewChanged = '';
    o.themes = [];
    const md = posterMarkdown(o, CTX);
    expect(md).toMatch(/## How our view of librarianship changed\n\n\*Not written yet\.\*/);
    expect(md).toContain('*No theme agreed yet: a theme appears here once every partner agrees.*');
  });

  it('escapes hostile text so it cannot become HTML, images or links', () => {
    const o = seededOutline();
    o.title = '<img src=x onerror=alert(1)>';
    o.viewChanged = '![x](javascript:alert(1)) [click](javascript:alert(1)) # not a heading';
    o.comparison.table[0]!.label = 'a | b';
    const evil = makeClip({ id: 'evil', captured: makeCaptured({ title: '<img src=x onerror=alert(1)>', url: 'javascript:alert(1)' }) });
    o.sources.clipIds = ['evil'];
    const md = posterMarkdown(o, { ...CTX, clips: [...CLIPS, evil] });
    expect(md).toContain('# \\<img src=x onerror=alert(1)\\>');
    expect(md).not.toMatch(/(?<!\\)<img/);
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(md).not.toMatch(/<javascript:/);
    expect(md).toContain('| a \\| b |');
  });
});

describe('blogPostDraft', () => {
  it('names each partner with country, library name and library type', () => {
    const blog = blogPostDraft(seededOutline(), CTX);
    expect(blog).toContain('**Ana Kaladžija** · Bosnia and Herzegovina · Sarajevo City Library · public library');
    expect(blog).toContain('**Батбаяр Дорж** · Mongolia · Ulaanbaatar City Public Library · public library');
  });

  it('with short material: marked prompts and how many words are still needed, nothing padded', () => {
    const blog = blogPostDraft(seededOutline(), CTX);
    const words = blogWordCount(blog);
    expect(words).toBeLessThan(BLOG_MIN_WORDS);
    expect(blog).toContain('[Write here:');
    expect(blog).toContain(`[Word count: ${words} of at least ${BLOG_MIN_WORDS}: ${BLOG_MIN_WORDS - words} more words needed.`);
  });

  it('prompts for what is missing in a bare outline', () => {
    const o = seededOutline();
    Object.assign(o, { viewChanged: '', difficultiesAndFuture: '', themes: [] });
    o.comparison = { ...o.comparison, different: '', similar: '', culturalExpectations: '' };
    const blog = blogPostDraft(o, { ...CTX, partners: CTX.partners.map((p, i) => (i === 1 ? { ...p, libraryType: undefined } : p)) });
    expect(blog.match(/\[Write here:/g)!.length).toBeGreaterThanOrEqual(5);
    expect(blog).toContain('[Write here: the type of library for Батбаяр Дорж');
  });

  it('with enough material: at least 500 words and no prompts', () => {
    const o = seededOutline();
    const para = (topic: string) =>
      `When we talked about ${topic}, we found that our libraries answer the same needs in different ways. ` +
      'In Sarajevo the library is a meeting place for families after school, and in Ulaanbaatar it is a warm place in a long winter. ' +
      'We both keep figures for our city councils, but the stories of our readers convinced people more than any table. ';
    o.comparison.culturalExpectations = para('what people expect from a library') + para('silence and noise');
    o.viewChanged = para('our own work') + para('assumptions');
    o.difficultiesAndFuture = para('time zones') + para('what comes next');
    const blog = blogPostDraft(o, CTX);
    expect(blogWordCount(blog)).toBeGreaterThanOrEqual(BLOG_MIN_WORDS);
    expect(blog).not.toContain('[Write here:');
    expect(blog).toMatch(/\[Word count: \d+ \(the programme asks for at least 500\)/);
  });
});
