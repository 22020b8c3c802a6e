/** Pages no extension may read (lib/clip/restricted.ts): what the person is told and which link is offered instead. */
import { expect, test } from 'vitest';
import { shareableLink, whyUnclippable } from '../../../lib/clip/restricted';

test('the browser’s own pages, extension pages and stores cannot be clipped; web pages can be tried', () => {
  for (const url of ['chrome://version/', 'about:config', 'chrome-extension://abc/panel.html', 'https://chromewebstore.google.com/detail/x']) {
    expect(whyUnclippable(url), url).toBeTruthy();
  }
  expect(whyUnclippable('https://library.example.hr/news')).toBeUndefined();
});

test('only a web address a partner can open is offered as a link to save', () => {
  expect(shareableLink('https://chromewebstore.google.com/detail/x')).toBe('https://chromewebstore.google.com/detail/x');
  expect(shareableLink('http://library.example.mn/')).toBe('http://library.example.mn/');
  for (const url of ['chrome://version/', 'about:blank', 'chrome-extension://abc/panel.html', 'file:///home/ana/report.html', 'not an address', undefined]) {
    expect(shareableLink(url), String(url)).toBeUndefined();
  }
});
