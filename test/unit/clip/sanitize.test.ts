// Sanitiser tests: an XSS corpus must come out inert; URLs absolute; size bounds hold.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { sanitizeHtml, safeUrl } from '../../../lib/clip/sanitize.ts';
import { utf8ByteLength } from '../../../lib/clip/text.ts';
import { unsafeHtmlProblems } from './fixture-pages.ts';

const BASE = 'https://library.example.org/news/2024/story.html';
const { window } = new JSDOM('<!DOCTYPE html><html><body></body></html>', { url: BASE });
const win = window as unknown as Window;
const parseHtml = (html: string) => new JSDOM(html).window.document;
const clean = (html: string, opts?: Parameters<typeof sanitizeHtml>[3]) => sanitizeHtml(html, BASE, win, opts);

/** Payloads, each of which would set window.__xss if it ran. */
const XSS_CORPUS: [name: string, html: string][] = [
  ['script', '<p>hi</p><script>window.__xss=true</script>'],
  ['script with src', '<script src="https://evil.example/x.js"></script>'],
  ['img onerror', '<img src=x onerror="window.__xss=true">'],
  ['svg onload', '<svg onload="window.__xss=true"><circle r=1></svg>'],
  ['svg script', '<svg><script>window.__xss=true</script></svg>'],
  ['svg animate href', '<svg><a><animate attributeName=href values=javascript:window.__xss=true /><text y=10>x</text></a></svg>'],
  ['javascript href', '<a href="javascript:window.__xss=true">x</a>'],
  ['javascript href, entity-encoded tab', '<a href="jav&#x09;ascript:window.__xss=true">x</a>'],
  ['javascript href, upper case and spaces', '<a href="  JaVaScRiPt:window.__xss=true">x</a>'],
  ['vbscript href', '<a href="vbscript:msgbox(1)">x</a>'],
  ['data:text/html href', '<a href="data:text/html,<script>window.__xss=true</script>">x</a>'],
  ['data:text/html base64 href', '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9dHJ1ZTwvc2NyaXB0Pg==">x</a>'],
  ['data:image/svg+xml img', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ['iframe srcdoc', '<iframe srcdoc="<script>parent.__xss=true</script>"></iframe>'],
  ['iframe javascript src', '<iframe src="javascript:parent.__xss=true"></iframe>'],
  ['object data', '<object data="javascript:window.__xss=true"></object>'],
  ['embed src', '<embed src="javascript:window.__xss=true">'],
  ['style expression', '<p style="width:expression(window.__xss=true)">x</p>'],
  ['style url(javascript:)', '<div style="background:url(javascript:window.__xss=true)">x</div>'],
  ['style element', '<style>@import "javascript:window.__xss=true"; body{background:url(javascript:1)}</style><p>x</p>'],
  ['noscript mutation XSS', '<noscript><p title="</noscript><img src=x onerror=window.__xss=true>"></noscript>'],
  ['math mutation XSS', '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=true></style></mglyph></table></mtext></math>'],
  ['form action', '<form action="javascript:window.__xss=true"><input type=submit></form>'],
  ['button formaction', '<button formaction="javascript:window.__xss=true">go</button>'],
  ['input autofocus onfocus', '<input autofocus onfocus="window.__xss=true">'],
  ['details ontoggle', '<details open ontoggle="window.__xss=true"><summary>s</summary></details>'],
  ['body onload', '<body onload="window.__xss=true"><p>x</p></body>'],
  ['video source onerror', '<video><source onerror="window.__xss=true"></video>'],
  ['template script', '<template><script>window.__xss=true</script></template>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=true">'],
  ['base href', '<base href="javascript:/"><a href="x">x</a>'],
  ['link import', '<link rel="import" href="https://evil.example/x.html">'],
  ['a onclick', '<a href="/ok" onclick="window.__xss=true">ok</a>'],
  ['area javascript', '<map name=m><area href="javascript:window.__xss=true" shape=rect coords=0,0,1,1></map>'],
  ['attributes without spaces', '<img src=x alt="a"onerror=window.__xss=true>'],
  ['nested comment trick', '<!--<img src="--><img src=x onerror=window.__xss=true//">'],
  ['xlink href', '<svg><a xlink:href="javascript:window.__xss=true"><text>x</text></a></svg>'],
  ['DOM clobbering ids', '<form id="__xss"><input name="attributes"></form><img name="createElement">'],
];

describe('sanitizeHtml: XSS corpus', () => {
  it.each(XSS_CORPUS)('%s leaves nothing active', (_name, payload) => {
    const out = clean(payload).html;
    expect(unsafeHtmlProblems(out, parseHtml)).toEqual([]);
    expect(out).not.toMatch(/window\.__xss|parent\.__xss/);
    // No mutation: sanitising the output again changes nothing.
    expect(clean(out).html).toBe(out);
  });

  it('the checker is not vacuous: it flags every raw payload', () => {
    for (const [name, payload] of XSS_CORPUS) {
      expect(unsafeHtmlProblems(payload, parseHtml).length, name).toBeGreaterThan(0);
    }
  });

  it('does not run any payload when the result is rendered', () => {
    const all = XSS_CORPUS.map(([, html]) => html).join('\n');
    const out = clean(all).html;
    const page = new JSDOM(`<!DOCTYPE html><body>${out}</body>`, { runScripts: 'dangerously', url: BASE });
    expect((page.window as unknown as { __xss?: boolean }).__xss).toBeUndefined();
    page.window.close();
  });

  it('keeps ordinary content and a raster data: image', () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    const out = clean(`<h2>Opening hours</h2><p>Mon–Fri <strong>9–20</strong></p><img src="${png}" alt="dot">`).html;
    expect(out).toContain('<h2>Opening hours</h2>');
    expect(out).toContain('<strong>9–20</strong>');
    expect(out).toContain(png);
  });
});

