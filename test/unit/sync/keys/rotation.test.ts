import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { FINGERPRINT_WORDS } from '../../../../lib/sync/keys/fingerprint-words';
import { addRotationRecord, readRotationRecords, setMemberEntry, readMemberEntries } from '../../../../lib/notebook';
import {
  addSigningKeys,
  commitSecret,
  fingerprintWords,
  generateMemberKeys,
  listCandidates,
  makeRotation,
  resolveRotations,
  signMemberEntry,
  unwrapSecret,
  verifyMember,
  verifyRotation,
  FINGERPRINT_WORD_COUNT,
  type MemberKeyPair,
} from '../../../../lib/sync/keys/rotation';

const NB = 'nb-1';

async function member(personId: string, name: string) {
  const keys = await generateMemberKeys();
  const entry = await signMemberEntry(keys, personId, name);
  return { keys, entry, m: (await verifyMember(entry.value, entry.keyId))! };
}

/** Ana, Batbayar and a third person (signed up), the first two secrets (all 1s, all 2s) and an empty notebook. */
async function anaBatAnd(personId: string, name: string) {
  const ana = await member('ana', 'Ana');
  const bat = await member('bat', 'Batbayar');
  const third = await member(personId, name);
  return { ana, bat, third, s0: new Uint8Array(32).fill(1), s1: new Uint8Array(32).fill(2), doc: new Y.Doc() };
}

test('a new secret opens for every listed member and nobody else, and carries no secret in clear', async () => {
  const ana = await member('ana', 'Ana');
  const bat = await member('bat', 'Batbayar');
  const eve = await member('eve', 'Eve');
  const doc = new Y.Doc();
  const oldSecret = crypto.getRandomValues(new Uint8Array(32));
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const r = await makeRotation({ notebookId: NB, epoch: 1, oldSecret, newSecret: secret, keys: ana.keys, me: ana.m, keep: [bat.m], at: 5 });
  addRotationRecord(doc, r.key, r.value);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const [rec] = readRotationRecords(copy);
  const v = (await verifyRotation(rec!.key, rec!.value, NB))!;
  expect(v.epoch).toBe(1);
  expect(v.by.name).toBe('Ana');
  expect(v.members.map((m) => m.personId)).toEqual(['ana', 'bat']);
  expect(await unwrapSecret(v, ana.keys, ana.m.keyId)).toEqual(secret);
  expect(await unwrapSecret(v, bat.keys, bat.m.keyId)).toEqual(secret);
  expect(await unwrapSecret(v, eve.keys, eve.m.keyId)).toBeUndefined();
  // Another member's copy does not open with someone else's key.
  expect(await unwrapSecret(v, eve.keys, bat.m.keyId)).toBeUndefined();
  expect(rec!.value).not.toContain(btoa(String.fromCharCode(...secret)));
  expect(v.next).toBe(await commitSecret(secret));
  expect(v.prev).toBe(await commitSecret(oldSecret));
  // The record is for this notebook only.
  expect(await verifyRotation(rec!.key, rec!.value, 'another-notebook')).toBeUndefined();
  // Its key must name its epoch and signer.
  expect(await verifyRotation(rec!.key.replace(/^1:/, '2:'), rec!.value, NB)).toBeUndefined();
});

test('member entries: signed by their own key, stored under its id; tampering or another id is rejected', async () => {
  const ana = await member('ana', 'Ana Kaladžija');
  expect(ana.m).toMatchObject({ personId: 'ana', name: 'Ana Kaladžija', keyId: ana.entry.keyId });
  expect(await verifyMember(ana.entry.value, 'B'.repeat(22))).toBeUndefined();
  const signed = JSON.parse(ana.entry.value);
  const p = JSON.parse(signed.p);
  expect(await verifyMember(JSON.stringify({ ...signed, p: JSON.stringify({ ...p, name: 'Eve' }) }))).toBeUndefined();
  const other = await generateMemberKeys();
  // Someone else's ECDH key under Ana's signing key (to receive her wraps) does not verify.
  expect(await verifyMember(JSON.stringify({ ...signed, p: JSON.stringify({ ...p, box: { x: other.publicJwk.x, y: other.publicJwk.y } }) }))).toBeUndefined();
  for (const bad of ['', 'null', '{"p":1}', JSON.stringify({ p: 'x', s: '!!' }), 42, null]) expect(await verifyMember(bad)).toBeUndefined();
});

test('fingerprint words: a fixed list of 256 distinct words, five per key, same key same words', async () => {
  expect(FINGERPRINT_WORDS).toHaveLength(256);
  expect(new Set(FINGERPRINT_WORDS).size).toBe(256);
  const a = await member('ana', 'Ana');
  const words = await fingerprintWords(a.m.keyId);
  expect(words.split(' ')).toHaveLength(FINGERPRINT_WORD_COUNT);
  expect(a.m.words).toBe(words);
  expect(await fingerprintWords(a.m.keyId)).toBe(words);
  const b = await member('ana', 'Ana');
  expect(b.m.words).not.toBe(words);
});

test('keys made before signing get a signing pair and keep their ECDH pair', async () => {
  const full = await generateMemberKeys();
  const old: MemberKeyPair = { publicJwk: full.publicJwk, privateJwk: full.privateJwk };
  const up = await addSigningKeys(old);
  expect(up.publicJwk).toEqual(old.publicJwk);
  expect(up.signPublicJwk?.kty).toBe('EC');
  expect(await addSigningKeys(up)).toBe(up);
});

