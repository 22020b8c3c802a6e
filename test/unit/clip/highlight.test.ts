// Text-quote anchoring on a changed page, the per-page index of passages, and placing them.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { anchorForRange, findAnchor, pageText } from '../../../lib/clip/anchor';
import { buildHighlightIndex, pageKey, passagesFor, siteOf } from '../../../lib/clip/highlight-index';
import { placePassages } from '../../../lib/clip/highlight-page';
import { makeCaptured } from '../factories';
import { makeClip } from '../poster/fixtures';

const doc = (body: string) => new JSDOM(`<!doctype html><body>${body}</body>`).window.document;

describe('text-quote anchoring', () => {
  it('finds a clipped quote again, across elements and changed spacing', () => {
    const before = doc('<p>Opening hours: <b>open   until</b> midnight on Fridays.</p>');
    const range = before.createRange();
    const p = before.querySelector('p')!;
    range.setStart(p.firstChild!, 15);
    range.setEnd(p.lastChild!, 9);
    const anchor = anchorForRange(before, range)!;
    expect(anchor.exact).toBe('open until midnight');
    const after = doc('<div><span>Opening hours:</span>\n <em>open until</em>\n midnight on Fridays.</div>');
    const page = pageText(after);
    const at = findAnchor(page, anchor)!;
    expect(page.range(at.start, at.end).toString().replace(/\s+/g, ' ')).toBe('open until midnight');
  });

  it('uses prefix and suffix to pick the right one of several occurrences', () => {
    const page = pageText(doc('<p>Story hour for children. Later: story hour for parents. Then story hour for teens.</p>'));
    const at = findAnchor(page, { prefix: 'Later: ', exact: 'story hour', suffix: ' for parents' })!;
    expect(page.text.slice(at.start, at.end + 12)).toBe('story hour for parents');
    expect(findAnchor(page, { prefix: '', exact: 'not on this page', suffix: '' })).toBeUndefined();
    // Case is forgiven when the exact words are not there.
    expect(findAnchor(page, { prefix: '', exact: 'STORY HOUR FOR TEENS', suffix: '' })).toBeDefined();
  });
});

describe('the passages index', () => {
  const sel = (id: string, over: Parameters<typeof makeCaptured>[0], comment = '') =>
    makeClip({ id, comment, captured: makeCaptured({ kind: 'selection', ...over }) });

  it('keys pages without fragments, tracking parameters or trailing slashes', () => {
    expect(pageKey('https://Library.example.mn/news/?utm_source=x&b=2&a=1#top')).toBe('https://library.example.mn/news?a=1&b=2');
    expect(pageKey('javascript:alert(1)')).toBeUndefined();
    expect(siteOf('https://library.example.mn/a/b')).toBe('https://library.example.mn');
  });

  it('holds selection clips with their quote, clipper and comment, by page and canonical address, and nothing else', () => {
    const clips = [
      sel(
        'a',
        {
          url: 'https://lib.example/news?utm_medium=mail',
          canonicalUrl: 'https://lib.example/news/',
          anchor: { prefix: 'p', exact: 'Open late', suffix: 's' },
        },
        'Ask about staff',
      ),
      sel('b', { url: 'https://lib.example/other', anchor: { prefix: '', exact: 'Elsewhere', suffix: '' } }),
      makeClip({ id: 'c', captured: makeCaptured({ kind: 'page', url: 'https://lib.example/news' }) }),
      { ...sel('d', { url: 'https://lib.example/news', anchor: { prefix: '', exact: 'Deleted', suffix: '' } }), deletedAt: 1 },
    ];
    const index = buildHighlightIndex(clips);
    expect(Object.keys(index)).toEqual(['https://lib.example/news', 'https://lib.example/other']);
    expect(index['https://lib.example/news']).toEqual([
      { id: 'a', exact: 'Open late', prefix: 'p', suffix: 's', by: clips[0]!.clippedBy.name, comment: 'Ask about staff' },
    ]);
    expect(passagesFor([index], ['https://lib.example/news#x', 'https://lib.example/news']).map((p) => p.id)).toEqual(['a']);
    expect(passagesFor([index], ['https://lib.example/elsewhere'])).toEqual([]);
  });

  it('places what is on the page and lists what is not', () => {
    const d = doc('<p>The library now stays open until midnight.</p>');
    const out = placePassages(d, [
      { id: 'a', exact: 'open until midnight', prefix: 'now stays ', suffix: '.', by: 'Ana' },
      { id: 'b', exact: 'homework club', prefix: '', suffix: '', by: 'Ana' },
    ]);
    expect(out.placed.map((p) => p.range.toString())).toEqual(['open until midnight']);
    expect(out.missed.map((p) => p.id)).toEqual(['b']);
  });
});
