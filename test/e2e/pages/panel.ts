/** Page object for the side panel: what a person clicks and reads, by test id and accessible name. */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { T } from '../../../components/test-ids';

const id = (t: string) => `[data-testid="${t}"]`;

/** The side panel as one person sees it. */
export class Panel {
  constructor(readonly page: Page) {}

  by(testId: string): Locator {
    return this.page.locator(id(testId));
  }

  /** First run: name and colour. */
  async welcome(name: string) {
    await this.by(T.welcomeName).fill(name);
    await this.by(T.welcomeContinue).click();
  }

  /** Ana's usual start of a shared journey: first run as Ana Kaladžija, the notebook "Ana & Batbayar", synced through `serverUrl`. */
  async startAnasNotebook(serverUrl: string) {
    await this.welcome('Ana Kaladžija');
    await this.createNotebook('Ana & Batbayar');
    await this.setSyncServer(serverUrl);
  }

  /** Fills the new-notebook form and creates it. */
  async createNotebook(title: string, opts: { programme?: string; start?: string; deadline?: string; examples?: boolean } = {}) {
    await this.by(T.newNotebookTitle).fill(title);
    if (opts.programme) await this.by(T.newNotebookProgramme).fill(opts.programme);
    if (opts.start) await this.by(T.newNotebookStart).fill(opts.start);
    if (opts.deadline) await this.by(T.newNotebookDeadline).fill(opts.deadline);
    if (opts.examples === false) await this.by(T.newNotebookExamples).uncheck();
    await this.by(T.newNotebookCreate).click();
    await this.by(T.topicList).waitFor({ state: 'attached' });
  }

  /** Titles of the visible topics, in order. */
  async topicTitles(): Promise<string[]> {
    return this.page.locator(`${id(T.topicItem)} .topic-title`).allTextContents();
  }

  /** Opens a topic by its title. */
  async openTopic(title: string) {
    await this.page.locator(id(T.topicItem), { hasText: title }).first().click();
    await expect.poll(() => this.by(T.topicHeading).textContent()).toBe(title);
  }

  /** Opens a topic and clicks into its note, ready to type. */
  async editNote(title: string) {
    await this.openTopic(title);
    await this.editor.click();
  }

  /** The shared note editor of the open topic. */
  get editor(): Locator {
    return this.by(T.noteEditor);
  }

  /** Puts the caret at the very end of the note (after its last character), as a click there would. */
  async caretToEnd() {
    await this.editor.evaluate((el) => {
      (el as HTMLElement).focus();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement?.closest('.collaboration-carets__caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      let last: Text | null = null;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) last = n as Text;
      const range = document.createRange();
      if (last) range.setStart(last, last.length);
      else range.selectNodeContents(el.lastElementChild ?? el);
      range.collapse(true);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    // ProseMirror picks the DOM selection up on its next selectionchange.
    await this.page.waitForTimeout(50);
  }

  async noteText(): Promise<string> {
    // One line per paragraph (innerText puts blank lines between blocks); partners' caret labels are not text.
    const text = await this.editor.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collaboration-carets__caret, .collaboration-carets__selection').forEach((c) => c.remove());
      copy.style.position = 'absolute';
      document.body.append(copy);
      const t = copy.innerText;
      copy.remove();
      return t;
    });
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('\n');
  }

  async backToTopics() {
    await this.by(T.backToTopics).click();
  }

  /** The counts line of a topic in the list. */
  async topicCounts(title: string): Promise<string> {
    return (await this.page.locator(id(T.topicItem), { hasText: title }).first().locator(id(T.topicCounts)).textContent()) ?? '';
  }

  async gotoLibraries() {
    await this.by(T.navLibraries).click();
  }

  async gotoTopics() {
    await this.by(T.navTopics).click();
  }

  /** The notebook titles in the switcher, and the selected one. */
  async notebooks(): Promise<{ titles: string[]; current: string }> {
    const sw = this.by(T.notebookSwitcher);
    const titles = await sw.locator('option').allTextContents();
    const current = await sw.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '');
    return { titles, current };
  }

  /** Titles of the clips shown on the open topic page. */
  async clipTitles(): Promise<string[]> {
    return this.by(T.clipTitle).allTextContents();
  }

