/**
 * The follower an open notebook runs (lib/ext/rotation-follower.ts): it moves to a partner's new
 * invite when the record arrives, says who made it, tells a person who was left out, waits before
 * moving to an invite the person made, puts back a member entry someone removed, and ignores typing.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import * as Y from 'yjs';
import { listPeople, rotateSecret } from '../../../lib/ext/rotation';
import { followRotations, type RotationFollowerEvents } from '../../../lib/ext/rotation-follower';
import { memberKeysItem, notebooksItem } from '../../../lib/ext/storage';
import { addTopic, readMemberEntries } from '../../../lib/notebook';
import type { RotationChoice, VerifiedRotation } from '../../../lib/sync/keys/rotation';
import { NB, rotateLeavingOut, secret0, threePeople, type Person } from './people';

let ana: Person, bat: Person, eve: Person;
beforeEach(async () => {
  fakeBrowser.reset();
  ({ ana, bat, eve } = await threePeople());
});

/** Ana makes a new invite keeping everyone but `leaveOut`, and moves to it herself. */
const anaRotates = async (leaveOut: string[] = []) => void (await rotateLeavingOut(ana, leaveOut));

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

/**
 * Starts the follower as `p`, with `p`'s extension storage in place (one person at a time) and
 * what it tells the panel recorded; resolves once it is ready.
 */
async function following(p: Person, extra: Partial<RotationFollowerEvents> = {}) {
  await memberKeysItem.setValue(p.keys as never);
  await notebooksItem.setValue(p.notebooks);
  const { seen, events } = recorder(extra);
  const follower = followRotations(p.doc, NB, { id: p.id, name: p.name }, events);
  await follower.ready;
  return { seen, follower };
}

const storedSecret = async () => (await notebooksItem.getValue()).find((e) => e.id === NB)!.secret;

/** Delivers what `from` has that `to` lacks, as sync would (origin 'remote'). */
const deliver = (from: Person, to: Person) => Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)), 'remote');

test('a partner’s new invite arriving later moves this notebook to it, and says who made it and whom it keeps', async () => {
  await anaRotates(['eve']);
  const { seen, follower } = await following(bat);
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
  const { seen, follower } = await following(eve);
  deliver(ana, eve);
  await vi.waitFor(() => expect(seen.notIncluded).toBe(1));
  expect(seen.moved).toHaveLength(0);
  expect(await storedSecret()).toBe(secret0);
  follower.stop();
});

test('the maker waits (beforeOwnMove) before moving to their own new invite, and is not told about it as news', async () => {
  const beforeOwnMove = vi.fn(async () => {});
  const { seen, follower } = await following(ana, { beforeOwnMove });
  const keep = (await listPeople(ana.doc, NB)).filter((m) => m.personId !== 'eve').map((m) => m.keyId);
  await rotateSecret(ana.doc, NB, ana.id, { keep, name: ana.name });
  await vi.waitFor(async () => expect(await storedSecret()).not.toBe(secret0));
  expect(beforeOwnMove).toHaveBeenCalledTimes(1);
  expect(seen.moved).toHaveLength(0);
  follower.stop();
});

test('a member entry a partner removed is published again', async () => {
  const { follower } = await following(bat);
  const mine = readMemberEntries(bat.doc).find(([, v]) => v.includes('Batbayar'))!;
  bat.doc.transact(() => bat.doc.getMap('members').delete(mine[0]), 'remote');
  expect(readMemberEntries(bat.doc).some(([k]) => k === mine[0])).toBe(false);
  await vi.waitFor(() => expect(readMemberEntries(bat.doc).some(([k, v]) => k === mine[0] && v === mine[1])).toBe(true));
  follower.stop();
});

test('typing and clipping do not run the check; after stop() nothing moves', async () => {
  await anaRotates(['eve']);
  const { seen, follower } = await following(bat);
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
