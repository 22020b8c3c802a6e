/**
 * Page object for the panel in Firefox (puppeteer-core over WebDriver BiDi): the same steps as
 * {@link Panel} in pages/panel.ts, which is written against Playwright's API for Chromium.
 */
import { expect } from 'vitest';
import type { Page } from 'puppeteer-core';
import { T } from '../../../components/test-ids';

const id = (t: string) => `[data-testid="${t}"]`;

/** The side panel as one Firefox user sees it. */
export class FirefoxPanel {
  constructor(readonly page: Page) {}

  /** The text of the first element with this test id ('' when there is none). */
  text(testId: string): Promise<string> {
    return this.page.evaluate((sel) => document.querySelector(sel)?.textContent?.trim() ?? '', id(testId));
  }

  async click(testId: string) {
    await this.page.locator(id(testId)).click();
  }

  async fill(testId: string, value: string) {
    await this.page.locator(id(testId)).fill(value);
  }

  /** First run: name (the suggested colour is kept). */
  async welcome(name: string) {
    await this.fill(T.welcomeName, name);
    await this.click(T.welcomeContinue);
  }

  async createNotebook(title: string) {
    await this.fill(T.newNotebookTitle, title);
    await this.click(T.newNotebookCreate);
    await this.page.waitForSelector(id(T.topicList));
  }

  async topicTitles(): Promise<string[]> {
    return this.page.$$eval(`${id(T.topicItem)} .topic-title`, (els) => els.map((e) => e.textContent ?? ''));
  }

  async openTopic(title: string) {
    await this.page.waitForSelector(id(T.topicItem));
    await this.page.$$eval(id(T.topicItem), (els, t) => (els.find((e) => e.querySelector('.topic-title')?.textContent === t) as HTMLElement).click(), title);
    await expect.poll(() => this.text(T.topicHeading)).toBe(title);
  }

  /** Clicks into the note and types at its end, key by key. */
  async typeInNote(text: string) {
    await this.page.locator(id(T.noteEditor)).click();
    await this.page.keyboard.down('Control');
    await this.page.keyboard.press('End');
    await this.page.keyboard.up('Control');
    await this.page.keyboard.type(text);
  }

  /** The note's text, one line per paragraph, without partners' caret labels. */
  async noteText(): Promise<string> {
    return this.page.$eval(id(T.noteEditor), (el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collaboration-carets__caret, .collaboration-carets__selection').forEach((c) => c.remove());
      return [...copy.querySelectorAll('p, li, blockquote, h1, h2, h3')]
        .map((p) => (p.textContent ?? '').trim())
        .filter(Boolean)
        .join('\n');
    });
  }

  async clipTitles(): Promise<string[]> {
    return this.page.$$eval(id(T.clipTitle), (els) => els.map((e) => e.textContent ?? ''));
  }

  /** Settings: the sync server and the relay choice, saved; back to the topics. */
  async setSyncServer(url: string, opts: { relay: boolean }) {
    await this.click(T.navSettings);
    await this.fill(T.settingsSignaling, url);
    const relay = await this.page.$$eval('label', (ls) => ls.findIndex((l) => /Keep encrypted changes on the sync server/.test(l.textContent ?? '')));
    const checked = await this.page.$$eval('label', (ls, i) => (ls[i]!.querySelector('input') as HTMLInputElement).checked, relay);
    if (checked !== opts.relay) await this.page.$$eval('label', (ls, i) => (ls[i]!.querySelector('input') as HTMLInputElement).click(), relay);
    await this.click(T.settingsSave);
    await this.page.waitForFunction(() => document.body.textContent?.includes('Saved. Sync reconnects'));
    await this.click(T.navTopics);
  }

  /** "Invite partners" → the invite code, then back. */
  async inviteCode(): Promise<string> {
    await this.click(T.invitePartners);
    await this.page.waitForSelector(id(T.inviteCode));
    const code = await this.page.$eval(id(T.inviteCode), (el) => (el as HTMLInputElement).value);
    await this.page.$$eval('button', (bs) => (bs.find((b) => b.textContent?.trim() === '← Back') as HTMLElement).click());
    return code;
  }

  async syncStatus(): Promise<string> {
    return this.text(T.syncStatus);
  }
}
