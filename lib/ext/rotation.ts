/**
 * New invites on this computer: making one (the new secret wrapped for every member) and
 * following one a partner made (moving this notebook to the new room).
 */
import type * as Y from 'yjs';
import { readMemberKeys, readRotation, setMemberKey, setRotation } from '../notebook/schema';
import { NOTEBOOK_SECRET_BYTES } from '../sync/keys';
import { generateMemberKeys, parseRotation, unwrapSecret, wrapSecret, type MemberKeyPair, type Rotation } from '../sync/rotation';
import { memberKeysItem, notebooksItem, toHex } from './storage';

/** This person's member keys, made on first use; the public key is published in the notebook. */
export async function ensureMemberKey(doc: Y.Doc, personId: string): Promise<MemberKeyPair> {
  let keys = await memberKeysItem.getValue();
  if (!keys) {
    keys = await generateMemberKeys();
    await memberKeysItem.setValue(keys);
  }
  setMemberKey(doc, personId, keys.publicJwk);
  return keys;
}

/** Makes a new invite: a fresh secret, wrapped for every member who has published a key. */
export async function rotateSecret(doc: Y.Doc, notebookId: string, personId: string): Promise<void> {
  // History (issue 12 point 5): keep the notebook as it was before the invite changes.
  await (await import('../sync/history-keeper')).keepVersion(doc, notebookId, 'before-rotation');
  await ensureMemberKey(doc, personId);
  const entry = (await notebooksItem.getValue()).find((e) => e.id === notebookId);
  const current = Math.max(entry?.secretEpoch ?? 0, parseRotation(readRotation(doc))?.epoch ?? 0);
  const secret = crypto.getRandomValues(new Uint8Array(NOTEBOOK_SECRET_BYTES));
  // Written in the old room: members receive it there, and follow (see followRotation).
  setRotation(doc, await wrapSecret(secret, readMemberKeys(doc), current + 1, personId));
}

/**
 * Follows the newest invite rotation in the notebook. Returns 'moved' when this computer switched
 * to the new secret, 'not-included' when the rotation has no copy for this person, or 'none'.
 */
export async function followRotation(
  doc: Y.Doc,
  notebookId: string,
  personId: string,
  /** Runs just before switching, e.g. to let partners receive the rotation record first. */
  beforeMove?: (rotation: Rotation) => Promise<void>,
): Promise<'moved' | 'not-included' | 'none'> {
  const rotation = parseRotation(readRotation(doc));
  const list = await notebooksItem.getValue();
  const entry = list.find((e) => e.id === notebookId);
  if (!rotation || !entry || rotation.epoch <= (entry.secretEpoch ?? 0)) return 'none';
  const keys = await memberKeysItem.getValue();
  const secret = keys ? await unwrapSecret(rotation, personId, keys) : undefined;
  if (!secret) return 'not-included';
  await beforeMove?.(rotation);
  const fresh = await notebooksItem.getValue();
  await notebooksItem.setValue(fresh.map((e) => (e.id === notebookId ? { ...e, secret: toHex(secret), secretEpoch: rotation.epoch } : e)));
  return 'moved';
}
