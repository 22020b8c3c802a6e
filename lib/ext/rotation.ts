/**
 * New invites on this computer: publishing this person's signed member entry, making a new
 * invite for the people the person chose to keep, and following one a partner made (moving this
 * notebook to the new room). The epoch and member list this computer accepted live in the
 * notebook's entry in extension storage, never in the shared document, so nobody can roll them back.
 */
import { t } from '../i18n';
import type * as Y from 'yjs';
import { addRotationRecord, readMemberEntries, readMemberEntry, readRotationRecords, setMemberEntry } from '../notebook';
import { NOTEBOOK_SECRET_BYTES } from '../sync/keys/derive';
import {
  addSigningKeys,
  commitSecret,
  generateMemberKeys,
  listCandidates,
  makeRotation,
  myKeyId,
  resolveRotations,
  RotationError,
  signMemberEntry,
  verifyMember,
  verifyRotation,
  type Candidate,
  type MemberKeyPair,
  type MemberState,
  type RotationChoice,
  type VerifiedRotation,
} from '../sync/keys/rotation';
import { fromHex, memberKeysItem, notebooksItem, toHex, type NotebookEntry } from './storage';

/** This person's keys, made (or given a signing pair) on first use. */
async function myKeys(): Promise<MemberKeyPair> {
  const stored = await memberKeysItem.getValue();
  const keys = stored ? await addSigningKeys(stored) : await generateMemberKeys();
  if (keys !== stored) await memberKeysItem.setValue(keys);
  return keys;
}

// ECDSA signatures differ each time: sign an entry once per person and name, not on every check.
const entryCache = new Map<string, { keyId: string; value: string }>();

/**
 * Publishes this person's signed member entry in the notebook (again, if someone removed or
 * damaged it). Cheap when it is already there.
 */
export async function ensureMemberKey(doc: Y.Doc, personId: string, name: string): Promise<MemberKeyPair> {
  const keys = await myKeys();
  const cacheKey = JSON.stringify([keys.signPublicJwk?.x, personId, name]);
  let entry = entryCache.get(cacheKey);
  if (!entry) {
    entry = await signMemberEntry(keys, personId, name);
    entryCache.set(cacheKey, entry);
  }
  const there = readMemberEntry(doc, entry.keyId);
  // A different but valid entry under my key id can only be mine (e.g. another name): keep it unless the name changed.
  if (there !== entry.value) setMemberEntry(doc, entry.keyId, entry.value);
  return keys;
}

const stateOf = (e: NotebookEntry): MemberState => ({ epoch: e.secretEpoch ?? 0, members: e.members });

async function entryFor(notebookId: string): Promise<NotebookEntry & { secret: string }> {
  const e = (await notebooksItem.getValue()).find((x) => x.id === notebookId);
  if (!e?.secret) throw new RotationError(t('errors.noInviteYet'));
  return e as NotebookEntry & { secret: string };
}

/** The people who can be kept in a new invite (name, fingerprint words, whether they are current members). */
export async function listPeople(doc: Y.Doc, notebookId: string): Promise<Candidate[]> {
  const e = await entryFor(notebookId);
  const keys = await myKeys();
  return listCandidates({
    notebookId,
    entries: readMemberEntries(doc),
    records: readRotationRecords(doc),
    state: stateOf(e),
    secret: fromHex(e.secret),
    myKeyId: await myKeyId(keys),
  });
}

/**
 * Makes a new invite: a fresh secret, wrapped only for this person and the key ids in `keep`
 * (chosen in the dialog from {@link listPeople}). Written in the current room, where members
 * receive it and follow; the maker follows too (see {@link followRotation}).
 * @throws RotationError when a partner's new invite is waiting to be followed or chosen first
 */
