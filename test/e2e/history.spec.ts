/**
 * Journey (issue 12 point 5, attack 5): a member's copy of the notebook — tampered with, or
 * simply broken — erases every topic, and the erasure reaches both partners' browsers through
 * the real server. Batbayar opens History, sees the notebook as it was just before, and restores
 * it as a new change; Ana's panel shows the topics again. Then a single topic's note, emptied in
 * Ana's panel, is brought back from the topic's own History.
 *
 * The eraser is a Node process holding the invite (a member): it syncs through the encrypted
 * relay of the server process with the same client code the panel uses, then deletes every topic
 * and note in one change, as a faulty panel could. Ana and Batbayar are two separate browser
 * profiles over real WebRTC, inside the private network namespace.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { T } from '../../components/test-ids';
import { parseInvite } from '../../lib/sync/keys/invite';
import { deriveKeys } from '../../lib/sync/keys/derive';
import { relayUrlFor } from '../../lib/sync/notebook-sync';
import { RelayClient, type RelaySocketConstructor } from '../../lib/sync/relay/client';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';
import { startSyncServer, type SyncServer } from './sync-server';

const inNetns = process.env.PN_NETNS === '1';
if (!inNetns)
  console.warn(
    'history.spec: skipped — run inside the private network namespace: unshare -n sh scripts/netns.sh npx vitest run -c vitest.e2e.config.ts test/e2e/history.spec.ts',
  );

const NOTE = 'Our reading room has 120 seats and opens at eight.';

/** What the broken copy does: every topic and every note gone, in one change. */
function eraseAll(doc: Y.Doc) {
  doc.transact(() => {
    for (const id of [...doc.getMap('topics').keys()]) {
      doc.getMap('topics').delete(id);
      const note = doc.getXmlFragment(`note:${id}`);
      note.delete(0, note.length);
    }
  });
}

