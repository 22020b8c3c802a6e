/**
 * Journey: every page and dialog of the panel, at the narrowest width a sidebar gets (320 px) and
 * in each language of {@link LANGUAGES}, is checked with axe-core against the WCAG 2.2 A and AA
 * rules. Any violation fails; the count per page is printed.
 *
 * Steps move from screen to screen by test ids only, never by visible words, so the same journey
 * runs in any language. To measure a new page or dialog, add one line to {@link SCREENS}.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { axeDocument, axeViolations, describeViolations, type AxeViolation } from './axe';
import { isoDateFromNow, launchPerson, RESULTS_DIR, type Person } from './harness';
import { Panel } from './pages/panel';
import { startStaticServer } from './static-server';

/**
 * The browser languages the panel is measured in ('en', 'fr', 'mn'…). The panel follows the
 * browser's language unless the person picks another, so one more code here is one more full run.
 */
const LANGUAGES = ['en', 'mn'];
/** Firefox's narrowest sidebar, and a phone-sized column. */
const WIDTH = 320;

/** What each step can reach. */
interface Ctx {
  person: Person;
  panel: Panel;
  page: Page;
  site: string;
}

/** A step that clicks the control `click` and waits for `see` to appear, after `before` (e.g. Escape to close a dialog). */
function clickThenSee(click: string, see: string, before?: (c: Ctx) => Promise<unknown>) {
  return async (c: Ctx) => {
    await before?.(c);
    await c.panel.by(click).click();
    await c.panel.by(see).waitFor();
  };
}
/** Closes the open dialog or menu. */
const escape = ({ page }: Ctx) => page.keyboard.press('Escape');
/** Goes back to the topic list. */
const toTopics = ({ panel }: Ctx) => panel.gotoTopics();

