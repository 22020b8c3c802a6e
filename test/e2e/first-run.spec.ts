/**
 * Journey: a librarian installs the extension and starts. The default sync server
 * (ws://127.0.0.1:4444) is not running, as for nearly everyone who just installed it: until the
 * notebook is shared there is no error anywhere, only "Only on this computer — invite a partner
 * to share it". Once an invite has been shown, the same unreachable server is reported as before.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';

let person: Person;
let p: Panel;

beforeAll(async () => {
  person = await launchPerson();
});
afterAll(async () => {
  await person?.close();
});

/** Fails if any error is on screen: an alert, red text, or the words of a connection error. */
async function expectNoError(panel: Panel, where: string) {
  const text = await panel.page.locator('body').innerText();
  expect(text, where).not.toMatch(/Cannot reach|cannot be reached|could not|error/i);
  expect(await panel.page.locator('[role="alert"], .error, .alert').count(), where).toBe(0);
}

test('a fresh profile: no error on the first screens, nor for a notebook nobody else has yet', async () => {
  p = new Panel(await person.openPanel(360));
  await p.by(T.welcomeName).waitFor();
  await expectNoError(p, 'welcome screen');
  await p.welcome('Ana Kaladžija');
  await p.by(T.newNotebookTitle).waitFor();
  await expectNoError(p, 'new notebook screen');
  await p.createNotebook('Ana & Batbayar');
  await expect.poll(() => p.syncStatus(), { timeout: 15_000 }).toBe('Only on this computer — invite a partner to share it');
  // Long enough for the live connection and the relay to have failed and retried.
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) {
    seen.add(await p.syncStatus());
    await p.page.waitForTimeout(500);
  }
  expect([...seen]).toEqual(['Only on this computer — invite a partner to share it']);
  await expectNoError(p, 'notebook not shared yet');
  await screenshot(p.page, 'first-run-not-shared');
});

test('once an invite was shown, the unreachable server is reported', async () => {
  await p.by(T.invitePartners).click();
  await p.by(T.inviteCode).waitFor();
  await p.page.getByRole('button', { name: '← Back' }).click();
  await expect.poll(() => p.syncStatus(), { timeout: 15_000 }).toMatch(/^Cannot reach the sync server \(ws:\/\/127\.0\.0\.1:4444\)/);
  await screenshot(p.page, 'first-run-shared-server-down');
  // Still true after the panel is opened again.
  await p.page.reload();
  await expect.poll(() => p.syncStatus(), { timeout: 15_000 }).toMatch(/^Cannot reach the sync server/);
});