describe.skipIf(!inNetns)('History: a partner erases every topic, and it comes back', () => {
  let server: SyncServer;
  let ana: Person, bat: Person;
  let a: Panel, b: Panel;
  let eraser: { doc: Y.Doc; client: RelayClient } | undefined;
  const doc = new Y.Doc();

  beforeAll(async () => {
    server = await startSyncServer();
    ana = await launchPerson();
    bat = await launchPerson();
  });
  afterAll(async () => {
    await eraser?.client.stop();
    await Promise.all([ana, bat].map((p) => p?.close()));
    await server?.stop();
  });

  test('the erasure reaches both; B restores the whole notebook from History; A sees the topics again', async () => {
    a = new Panel(await ana.openPanel(360));
    await a.startAnasNotebook(server.url);
    await a.openTopic('Library Spaces');
    await a.editor.click();
    await a.page.keyboard.type(NOTE);
    await a.backToTopics();
    const code = await a.inviteCode();
    const titles = await a.topicTitles();
    expect(titles).toHaveLength(7);

    b = new Panel(await bat.openPanel(360));
    await b.welcome('Батбаяр Дорж');
    await b.joinWith(code);
    await expect.poll(() => b.topicTitles(), { timeout: 20_000 }).toEqual(titles);
    await b.openTopic('Library Spaces');
    await expect.poll(() => b.noteText(), { timeout: 20_000 }).toBe(NOTE);
    await b.backToTopics();

    // The eraser: a member's broken copy, syncing through the relay.
    const invite = parseInvite(code);
    const client = new RelayClient({
      doc,
      keys: await deriveKeys(invite.secret),
      url: relayUrlFor(server.url)!,
      WebSocketImpl: WebSocket as unknown as RelaySocketConstructor,
      cursorStore: { load: async () => null, save: async () => {} },
      uploadStore: { load: async () => null, save: async () => {} },
      batchMs: 10,
    });
    eraser = { doc, client };
    await client.start();
    await expect.poll(() => doc.getMap('topics').size, { timeout: 20_000 }).toBe(7);
    eraseAll(doc);
    await client.flush(15_000);

    // Both partners lose every topic…
    await expect.poll(() => b.topicTitles(), { timeout: 20_000 }).toEqual([]);
    await expect.poll(() => a.topicTitles(), { timeout: 20_000 }).toEqual([]);
    // …and Batbayar is told that History kept the notebook as it was.
    await b.by(T.historyAlert).waitFor();
    expect(await b.by(T.historyAlert).textContent()).toContain('kept in History');
    await screenshot(b.page, 'history-alert');
    await b.by(T.historyAlertOpen).click();

    const version = b.by(T.historyVersion).filter({ hasText: 'removed a lot' });
    await version.first().waitFor();
    expect(await version.first().textContent()).toContain('Removed: 7 topics');
    expect(await version.first().textContent()).toContain('7 topics · 0 clips');
    await expect.poll(() => b.by(T.historySize).textContent()).toMatch(/History uses [\d.,]+ (B|KB|MB)/);
    await screenshot(b.page, 'history-list');

    // Looking at the past version: its topics, and one topic's note, read-only.
    await version
      .first()
      .getByRole('button', { name: /^Open the version of/ })
      .click();
    await b.by(T.historyPast).waitFor();
    await screenshot(b.page, 'history-version-topics');
    await b.page.getByRole('button', { name: 'Look at “Library Spaces” in this version' }).click();
    await expect.poll(() => b.by(T.historyPastNote).textContent()).toContain(NOTE);
    await screenshot(b.page, 'history-version');

    // Restoring the whole notebook: the confirmation says what will change.
    await b.by(T.historyRestoreNotebook).click();
    await b.by(T.confirmDialog).waitFor();
    const body = await b.by(T.confirmDialog).textContent();
    expect(body).toContain('7 topics come back.');
    expect(body).toContain('Topics and clips added since then stay.');
    await screenshot(b.page, 'history-confirm');
    await b.by(T.confirmYes).click();
    await expect.poll(() => b.by(T.historyStatus).textContent(), { timeout: 10_000 }).toContain('Restored from the version of');

    // Back for everyone: on B, on A (who never touched History), and on the eraser's copy.
    await b.gotoTopics();
    await expect.poll(() => b.topicTitles(), { timeout: 20_000 }).toEqual(titles);
    await expect.poll(() => a.topicTitles(), { timeout: 20_000 }).toEqual(titles);
    await a.openTopic('Library Spaces');
    await expect.poll(() => a.noteText(), { timeout: 20_000 }).toBe(NOTE);
    await expect.poll(() => doc.getMap('topics').size, { timeout: 20_000 }).toBe(7);
    // Topics that were gone for a while are not "entries from a partner that could not be read".
    expect(await a.page.getByText('could not be read').count()).toBe(0);
    expect(await b.page.getByText('could not be read').count()).toBe(0);
  });

  test('A empties one note; B brings that topic back from its own History', async () => {
    // Ana selects the whole note and deletes it (the editor allows it; a slip of the keyboard).
    await a.editor.click();
    await a.page.keyboard.press('Control+A');
    await a.page.keyboard.press('Delete');
    await expect.poll(() => a.noteText()).toBe('');
    await b.openTopic('Library Spaces');
    await expect.poll(() => b.noteText(), { timeout: 20_000 }).toBe('');

    await b.by(T.topicHistory).click();
    // The version kept before the erasure still has the note.
    const version = b.by(T.historyVersion).filter({ hasText: 'removed a lot' });
    await version
      .first()
      .getByRole('button', { name: /^Open the version of/ })
      .click();
    await expect.poll(() => b.by(T.historyPastNote).textContent()).toContain(NOTE);
    await b.by(T.historyRestoreTopic).click();
    await b.by(T.confirmDialog).waitFor();
    expect(await b.by(T.confirmDialog).textContent()).toContain('1 note goes back to its earlier text.');
    await b.by(T.confirmYes).click();
    await expect.poll(() => b.by(T.historyStatus).textContent(), { timeout: 10_000 }).toContain('Restored from the version of');
    await expect.poll(() => a.noteText(), { timeout: 20_000 }).toBe(NOTE);
    await screenshot(a.page, 'history-topic-restored');
  });

  test('B was not online when the eraser struck again: B opens the panel later and History has the notebook from before', async () => {
    await b.page.close();
    await expect.poll(() => doc.getMap('topics').size, { timeout: 20_000 }).toBe(7);
    eraseAll(doc);
    await eraser!.client.flush(15_000);
    await expect.poll(() => a.topicTitles(), { timeout: 20_000 }).toEqual([]);

    b = new Panel(await bat.openPanel(360));
    await b.by(T.historyAlert).waitFor({ timeout: 30_000 });
    await b.by(T.historyAlertOpen).click();
    const version = b.by(T.historyVersion).filter({ hasText: 'removed a lot' }).first();
    await expect.poll(() => version.textContent()).toContain('Removed: 7 topics');
    expect(await version.textContent()).toContain('7 topics · 0 clips');
  });

  test('a new invite keeps a version first', async () => {
    await b.gotoTopics();
    await b.by(T.invitePartners).click();
    await b.by(T.rotateInvite).click();
    await b.by(T.confirmYes).click();
    await b.page.getByText('Done. The code above is the new invite').waitFor({ timeout: 20_000 });
    await b.page.getByRole('button', { name: '← Back' }).click();
    await b.by(T.openHistory).click();
    const newest = b.by(T.historyVersion).first();
    await expect.poll(() => newest.textContent()).toContain('Before a new invite was made');
  });
});
