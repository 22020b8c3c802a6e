import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { readMemberKeys, readRotation, setMemberKey, setRotation } from '../../../lib/notebook/schema';
import { generateMemberKeys, parseRotation, unwrapSecret, wrapSecret } from '../../../lib/sync/rotation';

test('a new secret is readable by every current member and by nobody else', async () => {
  const ana = await generateMemberKeys();
  const bat = await generateMemberKeys();
  const outsider = await generateMemberKeys();
  const doc = new Y.Doc();
  setMemberKey(doc, 'ana', ana.publicJwk);
  setMemberKey(doc, 'bat', bat.publicJwk);
  const secret = crypto.getRandomValues(new Uint8Array(32));
  setRotation(doc, await wrapSecret(secret, readMemberKeys(doc), 1, 'ana'));

  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const rotation = parseRotation(readRotation(copy))!;
  expect(rotation.epoch).toBe(1);
  expect(await unwrapSecret(rotation, 'ana', ana)).toEqual(secret);
  expect(await unwrapSecret(rotation, 'bat', bat)).toEqual(secret);
  // Someone with an old invite has the notebook but no wrapped copy, and another member's copy does not open with their key.
  expect(await unwrapSecret(rotation, 'outsider', outsider)).toBeUndefined();
  expect(await unwrapSecret({ ...rotation, wrapped: { outsider: rotation.wrapped.bat! } }, 'outsider', outsider)).toBeUndefined();
  // The wrapped copies do not contain the secret.
  expect(JSON.stringify(readRotation(copy))).not.toContain(btoa(String.fromCharCode(...secret)));
});

test('malformed rotation records and member keys are ignored', async () => {
  expect(parseRotation({ epoch: 'x' })).toBeUndefined();
  expect(parseRotation({ epoch: 1, by: 'a', wrapped: { a: { iv: 1 } } })).toEqual({ epoch: 1, by: 'a', wrapped: {} });
  const doc = new Y.Doc();
  doc.getMap('memberKeys').set('evil', '{"kty":"oct"}');
  expect(readMemberKeys(doc)).toEqual({});
  const r = await wrapSecret(new Uint8Array(32), { broken: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } }, 2, 'a');
  expect(r.wrapped).toEqual({});
});
