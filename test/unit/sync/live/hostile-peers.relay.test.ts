/**
 * Hostile peers (issue 8): a member with the notebook secret writes hostile entries to the encrypted relay.
 * The harness, and why it is the real receive path: `fixtures/hostile-peer.ts`.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readTopics } from '../../../../lib/notebook';
import { takeSnapshot } from '../../../../lib/notebook/snapshot';
import { sealEntry } from '../../../../lib/sync/keys/derive';
import { RelayClient as RawRelayClient } from '../../../../server/test/helpers';
import { keysFor, Partner, TestRelay, waitFor } from '../relay/test-helpers';
import { attackerOf, copyOf, expectIntact, honestTopicUpdate, installHostilePeerHarness, seededNotebook } from './fixtures/hostile-peer';

installHostilePeerHarness();

describe('through the encrypted relay: a member with the notebook secret writes hostile entries', () => {
  // A member holds the relay key and the write token, so the server's checks (which only see
  // ciphertext) cannot stop any of this: the client's own checks are what protect the notebook.
  let relay: TestRelay;
  beforeEach(async () => {
    relay = await new TestRelay().start();
  });
  afterEach(async () => {
    await relay.dispose();
  });

  test('garbage, truncated, oversized and schema-breaking entries: the local notebook stays intact, each problem reaches onError or readProblems', async () => {
    const keys = await keysFor(8);
    const victim = new Partner('victim', keys);
    const { doc: seed, topicId } = seededNotebook();
    Y.applyUpdate(victim.doc, Y.encodeStateAsUpdate(seed));
    await victim.sync(relay);
    const before = copyOf(victim.doc);
    const applied = victim.client!.stats.entriesApplied;

    const evil = await RawRelayClient.connect(`ws://127.0.0.1:${relay.port}`);
    // Sealed exactly as an honest client seals (room, generation, seq), so only the content is hostile.
    const hello = await evil.request({ type: 'hello', room: keys.relayRoom });
    if (hello.type !== 'welcome') throw new Error('no welcome');
    let head = hello.head;
    const append = async (plain: Uint8Array, key = keys.relayKey) => {
      const seq = head + 1;
      const entry = await sealEntry({ relayKey: key, relayRoom: keys.relayRoom }, plain, { generation: hello.generation, seq, kind: 'update' });
      const r = await evil.request({ type: 'append', room: keys.relayRoom, entries: [entry], writeToken: keys.writeToken, generation: hello.generation, seq });
      if (r.type === 'ack') head = r.seqs[0]!;
      return r;
    };
    const honest = honestTopicUpdate(victim.doc, 'via relay');
    const evilDoc = attackerOf(victim.doc);
    evilDoc.getMap('topics').set('evil-topic', 'not a map');
    const schemaBreaking = Y.encodeStateAsUpdate(evilDoc, Y.encodeStateVector(victim.doc));

    expect((await append(Uint8Array.of(1, 2, 3, 250, 251))).type).toBe('ack'); // not a Yjs update
    expect((await append(honest.slice(0, -6))).type).toBe('ack'); // truncated
    // Larger than the server's maxEntryBytes (1 MiB): refused before anyone can fetch it.
    const tooBig = await evil.request({ type: 'append', room: keys.relayRoom, entries: [new Uint8Array(1024 * 1024 + 1)], writeToken: keys.writeToken });
    expect(tooBig).toMatchObject({ type: 'error', code: 'too-large' });
    expect((await append(schemaBreaking)).type).toBe('ack');
    // Ciphertext made with another notebook's key.
    const other = await keysFor(9);
    expect((await append(honest, other.relayKey)).type).toBe('ack');

    await waitFor(() => victim.client!.appliedSeq >= 5, 'the victim to pass every hostile entry');
    const codes = victim.errors.map((e) => e.code);
    expect(codes.filter((c) => c === 'unreadable-entry')).toHaveLength(3);
    expect(victim.client!.stats.entriesRejected).toBe(3);
    expect(victim.client!.stats.entriesApplied).toBe(applied + 1); // only the schema-breaking one
    // The panel re-reads after every change; readProblems() lists what those reads skipped.
    expect(takeSnapshot(victim.doc).problems).toEqual(['topics/evil-topic']);
    expectIntact(victim.doc, before);
    expect(readTopics(victim.doc).map((t) => t.id)).toContain(topicId);
    await evil.close();
    await victim.disconnect();
  });

  test('a garbage compaction snapshot: reported as unreadable; the local notebook is intact (the relay copy is lost)', async () => {
    const keys = await keysFor(10);
    const author = new Partner('author', keys);
    const { doc: seed } = seededNotebook();
    Y.applyUpdate(author.doc, Y.encodeStateAsUpdate(seed));
    await author.sync(relay);
    await author.disconnect();

    // The victim had synced an older copy and is offline while the member compacts the room.
    const victim = new Partner('victim', keys);
    const evil = await RawRelayClient.connect(`ws://127.0.0.1:${relay.port}`);
    const welcome = await evil.request({ type: 'hello', room: keys.relayRoom });
    if (welcome.type !== 'welcome') throw new Error('no welcome');
    const snapshot = await sealEntry(keys, Uint8Array.of(9, 9, 9), { generation: welcome.generation, seq: welcome.head, kind: 'snapshot' });
    const compacted = await evil.request({
      type: 'compact',
      room: keys.relayRoom,
      upTo: welcome.head,
      snapshot,
      writeToken: keys.writeToken,
      generation: welcome.generation,
    });
    expect(compacted.type).toBe('compacted');
    await evil.close();

    Y.applyUpdate(victim.doc, Y.encodeStateAsUpdate(seed));
    const before = copyOf(victim.doc);
    await victim.sync(relay);
    expect(victim.errors.map((e) => e.code)).toContain('unreadable-entry');
    expectIntact(victim.doc, before);
    // The victim then re-uploads its own state, so the relay holds a readable copy again.
    const fresh = new Partner('fresh', keys);
    await fresh.sync(relay);
    expect(readTopics(fresh.doc).map((t) => t.id)).toEqual(readTopics(victim.doc).map((t) => t.id));
    await victim.disconnect();
    await fresh.disconnect();
  });
});
