/**
 * Journey: partners keep their notebook theirs. Ana sent the invite to the wrong person (Eve) and
 * makes a new one without her; Eve, holding the old code, forges new invites in the old room to
 * pull Batbayar (offline at the time) into her own room, and later sends Batbayar an invite for
 * the same notebook with her own secret and server. Two separate browser profiles (Ana, Batbayar)
 * plus Eve's, over real WebRTC and the real server process; Eve's forgeries come from a script that
 * holds her old code and writes to the real relay (test/e2e/attacker.ts).
 * Runs only inside the private network namespace, like the other peer-to-peer specs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { readPartners } from '../../lib/notebook';
import { encodeInvite, parseInvite } from '../../lib/sync/keys/invite';
import { forgeSignedRotation, forgeUnsignedRotation, membersIn, openRoomWithCode } from './attacker';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';
import { startSyncServer, type SyncServer } from './sync-server';

const inNetns = process.env.PN_NETNS === '1';
if (!inNetns)
  console.warn('membership.spec: skipped — run inside the private network namespace: unshare -n sh scripts/netns.sh npx vitest run -c vitest.e2e.config.ts');

const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** What this person's extension stored for the notebook (secret, epoch, servers). */
async function stored(p: Person, id: string): Promise<{ secret?: string; secretEpoch?: number; signaling?: string[]; members?: string[] }> {
  type Entry = { id: string; secret?: string; secretEpoch?: number; signaling?: string[]; members?: string[] };
  const list = await p.worker.evaluate(async () => ((await (globalThis as any).chrome.storage.local.get('notebooks')).notebooks ?? []) as Entry[]);
  const e = list.find((x) => x.id === id);
  // Opening it again changes only when it was last opened: compare what decides where it syncs.
  return { secret: e?.secret, secretEpoch: e?.secretEpoch, signaling: e?.signaling, members: e?.members };
}