  /** A clip card by (part of) its title. */
  clip(title: string): Locator {
    return this.by(T.clipCard).filter({ hasText: title });
  }

  /** Settings page: set the sync server (and whether to use the relay), save. */
  async setSyncServer(url: string, opts: { relay?: boolean } = {}) {
    await this.by(T.navSettings).click();
    await this.by(T.settingsSignaling).fill(url);
    const relay = this.page.getByLabel(/Keep encrypted changes on the sync server/);
    if (opts.relay === false) await relay.uncheck();
    else await relay.check();
    await this.by(T.settingsSave).click();
    await this.page.getByText('Saved. Sync reconnects').waitFor();
    await this.gotoTopics();
  }

  /** "Invite partners" → the invite code. */
  async inviteCode(): Promise<string> {
    await this.by(T.invitePartners).click();
    const code = await this.by(T.inviteCode).inputValue();
    await this.page.getByRole('button', { name: '← Back' }).click();
    return code;
  }

  /** First run of a partner who was invited: name, then "Join their notebook" with the code. */
  async joinWith(code: string) {
    await this.by(T.joinNotebook).click();
    await this.by(T.joinCode).fill(code);
    await this.by(T.joinSubmit).click();
    await this.by(T.topicList).waitFor({ state: 'attached' });
  }

  /** "Invite partners" → the people listed with their key words (leaves the page open). */
  async members(): Promise<{ text: string; words: string }[]> {
    await this.by(T.invitePartners).click();
    await this.by(T.memberList).waitFor();
    return this.by(T.member).evaluateAll((els) =>
      els.map((el) => ({ text: (el as HTMLElement).innerText, words: el.querySelector('[data-testid$="fingerprint"]')?.textContent ?? '' })),
    );
  }

  /** "Invite partners" → this computer's own key words. */
  async myWords(): Promise<string> {
    await this.by(T.invitePartners).click();
    const words = (await this.by(T.myFingerprint).textContent()) ?? '';
    await this.page.getByRole('button', { name: '← Back' }).click();
    return words;
  }

  /** "Make a new invite…", leaving out the people whose name is in `drop`; returns the new code. */
  async makeNewInvite(drop: string[] = []): Promise<string> {
    await this.by(T.invitePartners).click();
    const old = await this.by(T.inviteCode).inputValue();
    await this.by(T.rotateInvite).click();
    for (const name of drop)
      await this.by(T.confirmDialog)
        .getByRole('checkbox', { name: new RegExp(name) })
        .uncheck();
    await this.by(T.confirmYes).click();
    await expect.poll(() => this.by(T.rotateStatus).textContent(), { timeout: 20_000 }).toMatch(/^Done\./);
    await expect.poll(() => this.by(T.inviteCode).inputValue(), { timeout: 30_000 }).not.toBe(old);
    const code = await this.by(T.inviteCode).inputValue();
    await this.page.getByRole('button', { name: '← Back' }).click();
    return code;
  }

  /** Notebooks… → Join a notebook, with a code; waits for the question about a notebook already here, or the notebook. */
  async joinFromManage(code: string) {
    await this.by(T.manageNotebooks).click();
    await this.by(T.joinNotebook).click();
    await this.by(T.joinCode).fill(code);
    await this.by(T.joinSubmit).click();
    await this.page
      .locator(`${id(T.joinChanges)}, ${id(T.topicList)}`)
      .first()
      .waitFor();
  }

  /** The sync status sentence. */
  async syncStatus(): Promise<string> {
    return ((await this.by(T.syncStatus).textContent()) ?? '').trim();
  }

  // --- topics & search -------------------------------------------------------------------------

  /** A topic's row in the list (button and its Move/Archive tools). */
  topicRow(title: string): Locator {
    return this.page.locator('.topic-row').filter({ has: this.page.locator(id(T.topicItem), { hasText: title }) });
  }

  /** The title of the topic marked "Current", or null. */
  async currentTopic(): Promise<string | null> {
    const item = this.page.locator(id(T.topicItem), { has: this.by(T.currentBadge) });
    return (await item.count()) ? item.locator('.topic-title').textContent() : null;
  }

