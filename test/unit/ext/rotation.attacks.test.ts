/**
 * Attacks on "Make a new invite" (issue 12, point 1), written as an attacker would run them
 * against lib/: someone who held the old invite (Eve, the "wrong person") tries to stay in, to
 * pull an offline partner into a room she controls, and to take over a partner's key.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import * as Y from 'yjs';
import { ensureMemberKey, followRotation, listPeople, rotateSecret } from '../../../lib/ext/rotation';
import { fromHex, toHex } from '../../../lib/ext/storage';
import { as, meet, NB, person, rotateLeavingOut, secret0, secretOf, threePeople, type Person } from './people';
import { legacyWrap } from '../../shared/legacy-rotation';
import { addRotationRecord, readRotationRecords } from '../../../lib/notebook';
import {
  makeRotation,
  signMemberEntry,
  unwrapSecret,
  verifyMember,
  verifyRotation,
  type MemberKeyPair,
  type RotationChoice,
} from '../../../lib/sync/keys/rotation';

let ana: Person, bat: Person, eve: Person;
beforeEach(async () => {
  fakeBrowser.reset();
  // Eve was sent the invite by mistake and opened the notebook: she holds the first secret.
  ({ ana, bat, eve } = await threePeople());
});

/** Ana makes a new invite keeping herself and Batbayar (as she sees them listed, by key). */
async function anaRotatesWithoutEve() {
  expect(await rotateLeavingOut(ana, ['eve'])).toBe('moved');
}

test('the person who got the invite by mistake is not given the new secret', async () => {
  await anaRotatesWithoutEve();
  meet(ana, eve);
  meet(ana, bat);
  expect(await as(bat, () => followRotation(bat.doc, NB, bat.id))).toBe('moved');
  expect(secretOf(bat)).toBe(secretOf(ana));
  expect(await as(eve, () => followRotation(eve.doc, NB, eve.id))).toBe('not-included');
  expect(secretOf(eve)).toBe(secret0);
});

test('a forged rotation that names Ana as its maker does not pull an offline partner into the forger’s room', async () => {
  await anaRotatesWithoutEve();
  // Batbayar is offline; Eve sees Ana's new invite in the old room (she still holds its secret).
  meet(ana, eve);
  const evilSecret = crypto.getRandomValues(new Uint8Array(32));
  // The old, unsigned form: a record "by Ana" at a higher epoch, wrapped for Batbayar's published key.
  const batJwk = JSON.parse(eve.doc.getMap<string>('memberKeys').get('bat') ?? 'null') as JsonWebKey | null;
  if (batJwk) {
    const wrapped = { bat: await legacyWrap(evilSecret, batJwk, 2, 'bat') };
    eve.doc.transact(() => eve.doc.getMap('meta').set('rotation', JSON.stringify({ epoch: 2, by: 'ana', wrapped })));
  }
  // Batbayar comes back and receives everything the old room holds.
  meet(eve, bat);
  meet(ana, bat);
  const r = await as(bat, () => followRotation(bat.doc, NB, bat.id));
  expect(secretOf(bat)).not.toBe(toHex(evilSecret));
  expect(r).toBe('moved');
  expect(secretOf(bat)).toBe(secretOf(ana));
});

test('a member key overwritten by someone else before a rotation gives them nothing', async () => {
  // Eve publishes her own key under Batbayar's person id (the old map was keyed by person id).
  const eveJwk = (eve.keys as { publicJwk?: JsonWebKey }).publicJwk;
  if (eveJwk) eve.doc.transact(() => eve.doc.getMap<string>('memberKeys').set('bat', JSON.stringify(eveJwk)));
  meet(eve, ana);
  await anaRotatesWithoutEve();
  meet(ana, eve);
  // Eve, with her own keys, tries to open the copy made for Batbayar.
  expect(await as(eve, () => followRotation(eve.doc, NB, 'bat'))).not.toBe('moved');
  expect(secretOf(eve)).toBe(secret0);
  meet(ana, bat);
  expect(await as(bat, () => followRotation(bat.doc, NB, bat.id))).toBe('moved');
});

