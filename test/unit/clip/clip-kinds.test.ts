// Selection, link and image clips, structured data, the e2e fixture pages, and bad input.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractPage, extractSelection, imageClip, linkClip } from '../../../lib/clip/extract.ts';
import { unsafeHtmlProblems } from './fixture-pages.ts';

const URL_ = 'https://library.example.mn/news/2024/childrens-reading-room?ref=home';
const parseHtml = (html: string) => new JSDOM(html).window.document;
const load = (html: string, url = URL_) => new JSDOM(html, { url }).window.document;
const e2eFixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../../e2e/fixtures', name), 'utf8');

const ARTICLE = `<!DOCTYPE html><html lang="mn"><head><title>Шинэ уншлагын танхим | Номын сан</title>
<meta property="og:site_name" content="Номын сан"></head><body>
<h1>Шинэ уншлагын танхим</h1>
<p>First paragraph about the library and its many readers.</p>
<p>The new reading room <b>opened on Monday</b> with four thousand picture books for children.</p>
<script>var hidden = "opened on Monday";</script>
<p>Story hours are on Saturdays <a href="/events" onclick="x()">see events</a>.</p>
</body></html>`;

describe('extractSelection', () => {
  it('keeps sanitised HTML, text, metadata and an anchor from a DOM range', () => {
    const doc = load(ARTICLE);
    const b = doc.querySelector('b')!;
    const range = doc.createRange();
    range.setStart(b.previousSibling!, 'The new reading room '.length); // just before <b>
    range.setEnd(doc.querySelectorAll('p')[1]!.lastChild!, ' with four thousand'.length);

    const clip = extractSelection(doc, URL_, range);
    expect(clip.kind).toBe('selection');
    expect(clip.text).toBe('opened on Monday with four thousand');
    expect(clip.html).toBe('<b>opened on Monday</b> with four thousand');
    expect(clip.anchor).toEqual({
      prefix: 'y readers. The new reading room ',
      exact: 'opened on Monday with four thousand',
      suffix: ' picture books for children. Sto',
    });
    expect(clip.anchor!.prefix.length).toBeLessThanOrEqual(32);
    expect(clip.anchor!.suffix.length).toBe(32);
    expect(clip.title).toBe('Шинэ уншлагын танхим');
    expect(clip.siteName).toBe('Номын сан');
    expect(clip.lang).toBe('mn');
    expect(clip.wordCount).toBe(6);
  });

  it('sanitises a selection that spans a link with a handler', () => {
    const doc = load(ARTICLE);
    const range = doc.createRange();
    range.selectNodeContents(doc.querySelectorAll('p')[2]!);
    const clip = extractSelection(doc, URL_, range);
    expect(unsafeHtmlProblems(clip.html!, parseHtml)).toEqual([]);
    expect(clip.html).toContain('href="https://library.example.mn/events"');
  });

  it('finds the anchor from {html, text} when there is no range (script text ignored)', () => {
    const doc = load(ARTICLE);
    const clip = extractSelection(doc, URL_, { html: '<b>opened on Monday</b><img src=x onerror=alert(1)>', text: 'opened  on\nMonday' });
    expect(clip.text).toBe('opened on\nMonday'); // the caller's line breaks are kept in text
    expect(clip.html).toBe('<b>opened on Monday</b><img src="https://library.example.mn/news/2024/x">');
    expect(clip.anchor?.exact).toBe('opened on Monday');
    expect(clip.anchor?.prefix.endsWith('The new reading room ')).toBe(true);
    expect(clip.anchor?.suffix.startsWith(' with four thousand')).toBe(true);
  });

  it('gives empty context when the quote is not on the page', () => {
    const clip = extractSelection(load(ARTICLE), URL_, { html: '', text: 'not on the page' });
    expect(clip.anchor).toEqual({ prefix: '', exact: 'not on the page', suffix: '' });
  });
});

