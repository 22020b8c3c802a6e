/**
 * Someone who holds an old invite code, acting from a script (as the attacks were tried):
 * opens the notebook's room on the real relay with that code, reads what it holds, and writes
 * forged records into it. Lives in the test process, talks only to 127.0.0.1.
 */
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { addRotationRecord, readMemberEntries, readRotationRecords } from '../../lib/notebook';
import { parseInvite } from '../../lib/sync/keys/invite';
import { deriveKeys } from '../../lib/sync/keys/derive';
import { relayUrlFor } from '../../lib/sync/notebook-sync';
import { RelayClient, type RelayCursor } from '../../lib/sync/relay/client';
import { legacyWrap } from '../shared/legacy-rotation';
import { generateMemberKeys, makeRotation, signMemberEntry, verifyMember, verifyRotation, type Member } from '../../lib/sync/keys/rotation';

/** An open room: the attacker's copy of the notebook, synced through the relay. */
export interface OutsiderRoom {
  doc: Y.Doc;
  notebookId: string;
  secret: Uint8Array;
  /** Waits until everything written is on the relay. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the room an invite code names, on the relay of `serverUrl`, and catches up. */
export async function openRoomWithCode(code: string, serverUrl: string): Promise<OutsiderRoom> {
  const invite = parseInvite(code);
  const doc = new Y.Doc();
  let cursor: RelayCursor | null = null;
  let state: Uint8Array | null = null;
  const client = new RelayClient({
    doc,
    keys: await deriveKeys(invite.secret),
    url: relayUrlFor(serverUrl)!,
    WebSocketImpl: WebSocket as never,
    cursorStore: { load: async () => cursor, save: async (c) => void (cursor = c) },
    uploadStore: { load: async () => state, save: async (s) => void (state = s) },
    batchMs: 10,
  });
  await client.start();
  await client.flush(20_000);
  return { doc, notebookId: invite.notebookId, secret: invite.secret, flush: () => client.flush(20_000), close: () => client.stop() };
}

/** The verified member entries in the room. */
export async function membersIn(doc: Y.Doc): Promise<Member[]> {
  const out: Member[] = [];
  for (const [k, v] of readMemberEntries(doc)) {
    const m = await verifyMember(v, k);
    if (m) out.push(m);
  }
  return out;
}

/**
 * Forges a new invite "made by" someone else: a signed record for the next epoch, signed with the
 * attacker's own key under the victim maker's person id and name, keeping `keep` and the attacker,
 * with a secret the attacker chose. Returns that secret.
 */
export async function forgeSignedRotation(room: OutsiderRoom, as: { personId: string; name: string }, keep: Member[]): Promise<Uint8Array> {
  const keys = await generateMemberKeys();
  const disguise = await signMemberEntry(keys, as.personId, as.name);
  const me = (await verifyMember(disguise.value))!;
  let epoch = 1;
  for (const r of readRotationRecords(room.doc)) {
    const v = await verifyRotation(r.key, r.value, room.notebookId);
    if (v) epoch = Math.max(epoch, v.epoch);
  }
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const record = await makeRotation({ notebookId: room.notebookId, epoch, oldSecret: room.secret, newSecret: secret, keys, me, keep, at: Date.now() });
  addRotationRecord(room.doc, record.key, record.value);
  return secret;
}

/**
 * The first, unsigned scheme's record (meta.rotation, "by" anyone, ECDH P-256 → HKDF → AES-GCM
 * per person id), written as raw Yjs: what an attacker did against the earlier build.
 */
export async function forgeUnsignedRotation(room: OutsiderRoom, by: string, epoch: number): Promise<Uint8Array> {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const wrapped: Record<string, unknown> = {};
  for (const [personId, v] of room.doc.getMap<unknown>('memberKeys').entries()) {
    if (typeof v !== 'string') continue;
    wrapped[personId] = await legacyWrap(secret, JSON.parse(v) as JsonWebKey, epoch, personId);
  }
  room.doc.transact(() => room.doc.getMap('meta').set('rotation', JSON.stringify({ epoch, by, wrapped })));
  return secret;
}
