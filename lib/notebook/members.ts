/**
 * Signed member entries and signed invite rotations, stored as opaque strings (lib/sync/keys/rotation.ts
 * does the cryptography and every check).
 */
import * as Y from 'yjs';
import { MEMBERS, ROTATIONS, write } from './keys';

// ---------------------------------------------------------------------------------------------
// Signed member entries and signed invite rotations (lib/sync/keys/rotation.ts does the cryptography
// and every check; here they are opaque strings under keys that name their signer).
//
// Both maps are keyed so that one writer cannot replace another's value with a valid one: a
// member entry sits under the id of the signing key that signed it, a rotation under
// `<epoch>:<signer key id>:<digest of the record>`. Anyone in the room can still delete or
// overwrite a value with garbage (Yjs has no write permissions); readers drop what does not
// verify, and rotations also report the keys whose value is gone (see readRotationRecords).

/** Most member entries and rotation records read from one notebook (a peer could add thousands). */
export const MEMBERSHIP_LIMITS = { entries: 200, rotations: 200, valueChars: 65_536 } as const;

/** Publishes this person's signed member entry (its key is the signing key's id). */
export function setMemberEntry(doc: Y.Doc, keyId: string, value: string): void {
  const m = doc.getMap<unknown>(MEMBERS);
  if (m.get(keyId) !== value) write(doc, () => m.set(keyId, value));
}

/** The member entry stored under one key id, if it is a string. */
export function readMemberEntry(doc: Y.Doc, keyId: string): string | undefined {
  const v = doc.getMap<unknown>(MEMBERS).get(keyId);
  return typeof v === 'string' ? v : undefined;
}

/** Every member entry, as [key id, value] (values not yet verified; non-strings and oversized ones skipped). */
export function readMemberEntries(doc: Y.Doc): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of doc.getMap<unknown>(MEMBERS).entries()) {
    if (out.length >= MEMBERSHIP_LIMITS.entries) break;
    if (typeof v === 'string' && v.length <= MEMBERSHIP_LIMITS.valueChars) out.push([k, v]);
  }
  return out;
}

/** Records a signed rotation under its own key (never replacing another record). */
export function addRotationRecord(doc: Y.Doc, key: string, value: string): void {
  write(doc, () => doc.getMap<unknown>(ROTATIONS).set(key, value));
}

/**
 * Every rotation record key ever written, with its value when it is still there as a string
 * (`undefined`: deleted or overwritten with something else). Deleted keys are listed on
 * purpose: a record someone removed must make the client ask rather than silently follow
 * another one. Yjs keeps the key of a deleted map entry (not its content) in the map's item list.
 */
export function readRotationRecords(doc: Y.Doc): { key: string; value: string | undefined }[] {
  const out: { key: string; value: string | undefined }[] = [];
  const m = doc.getMap<unknown>(ROTATIONS);
  for (const [key, item] of m._map) {
    if (out.length >= MEMBERSHIP_LIMITS.rotations) break;
    const v = item.deleted ? undefined : m.get(key);
    out.push({ key, value: typeof v === 'string' && v.length <= MEMBERSHIP_LIMITS.valueChars ? v : undefined });
  }
  return out;
}

/** The highest epoch any rotation record key names (not verified: for a backup's hint only). */
export function highestRotationEpoch(doc: Y.Doc): number {
  let max = 0;
  for (const { key } of readRotationRecords(doc)) {
    const n = Number(key.split(':')[0]);
    if (Number.isSafeInteger(n) && n > max) max = n;
  }
  return max;
}
