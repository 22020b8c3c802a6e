/**
 * Journey: an organiser makes one settings code for the programme's real server; a participant
 * pastes it once on the first screen, sees what will change, applies it, and from then on their
 * notebooks (and the invites they send) use that server. A damaged code changes nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { parseInvite } from '../../lib/sync/keys/invite';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';
import { startSyncServer, type SyncServer } from './sync-server';

let server: SyncServer;
let organiser: Person;
let participant: Person;
let code = '';
let link = '';
const TURN = 'turn:127.0.0.1:3478';

beforeAll(async () => {
  server = await startSyncServer();
  organiser = await launchPerson();
  participant = await launchPerson();
});
afterAll(async () => {
  await Promise.all([organiser?.close(), participant?.close()]);
  await server?.stop();
});

const stored = (p: Person) =>
  p.worker.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('syncSettings')).syncSettings ?? null) as Promise<Record<
    string,
    unknown
  > | null>;

test('the organiser makes a settings code in Settings; a server without wss:// is refused', async () => {
  const o = new Panel(await organiser.openPanel(360));
  await o.welcome('Maria');
  await o.createNotebook('Organisers', { examples: false });
  await o.by(T.navSettings).click();
  await o.page.getByText('Make a settings code for my programme').click();
  await o.by(T.settingsSignaling).fill('ws://sync.example.org');
  await o.by(T.makeSettingsCode).click();
  await expect.poll(() => o.by(T.makeSettingsCodeError).textContent()).toMatch(/must start with wss:\/\//);

  await o.by(T.settingsSignaling).fill(server.url);
  await o.by(T.settingsIce).fill(`${TURN} iln-user iln-pass`);
  await o.by(T.makeSettingsCodeName).fill('ILN 2026');
  await o.by(T.makeSettingsCode).click();
  code = await o.by(T.madeSettingsCode).inputValue();
  link = await o.by(T.madeSettingsLink).inputValue();
  expect(code).toMatch(/^PNS1-/);
  expect(link).toBe(`https://partner-notebook.invalid/settings#${code}`);
  expect(await o.by(T.makeSettingsCodeError).count()).toBe(0);
  await screenshot(o.page, 'programme-settings-organiser');
});

test('the participant pastes it on the first screen: a damaged code is explained and changes nothing; the real one shows what changes, then applies', async () => {
  const p = new Panel(await participant.openPanel(360));
  await p.by(T.welcomeSettingsCode).click();
  const before = await stored(participant);
  const damaged = code.slice(0, 12) + (code[12] === 'x' ? 'y' : 'x') + code.slice(13);
  await p.by(T.settingsCodeInput).fill(damaged);
  await p.by(T.settingsCodeCheck).click();
  await expect.poll(() => p.by(T.settingsCodeError).textContent()).toMatch(/a character was changed or lost/);
  expect(await p.by(T.settingsCodePreview).count()).toBe(0);
  expect(await stored(participant)).toEqual(before);

  // As it arrives in an email: the link inside angle brackets, in a sentence.
  await p.by(T.settingsCodeInput).fill(`Dear participants, please paste this: <${link}>. Thank you!`);
  // By keyboard: Tab to "Check the code", Enter; focus lands on the preview, not on the page.
  await p.by(T.settingsCodeInput).focus();
  await p.page.keyboard.press('Tab');
  await p.page.keyboard.press('Enter');
  const preview = p.by(T.settingsCodePreview);
  await preview.waitFor();
  await expect.poll(() => p.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(T.settingsCodePreview);
  const text = (await preview.innerText()).replace(/\s+/g, ' ');
  expect(text).toContain('From: ILN 2026');
  expect(text).toContain(`Sync server: ws://127.0.0.1:4444 → ${server.url}`);
  expect(text).toContain(`STUN/TURN servers: none → ${TURN} (user iln-user, with password)`);
  expect(text).not.toContain('iln-pass');
  await screenshot(p.page, 'programme-settings-preview');
  expect(await stored(participant)).toEqual(before); // nothing applied yet

  await p.by(T.settingsCodeApply).click();
  await expect.poll(() => p.by(T.settingsCodeDone).textContent()).toBe('Done. You now use the settings of ILN 2026.');
  expect(await stored(participant)).toMatchObject({
    signaling: [server.url],
    iceServers: [{ urls: TURN, username: 'iln-user', credential: 'iln-pass' }],
    programme: 'ILN 2026',
    relay: true,
  });

  await p.welcome('Батбаяр Дорж');
  await p.createNotebook('Batbayar & Ana');
  await p.by(T.navSettings).click();
  expect(await p.by(T.settingsProgramme).textContent()).toBe('You use the settings of ILN 2026.');
  expect(await p.by(T.settingsSignaling).inputValue()).toBe(server.url);
  expect(await p.by(T.serverSees).innerText()).toMatch(/cannot read your notebook/);
  await screenshot(p.page, 'programme-settings-applied');
  await p.gotoTopics();

  // Not shared yet, though the server answers: the calm line, and no talk of the server.
  expect(await p.syncStatus()).toBe('Only on this computer — invite a partner to share it');
  expect(await p.by(T.relayStatus).count()).toBe(0);
  // Invites carry the programme's server, and the notebook reaches it once shared.
  const invite = parseInvite(await p.inviteCode());
  expect(invite.signaling.map((u) => u.replace(/\/$/, ''))).toEqual([server.url]);
  await expect.poll(() => p.syncStatus(), { timeout: 15_000 }).toBe('Looking for partners…');
  await expect.poll(() => p.by(T.relayStatus).textContent(), { timeout: 15_000 }).toMatch(/All your changes are on the sync server/);
});
