/**
 * Journey (issue 8): a librarian clips a hostile page four ways (page, selection, a link whose
 * href is `javascript:`, an image whose alt is markup), reads every clip in the reader view,
 * pastes the page's raw HTML and every clip's HTML into the note, quotes the clips into it,
 * puts the clips on the poster (a theme quoting one, all of them in Sources), types markup into
 * the poster herself, and exports Markdown, HTML, PDF and the blog draft, and opens the print
 * version. Nothing may run anywhere the extension shows or writes this content, and nothing
 * active may survive into the files.
 *
 * Two kinds of evidence:
 * - execution: `window.__xssHit` is installed in every page and frame before any content loads
 *   (an init script plus a Playwright binding that reports to this process), and every page and
 *   frame the extension made is swept for `window.__xss` at the end. Extension pages have a strict
 *   CSP and the reader is sandboxed, so execution there is unlikely even with a sanitiser hole:
 * - therefore also structure: the markup the extension produced (reader body, note, poster) is
 *   parsed inertly and checked element by element, and then rendered in a plain http page with no
 *   CSP and no sandbox, where any surviving handler *would* run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { BODY_PAYLOADS, IMAGE_ID, JS_LINK_ID, PAYLOADS_ID, XSS_CORPUS, corpusPageHtml, writeCorpusPages } from './fixtures/xss-corpus';
import { RESULTS_DIR, closeAll, isoDateFromNow, screenshot, startSiteAndPerson, type Person } from './harness';
import { Panel } from './pages/panel';
import type { StaticServer } from './static-server';
import { UNSAFE_TAGS } from '../shared/unsafe-tags';

const GENERATED = join(RESULTS_DIR, 'generated');

let ana: Person;
let site: StaticServer;
let panel: Panel;
let hostile: Page;
let currentTopic: string;
/** Pages whose own scripts are expected to run (the hostile page and its frames). */
const hostilePages = new Set<Page>();
/** Every `__xssHit` call reported from any page or frame of the browser. */
const hits: { id: string; href: string; page: string; hostile: boolean }[] = [];
/** Reader bodies (the sanitised clip HTML as the reader shows it), by clip kind. */
const readerBodies: Record<string, string> = {};
/** The exported files. */
const exported: { md?: string; html?: string; pdf?: string; blog?: string } = {};

/** Ids of the positive controls: markup the test runs on purpose to prove the probes see execution. */
const isControl = (id: string) => id.startsWith('control-');
/** Hits outside the hostile page: each one is a payload that ran where it must not. */
const escapedHits = () => hits.filter((h) => !h.hostile && !isControl(h.id)).map((h) => `${h.id} @ ${h.href}`);

beforeAll(async () => {
  writeCorpusPages(GENERATED);
  ({ site, ana } = await startSiteAndPerson());
  await ana.context.exposeBinding('__pnXssReport', (source, id: unknown, href: unknown) => {
    hits.push({ id: String(id), href: String(href), page: source.page?.url() ?? '?', hostile: !!source.page && hostilePages.has(source.page) });
  });
  // Before any content: payloads that run call this (or, failing that, set __xss themselves).
  await ana.context.addInitScript(() => {
    const w = window as unknown as { __xssHit(id: string): void; __xss?: string; __pnXssReport?(id: string, href: string): void };
    w.__xssHit = (id: string) => {
      w.__xss = id;
      try {
        void w.__pnXssReport?.(id, location.href);
      } catch {
        // A frame without the binding still leaves __xss behind for the sweep.
      }
    };
  });
});
afterAll(() => closeAll(ana, site));

/** `window.__xss` of every frame of every non-hostile page, as "url: id". */
async function sweep(): Promise<string[]> {
  const found: string[] = [];
  for (const pg of ana.context.pages()) {
    if (hostilePages.has(pg)) continue;
    for (const fr of pg.frames()) {
      const v = await fr.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null).catch(() => null);
      if (v && !isControl(v)) found.push(`${fr.url().slice(0, 80)}: ${v}`);
    }
  }
  return found;
}

/** Nothing ran outside the hostile page so far (after giving late payloads a moment). */
async function expectNothingRan(where: string) {
  await new Promise((r) => setTimeout(r, 400));
  expect(escapedHits(), `payloads ran (${where})`).toEqual([]);
  expect(await sweep(), `window.__xss set (${where})`).toEqual([]);
}