export async function rotateSecret(doc: Y.Doc, notebookId: string, personId: string, opts: { keep: string[]; name: string }): Promise<void> {
  // History (issue 12 point 5): keep the notebook as it was before the invite changes.
  await (await import('../sync/local/history-keeper')).keepVersion(doc, notebookId, 'before-rotation');
  const keys = await ensureMemberKey(doc, personId, opts.name);
  const e = await entryFor(notebookId);
  const oldSecret = fromHex(e.secret);
  const pending = await resolveRotations({ notebookId, records: readRotationRecords(doc), state: stateOf(e), secret: oldSecret, keys });
  if (pending.outcome !== 'none') {
    throw new RotationError(t('errors.partnerJustRotated'));
  }
  const mine = await myKeyId(keys);
  if (pending.state.members && !pending.state.members.includes(mine)) {
    throw new RotationError(t('errors.notKept'));
  }
  const people = await listPeople(doc, notebookId);
  const me = people.find((p) => p.me) ?? (await verifyMember(readMemberEntry(doc, mine)));
  if (!me) throw new RotationError(t('errors.ownEntryMissing'));
  const keep = people.filter((p) => opts.keep.includes(p.keyId));
  // A secret from a plain invite may belong to a later epoch than this computer knows: the records
  // that made it tell (a hint only: members who know the epoch accept exactly the next one).
  const c = await commitSecret(oldSecret);
  let epoch = pending.state.epoch;
  if (!pending.state.members) {
    for (const r of readRotationRecords(doc)) {
      const v = await verifyRotation(r.key, r.value, notebookId);
      if (v?.next === c) epoch = Math.max(epoch, v.epoch);
    }
  }
  const record = await makeRotation({
    notebookId,
    epoch: epoch + 1,
    oldSecret,
    newSecret: crypto.getRandomValues(new Uint8Array(NOTEBOOK_SECRET_BYTES)),
    keys,
    me,
    keep,
    at: Date.now(),
  });
  addRotationRecord(doc, record.key, record.value);
}

/** What {@link followRotation} did. */
export type FollowOutcome = 'moved' | 'not-included' | 'none' | 'choose';

/**
 * Follows new invites recorded in the notebook. Returns 'moved' when this computer switched to a
 * newer secret, 'not-included' when the newest valid one leaves this person out, 'choose' when
 * two compete (or one was removed) and the person must pick (`onChoice` gets what to show), or 'none'.
 */
export async function followRotation(
  doc: Y.Doc,
  notebookId: string,
  personId: string,
  opts: {
    /** Runs just before switching, e.g. to let partners receive the rotation record first. */
    beforeMove?(rotation: VerifiedRotation): Promise<void>;
    /** The record key the person picked when asked. */
    chosen?: string;
    onChoice?(choice: RotationChoice): void;
    onNotIncluded?(rotation: VerifiedRotation): void;
    /** After moving: the newest invite followed, and whether this computer made it. */
    onMoved?(rotation: VerifiedRotation, mine: boolean): void;
  } = {},
): Promise<FollowOutcome> {
  const e = (await notebooksItem.getValue()).find((x) => x.id === notebookId);
  if (!e?.secret) return 'none';
  const keys = await memberKeysItem.getValue();
  const r = await resolveRotations({ notebookId, records: readRotationRecords(doc), state: stateOf(e), secret: fromHex(e.secret), keys, chosen: opts.chosen });
  if (r.outcome === 'choose') opts.onChoice?.(r.choice);
  if (r.outcome === 'not-included') opts.onNotIncluded?.(r.rotation);
  const last = r.followed.at(-1);
  if (last) await opts.beforeMove?.(last);
  const changed = r.state.epoch !== (e.secretEpoch ?? 0) || JSON.stringify(r.state.members) !== JSON.stringify(e.members) || toHex(r.secret) !== e.secret;
  if (changed) {
    const fresh = await notebooksItem.getValue();
    // Only from the secret this decision started from (a join may have replaced it meanwhile), and never backwards.
    await notebooksItem.setValue(
      fresh.map((x) =>
        x.id === notebookId && x.secret === e.secret && r.state.epoch >= (x.secretEpoch ?? 0)
          ? { ...x, secret: toHex(r.secret), secretEpoch: r.state.epoch, members: r.state.members }
          : x,
      ),
    );
  }
  if (last && r.outcome !== 'choose') opts.onMoved?.(last, !!keys?.signPublicJwk && last.by.keyId === (await myKeyId(keys)));
  return r.outcome;
}
