import { posterHtml } from '../../../lib/poster/html';
import { SECTION_HEADINGS } from '../../../lib/poster/model';
import type { PosterSize } from '../../../lib/poster/types';
import { makeCaptured } from '../factories';
import { CLIPS, CTX, PARTNERS, makeClip, seededOutline } from './fixtures';

function hostile() {
  const o = seededOutline();
  const evil = makeClip({
    id: 'evil',
    captured: makeCaptured({
      title: '<img src=x onerror=alert(1)>',
      url: 'javascript:alert(1)',
      siteName: '<script>alert(2)</script>',
      byline: '" onmouseover="alert(3)',
    }),
  });
  o.sources.clipIds = ['evil'];
  o.title = '</title><script>alert(4)</script>';
  o.contacts[0]!.website = 'javascript:alert(5)';
  o.contacts[0]!.social = ['data:text/html,<script>alert(6)</script>', 'https://ok.example/@ana'];
  o.themes[0]!.quotes.push({ text: '<b onclick=alert(7)>quote</b>', clipId: 'evil' });
  const partners = PARTNERS.map((p, i) => (i === 0 ? { ...p, color: 'red;background:url(https://evil.example/x)', name: 'Ana <img src=x>' } : p));
  return posterHtml(o, { ...CTX, partners, clips: [...CLIPS, evil] }, { size: 'A1-portrait' });
}

describe('posterHtml', () => {
  it('is a complete document with every section, sized for print, multi-column', () => {
    const html = posterHtml(seededOutline(), CTX, { size: '48x36in-landscape' });
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('@page { size: 48in 36in; margin: 0; }');
    expect(html).toContain('column-count: 4');
    for (const h of Object.values(SECTION_HEADINGS)) expect(html).toContain(`<h2>${h}</h2>`);
    expect(html).toContain('style="color:#c2410c">Ana Kaladžija</h3>');
    expect(html).toContain('<i>Reading club for adults</i>');
    expect(html).toContain('<a href="mailto:ana@library.example.ba">');
  });

  it.each<[PosterSize, string, string]>([
    ['A0-portrait', '841mm 1189mm', 'column-count: 3'],
    ['A1-portrait', '594mm 841mm', 'column-count: 3'],
  ])('sizes %s', (size, page, cols) => {
    const html = posterHtml(seededOutline(), CTX, { size });
    expect(html).toContain(`size: ${page}`);
    expect(html).toContain(cols);
  });

  it('has no scripts, no event handlers and no remote resources', () => {
    const html = hostile();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b onclick/i);
    expect(html).not.toMatch(/\son\w+="/i);
    expect(html).not.toMatch(/(src|href)="(?!https?:|mailto:)/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toContain('evil.example');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  });

  it('escapes hostile text and links only http(s) and mailto addresses', () => {
    const html = hostile();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;</title>');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/href="data:/i);
    expect(html).toContain('javascript:alert(5)'); // shown as text, not a link
    expect(html).toContain('<a href="https://ok.example/@ana">');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(3);
    for (const h of hrefs) expect(h).toMatch(/^(https?:\/\/|mailto:)/);
    // An unsafe colour from a peer is replaced by a palette colour.
    expect(html).not.toContain('red;background');
  });
});
