/**
 * Journey: a librarian clips a page with pictures; the web server then goes away, and the clip
 * still shows its pictures (kept in the notebook, made smaller, each picture once). Reading the
 * clip asks the site for nothing until "Show images from this site". A partner who joins gets
 * the pictures through sync, also with the site gone. Settings shows what the images take and
 * removes a clip's images (the text stays) for both partners.
 *
 * Runs inside the private network namespace (the partner part uses real WebRTC).
 */
import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';
import { startStaticServer } from './static-server';
import { startSyncServer, type SyncServer } from './sync-server';

const inNetns = process.env.PN_NETNS === '1';
if (!inNetns)
  console.warn(
    'offline-images.spec: skipped — run inside the private network namespace: unshare -n sh scripts/netns.sh npx vitest run -c vitest.e2e.config.ts',
  );

const TITLE = 'Our new reading room in pictures';

/** The reader's images: where each comes from and whether it was decoded. */
async function readerImages(frame: FrameLocator) {
  return frame
    .locator('img')
    .evaluateAll((imgs) =>
      (imgs as HTMLImageElement[]).map((i) => ({
        alt: i.alt,
        src: i.getAttribute('src') ?? '',
        complete: i.complete,
        naturalWidth: i.naturalWidth,
        width: i.getAttribute('width'),
      })),
    );
}

/** Kept pictures in the reader's document (its srcdoc: a frame whose srcdoc changes reloads, which a poll inside it can miss). */
async function keptInSrcdoc(panel: Panel): Promise<number> {
  return ((await panel.by(T.clipReaderFrame).getAttribute('srcdoc')) ?? '').split('src="data:image/').length - 1;
}

