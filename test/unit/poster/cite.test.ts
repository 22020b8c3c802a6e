import { apaAuthor, apaAuthorList, citeClip, inTextCitation, sourcesList, splitByline } from '../../../lib/poster/cite';
import { makeCaptured } from '../factories';
import { CLIPS, makeClip, seededOutline } from './fixtures';

const clip = (captured: Parameters<typeof makeCaptured>[0], over: Parameters<typeof makeClip>[0] = { id: 'c' }) =>
  makeClip({ ...over, captured: makeCaptured(captured) });

describe('citeClip (APA 7)', () => {
  it('cites a complete page: author, full date, italic title, site, URL', () => {
    const c = clip({
      byline: 'Ana Kaladžija',
      publishedTime: Date.UTC(2026, 1, 20),
      title: 'Our new children’s corner',
      siteName: 'Sarajevo City Library',
      url: 'https://library.example.ba/news/corner',
    });
    expect(citeClip(c)).toBe('Kaladžija, A. (2026, February 20). Our new children’s corner. Sarajevo City Library. https://library.example.ba/news/corner');
    expect(citeClip(c, 'markdown')).toBe(
      'Kaladžija, A. (2026, February 20). *Our new children’s corner*. Sarajevo City Library. <https://library.example.ba/news/corner>',
    );
    expect(citeClip(c, 'html')).toBe(
      'Kaladžija, A. (2026, February 20). <i>Our new children’s corner</i>. Sarajevo City Library. <a href="https://library.example.ba/news/corner">https://library.example.ba/news/corner</a>',
    );
  });

  it('uses (n.d.) and a retrieval date only when the page has no date', () => {
    expect(citeClip(CLIPS[0]!)).toBe(
      'Dorj, B. (n.d.). Reading club for adults. Ulaanbaatar City Public Library. Retrieved March 3, 2026, from https://library.example.mn/news/reading-club',
    );
  });

  it('uses the site name as author and does not repeat it', () => {
    const c = clip({ byline: undefined, siteName: 'IFLA', title: 'Manifesto', publishedTime: Date.UTC(2022, 6, 18), url: 'https://example.org/m' });
    expect(citeClip(c)).toBe('IFLA. (2022, July 18). Manifesto. https://example.org/m');
    expect(inTextCitation(c)).toBe('(IFLA, 2022)');
  });

  it('cites a PDF as a report (year only) and its quotes with their pages', () => {
    const c = clip({
      kind: 'pdf',
      byline: 'Batbayar Dorj',
      publishedTime: Date.UTC(2024, 2, 15),
      title: 'Annual Report 2024',
      siteName: 'library.example.mn',
      url: 'https://library.example.mn/r.pdf',
    });
    expect(citeClip(c)).toBe('Dorj, B. (2024). Annual Report 2024. library.example.mn. https://library.example.mn/r.pdf');
    expect(inTextCitation(c, 'text', '3')).toBe('(Dorj, 2024, p. 3)');
    expect(inTextCitation(c, 'text', '3–4')).toBe('(Dorj, 2024, pp. 3–4)');
    expect(citeClip(clip({ kind: 'pdf', title: '', siteName: undefined, byline: undefined, url: 'https://x.example/r.pdf' }))).toMatch(
      /^\[Untitled document\]/,
    );
  });

  it('moves the title to the author position when there is neither author nor site', () => {
    const c = clip({ byline: undefined, siteName: undefined, title: 'Opening hours', url: 'https://example.org/hours' });
    expect(citeClip(c, 'markdown')).toBe('*Opening hours*. (n.d.). Retrieved March 3, 2026, from <https://example.org/hours>');
    expect(inTextCitation(c, 'markdown')).toBe('(*Opening hours*, n.d.)');
  });

  it('handles multiple authors, organisations, particles, suffixes and inverted bylines', () => {
    expect(splitByline('By Ana Kaladžija, Batbayar Dorj and Jane Q. Public')).toEqual(['Ana Kaladžija', 'Batbayar Dorj', 'Jane Q. Public']);
    expect(splitByline('Dorj, Batbayar')).toEqual(['Dorj, Batbayar']);
    expect(apaAuthor('Dorj, Batbayar')).toBe('Dorj, B.');
    expect(apaAuthor('Ludwig van Beethoven')).toBe('van Beethoven, L.');
    expect(apaAuthor('Martin Luther King Jr.')).toBe('King, M. L., Jr.');
    expect(apaAuthor('Jean-Paul Sartre')).toBe('Sartre, J.-P.');
    expect(apaAuthor('Батбаяр Дорж')).toBe('Дорж, Б.');
    expect(apaAuthor('Ulaanbaatar City Public Library')).toBe('Ulaanbaatar City Public Library');
    expect(apaAuthor('Plato')).toBe('Plato');
    expect(apaAuthorList(['A', 'B', 'C'])).toBe('A, B, & C');
    expect(apaAuthorList(['A', 'B'])).toBe('A, & B');
    const many = Array.from({ length: 22 }, (_, i) => `A${i}`);
    expect(apaAuthorList(many)).toBe(`${many.slice(0, 19).join(', ')}, . . . A21`);
    const c = clip({ byline: 'Ana Kaladžija; Batbayar Dorj & Jane Doe', publishedTime: Date.UTC(2025, 0, 5), title: 'Three of us', siteName: 'Blog' });
    expect(citeClip(c)).toMatch(/^Kaladžija, A., Dorj, B., & Doe, J. \(2025, January 5\)\. Three of us\. Blog\. https:/);
    expect(inTextCitation(c)).toBe('(Kaladžija et al., 2025)');
    expect(inTextCitation(clip({ byline: 'Ana Kaladžija and Batbayar Dorj' }))).toBe('(Kaladžija & Dorj, n.d.)');
  });

  it('copes with odd clips: no title, image, link clip, bad dates, unsafe URLs, punctuation', () => {
    expect(citeClip(clip({ title: '', byline: undefined, siteName: undefined, url: 'https://example.org/x' }))).toBe(
      '[Untitled web page]. (n.d.). Retrieved March 3, 2026, from https://example.org/x',
    );
    expect(citeClip(clip({ kind: 'image', title: 'Reading room', byline: undefined, siteName: 'Library', publishedTime: Date.UTC(2024, 4, 1) }))).toBe(
      'Library. (2024, May 1). Reading room [Image]. https://library.example.mn/news/reading-club',
    );
    expect(citeClip(clip({ kind: 'link', linkUrl: 'https://other.example/target', title: 'A link' }))).toContain('https://other.example/target');
    expect(citeClip(clip({ publishedTime: Number.NaN }))).toContain('(n.d.)');
    const hostile = citeClip(clip({ url: 'javascript:alert(1)', title: 'Why?', byline: undefined, siteName: undefined }));
    expect(hostile).toBe('Why? (n.d.).');
    expect(hostile).not.toContain('javascript');
    expect(citeClip(clip({ title: 'Ends with a period.', siteName: 'Site.' }))).toContain('Ends with a period. Site. Retrieved');
    expect(citeClip(clip({ url: 'https://example.org/x', canonicalUrl: 'https://example.org/canonical' }))).toContain('https://example.org/canonical');
  });

  it('escapes titles for Markdown and HTML', () => {
    const c = clip({ title: '<img src=x onerror=alert(1)> *bold* [link](javascript:x)', byline: 'A & B <script>' });
    const html = citeClip(c, 'html');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const md = citeClip(c, 'markdown');
    expect(md).toContain('*\\<img src=x onerror=alert(1)\\> \\*bold\\* \\[link\\](javascript:x)*');
  });
});