describe('linkClip and imageClip', () => {
  it('keeps an absolute link address, its text and the page metadata', () => {
    const clip = linkClip(load(ARTICLE), URL_, { href: '../events/?day=sat', text: '  Story hours\n on Saturday ' });
    expect(clip).toMatchObject({
      kind: 'link',
      url: URL_,
      linkUrl: 'https://library.example.mn/news/events/?day=sat',
      text: 'Story hours on Saturday',
      title: 'Шинэ уншлагын танхим',
      favicon: 'https://library.example.mn/favicon.ico',
    });
  });

  it('drops javascript: and data: link addresses but keeps mailto', () => {
    const doc = load(ARTICLE);
    expect(linkClip(doc, URL_, { href: 'javascript:alert(1)', text: 'x' }).linkUrl).toBeUndefined();
    expect(linkClip(doc, URL_, { href: 'data:text/html,<script>alert(1)</script>' }).linkUrl).toBeUndefined();
    expect(linkClip(doc, URL_, { href: 'mailto:info@library.example.mn' }).linkUrl).toBe('mailto:info@library.example.mn');
  });

  it('keeps an absolute image address and its alt text', () => {
    const clip = imageClip(load(ARTICLE), URL_, { src: '/images/room.jpg', alt: 'Reading room' });
    expect(clip).toMatchObject({
      kind: 'image',
      imageUrl: 'https://library.example.mn/images/room.jpg',
      imageAlt: 'Reading room',
      title: 'Шинэ уншлагын танхим',
    });
    expect(imageClip(load(ARTICLE), URL_, { src: 'javascript:alert(1)' }).imageUrl).toBeUndefined();
  });
});

describe('structured data', () => {
  it('keeps name, address, openingHours and telephone of a JSON-LD Library', () => {
    const doc = load(`<html><head><title>Library</title><script type="application/ld+json">
      {"@context":"https://schema.org","@type":"Library","name":"Darkhan Public Library",
       "address":{"@type":"PostalAddress","streetAddress":"1 Example St","addressLocality":"Darkhan","addressCountry":"MN"},
       "openingHours":"Mo-Fr 09:00-18:00","telephone":"+976 70 000 000","url":"https://darkhan.example.mn/",
       "aggregateRating":{"ratingValue":5},"@id":"#lib"}
    </script></head><body><p>Welcome</p></body></html>`);
    const data = JSON.parse(extractPage(doc, URL_).structuredData!);
    expect(data).toEqual([
      {
        '@type': 'Library',
        name: 'Darkhan Public Library',
        address: { '@type': 'PostalAddress', streetAddress: '1 Example St', addressLocality: 'Darkhan', addressCountry: 'MN' },
        openingHours: 'Mo-Fr 09:00-18:00',
        telephone: '+976 70 000 000',
        url: 'https://darkhan.example.mn/',
      },
    ]);
  });

  it('reads microdata LocalBusiness and @graph members', () => {
    const doc = load(`<html><head><script type="application/ld+json">
      {"@graph":[{"@type":"WebSite","name":"x"},{"@type":["Organization"],"name":"Friends of the Library","telephone":"123"}]}
      </script></head><body>
      <div itemscope itemtype="https://schema.org/LocalBusiness"><span itemprop="name">Book Café</span>
        <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress"><span itemprop="addressLocality">Erdenet</span></div>
        <meta itemprop="openingHours" content="Mo-Su 10:00-22:00"><a itemprop="telephone" href="tel:+976">+976 99</a></div>
      </body></html>`);
    const data = JSON.parse(extractPage(doc, URL_).structuredData!);
    expect(data).toEqual([
      { '@type': ['Organization'], name: 'Friends of the Library', telephone: '123' },
      {
        '@type': 'LocalBusiness',
        name: 'Book Café',
        address: { '@type': 'PostalAddress', addressLocality: 'Erdenet' },
        openingHours: 'Mo-Su 10:00-22:00',
        telephone: 'tel:+976',
      },
    ]);
  });

  it('survives broken JSON-LD', () => {
    const doc = load('<script type="application/ld+json">{"@type":"Library", name: oops</script><p>Text</p>');
    expect(() => extractPage(doc, URL_)).not.toThrow();
    expect(extractPage(doc, URL_).structuredData).toBeUndefined();
  });
});

