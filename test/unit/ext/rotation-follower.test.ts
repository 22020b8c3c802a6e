/**
 * The follower an open notebook runs (lib/ext/rotation-follower.ts): it moves to a partner's new
 * invite when the record arrives, says who made it, tells a person who was left out, waits before
 * moving to an invite the person made, puts back a member entry someone removed, and ignores typing.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import * as Y from 'yjs';
import { followRotation, listPeople, rotateSecret } from '../../../lib/ext/rotation';
import { followRotations, type RotationFollowerEvents } from '../../../lib/ext/rotation-follower';
import { memberKeysItem, notebooksItem } from '../../../lib/ext/storage';
import { addTopic, readMemberEntries } from '../../../lib/notebook';
import type { RotationChoice, VerifiedRotation } from '../../../lib/sync/keys/rotation';
import { as, meet, NB, person, secret0, type Person } from './people';

let ana: Person, bat: Person, eve: Person;
beforeEach(async () => {
  fakeBrowser.reset();
  ana = await person('ana', 'Ana');
  bat = await person('bat', 'Batbayar');
  eve = await person('eve', 'Eve');
  meet(ana, bat);
  meet(ana, eve);
  meet(ana, bat);
});

/** Ana makes a new invite keeping everyone but `leaveOut`, and moves to it herself. */
async function anaRotates(leaveOut: string[] = []) {
  const keep = (await as(ana, () => listPeople(ana.doc, NB))).filter((m) => !leaveOut.includes(m.personId)).map((m) => m.keyId);
  await as(ana, () => rotateSecret(ana.doc, NB, ana.id, { keep, name: ana.name }));
  await as(ana, () => followRotation(ana.doc, NB, ana.id));
}

/** Puts `p`'s extension storage in place for a follower that runs as `p` (one person at a time). */
async function liveAs(p: Person) {
  await memberKeysItem.setValue(p.keys as never);
  await notebooksItem.setValue(p.notebooks);
}

/** Everything the follower told the panel. */
function recorder(extra: Partial<RotationFollowerEvents> = {}) {
  const seen = { moved: [] as VerifiedRotation[], choices: [] as (RotationChoice | null)[], notIncluded: 0, errors: [] as Error[] };
  const events: RotationFollowerEvents = {
    onChoice: (c) => seen.choices.push(c),
    onMovedByPartner: (r) => seen.moved.push(r),
    onNotIncluded: () => seen.notIncluded++,
    onError: (e) => seen.errors.push(e),
    ...extra,
  };
  return { seen, events };
}

const storedSecret = async () => (await notebooksItem.getValue()).find((e) => e.id === NB)!.secret;

/** Delivers what `from` has that `to` lacks, as sync would (origin 'remote'). */
const deliver = (from: Person, to: Person) => Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)), 'remote');

test('a partner’s new invite arriving later moves this notebook to it, and says who made it and whom it keeps', async () => {
  await anaRotates(['eve']);
  await liveAs(bat);
  const { seen, events } = recorder();
  const follower = followRotations(bat.doc, NB, { id: bat.id, name: bat.name }, events);
  await follower.ready;
  expect(seen.moved).toHaveLength(0);
  expect(await storedSecret()).toBe(secret0);

  deliver(ana, bat);
  await vi.waitFor(() => expect(seen.moved).toHaveLength(1));
  expect(seen.moved[0]!.by.name).toBe('Ana');
  expect(seen.moved[0]!.members.map((m) => m.personId).sort()).toEqual(['ana', 'bat']);
  expect(await storedSecret()).toBe(ana.notebooks[0]!.secret);
  expect(await storedSecret()).not.toBe(secret0);
  expect(seen.errors).toEqual([]);
  follower.stop();
});

test('a person left out of the newest invite is told, and keeps the old secret', async () => {
  await anaRotates(['eve']);
  await liveAs(eve);
  const { seen, events } = recorder();
  const follower = followRotations(eve.doc, NB, { id: eve.id, name: eve.name }, events);
  await follower.ready;
  deliver(ana, eve);
  await vi.waitFor(() => expect(seen.notIncluded).toBe(1));
  expect(seen.moved).toHaveLength(0);
  expect(await storedSecret()).toBe(secret0);
  follower.stop();
});

test('the maker waits (beforeOwnMove) before moving to their own new invite, and is not told about it as news', async () => {
  await liveAs(ana);
  const beforeOwnMove = vi.fn(async () => {});
  const { seen, events } = recorder({ beforeOwnMove });
  const follower = followRotations(ana.doc, NB, { id: ana.id, name: ana.name }, events);
  await follower.ready;
  const keep = (await listPeople(ana.doc, NB)).filter((m) => m.personId !== 'eve').map((m) => m.keyId);
  await rotateSecret(ana.doc, NB, ana.id, { keep, name: ana.name });
  await vi.waitFor(async () => expect(await storedSecret()).not.toBe(secret0));
  expect(beforeOwnMove).toHaveBeenCalledTimes(1);
  expect(seen.moved).toHaveLength(0);
  follower.stop();
});

test('a member entry a partner removed is published again', async () => {
  await liveAs(bat);
  const { events } = recorder();
  const follower = followRotations(bat.doc, NB, { id: bat.id, name: bat.name }, events);
  await follower.ready;
  const mine = readMemberEntries(bat.doc).find(([, v]) => v.includes('Batbayar'))!;
  bat.doc.transact(() => bat.doc.getMap('members').delete(mine[0]), 'remote');
  expect(readMemberEntries(bat.doc).some(([k]) => k === mine[0])).toBe(false);
  await vi.waitFor(() => expect(readMemberEntries(bat.doc).some(([k, v]) => k === mine[0] && v === mine[1])).toBe(true));
  follower.stop();
});

test('typing and clipping do not run the check; after stop() nothing moves', async () => {
  await anaRotates(['eve']);
  await liveAs(bat);
  const { seen, events } = recorder();
  const follower = followRotations(bat.doc, NB, { id: bat.id, name: bat.name }, events);
  await follower.ready;
  const reads = vi.spyOn(notebooksItem, 'getValue');
  addTopic(bat.doc, { title: 'Reading clubs' }, { now: () => 1, newId: () => 't1' });
  bat.doc.transact(() => bat.doc.getXmlFragment('note-t1').insert(0, [new Y.XmlText('hello')]), 'remote');
  await new Promise((ok) => setTimeout(ok, 20));
  expect(reads).not.toHaveBeenCalled();

  follower.stop();
  deliver(ana, bat);
  await new Promise((ok) => setTimeout(ok, 50));
  expect(seen.moved).toHaveLength(0);
  expect(await storedSecret()).toBe(secret0);
});