describe.skipIf(!inNetns)('membership: a new invite that locks out, and joins that never silently move a notebook', () => {
  let server: SyncServer;
  let ana: Person, bat: Person, eve: Person;
  let a: Panel, b: Panel;
  const batDir = mkdtempSync(join(tmpdir(), 'pn-bat-'));
  let firstCode = '';
  let notebookId = '';

  beforeAll(async () => {
    server = await startSyncServer();
    ana = await launchPerson();
    bat = await launchPerson({ userDataDir: batDir });
    eve = await launchPerson();
  });
  afterAll(async () => {
    await Promise.all([ana, bat, eve].map((p) => p?.close().catch(() => {})));
    rmSync(batDir, { recursive: true, force: true });
    await server?.stop();
  });

  test('Ana leaves Eve out of a new invite; Eve cannot follow; Eve’s forged invites in the old room do not pull Batbayar, offline then, away from Ana', async () => {
    a = new Panel(await ana.openPanel(360));
    await a.startAnasNotebook(server.url);
    firstCode = await a.inviteCode();
    notebookId = parseInvite(firstCode).notebookId;

    b = new Panel(await bat.openPanel(360));
    await b.welcome('Батбаяр Дорж');
    await b.joinWith(firstCode);
    await expect.poll(() => b.syncStatus(), { timeout: 20_000 }).toBe('Connected with Ana Kaladžija');
    // The invite went to the wrong person too.
    const e = new Panel(await eve.openPanel(360));
    await e.welcome('Eve');
    await e.joinWith(firstCode);

    // Ana sees the three people with their key words; Batbayar's own words match the ones Ana sees for him.
    const batWords = await b.myWords();
    const anaWords = await a.myWords();
    await expect
      .poll(async () => (await a.members()).map((m) => m.text.split('\n')[0]).sort(), { timeout: 20_000 })
      .toEqual(['Ana Kaladžija (you)', 'Eve', 'Батбаяр Дорж']);
    const listed = await a.members();
    expect(listed.find((m) => m.text.startsWith('Батбаяр'))!.words).toBe(batWords);
    expect(batWords.split(' ')).toHaveLength(5);
    await screenshot(a.page, 'membership-invite-people');
    await a.page.getByRole('button', { name: '← Back' }).click();
    await expect.poll(() => a.by(T.relayStatus).textContent(), { timeout: 20_000 }).toMatch(/All your changes are on the sync server/);

    // Batbayar closes his browser for the night.
    await bat.close();

    // "Sent it to the wrong person?": Ana makes a new invite and unticks Eve.
    await a.by(T.invitePartners).click();
    await a.by(T.rotateInvite).click();
    await screenshot(a.page, 'membership-new-invite-dialog');
    await a.page.keyboard.press('Escape');
    await a.page.getByRole('button', { name: '← Back' }).click();
    const newCode = await a.makeNewInvite(['Eve']);
    expect(newCode).not.toBe(firstCode);
    await expect.poll(async () => (await stored(ana, notebookId)).secretEpoch, { timeout: 30_000 }).toBe(1);
    const anaSecret = (await stored(ana, notebookId)).secret!;

    // Eve is not given the new secret: her panel says so and her copy stays on the first one.
    await expect
      .poll(() => e.page.getByText('A partner made a new invite, and this copy of the notebook is not part of it').count(), { timeout: 30_000 })
      .toBe(1);
    expect((await stored(eve, notebookId)).secret).toBe(toHex(parseInvite(firstCode).secret));

    // Eve, with the first code, forges new invites in the old room while Batbayar is away:
    // one in the old unsigned form "by Ana" at a higher epoch, one signed with her own key under Ana's name.
    const room = await openRoomWithCode(firstCode, server.url);
    const anaId = readPartners(room.doc).find((p) => p.name === 'Ana Kaladžija')!.id;
    const batMembers = (await membersIn(room.doc)).filter((m) => m.name === 'Батбаяр Дорж');
    const forgedUnsigned = await forgeUnsignedRotation(room, anaId, 2);
    const forgedSigned = await forgeSignedRotation(room, { personId: anaId, name: 'Ana Kaladžija' }, batMembers);
    await room.flush();
    await room.close();

    // Batbayar comes back. The panel does not follow either forgery by itself: it asks.
    bat = await launchPerson({ userDataDir: batDir });
    b = new Panel(await bat.openPanel(360));
    await b.by(T.rotationChoice).waitFor({ timeout: 30_000 });
    const mine = await stored(bat, notebookId);
    expect(mine.secret).not.toBe(toHex(forgedUnsigned));
    expect(mine.secret).not.toBe(toHex(forgedSigned));
    expect(mine.secret).toBe(toHex(parseInvite(firstCode).secret));
    const options = b.by(T.rotationOption);
    expect(await options.count()).toBe(2);
    expect(await options.allInnerTexts()).toEqual([expect.stringContaining('Made by Ana Kaladžija'), expect.stringContaining('Made by Ana Kaladžija')]);
    await screenshot(b.page, 'membership-choose-invite');

    // On a call, Ana reads her words; Batbayar follows the invite with those words.
    await options.filter({ hasText: anaWords }).getByTestId(T.rotationFollow).click();
    await expect.poll(async () => (await stored(bat, notebookId)).secret, { timeout: 30_000 }).toBe(anaSecret);
    // Not silent: the panel says whose invite it moved to and who it keeps.
    await expect.poll(() => b.by(T.rotationNotice).textContent(), { timeout: 10_000 }).toContain(`made by Ana Kaladžija (key words: ${anaWords})`);
    await screenshot(b.page, 'membership-moved-notice');
    await expect.poll(() => b.syncStatus(), { timeout: 30_000 }).toBe('Connected with Ana Kaladžija');
    await a.openTopic('Library Spaces');
    await a.editor.click();
    await a.page.keyboard.type('Only for partners after the new invite.');
    await b.openTopic('Library Spaces');
    await expect.poll(() => b.noteText(), { timeout: 20_000 }).toContain('Only for partners after the new invite.');
    await eve.close();
  });

  test('an invite for a notebook already here, with another secret and server, asks first; keeping the current settings changes nothing; an old invite cannot take it back', async () => {
    const before = await stored(bat, notebookId);
    const elsewhere = await startSyncServer();
    try {
      // Eve (a former partner) sends Batbayar an invite for the same notebook, with her own secret and server.
      const evil = encodeInvite({
        version: 1,
        notebookId,
        secret: crypto.getRandomValues(new Uint8Array(32)),
        signaling: [elsewhere.url],
        title: 'Ana & Batbayar',
      });
      await b.backToTopics().catch(() => {});
      await b.joinFromManage(evil);
      const question = b.by(T.joinChanges);
      await question.waitFor();
      const text = await question.innerText();
      expect(text).toContain('“Ana & Batbayar” is already on this computer');
      expect(text).toContain('a secret this notebook has never used');
      expect(text).toContain(new URL(elsewhere.url).host);
      expect(text).toContain(new URL(server.url).host);
      await screenshot(b.page, 'membership-join-existing');
      // Nothing changed while the question is open; keeping is the default (primary) choice.
      expect(await stored(bat, notebookId)).toEqual(before);
      expect(await b.by(T.joinKeep).getAttribute('class')).toContain('primary');
      await b.by(T.joinKeep).click();
      await b.by(T.topicList).waitFor({ state: 'attached' });
      expect(await stored(bat, notebookId)).toEqual(before);

      // The first invite (replaced by Ana's new one) cannot take the notebook back.
      await b.joinFromManage(firstCode);
      await question.waitFor();
      expect(await question.innerText()).toContain('This is an older invite');
      expect(await b.by(T.joinReplace).count()).toBe(0);
      await b.by(T.joinKeep).click();
      await b.by(T.topicList).waitFor({ state: 'attached' });
      expect(await stored(bat, notebookId)).toEqual(before);

      // Still with Ana, on the same server.
      await expect.poll(() => b.syncStatus(), { timeout: 30_000 }).toBe('Connected with Ana Kaladžija');
      await a.caretToEnd();
      await a.page.keyboard.type(' Still together.');
      await b.openTopic('Library Spaces');
      await expect.poll(() => b.noteText(), { timeout: 20_000 }).toContain('Still together.');
    } finally {
      await elsewhere.stop();
    }
  });
});