describe('e2e fixture pages', () => {
  it('library-page.html: metadata, article and Library data', () => {
    const url = 'http://127.0.0.1:8080/news/2024/childrens-reading-room.html';
    const clip = extractPage(load(e2eFixture('library-page.html'), url), url);
    expect(clip).toMatchObject({
      title: "New Children's Reading Room Opens",
      siteName: 'Ulaanbaatar City Public Library',
      byline: 'Oyunchimeg Batbayar',
      publishedTime: Date.parse('2024-09-02T10:00:00+08:00'),
      lang: 'en',
      dir: 'ltr',
      leadImage: 'http://127.0.0.1:8080/images/reading-room.jpg',
      favicon: 'http://127.0.0.1:8080/static/favicon-32.png',
      canonicalUrl: 'http://127.0.0.1:8080/news/2024/childrens-reading-room',
      truncated: false,
    });
    expect(clip.text).toContain('circular reading corner');
    expect(clip.html).toContain('href="https://partner-library.example.org/exchange"');
    expect(clip.html).toContain('src="http://127.0.0.1:8080/images/reading-room.jpg"');
    const [library] = JSON.parse(clip.structuredData!);
    expect(library).toMatchObject({
      '@type': 'Library',
      telephone: '+976 11 000 0000',
      address: { addressLocality: 'Ulaanbaatar', postalCode: '15160' },
      openingHours: ['Mo-Fr 09:00-20:00', 'Sa 10:00-17:00'],
    });
  });

  it('xss-page.html: the article survives, no payload does', () => {
    const url = 'http://127.0.0.1:8080/news/summer-reading.html';
    const clip = extractPage(load(e2eFixture('xss-page.html'), url), url);
    expect(clip.title).toBe('Summer Reading Challenge 2024: the results');
    expect(clip.text).toContain('1,214 children');
    expect(unsafeHtmlProblems(clip.html!, parseHtml)).toEqual([]);
    expect(clip.html).not.toMatch(/__xss/);
    // Selections and the whole body, not only Readability's article, are sanitised too.
    const doc = load(e2eFixture('xss-page.html'), url);
    const range = doc.createRange();
    range.selectNodeContents(doc.querySelector('article')!);
    const sel = extractSelection(doc, url, range);
    expect(unsafeHtmlProblems(sel.html!, parseHtml)).toEqual([]);
    expect(sel.html).not.toMatch(/__xss/);
  });
});

describe('bad input degrades, never throws', () => {
  it('no <title>: title from host and path', () => {
    const clip = extractPage(load('<p>Just text</p>', 'https://library.example.mn/a/b/'), 'https://library.example.mn/a/b/');
    expect(clip.title).toBe('library.example.mn/a/b');
    expect(clip.favicon).toBe('https://library.example.mn/favicon.ico');
    expect(clip.text).toBe('Just text');
  });

  it('empty document and a document without a body', () => {
    expect(extractPage(load(''), URL_).title).toBe('library.example.mn/news/2024/childrens-reading-room');
    const xml = new JSDOM('<root><item>x</item></root>', { contentType: 'application/xml', url: URL_ }).window.document;
    expect(xml.body).toBeNull();
    const clip = extractPage(xml, URL_);
    expect(clip.kind).toBe('page');
    expect(clip.html).toBe('');
    expect(() => extractSelection(xml, URL_, { html: '<b>x</b>', text: 'x' })).not.toThrow();
  });

  it('a document without a window keeps text but no HTML', () => {
    const { window } = new JSDOM('');
    const doc = new window.DOMParser().parseFromString('<title>T</title><p>Body <b>text</b></p>', 'text/html');
    // jsdom gives DOMParser documents no defaultView, like browsers do.
    expect(doc.defaultView).toBeNull();
    const clip = extractPage(doc, URL_);
    expect(clip.title).toBe('T');
    expect(clip.html).toBe('');
    expect(clip.text).toContain('Body text');
  });

  it('huge page: bounded HTML and text, truncated flag', () => {
    const paragraphs = Array.from({ length: 4000 }, (_, i) => `<p>Paragraph ${i}: ${'книга библиотека '.repeat(20)}</p>`).join('');
    const doc = load(`<title>Huge</title><article>${paragraphs}</article>`);
    const clip = extractPage(doc, URL_, { maxHtmlBytes: 100_000 });
    expect(clip.truncated).toBe(true);
    expect(new TextEncoder().encode(clip.html).length).toBeLessThanOrEqual(100_000);
    expect(parseHtml(clip.html!).body.innerHTML).toBe(clip.html);
  });

  it('odd characters, lone surrogates and junk metadata', () => {
    const doc = load(`<html lang="!!" dir="sideways"><head><title>\u0000Tab\tle \uD800 ok</title>
      <meta property="article:published_time" content="0000-00-00"><link rel="icon" href="javascript:alert(1)">
      <link rel="canonical" href="data:text/html,x"></head><body><p>\uFFFD\u202E text</p></body></html>`);
    const clip = extractPage(doc, URL_);
    expect(clip.lang).toBeUndefined();
    expect(clip.dir).toBeUndefined();
    expect(clip.publishedTime).toBeUndefined();
    expect(clip.canonicalUrl).toBeUndefined();
    expect(clip.favicon).toBe('https://library.example.mn/favicon.ico');
    expect(clip.title).toContain('ok');
  });

  it('infers rtl from an Arabic-script language with no dir attribute', () => {
    const clip = extractPage(load('<html lang="fa"><title>کتابخانه</title><body><p>متن</p></body></html>'), URL_);
    expect(clip.dir).toBe('rtl');
  });

  it('counts words in text without spaces', () => {
    const clip = extractPage(load('<title>t</title><article><p>图书馆今天开放了新的儿童阅览室。</p></article>'), URL_);
    expect(clip.wordCount).toBeGreaterThan(3);
  });
});