describe.skipIf(!inNetns)('offline images in clips', () => {
  let server: SyncServer;
  let site: Awaited<ReturnType<typeof startStaticServer>>;
  let port = 0;
  let ana: Person, bat: Person;
  let a: Panel, b: Panel;
  let code = '';

  beforeAll(async () => {
    server = await startSyncServer();
    site = await startStaticServer();
    port = Number(new URL(site.url).port);
    ana = await launchPerson();
    bat = await launchPerson();
  });
  afterAll(async () => {
    await Promise.all([ana, bat].map((p) => p?.close()));
    await site?.close();
    await server?.stop();
  });

  const imageRequests = () => site.requests.filter((r) => r.startsWith('/e2e/images/'));

  test('a clipped page keeps its pictures: with the web server stopped, the reader shows them', async () => {
    a = new Panel(await ana.openPanel());
    await a.welcome('Ana Kaladžija');
    await a.createNotebook('Ana & Batbayar');
    await a.setSyncServer(server.url, { relay: false });
    code = await a.inviteCode();

    const page = await ana.open(`${site.url}/e2e/images-page.html`);
    await page.waitForLoadState('load');
    await ana.clickToolbarButton(page);
    await a.openTopic('Library Spaces');
    await a.by(T.clipPage).click();
    await expect.poll(() => a.clipTitles(), { timeout: 15_000 }).toEqual([TITLE]);

    // The images follow the text: wait until the clip records them, then stop the web server.
    // (The panel's tab in front, as a side panel is: a background tab may defer its frame's loads.)
    await a.page.bringToFront();
    await a.clip(TITLE).getByTestId(T.clipRead).click();
    const frame = a.page.frameLocator(`[data-testid="${T.clipReaderFrame}"]`);
    await expect.poll(() => keptInSrcdoc(a), { timeout: 20_000 }).toBe(4);
    await a.page.getByRole('button', { name: '← Back to the topic' }).click();
    await page.close();
    await a.page.bringToFront();
    await site.close();
    const before = imageRequests().length;

    await a.clip(TITLE).getByTestId(T.clipRead).click();
    await frame.locator('h1').waitFor({ state: 'attached' });
    await expect.poll(async () => (await readerImages(frame)).filter((i) => i.naturalWidth > 0).length, { timeout: 10_000 }).toBe(4);
    const imgs = await readerImages(frame);
    const kept = imgs.filter((i) => i.src.startsWith('data:image/'));
    expect(kept.map((i) => i.alt)).toEqual([
      'The reading room with long tables and tall windows',
      'Bar chart of visits from 2019 to 2024',
      'The same chart, from the annual report',
      'The mobile library van in front of a village school',
    ]);
    // Shrunk to at most 1200 px wide (the photo is 1600 px), keeping the page's width attribute.
    const room = kept[0]!;
    expect(room.naturalWidth).toBe(1200);
    expect(room.width).toBe('800');
    // The same picture under two addresses is one stored image.
    expect(kept[1]!.src).toBe(kept[2]!.src);
    // The floor plan (81 megapixels) and the SVG drawing were left out, and the reader says so; the 1-pixel tracker silently.
    const notKept = imgs.filter((i) => !i.src);
    expect(notKept.map((i) => i.alt).sort()).toEqual(['', 'Drawing of the room', 'Scanned floor plan']);
    const body = (await frame.locator('body').textContent()) ?? '';
    expect(body).toContain('1 image was too large and left out.');
    expect(body).toContain('1 image was not a picture this notebook keeps');
    // Table spans and the link's target survive the reader's sanitiser (the link opens in a new tab, without an opener).
    expect(await frame.locator('th[colspan="2"]').count()).toBe(1);
    expect(await frame.locator('td[rowspan="2"]').count()).toBe(1);
    const link = frame.locator('a[href="https://example.org/mobile"]');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(imageRequests().length).toBe(before);
    await screenshot(a.page, 'offline-images-reader');
  });

  test('reading asks the site for no image until "Show images from this site", which is remembered for the site', async () => {
    site = await startStaticServer(port); // the site is back
    await a.page.bringToFront();
    await a.page.getByRole('button', { name: '← Back to the topic' }).click();
    await a.clip(TITLE).getByTestId(T.clipRead).click();
    const frame = a.page.frameLocator(`[data-testid="${T.clipReaderFrame}"]`);
    await frame.locator('h1').waitFor({ state: 'attached' });
    await a.page.waitForTimeout(1000);
    expect(imageRequests()).toEqual([]);
    // No favicon either (the card's icon would ask the site).
    expect(site.requests).toEqual([]);

    await a.by(T.showRemoteImages).click();
    await expect.poll(() => imageRequests().sort(), { timeout: 10_000 }).toEqual(['/e2e/images/drawing.svg', '/e2e/images/huge.png', '/e2e/images/pixel.png']);
    // Kept pictures still come from the notebook.
    expect((await readerImages(frame)).filter((i) => i.src.startsWith('data:')).length).toBe(4);
    await a.page.getByRole('button', { name: '← Back to the topic' }).click();
    await expect.poll(() => site.requests.includes('/e2e/images/visits-chart.png'), { timeout: 10_000 }).toBe(true); // the card's site icon, now allowed
    await site.close();
  });

  test('a partner who joins receives the pictures, and reads them with the site gone', async () => {
    b = new Panel(await bat.openPanel());
    await b.welcome('Батбаяр Дорж');
    await b.joinWith(code);
    await b.openTopic('Library Spaces');
    await expect.poll(() => b.clipTitles(), { timeout: 30_000 }).toEqual([TITLE]);
    await b.page.bringToFront();
    await b.clip(TITLE).getByTestId(T.clipRead).click();
    await expect.poll(() => keptInSrcdoc(b), { timeout: 30_000 }).toBe(4);
    // Opened again, the reader shows them decoded.
    await b.page.getByRole('button', { name: '← Back to the topic' }).click();
    await b.clip(TITLE).getByTestId(T.clipRead).click();
    const frame = b.page.frameLocator(`[data-testid="${T.clipReaderFrame}"]`);
    await expect
      .poll(async () => (await readerImages(frame)).filter((i) => i.src.startsWith('data:') && i.naturalWidth > 0).length, { timeout: 10_000 })
      .toBe(4);
    expect(await b.by(T.showRemoteImages).count()).toBe(1); // Bat did not allow the site: his reader loads nothing from it
    await frame.locator('img[alt^="The reading room"]').evaluate((el) => el.scrollIntoView());
    await b.page.waitForTimeout(300);
    await screenshot(b.page, 'offline-images-reader-partner');
  });

  test("Settings shows what the images take; removing a clip's images keeps its text, for both partners", async () => {
    await a.by(T.navSettings).click();
    const usage = a.by(T.imageUsage);
    await expect.poll(() => usage.textContent(), { timeout: 10_000 }).toMatch(/Images kept in this notebook take [\d.]+ (KB|MB) \(3 images\)/);
    expect(await a.by(T.imageUsageClip).textContent()).toContain(`${TITLE} — `);
    await usage.scrollIntoViewIfNeeded();
    await screenshot(a.page, 'offline-images-settings');
    await a.by(T.removeClipImages).click();
    await a.page.getByTestId(T.confirmDialog).getByText('removed for everyone in this notebook').waitFor();
    await screenshot(a.page, 'offline-images-remove-confirm');
    await a.by(T.confirmYes).click();
    await expect.poll(() => usage.textContent(), { timeout: 10_000 }).toMatch(/take 0 bytes \(0 images\)/);

    await expect.poll(() => keptInSrcdoc(b), { timeout: 20_000 }).toBe(0);
    const frame = b.page.frameLocator(`[data-testid="${T.clipReaderFrame}"]`);
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 10_000 }).toContain('Its 3 images were removed to save space.');
    expect(await frame.locator('body').textContent()).toContain('Families, students and retired');
  });
});