  /** Opens "Programme schedule" from the topic list. */
  async openSchedule() {
    await this.gotoTopics();
    await this.by(T.openSchedule).click();
  }

  /** Pastes a schedule and previews it; returns the preview's titles and the error lines. */
  async previewImport(text: string): Promise<{ titles: string[]; errors: string[] }> {
    await this.by(T.importText).fill(text);
    await this.by(T.importPreview).click();
    await this.by(T.importPreviewBox).waitFor();
    return {
      titles: await this.by(T.importTable).locator('.preview-title').allTextContents(),
      errors: await this.by(T.importErrors).locator('li').allTextContents(),
    };
  }

  /** Imports the previewed rows; returns the confirmation. */
  async applyImport(): Promise<string> {
    await this.by(T.importApply).click();
    return (await this.by(T.importDone).textContent()) ?? '';
  }

  async gotoSearch() {
    await this.by(T.navSearch).click();
    await this.by(T.searchBox).waitFor();
  }

  /** Types a query once the index is ready; read the results with {@link searchResultTitles}. */
  async search(query: string) {
    await this.by(T.searchProgress).waitFor({ state: 'detached', timeout: 20_000 });
    await this.by(T.searchBox).fill(query);
  }

  async searchResultTitles(): Promise<string[]> {
    return this.by(T.searchResult).locator('.result-title').allTextContents();
  }

  /** Renames the open topic with its "Edit topic" form. */
  async renameOpenTopic(title: string) {
    await this.by(T.editTopic).click();
    await this.by(T.editTopicTitle).fill(title);
    await this.by(T.editTopicSave).click();
    await expect.poll(() => this.by(T.topicHeading).textContent()).toBe(title);
  }

  /** Archives a topic from the list. */
  async archiveTopic(title: string) {
    await this.topicRow(title).getByTestId(T.topicArchive).click();
  }

  /** Restores an archived topic from "Archived topics". */
  async restoreTopic(title: string) {
    const box = this.by(T.archivedTopics);
    if ((await box.getAttribute('open')) === null) await box.locator('summary').click();
    await box.getByRole('button', { name: `Restore ${title}` }).click();
  }

  /** The "Good times to talk" intervals (epoch ms), and each one's text. */
  async talkTimes(): Promise<{ start: number; end: number; text: string }[]> {
    return this.by(T.talkTime).evaluateAll((els) =>
      els.map((el) => ({ start: Number(el.getAttribute('data-start')), end: Number(el.getAttribute('data-end')), text: (el as HTMLElement).innerText })),
    );
  }

  async gotoPoster() {
    await this.by(T.navPoster).click();
    await this.page.getByRole('heading', { level: 1, name: 'Poster' }).waitFor();
  }

  /** A proposed theme's card on the Poster tab, by (the start of) its title. */
  theme(title: string): Locator {
    return this.by(T.posterTheme).filter({ has: this.page.getByRole('heading', { name: `Theme: ${title}` }) });
  }

  /** Clicks an export button and returns the file the browser downloads. */
  async download(testId: string) {
    const [file] = await Promise.all([this.page.waitForEvent('download'), this.by(testId).click()]);
    return file;
  }

  async switchTo(title: string) {
    await this.by(T.notebookSwitcher).selectOption({ label: title });
    await expect.poll(async () => (await this.notebooks()).current).toBe(title);
    await this.by(T.topicList).waitFor({ state: 'attached' });
  }

  // --- backup ------------------------------------------------------------------------------------

  /** Notebooks… → "Download backup…" of `title` (optionally with the invite secret) → the downloaded file. */
  async downloadBackup(title: string, opts: { secret?: boolean } = {}) {
    await this.page.getByRole('button', { name: `Download backup of ${title}` }).click();
    if (opts.secret) await this.by(T.backupSecret).check();
    return this.download(T.backupDownload);
  }

  /** Chooses a backup file in "Restore from a backup file…"; the preview or the error follows. */
  async chooseBackupFile(file: string | { name: string; mimeType: string; buffer: Buffer }) {
    await this.by(T.restoreFile).setInputFiles(file);
    await this.page
      .locator(`${id(T.restorePreview)}, ${id(T.restoreError)}`)
      .first()
      .waitFor();
  }
}