test('a chain of new invites is followed to the end by a member listed in each; a fresh joiner waits for the next one', async () => {
  const ana = await member('ana', 'Ana');
  const bat = await member('bat', 'Batbayar');
  const s0 = new Uint8Array(32).fill(1);
  const s1 = new Uint8Array(32).fill(2);
  const s2 = new Uint8Array(32).fill(3);
  const doc = new Y.Doc();
  const r1 = await makeRotation({ notebookId: NB, epoch: 1, oldSecret: s0, newSecret: s1, keys: ana.keys, me: ana.m, keep: [bat.m], at: 1 });
  addRotationRecord(doc, r1.key, r1.value);
  const r2 = await makeRotation({ notebookId: NB, epoch: 2, oldSecret: s1, newSecret: s2, keys: bat.keys, me: bat.m, keep: [ana.m], at: 2 });
  addRotationRecord(doc, r2.key, r2.value);
  const records = readRotationRecords(doc);
  const res = await resolveRotations({ notebookId: NB, records, state: { epoch: 0 }, secret: s0, keys: ana.keys });
  expect(res.outcome).toBe('moved');
  expect(res.secret).toEqual(s2);
  expect(res.state).toEqual({ epoch: 2, members: [bat.m.keyId, ana.m.keyId] });
  // Finn joined with the newest code: he stays where he is (no member list is taken from the
  // records), is not told he was left out, and follows the next new invite that keeps him.
  const finn = await member('finn', 'Finn');
  const fresh = await resolveRotations({ notebookId: NB, records, state: { epoch: 0 }, secret: s2, keys: finn.keys });
  expect(fresh).toMatchObject({ outcome: 'none', state: { epoch: 0 } });
  const s3 = new Uint8Array(32).fill(4);
  const r3 = await makeRotation({ notebookId: NB, epoch: 3, oldSecret: s2, newSecret: s3, keys: ana.keys, me: ana.m, keep: [bat.m, finn.m], at: 3 });
  addRotationRecord(doc, r3.key, r3.value);
  const later = await resolveRotations({ notebookId: NB, records: readRotationRecords(doc), state: { epoch: 0 }, secret: s2, keys: finn.keys });
  expect(later).toMatchObject({ outcome: 'moved', state: { epoch: 3 } });
  expect(later.secret).toEqual(s3);
  // Someone with only the first code is told they are not part of the new one.
  expect((await resolveRotations({ notebookId: NB, records, state: { epoch: 0 }, secret: s0, keys: (await member('eve', 'Eve')).keys })).outcome).toBe(
    'not-included',
  );
  // A computer already at epoch 2 stays: epochs only move forward.
  expect((await resolveRotations({ notebookId: NB, records, state: { epoch: 2, members: [ana.m.keyId] }, secret: s2, keys: ana.keys })).outcome).toBe('none');
});

test('the rotation dialog lists current members even if their entry was removed, and newcomers marked as such', async () => {
  const { ana, bat, third: finn, s0, s1, doc } = await anaBatAnd('finn', 'Finn');
  const r1 = await makeRotation({ notebookId: NB, epoch: 1, oldSecret: s0, newSecret: s1, keys: ana.keys, me: ana.m, keep: [bat.m], at: 1 });
  addRotationRecord(doc, r1.key, r1.value);
  setMemberEntry(doc, ana.entry.keyId, ana.entry.value);
  setMemberEntry(doc, finn.entry.keyId, finn.entry.value);
  const list = await listCandidates({
    notebookId: NB,
    entries: readMemberEntries(doc),
    records: readRotationRecords(doc),
    state: { epoch: 1, members: [ana.m.keyId, bat.m.keyId] },
    secret: s1,
    myKeyId: ana.m.keyId,
  });
  expect(list.map((c) => [c.name, c.current, c.me])).toEqual([
    ['Ana', true, true],
    ['Batbayar', true, false],
    ['Finn', false, false],
  ]);
});

test('a record claiming to have made the first secret gives its maker no say over partners who hold it', async () => {
  const { ana, bat, third: eve, s0, s1, doc } = await anaBatAnd('eve', 'Eve');
  // Eve holds the first code: she signs "epoch 5 made this secret, and only I am a member".
  const fake = await makeRotation({
    notebookId: NB,
    epoch: 5,
    oldSecret: new Uint8Array(32).fill(9),
    newSecret: s0,
    keys: eve.keys,
    me: eve.m,
    keep: [],
    at: 1,
  });
  addRotationRecord(doc, fake.key, fake.value);
  // A "rotation" that keeps the same secret is not a record at all.
  const loop = await makeRotation({ notebookId: NB, epoch: 1, oldSecret: s0, newSecret: s0, keys: eve.keys, me: eve.m, keep: [bat.m], at: 1 });
  expect(await verifyRotation(loop.key, loop.value, NB)).toBeUndefined();
  const r1 = await makeRotation({ notebookId: NB, epoch: 1, oldSecret: s0, newSecret: s1, keys: ana.keys, me: ana.m, keep: [bat.m], at: 2 });
  addRotationRecord(doc, r1.key, r1.value);
  const res = await resolveRotations({ notebookId: NB, records: readRotationRecords(doc), state: { epoch: 0 }, secret: s0, keys: bat.keys });
  expect(res).toMatchObject({ outcome: 'moved', state: { epoch: 1, members: [ana.m.keyId, bat.m.keyId] } });
});
