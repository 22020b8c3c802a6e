/**
 * Attack (issue 12, point 2): a former partner sends an invite for a notebook that is already on
 * this computer, with their own secret and their own server. Pasting it must not silently move the
 * notebook; it asks, shows what would change, and never goes back to an older invite.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { joinNotebook, planJoin } from '../../../lib/ext/notebooks';
import { ensureMemberKey, followRotation, listPeople, rotateSecret } from '../../../lib/ext/rotation';
import { fromHex, notebooksItem, toHex, type NotebookEntry } from '../../../lib/ext/storage';
import { openNotebookSession } from '../../../lib/sync/local/notebook-session';
import { dbNameFor } from '../../../lib/sync/local/persistence';
import type { Invite } from '../../../lib/sync/keys/invite';
import { addRotationRecord } from '../../../lib/notebook';
import { generateMemberKeys, makeRotation, signMemberEntry, verifyMember } from '../../../lib/sync/keys/rotation';

const me = { id: 'bat', name: 'Batbayar', color: '#1f6feb' };
const ours: NotebookEntry = {
  id: 'nb-join',
  title: 'Ana & Batbayar',
  createdAt: 1,
  lastOpenedAt: 1,
  secret: toHex(new Uint8Array(32).fill(1)),
  signaling: ['ws://partners.example:4444/'],
};
const invite = (secret: Uint8Array, signaling: string[]): Invite => ({ version: 1, notebookId: ours.id, secret, signaling, title: 'Ana & Batbayar' });
const entry = async () => (await notebooksItem.getValue()).find((e) => e.id === ours.id)!;

beforeEach(async () => {
  fakeBrowser.reset();
  // fake-indexeddb outlives a test: each starts from an empty copy of the notebook.
  await new Promise((ok) => (indexedDB.deleteDatabase(dbNameFor(ours.id)).onsuccess = ok));
  await notebooksItem.setValue([ours]);
});

test('an invite with another secret and server for a notebook already here changes nothing by itself', async () => {
  const evil = invite(crypto.getRandomValues(new Uint8Array(32)), ['ws://attacker.example:4444/']);
  await joinNotebook(evil, me);
  expect(await entry()).toMatchObject({ secret: ours.secret, signaling: ours.signaling });

  const plan = await planJoin(evil);
  expect(plan).toMatchObject({ kind: 'changes', id: ours.id, secret: 'unknown', servers: { from: ours.signaling, to: ['ws://attacker.example:4444/'] } });
  // Only an explicit choice applies it.
  await joinNotebook(evil, me, { replace: true });
  expect(await entry()).toMatchObject({ secret: toHex(evil.secret), signaling: ['ws://attacker.example:4444/'] });
});

test('the same invite again just opens the notebook; a server-only change is shown', async () => {
  expect(await planJoin(invite(fromHex(ours.secret!), ours.signaling!))).toEqual({ kind: 'same', id: ours.id, title: ours.title });
  expect(await planJoin(invite(fromHex(ours.secret!), ['ws://other.example/']))).toMatchObject({
    kind: 'changes',
    secret: 'same',
    servers: { to: ['ws://other.example/'] },
  });
});

test('an invite the notebook has already replaced is refused: no downgrade to an older secret', async () => {
  // This computer followed a new invite (epoch 1); the first invite's secret is still in someone's mail.
  const session = openNotebookSession(ours.id);
  await session.ready;
  await ensureMemberKey(session.doc, me.id, me.name);
  await rotateSecret(session.doc, ours.id, me.id, { keep: (await listPeople(session.doc, ours.id)).map((m) => m.keyId), name: me.name });
  expect(await followRotation(session.doc, ours.id, me.id)).toBe('moved');
  await session.persistence.confirm();
  await session.close();
  const now = await entry();
  expect(now.secret).not.toBe(ours.secret);

  const old = invite(fromHex(ours.secret!), ours.signaling!);
  expect(await planJoin(old)).toMatchObject({ kind: 'changes', secret: 'older' });
  await expect(joinNotebook(old, me, { replace: true })).rejects.toThrow(/older invite/);
  expect(await entry()).toMatchObject({ secret: now.secret, secretEpoch: 1 });
});

test('left out of a new invite by mistake: the new code from a partner is recognised as newer, and with it the next new invite that keeps them is followed', async () => {
  // Ana's computer, in this test: she makes a new invite that leaves Batbayar out.
  const anaKeys = await generateMemberKeys();
  const anaEntry = await signMemberEntry(anaKeys, 'ana', 'Ana');
  const anaMember = (await verifyMember(anaEntry.value))!;
  const s1 = crypto.getRandomValues(new Uint8Array(32));
  const session = openNotebookSession(ours.id);
  await session.ready;
  await ensureMemberKey(session.doc, me.id, me.name);
  const r = await makeRotation({
    notebookId: ours.id,
    epoch: 1,
    oldSecret: fromHex(ours.secret!),
    newSecret: s1,
    keys: anaKeys,
    me: anaMember,
    keep: [],
    at: Date.UTC(2026, 2, 1),
  });
  addRotationRecord(session.doc, r.key, r.value);
  expect(await followRotation(session.doc, ours.id, me.id)).toBe('not-included');
  await session.persistence.confirm();
  await session.close();

  const fresh = invite(s1, ours.signaling!);
  expect(await planJoin(fresh)).toMatchObject({ kind: 'changes', secret: 'newer', newer: { name: 'Ana', words: anaMember.words }, servers: null });
  await joinNotebook(fresh, me, { replace: true });
  expect(await entry()).toMatchObject({ secret: toHex(s1) });
  expect((await entry()).secretEpoch ?? 0).toBe(0);
  // Ana's next new invite keeps Batbayar: he follows it.
  const again = openNotebookSession(ours.id);
  await again.ready;
  expect(await followRotation(again.doc, ours.id, me.id)).toBe('none');
  const bat = (await listPeople(again.doc, ours.id)).find((p) => p.me)!;
  const s2 = crypto.getRandomValues(new Uint8Array(32));
  const r2 = await makeRotation({
    notebookId: ours.id,
    epoch: 2,
    oldSecret: s1,
    newSecret: s2,
    keys: anaKeys,
    me: anaMember,
    keep: [bat],
    at: Date.UTC(2026, 2, 2),
  });
  addRotationRecord(again.doc, r2.key, r2.value);
  expect(await followRotation(again.doc, ours.id, me.id)).toBe('moved');
  await again.close();
  expect(await entry()).toMatchObject({ secret: toHex(s2), secretEpoch: 2, members: [anaMember.keyId, bat.keyId] });
});