/** Every panel page and dialog, in an order where each step leads from the previous one: [name, how to get there]. */
const SCREENS: [string, (c: Ctx) => Promise<unknown>][] = [
  ['Welcome', ({ panel }) => panel.by(T.welcomeName).waitFor()],
  ['Welcome: name missing', ({ panel }) => panel.by(T.welcomeContinue).click()],
  [
    'First notebook',
    async ({ panel }) => {
      await panel.by(T.welcomeName).fill('Ana Kaladžija');
      await panel.by(T.welcomeContinue).click();
      await panel.by(T.newNotebookTitle).waitFor();
    },
  ],
  ['First notebook: name missing', ({ panel }) => panel.by(T.newNotebookCreate).click()],
  ['Join a notebook', clickThenSee(T.joinNotebook, T.joinCode)],
  [
    'Join: not an invite',
    async ({ panel }) => {
      await panel.by(T.joinCode).fill('not an invite');
      await panel.by(T.joinSubmit).click();
      await panel.by(T.joinError).waitFor();
    },
  ],
  [
    'Restore (start screen)',
    async ({ panel, page }) => {
      await page.reload();
      await panel.by(T.restoreStart).click();
      await panel.by(T.restoreFile).waitFor();
    },
  ],
  ['Restore: not a backup', ({ panel }) => panel.chooseBackupFile({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') })],
  [
    'Topic list',
    async ({ panel, page }) => {
      await page.reload();
      await panel.createNotebook('Ana & Batbayar', { start: isoDateFromNow(-15) });
    },
  ],
  [
    'Topic page with a clip and a note',
    async ({ panel, person, site }) => {
      const lib = await person.open(`${site}/e2e/library-page.html`);
      await person.clickToolbarButton(lib);
      await panel.by(T.clipPage).click();
      await panel.by(T.topicItem).nth(1).click();
      await panel.by(T.clipCard).waitFor({ timeout: 15_000 });
      await lib.close();
      await panel.editor.click();
      await panel.page.keyboard.type('Our reading room has 120 seats.');
    },
  ],
  ['Clip: tag, comment, move', ({ panel }) => panel.by(T.clipCard).locator('.clip-actions > button[aria-expanded]').first().click()],
  ['Clip: add to poster', ({ panel }) => panel.by(T.clipAddToPoster).click()],
  ['Clip: proposed as a theme', ({ panel }) => panel.by(T.clipProposeTheme).click()],
  ['Edit topic', clickThenSee(T.editTopic, T.editTopicTitle)],
  ['Reader view', clickThenSee(T.clipRead, T.clipReader)],
  [
    'Clip deleted, with Undo',
    async ({ panel }) => {
      await panel.by(T.navTopics).click();
      await panel.by(T.topicItem).nth(1).click();
      await panel.by(T.clipDelete).click();
      await panel.by(T.undo).waitFor();
    },
  ],
  [
    'Search with results',
    async ({ panel }) => {
      await panel.by(T.undo).click();
      await panel.gotoSearch();
      await panel.search('reading');
      await panel.by(T.searchResult).first().waitFor();
    },
  ],
  [
    'Programme schedule with an import preview',
    async ({ panel }) => {
      await panel.openSchedule();
      await panel.previewImport('2026-04-01; Reading clubs\nnot a line');
    },
  ],
  [
    'Our libraries',
    async ({ panel }) => {
      await panel.gotoLibraries();
      await panel.by(T.partnerCard).waitFor();
    },
  ],
  [
    'Poster',
    async ({ panel }) => {
      await panel.by(T.navPoster).click();
      await panel.by(T.posterDraft).click();
      await panel.by(T.posterTheme).first().waitFor();
    },
  ],
  [
    'Poster: re-draft confirm',
    async ({ panel }) => {
      await panel.by(T.posterRedraft).first().click();
      await panel.by(T.confirmDialog).waitFor();
    },
  ],
  ['Settings', clickThenSee(T.navSettings, T.settingsSignaling, escape)],
  [
    'Settings: connection tested',
    async ({ panel }) => {
      await panel.by(T.testConnection).click();
      await panel.by(T.testResult).locator('li').first().waitFor({ timeout: 20_000 });
    },
  ],
  [
    'Topic list with an archived topic',
    async ({ panel }) => {
      await panel.gotoTopics();
      await panel.by(T.topicArchive).first().click();
      await panel.by(T.archivedTopics).locator('summary').click();
    },
  ],
  ['Invite partners', clickThenSee(T.invitePartners, T.inviteCode, toTopics)],
  ['Make a new invite: confirm', clickThenSee(T.rotateInvite, T.confirmDialog)],
  ['Notebooks…', clickThenSee(T.manageNotebooks, T.backupOpen, escape)],
  ['Download backup', clickThenSee(T.backupOpen, T.backupDownload)],
  [
    'Restore: preview of a backup',
    async ({ panel }) => {
      const file = await panel.download(T.backupDownload);
      await panel.chooseBackupFile((await file.path())!);
      await panel.by(T.restorePreview).waitFor();
    },
  ],
  ['Delete notebook: confirm', clickThenSee(T.deleteNotebook, T.confirmDialog)],
  [
    'Notebooks…: rename',
    async ({ panel, page }) => {
      await page.keyboard.press('Escape');
      await panel.by(T.renameNotebook).click();
      await page.locator('main li form input').waitFor();
    },
  ],
  [
    'New notebook',
    async ({ panel, page }) => {
      await page.locator('main > .row.wrap > button.primary').click();
      await panel.by(T.newNotebookTitle).waitFor();
    },
  ],
  [
    'Clip: a page no extension may read',
    async ({ panel, page, person }) => {
      await page.reload();
      const internal = await person.context.newPage();
      await internal.goto('chrome://version');
      await person.clickToolbarButton(internal);
      await panel.by(T.clipPage).click();
      await panel.by(T.clipNotice).waitFor();
      await internal.close();
    },
  ],
];

for (const lang of LANGUAGES) {
  describe(`accessibility (axe, WCAG 2.2 A/AA) at ${WIDTH} px, ${lang}`, () => {
    const counts: [string, number][] = [];
    let ctx: Ctx;
    let site: Awaited<ReturnType<typeof startStaticServer>>;

    beforeAll(async () => {
      site = await startStaticServer();
      const person = await launchPerson({ locale: lang });
      const page = await person.openPanel(WIDTH);
      ctx = { person, page, panel: new Panel(page), site: site.url };
    });
    afterAll(async () => {
      console.log(
        `axe violations per page (${lang}, ${WIDTH} px):\n${counts.map(([n, c]) => `  ${String(c).padStart(3)}  ${n}`).join('\n')}\n  total: ${counts.reduce((s, [, c]) => s + c, 0)} on ${counts.length} pages`,
      );
      await ctx?.person.close();
      await site?.close();
    });

    const check = async (name: string, vs: AxeViolation[], page = ctx.page) => {
      counts.push([name, vs.length]);
      // What was measured, to look at: test-results/axe/<language>-<page>.png
      await page.screenshot({ path: `${RESULTS_DIR}/axe/${lang}-${name.replace(/\W+/g, '-')}.png`, fullPage: true });
      expect(vs, `${name}:\n${describeViolations(vs)}`).toEqual([]);
      // WCAG 1.4.10 (Reflow), which axe cannot see: nothing may need sideways scrolling at 320 px.
      const wide = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > w + 1).map((el) => el.outerHTML.slice(0, 120));
      });
      expect(wide, `${name}: wider than ${WIDTH} px`).toEqual([]);
    };

    for (const [name, open] of SCREENS) {
      test(name, async () => {
        await open(ctx);
        await check(name, await axeViolations(ctx.page));
        // The reader view's document is a sandboxed frame with no scripts: check it on its own.
        if (name === 'Reader view') {
          const html = (await ctx.panel.by(T.clipReaderFrame).getAttribute('srcdoc')) ?? '';
          const reader = await ctx.person.context.newPage();
          await reader.setViewportSize({ width: WIDTH, height: 800 });
          await check('Reader view: the clip’s document', await axeDocument(reader, html), reader);
          await reader.close();
        }
      });
    }
  });
}