describe('sanitizeHtml: URLs and links', () => {
  it('makes relative href and src absolute against the page URL', () => {
    const out = clean('<a href="../events/">Events</a><a href="/about">About</a><img src="img/a.png" alt=""><a href="#top">top</a>').html;
    const doc = parseHtml(out);
    const hrefs = Array.from(doc.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual([
      'https://library.example.org/news/events/',
      'https://library.example.org/about',
      'https://library.example.org/news/2024/story.html#top',
    ]);
    expect(doc.querySelector('img')?.getAttribute('src')).toBe('https://library.example.org/news/2024/img/a.png');
  });

  it('opens links in a new tab without opener or referrer', () => {
    const a = parseHtml(clean('<a href="https://example.org" target="_self" rel="opener">x</a>').html).querySelector('a');
    expect(a?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(a?.getAttribute('target')).toBe('_blank');
  });

  it('keeps mailto and tel links', () => {
    const out = clean('<a href="mailto:info@library.example.org">mail</a><a href="tel:+97611000000">call</a>').html;
    expect(out).toContain('href="mailto:info@library.example.org"');
    expect(out).toContain('href="tel:+97611000000"');
  });

  it('safeUrl rejects scripts however they are spelled', () => {
    for (const u of ['javascript:1', ' \tjavascript:1', 'java\nscript:1', 'JAVASCRIPT:1', 'vbscript:1', 'data:text/html,x', 'file:///etc/passwd']) {
      expect(safeUrl(u, BASE), u).toBeUndefined();
    }
    expect(safeUrl('data:image/gif;base64,R0lGODlhAQABAAAAACw=', BASE)).toBeUndefined(); // only for <img src>
    expect(safeUrl('data:image/gif;base64,R0lGODlhAQABAAAAACw=', BASE, true)).toMatch(/^data:image\/gif/);
  });
});

describe('sanitizeHtml: size bounds', () => {
  const paragraphs = Array.from({ length: 2000 }, (_, i) => `<p>Paragraph ${i} <a href="/p/${i}">link ${i}</a> ${'lorem ipsum '.repeat(8)}</p>`).join('');

  it('cuts at an element boundary, sets truncated, and stays valid HTML', () => {
    const res = clean(`<article><h1>Big</h1>${paragraphs}</article>`, { maxHtmlBytes: 20_000 });
    expect(res.truncated).toBe(true);
    expect(utf8ByteLength(res.html)).toBeLessThanOrEqual(20_000);
    expect(utf8ByteLength(res.html)).toBeGreaterThan(15_000);
    // Well-formed: parsing and re-serialising gives the same markup, every <p> is closed.
    const body = parseHtml(res.html).body;
    expect(body.innerHTML).toBe(res.html);
    expect(res.html.startsWith('<article><h1>Big</h1><p>Paragraph 0 ')).toBe(true);
    expect(res.html.endsWith('</article>')).toBe(true);
    expect(res.text.startsWith('Big')).toBe(true);
  });

  it('cuts a single huge text node inside its element', () => {
    const res = clean(`<p>${'word '.repeat(100_000)}</p>`, { maxHtmlBytes: 10_000 });
    expect(res.truncated).toBe(true);
    expect(utf8ByteLength(res.html)).toBeLessThanOrEqual(10_000);
    expect(res.html).toMatch(/^<p>(word )*word<\/p>$/);
  });

  it('bounds the text separately', () => {
    const res = clean(`<p>${'слово '.repeat(10_000)}</p>`, { maxTextBytes: 1000 });
    expect(res.truncated).toBe(true);
    expect(utf8ByteLength(res.text)).toBeLessThanOrEqual(1000);
  });

  it('does not flag small content', () => {
    expect(clean('<p>short</p>').truncated).toBe(false);
    expect(clean('')).toEqual({ html: '', text: '', truncated: false });
  });
});