describe('sourcesList', () => {
  it('takes quoted clips of agreed themes plus explicit sources, de-duplicated by URL, sorted', () => {
    const list = sourcesList(seededOutline(), CLIPS);
    expect(list.map((s) => s.text.slice(0, 20))).toEqual(['American Library Ass', 'Dorj, B. (n.d.). Rea', 'IFLA. (2022, July 18', 'Kaladžija, A. (2026,']);
    // The hand-typed manifesto URL duplicates the clip's (trailing slash aside): one entry, from the clip.
    expect(list.filter((s) => s.url?.includes('manifesto'))).toHaveLength(1);
    expect(list.find((s) => s.url?.includes('manifesto'))!.clipId).toBe('c-manifesto');
    // Clips only quoted in pending or disputed themes are not sources.
    expect(list.some((s) => s.clipId === 'c-old')).toBe(false);
  });

  it('skips missing clips and de-duplicates two clips of one page', () => {
    const o = seededOutline();
    o.sources.clipIds = ['missing', 'c-club', 'c-club-again'];
    const again = makeClip({ id: 'c-club-again', captured: makeCaptured({ url: 'https://library.example.mn/news/reading-club#part-2' }) });
    const list = sourcesList(o, [...CLIPS, again]);
    expect(list.filter((s) => s.url?.includes('reading-club'))).toHaveLength(1);
  });
});
