// The reader's sanitiser: kept images shown from the notebook, nothing remote unless asked;
// widths, table spans and link rel/target kept (they used to be stripped), still no script.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { hasRemoteImages, purifyForReader, readerDocument } from '../../../lib/clip/reader-html';
import { sanitizeHtml } from '../../../lib/clip/sanitize';
import type { CapturedContent } from '../../../lib/notebook/types';

const { window } = new JSDOM('<!DOCTYPE html><html><body></body></html>', { url: 'https://panel.example/' });
const win = window as unknown as Window & typeof globalThis;
const frag = (html: string) => JSDOM.fragment(`<div>${html}</div>`).firstElementChild!;

const PAGE =
  '<p><img src="https://lib.example.org/a.jpg" width="800" height="500" alt="Room"><img src="https://tracker.example/p.gif" alt=""></p>' +
  '<table><tr><th colspan="2" scope="col">Visits</th></tr><tr><td rowspan="2">2024</td><td>1</td></tr></table>' +
  '<a href="https://example.org/x" target="_self" rel="opener">link</a><a href="javascript:alert(1)">bad</a>';
const DATA = 'data:image/webp;base64,UklGRg==';

describe('purifyForReader', () => {
  it('keeps widths, heights, table spans, and links that open in a new tab without an opener', () => {
    const out = frag(purifyForReader(PAGE, win));
    expect(out.querySelector('img[alt="Room"]')!.getAttribute('width')).toBe('800');
    expect(out.querySelector('img[alt="Room"]')!.getAttribute('height')).toBe('500');
    expect(out.querySelector('th')!.getAttribute('colspan')).toBe('2');
    expect(out.querySelector('th')!.getAttribute('scope')).toBe('col');
    expect(out.querySelector('td')!.getAttribute('rowspan')).toBe('2');
    const a = out.querySelector('a[href="https://example.org/x"]')!;
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(out.innerHTML).not.toMatch(/javascript:/i);
  });
  it('drops relative and protocol-relative links, which would point into the extension', () => {
    const out = frag(purifyForReader('<a href="/sidepanel.html">a</a><a href="//evil.example/x">b</a><a href="#top">c</a><a href="mailto:a@b.org">d</a>', win));
    expect([...out.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([null, null, '#top', 'mailto:a@b.org']);
  });
  it('shows kept images from the notebook and loads no image from the web unless asked', () => {
    const kept = new Map([['https://lib.example.org/a.jpg', DATA]]);
    const out = frag(purifyForReader(PAGE, win, { kept }));
    expect(out.querySelector('img[alt="Room"]')!.getAttribute('src')).toBe(DATA);
    expect(out.querySelector('img[alt=""]')!.hasAttribute('src')).toBe(false);
    const allowed = frag(purifyForReader(PAGE, win, { kept, remote: true }));
    expect(allowed.querySelector('img[alt=""]')!.getAttribute('src')).toBe('https://tracker.example/p.gif');
  });
  it('never lets a clip carry its own data: or script URL into an image', () => {
    const out = frag(
      purifyForReader(
        '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x"><img src="javascript:alert(1)" alt="y"><video src="https://a/v.mp4" poster="https://a/p.jpg"></video>',
        win,
        { remote: true },
      ),
    );
    expect(out.querySelector('img[alt="x"]')!.hasAttribute('src')).toBe(false);
    expect(out.querySelector('img[alt="y"]')!.hasAttribute('src')).toBe(false);
    expect(out.querySelector('video')).toBeNull();
  });
  it('sets a CSP that forbids remote images unless the person allowed the site', () => {
    const c = { kind: 'page', title: 'T', url: 'https://lib.example.org/', html: PAGE } as CapturedContent;
    expect(readerDocument(c, win)).toContain('img-src data:;');
    expect(readerDocument(c, win, { remote: true })).toContain('img-src data: https: http:;');
    expect(hasRemoteImages(c, new Map([['https://lib.example.org/a.jpg', DATA]]))).toBe(true);
    expect(
      hasRemoteImages(
        c,
        new Map([
          ['https://lib.example.org/a.jpg', DATA],
          ['https://tracker.example/p.gif', DATA],
        ]),
      ),
    ).toBe(false);
  });
});

describe('sanitizeHtml (at capture) keeps what the reader shows', () => {
  it('keeps widths, heights and table spans; links get a new tab and no opener', () => {
    const { html } = sanitizeHtml(PAGE, 'https://lib.example.org/news', win as unknown as Window);
    const out = frag(html);
    expect(out.querySelector('img')!.getAttribute('width')).toBe('800');
    expect(out.querySelector('th')!.getAttribute('colspan')).toBe('2');
    expect(out.querySelector('td')!.getAttribute('rowspan')).toBe('2');
    expect(out.querySelector('a')!.getAttribute('target')).toBe('_blank');
    expect(out.querySelector('a')!.getAttribute('rel')).toBe('noopener noreferrer');
  });
});