type InspectMode = 'reader' | 'note';

/**
 * Problems in `html` when parsed inertly (DOMParser): active elements, handlers, styles, unsafe
 * URLs, clobbering names, links that keep an opener. Text that merely talks about "onerror=" or
 * "javascript:" is text, and is not a problem.
 */
async function htmlProblems(html: string, mode: InspectMode): Promise<string[]> {
  return panel.page.evaluate(
    ([html, mode, unsafeTags]) => {
      const UNSAFE = new Set(unsafeTags);
      const URL_ATTRS = new Set([
        'href',
        'src',
        'action',
        'formaction',
        'poster',
        'cite',
        'data',
        'background',
        'longdesc',
        'xlink:href',
        'srcdoc',
        'values',
        'to',
        'from',
      ]);
      const CLOBBER = new Set(['getelementbyid', 'partnernotebook', '__xsshit', '__xss', 'defaultview', 'oncommand']);
      const safeUrl = (tag: string, name: string, v: string) => {
        const s = v.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
        if (/^(https?:|mailto:|tel:)/i.test(s) || s === '#') return true;
        return tag === 'img' && name === 'src' && /^data:image\/(png|jpe?g|gif|webp|avif|bmp);base64,/i.test(s);
      };
      const problems: string[] = [];
      if (/<script/i.test(html)) problems.push('raw "<script"');
      if (/<iframe/i.test(html)) problems.push('raw "<iframe"');
      if (/<style/i.test(html)) problems.push('raw "<style"');
      // Inside tags only: text about "onerror=" is escaped (&lt;…) and never inside a tag.
      for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
        if (/[\s"'/]on[a-z]+\s*=/i.test(tag)) problems.push(`handler in ${tag.slice(0, 80)}`);
        if (/(javascript|vbscript|data:text)/i.test(tag.replace(/[\s\u0000-\u001f]/g, ''))) problems.push(`script URL in ${tag.slice(0, 80)}`);
      }
      const doc = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
      for (const el of [doc.body, ...Array.from(doc.body.querySelectorAll('*'))]) {
        const tag = el.localName.toLowerCase();
        if (UNSAFE.has(tag)) problems.push(`<${tag}>`);
        for (const a of Array.from(el.attributes)) {
          const name = a.name.toLowerCase();
          if (name.startsWith('on')) problems.push(`<${tag} ${name}>`);
          if (['style', 'srcdoc', 'formaction', 'action', 'autofocus', 'srcset'].includes(name)) problems.push(`<${tag} ${name}>`);
          if (URL_ATTRS.has(name) && !safeUrl(tag, name, a.value)) problems.push(`<${tag} ${name}="${a.value.slice(0, 60)}">`);
          if ((name === 'id' || name === 'name') && CLOBBER.has(a.value.toLowerCase())) problems.push(`clobbering <${tag} ${name}="${a.value}">`);
        }
        if (tag === 'a' && el.hasAttribute('href')) {
          // Links open in a new tab and never hand the page an opener (target=_blank implies
          // noopener in Chromium; an explicit rel=opener would undo that).
          const target = el.getAttribute('target');
          const rel = (el.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
          if (target !== null && target !== '_blank') problems.push(`<a target="${target}">`);
          if (rel.includes('opener')) problems.push('<a rel=opener>');
          if (mode === 'note' && !rel.includes('noopener')) problems.push(`<a href="${el.getAttribute('href')?.slice(0, 40)}"> without rel=noopener`);
        }
      }
      return problems;
    },
    [html, mode, UNSAFE_TAGS] as const,
  );
}

/** Runs a background handler the way the browser would for `page`'s tab (menu click or shortcut). */
async function menuClick(page: Page, info: Record<string, unknown>) {
  await ana.clickToolbarButton(page); // a menu click grants activeTab like this
  return ana.worker.evaluate(
    async ([info, url]) => {
      const g = globalThis as any;
      const tab = (await g.chrome.tabs.query({})).find((t: any) => t.url === url);
      return g.partnerNotebook.onMenuClick({ ...info, pageUrl: url }, tab);
    },
    [info, page.url()] as const,
  );
}

/** A clip card by its kind label ("Page", "Quote", "Link", "Image"). */
const card = (kind: string) => panel.by(T.clipCard).filter({ hasText: `${kind} · ` });

/** The reader frame of the open reader view. */
async function readerFrame(): Promise<Frame> {
  const handle = await panel.by(T.clipReaderFrame).elementHandle();
  const frame = await handle!.contentFrame();
  await frame!.waitForLoadState();
  return frame!;
}

/** Pastes `html` into the note editor at the end, as a clipboard paste would. */
async function pasteIntoNote(html: string) {
  await panel.editor.click();
  await panel.page.keyboard.press('Control+End');
  await panel.editor.evaluate((el, html) => {
    const dt = new DataTransfer();
    dt.setData('text/html', html);
    dt.setData('text/plain', 'pasted');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, html);
}

test('set up: the hostile corpus page and a notebook', async () => {
  expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(40);
  expect(new Set(XSS_CORPUS.map((x) => x.id)).size).toBe(XSS_CORPUS.length);
  panel = new Panel(await ana.openPanel());
  await panel.welcome('Ana Kaladžija');
  await panel.createNotebook('Ana & Batbayar', { start: isoDateFromNow(-15) });
  currentTopic = (await panel.currentTopic())!;
  expect(currentTopic).toBeTruthy();

  // Positive controls: a hit in an extension page reaches this process, and the inert-markup
  // check flags what it is meant to flag.
  await panel.page.evaluate(() => (window as unknown as { __xssHit(id: string): void }).__xssHit('control-panel'));
  await expect.poll(() => hits.some((h) => h.id === 'control-panel' && h.href.startsWith('chrome-extension://'))).toBe(true);
  await panel.page.evaluate(() => delete (window as unknown as { __xss?: string }).__xss);
  const control = await htmlProblems(
    `<img src=x onerror="x()"><a href="java&#9;script:x()">a</a><svg></svg><p style="x">p</p><a href="https://x.example/" target="_top">t</a>`,
    'reader',
  );
  expect(control).toEqual(expect.arrayContaining(['<img onerror>', '<svg>', '<p style>', '<a target="_top">']));
  expect(control.some((c) => c.startsWith('<a href="java'))).toBe(true);

  hostile = await ana.context.newPage();
  hostilePages.add(hostile);
  await hostile.goto(`${site.url}/generated/xss-corpus.html`);
  // Sanity: the instrumentation works, and the hostile page does run its own payloads.
  await expect.poll(() => hits.filter((h) => h.hostile).length, { timeout: 5_000 }).toBeGreaterThan(3);
  console.log(`hostile page ran its own payloads: ${[...new Set(hits.filter((h) => h.hostile).map((h) => h.id))].join(', ')}`);
});

test('four clips of the hostile page: page, selection, javascript: link, image', async () => {
  await panel.openTopic(currentTopic);
  await ana.clickToolbarButton(hostile);
  await panel.by(T.clipPage).click();
  await expect.poll(() => card('Page').count(), { timeout: 15_000 }).toBe(1);

  const selectionText = await hostile.evaluate((id) => {
    (document.activeElement as HTMLElement | null)?.blur();
    const range = document.createRange();
    range.selectNodeContents(document.getElementById(id)!);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    return getSelection()!.toString();
  }, PAYLOADS_ID);
  expect(await menuClick(hostile, { menuItemId: 'pn-clip-selection', selectionText })).toMatchObject({ ok: true });
  const linkHref = await hostile.evaluate((id) => document.getElementById(id)!.getAttribute('href')!, JS_LINK_ID);
  expect(linkHref).toMatch(/^javascript:/);
  expect(
    await menuClick(hostile, { menuItemId: 'pn-clip-link', linkUrl: linkHref, selectionText: `<img src=x onerror="__xssHit('link-clip-text')">` }),
  ).toMatchObject({ ok: true });
  const imageSrc = await hostile.evaluate((id) => (document.getElementById(id) as HTMLImageElement).src, IMAGE_ID);
  expect(await menuClick(hostile, { menuItemId: 'pn-clip-image', srcUrl: imageSrc })).toMatchObject({ ok: true });
  await expect.poll(() => panel.by(T.clipCard).count(), { timeout: 15_000 }).toBe(4);

  // Titles with markup are shown as text: the card holds no element made from them.
  const titles = await panel.clipTitles();
  console.log(`clip titles: ${JSON.stringify(titles)}`);
  expect(titles.some((t) => t.includes('<img'))).toBe(true);
  expect(await panel.by(T.clipTitle).locator('*').count()).toBe(0);
  expect(await panel.by(T.clipCard).locator('img:not(.favicon), svg, script, iframe').count()).toBe(0);
  await expectNothingRan('after clipping');
});

test('every clip in the reader view: no script runs, the body is inert, links are web links with no opener', async () => {
  for (const kind of ['Page', 'Quote', 'Link', 'Image']) {
    await card(kind).getByTestId(T.clipRead).click();
    const frame = await readerFrame();
    await frame.locator('h1').waitFor();
    // The sweep can read this sandboxed frame's globals (else it would be blind there).
    expect(await frame.evaluate(() => typeof window.document)).toBe('object');
    expect(await panel.by(T.clipReaderFrame).getAttribute('sandbox')).not.toMatch(/allow-scripts|allow-same-origin/);
    const body = await frame.locator('body').innerHTML();
    readerBodies[kind] = body;
    expect(await htmlProblems(body, 'reader'), `reader body of the ${kind} clip`).toEqual([]);
    // The reader's own CSP is in place.
    expect(await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("default-src 'none'");
    await expectNothingRan(`reader view of the ${kind} clip`);
    if (kind === 'Quote') {
      // The selection clip saw every body payload: the sections' prose survives, the payloads do not.
      const text = (await frame.locator('body').textContent()) ?? '';
      expect(BODY_PAYLOADS.filter((x) => !text.includes(`case ${x.id}`)).map((x) => x.id)).toEqual([]);
      await screenshot(panel.page, 'xss-reader-selection');
    }
    await panel.page.getByRole('button', { name: '← Back to the topic' }).click();
  }
  // The Link clip kept no javascript: address.
  expect(readerBodies.Link).not.toMatch(/javascript:/i);
  console.log(
    `reader bodies: ${Object.entries(readerBodies)
      .map(([k, v]) => `${k} ${v.length} chars`)
      .join(', ')}`,
  );
});

test('pasting the raw page and every clip into the note, then "Quote in note": the note stays inert', async () => {
  // What a copy from the hostile page would put on the clipboard: its whole source.
  await pasteIntoNote(corpusPageHtml());
  for (const [kind, body] of Object.entries(readerBodies)) await pasteIntoNote(`<meta charset="utf-8"><div>${kind}:</div>${body}`);
  for (const kind of ['Page', 'Quote', 'Link', 'Image']) {
    await panel.editor.click();
    await panel.page.keyboard.press('Control+End');
    await card(kind).getByTestId(T.clipQuote).click();
  }
  await expect.poll(() => panel.editor.locator('blockquote').count()).toBeGreaterThanOrEqual(4);
  const note = await panel.editor.innerHTML();
  // The paste did land (prose from the corpus), so the checks below looked at real content.
  expect(note).toContain('Summer Reading Challenge');
  expect(note).toContain(`case ${BODY_PAYLOADS[10]!.id}`);
  expect(await htmlProblems(note, 'note')).toEqual([]);
  expect(note).not.toMatch(/<(script|iframe|style|img|svg|form|object|embed)\b/i);
  const hrefs = await panel.editor.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  console.log(`note: ${note.length} chars, ${hrefs.length} links`);
  for (const h of hrefs) expect(h).toMatch(/^(https?:|mailto:)/);

  // DOM clobbering: nothing pasted or clipped shadows the panel's globals.
  const clobber = await panel.page.evaluate(() => ({
    getElementById: typeof document.getElementById,
    named: document.getElementsByName('getElementById').length + document.querySelectorAll('#partnerNotebook, #__xssHit, [name=defaultView]').length,
    xssHit: typeof (window as unknown as { __xssHit: unknown }).__xssHit,
  }));
  expect(clobber).toEqual({ getElementById: 'function', named: 0, xssHit: 'function' });
  expect(await ana.worker.evaluate(() => typeof (globalThis as any).partnerNotebook.onCommand)).toBe('function');
  await expectNothingRan('note editor');
  await screenshot(panel.page, 'xss-note');
});

test('the hostile clips on the poster, plus markup typed by a partner; exports carry nothing active', async () => {
  // A theme from the selection clip (its title and quote are hostile), the page clip's quote in it, all clips in Sources.
  await card('Quote').getByTestId(T.clipProposeTheme).click();
  await card('Page').getByTestId(T.clipAddToPoster).click();
  await card('Page').getByTestId(T.clipPosterAdd).click();
  await expect.poll(() => card('Page').textContent()).toContain('Quote added to the theme, and the clip to Sources.');
  for (const kind of ['Quote', 'Link', 'Image']) {
    const c = card(kind);
    if (!(await c.getByTestId(T.clipPosterCite).count())) await c.getByTestId(T.clipAddToPoster).click();
    await c.getByTestId(T.clipPosterCite).click();
  }

  // A partner profile is peer data too: its links become the poster's Contacts.
  await panel.gotoLibraries();
  const profile = panel.by(T.partnerCard).first();
  await profile.getByLabel('Library name', { exact: true }).fill(`Riverside <svg onload="__xssHit('profile-library')">`);
  await profile.getByLabel('Library website', { exact: true }).fill(`javascript:__xssHit('profile-website')`);
  await profile
    .getByLabel('Social media links (one per line)')
    .fill(`javascript:__xssHit('profile-social')\ndata:text/html,<script>__xssHit('profile-social-data')</script>\nhttps://social.example.org/riverside`);

  await panel.gotoPoster();
  await panel.by(T.posterDraft).click();
  await expect.poll(() => panel.by(T.posterDraftStatus).textContent()).toMatch(/^Drafted/);
  // A partner's own text is untrusted too: markup, Markdown links and a javascript: "address".
  await panel.by(T.posterTitle).fill(`Our poster <img src=x onerror="__xssHit('poster-title')"> [click](javascript:__xssHit('md-title'))`);
  await panel.page
    .getByRole('textbox', { name: 'In your own words', exact: true })
    .fill(
      `We learned <script>__xssHit('typed-script')</script> a lot.\n\n- [a link](javascript:__xssHit('typed-md-link'))\n- <a href="javascript:__xssHit('typed-a')">an anchor</a>\n- ![img](x" onerror="__xssHit('typed-md-img'))`,
    );
  const themes = panel.by(T.posterTheme);
  await expect.poll(() => themes.count()).toBe(1);
  await expect.poll(() => themes.first().getByTestId(T.themeStatus).textContent()).toContain('Everyone agrees');
  await expect.poll(() => panel.by(T.posterSources).textContent()).toContain('<img');
  await expectNothingRan('Poster tab and live preview');

  const save = async (testId: string, name: string) => {
    const d = await panel.download(testId);
    const path = join(RESULTS_DIR, name);
    await d.saveAs(path);
    return path;
  };
  exported.md = readFileSync(await save(T.exportMarkdown, 'xss-poster.md'), 'utf8');
  exported.blog = readFileSync(await save(T.exportBlog, 'xss-blog.md'), 'utf8');
  exported.html = readFileSync(await save(T.exportHtml, 'xss-poster.html'), 'utf8');
  exported.pdf = await save(T.exportPdf, 'xss-poster.pdf');
  await expect.poll(() => panel.by(T.exportStatus).textContent(), { timeout: 30_000 }).toMatch(/^poster\.pdf saved/);

  // The hostile text is in the poster (as text), so the checks below looked at it.
  expect(exported.html).toContain('onerror');
  expect(exported.md).toMatch(/Summer Reading Challenge/);
  expect(exported.html).toContain('profile-website');
  expect(exported.html).toContain('https://social.example.org/riverside');

  // HTML: no script, no handler, no javascript: inside any tag; only the poster's own style.
  const html = exported.html;
  expect(html).not.toMatch(/<script/i);
  expect(html.match(/<style\b/gi)?.length).toBe(1);
  expect(html.match(/<iframe|<object|<embed|<svg|<img|<form|<base|<link/gi)).toBeNull();
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    expect(tag).not.toMatch(/[\s"'/]on[a-z]+\s*=/i);
    expect(tag.replace(/\s/g, '')).not.toMatch(/javascript:|vbscript:|data:text/i);
    const style = /\sstyle="([^"]*)"/.exec(tag)?.[1];
    if (style !== undefined) expect(style).toMatch(/^(color|border-top-color|background|--accent):#[0-9a-f]{6}$/i);
  }
  for (const [, href] of html.matchAll(/\shref="([^"]*)"/g)) expect(href).toMatch(/^(https?:|mailto:)/);
  const textJs = html.match(/javascript:/gi)?.length ?? 0;
  console.log(`poster.html: ${html.length} chars; "javascript:" as escaped text ${textJs}×`);

  // Markdown (poster and blog): links and autolinks are web or mail only, and no raw HTML.
  for (const [name, md] of [
    ['poster.md', exported.md],
    ['blog-post.md', exported.blog],
  ] as const) {
    for (const [, target] of md.matchAll(/(?<!\\)\]\(<?([^)>\s]*)/g)) expect(target, `${name} link`).toMatch(/^(https?:|mailto:)/);
    for (const [, inner] of md.matchAll(/(?<!\\)<([^>\n]*)>/g)) expect(inner, `${name} raw <…>`).toMatch(/^(https?:|mailto:)\S*$/);
    expect(md, `${name} image`).not.toMatch(/(?<!\\)!\[/);
  }

  // PDF: every link annotation is web or mail.
  const urls = execFileSync('pdfinfo', ['-url', exported.pdf], { encoding: 'utf8' })
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/).slice(2).join(' '))
    .filter(Boolean);
  console.log(`poster.pdf link URLs: ${JSON.stringify(urls)}`);
  for (const u of urls) expect(u).toMatch(/^(https?:|mailto:)/);
  const raw = readFileSync(exported.pdf).toString('latin1');
  expect(raw).not.toMatch(/\/URI\s*\(\s*(javascript|vbscript|data):/i);
  expect(raw).not.toMatch(/\/(JavaScript|JS|Launch|SubmitForm|ImportData)\b/);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', exported.pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('Our poster');

  // "Open print version": a new tab of the extension's blob: document.
  const [print] = await Promise.all([ana.context.waitForEvent('page'), panel.by(T.exportHtmlOpen).click()]);
  await print.waitForLoadState();
  expect(await print.locator('h1').textContent()).toContain('Our poster');
  await expectNothingRan('print version tab');
  await print.close();
});

test('rendered as plain web pages with no CSP and no sandbox, the poster, reader bodies and note still run nothing', async () => {
  const note = await panel.page.evaluate(() => document.querySelector('[data-testid="note-editor"]')?.innerHTML ?? '');
  const pages: Record<string, string> = {
    'xss-render-poster.html': exported.html!,
    // The poster's CSP is one wall; without it, escaping alone must hold.
    'xss-render-poster-nocsp.html': exported.html!.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, ''),
    ...Object.fromEntries(
      Object.entries(readerBodies).map(([k, v]) => [`xss-render-reader-${k.toLowerCase()}.html`, `<!doctype html><meta charset="utf-8"><body>${v}</body>`]),
    ),
    'xss-render-note.html': `<!doctype html><meta charset="utf-8"><body>${note}</body>`,
  };
  expect(pages['xss-render-poster-nocsp.html']).not.toContain('Content-Security-Policy');
  // Positive control: in such a page, a live handler does run and is seen.
  writeFileSync(join(GENERATED, 'xss-render-control.html'), `<!doctype html><body><img src="x-missing.png" onerror="__xssHit('control-render')"></body>`);
  const controlPage = await ana.context.newPage();
  await controlPage.goto(`${site.url}/generated/xss-render-control.html`);
  await expect.poll(() => hits.some((h) => h.id === 'control-render')).toBe(true);
  await controlPage.close();

  for (const [name, body] of Object.entries(pages)) {
    writeFileSync(join(GENERATED, name), body);
    const page = await ana.context.newPage();
    await page.goto(`${site.url}/generated/${name}`);
    await page.waitForLoadState('load');
    // Hover and focus everything, so mouse and focus handlers would fire too.
    await page.evaluate(() => {
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        for (const type of ['mouseover', 'mouseenter', 'focus', 'pointerenter']) el.dispatchEvent(new Event(type));
      }
    });
    await expectNothingRan(`plain page ${name}`);
    if (name === 'xss-render-poster-nocsp.html') await screenshot(page, 'xss-poster-rendered');
    await page.close();
  }
});

test('in the end: no payload ran anywhere but the hostile page itself', async () => {
  await expectNothingRan('final sweep');
  const ran = [...new Set(hits.filter((h) => h.hostile).map((h) => h.id))];
  console.log(`${XSS_CORPUS.length} payloads; ${ran.length} ran in the hostile page itself (expected), none anywhere else`);
});
