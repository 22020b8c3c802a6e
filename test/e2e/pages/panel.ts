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

  /** The shared note editor of the open topic. */
  get editor(): Locator {
    return this.by(T.noteEditor);
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
    return text.split('\n').map((l) => l.trim()).filter(Boolean).join('\n');
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

  /** The sync status sentence. */
  async syncStatus(): Promise<string> {
    return ((await this.by(T.syncStatus).textContent()) ?? '').trim();
  }

  async switchTo(title: string) {
    await this.by(T.notebookSwitcher).selectOption({ label: title });
    await expect.poll(async () => (await this.notebooks()).current).toBe(title);
    await this.by(T.topicList).waitFor({ state: 'attached' });
  }
}