test('epochs only move forward: an old rotation record replayed later is ignored', async () => {
  await anaRotatesWithoutEve();
  meet(ana, bat);
  await as(bat, () => followRotation(bat.doc, NB, bat.id));
  const s1 = secretOf(bat);
  // Ana makes another new invite; Batbayar follows.
  const keep = (await as(ana, () => listPeople(ana.doc, NB))).filter((m) => m.personId !== 'eve').map((m) => m.keyId);
  await as(ana, () => rotateSecret(ana.doc, NB, ana.id, { keep, name: ana.name }));
  await as(ana, () => followRotation(ana.doc, NB, ana.id));
  meet(ana, bat);
  expect(await as(bat, () => followRotation(bat.doc, NB, bat.id))).toBe('moved');
  const s2 = secretOf(bat);
  expect(s2).not.toBe(s1);
  // A copy of the notebook from before (epoch 1) arrives again: nothing moves back.
  const stale = new Y.Doc();
  Y.applyUpdate(stale, Y.encodeStateAsUpdate(bat.doc));
  bat.doc = stale;
  expect(await as(bat, () => followRotation(bat.doc, NB, bat.id))).toBe('none');
  expect(secretOf(bat)).toBe(s2);
});

describe('forgeries in the signed scheme', () => {
  /** Eve, holding the first secret, signs her own "new invite" for epoch 1 and claims to be Ana. */
  async function eveForgesAsAna(): Promise<{ key: string; secret: Uint8Array }> {
    const keys = eve.keys as MemberKeyPair;
    const disguise = await signMemberEntry(keys, 'ana', 'Ana');
    const me = (await verifyMember(disguise.value))!;
    const people = await as(eve, () => listPeople(eve.doc, NB));
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const record = await makeRotation({
      notebookId: NB,
      epoch: 1,
      oldSecret: fromHex(secret0),
      newSecret: secret,
      keys,
      me,
      keep: people.filter((p) => p.personId === 'bat'),
      at: Date.now(),
    });
    addRotationRecord(eve.doc, record.key, record.value);
    return { key: record.key, secret };
  }

  test('two valid new invites for the same epoch: the offline partner is asked, sees who made each, and moves only when they choose', async () => {
    await anaRotatesWithoutEve();
    meet(ana, eve);
    const forged = await eveForgesAsAna();
    meet(eve, bat);
    meet(ana, bat);
    let choice: RotationChoice | undefined;
    expect(await as(bat, () => followRotation(bat.doc, NB, bat.id, { onChoice: (c) => (choice = c) }))).toBe('choose');
    expect(secretOf(bat)).toBe(secret0);
    // Both claim "Ana"; the fingerprint words tell them apart.
    expect(choice!.options.map((o) => o.by.name)).toEqual(['Ana', 'Ana']);
    const real = choice!.options.find((o) => o.key !== forged.key)!;
    const fake = choice!.options.find((o) => o.key === forged.key)!;
    expect(real.by.words).not.toBe(fake.by.words);
    expect(fake.members.map((m) => m.personId).sort()).toEqual(['ana', 'bat']);
    // Batbayar compared the words with Ana on a call and picks hers.
    expect(await as(bat, () => followRotation(bat.doc, NB, bat.id, { chosen: real.key }))).toBe('moved');
    expect(secretOf(bat)).toBe(secretOf(ana));
    expect(secretOf(bat)).not.toBe(toHex(forged.secret));
  });

  test('a new invite someone removed makes the partner ask instead of following the one left', async () => {
    await anaRotatesWithoutEve();
    meet(ana, eve);
    // Eve deletes Ana's record from the old room and leaves only her own.
    const anaKey = readRotationRecords(eve.doc)[0]!.key;
    eve.doc.transact(() => eve.doc.getMap('rotations').delete(anaKey));
    await eveForgesAsAna();
    meet(eve, bat);
    let choice: RotationChoice | undefined;
    expect(await as(bat, () => followRotation(bat.doc, NB, bat.id, { onChoice: (c) => (choice = c) }))).toBe('choose');
    expect(secretOf(bat)).toBe(secret0);
    expect(choice!.options).toHaveLength(1);
    expect(choice!.removed.map((r) => r.keyId)).toEqual([anaKey.split(':')[1]]);
  });

  test('after the first new invite, only its members may make the next one: a record by anyone else is ignored', async () => {
    await anaRotatesWithoutEve();
    meet(ana, bat);
    await as(bat, () => followRotation(bat.doc, NB, bat.id));
    // Finn joins later with the current code (a bearer of the epoch-1 secret, not a listed member).
    // Batbayar, a listed member, only accepts epoch 2 from Ana or himself.
    const finn = await person('finn', 'Finn');
    finn.notebooks = [{ ...finn.notebooks[0]!, secret: secretOf(ana) }];
    meet(ana, finn);
    expect(await as(finn, () => followRotation(finn.doc, NB, finn.id))).toBe('none');
    // Finn makes one (for the epoch after the one that made his secret), keeping only himself.
    await as(finn, () => rotateSecret(finn.doc, NB, finn.id, { keep: [], name: finn.name }));
    expect(
      readRotationRecords(finn.doc)
        .map((r) => r.key.split(':')[0])
        .sort(),
    ).toEqual(['1', '2']);
    meet(finn, bat);
    expect(await as(bat, () => followRotation(bat.doc, NB, bat.id))).toBe('none');
    expect(bat.notebooks[0]!.secretEpoch).toBe(1);
  });

  test('a member entry cannot be replaced: a copy under someone’s key id with other keys is rejected, a claim to their name is another key', async () => {
    const batEntry = (await as(ana, () => listPeople(ana.doc, NB))).find((p) => p.personId === 'bat')!;
    const disguise = await signMemberEntry(eve.keys as MemberKeyPair, 'bat', 'Batbayar');
    // Under Batbayar's key id: does not verify, so it is not a member at all (and Batbayar re-publishes his).
    eve.doc.transact(() => eve.doc.getMap('members').set(batEntry.keyId, disguise.value));
    eve.doc.transact(() => eve.doc.getMap('members').set(disguise.keyId, disguise.value));
    meet(eve, ana);
    const people = await as(ana, () => listPeople(ana.doc, NB));
    const bats = people.filter((p) => p.personId === 'bat');
    expect(bats.map((b) => b.keyId)).toEqual([disguise.keyId]);
    expect(bats[0]!.words).not.toBe(batEntry.words);
    meet(ana, bat);
    await as(bat, () => ensureMemberKey(bat.doc, bat.id, bat.name));
    meet(bat, ana);
    const again = (await as(ana, () => listPeople(ana.doc, NB))).filter((p) => p.personId === 'bat');
    expect(again.map((b) => b.words).sort()).toEqual([batEntry.words, bats[0]!.words].sort());
  });

  test('a wrap moved to another recipient or epoch does not open', async () => {
    await anaRotatesWithoutEve();
    const [rec] = readRotationRecords(ana.doc);
    const v = (await verifyRotation(rec!.key, rec!.value, NB))!;
    const batId = v.members.find((m) => m.personId === 'bat')!.keyId;
    const anaId = v.by.keyId;
    const batKeys = bat.keys as MemberKeyPair;
    expect(await unwrapSecret(v, batKeys, batId)).toBeDefined();
    expect(await unwrapSecret({ ...v, wrapped: { [anaId]: v.wrapped[batId]! } }, batKeys, anaId)).toBeUndefined();
    expect(await unwrapSecret({ ...v, epoch: 2 }, batKeys, batId)).toBeUndefined();
    expect(await unwrapSecret({ ...v, notebookId: 'other' }, batKeys, batId)).toBeUndefined();
    // A record edited in place (a member dropped from the list) no longer verifies.
    const p = JSON.parse(JSON.parse(rec!.value!).p);
    p.members = p.members.slice(0, 1);
    const tampered = JSON.stringify({ ...JSON.parse(rec!.value!), p: JSON.stringify(p) });
    expect(await verifyRotation(rec!.key, tampered, NB)).toBeUndefined();
  });
});
