/**
 * Hostile peers (issue 8): bytes that are not a Yjs update, truncated updates and messages past the size bounds, through the real receive path.
 * The harness, and why it is the real receive path: `fixtures/hostile-peer.ts`.
 */
import 'fake-indexeddb/auto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, test } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { readProblems, readTopics } from '../../../../lib/notebook';
import { takeSnapshot } from '../../../../lib/notebook/snapshot';
import { DEFAULT_MAX_MESSAGE_BYTES, FRAME_BYTES, FrameReassembler, FramingError } from '../../../../lib/sync/live/chunked-rtc';
import { prng } from '../../factories';
import {
  awarenessMessage,
  connectHostilePeer,
  copyOf,
  expectIntact,
  honestTopicUpdate,
  installHostilePeerHarness,
  MSG_SYNC,
  readable,
  seededNotebook,
  syncMessage,
  updateMessage,
} from './fixtures/hostile-peer';

installHostilePeerHarness();

describe('the harness is the real path', () => {
  test('a valid update from the peer is applied and the victim answers sync step 1', async () => {
    const { doc } = seededNotebook();
    const c = await connectHostilePeer(doc);
    await c.send(updateMessage(honestTopicUpdate(doc, 'From the peer')));
    expect(readTopics(doc).map((t) => t.title)).toContain('From the peer');

    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_SYNC);
    syncProtocol.writeSyncStep1(e, new Y.Doc());
    await c.send(encoding.toUint8Array(e));
    const reply = c.replies().at(-1)!;
    const d = decoding.createDecoder(reply);
    expect([decoding.readVarUint(d), decoding.readVarUint(d)]).toEqual([MSG_SYNC, syncProtocol.messageYjsSyncStep2]);
    expect(c.thrown).toEqual([]);
    expect(c.alive()).toBe(true);
  });
});

describe('(a) bytes that are not a Yjs update and (b) truncated updates, through y-webrtc', () => {
  const rand = prng(8);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  const CAUGHT = /Caught error while handling a Yjs update/;
  type Outcome = { logged?: RegExp; thrown?: RegExp; replies?: number };
  const cases: [string, (doc: Y.Doc) => Uint8Array, Outcome, { text?: boolean }?][] = [
    // simple-peer's stream drops empty chunks before y-webrtc sees them.
    ['an empty message', () => new Uint8Array(0), {}],
    // y-webrtc logs unknown message types and answers with an empty message.
    ['bytes that are no y-webrtc message', () => Uint8Array.of(200, ...bytes(40)), { logged: /Unable to compute message/, replies: 1 }],
    ['a text frame', () => new TextEncoder().encode('{"hello":"world"}'), { logged: /Unable to compute message/, replies: 1 }, { text: true }],
    // y-protocols wraps Y.applyUpdate in try/catch and logs: these never throw.
    ['an "update" whose payload is random bytes', () => updateMessage(bytes(120)), { logged: CAUGHT }],
    ['a "sync step 2" whose payload is random bytes', () => syncMessage(syncProtocol.messageYjsSyncStep2, bytes(120)), { logged: CAUGHT }],
    ['an update cut short in its structs', (d) => updateMessage(honestTopicUpdate(d, 'cut').slice(0, -6)), { logged: CAUGHT }],
    ['an update whose envelope claims more bytes than it has', (d) => updateMessage(honestTopicUpdate(d, 'cut')).slice(0, 12), { logged: CAUGHT }],
    // These three throw out of y-webrtc's data handler: a browser reports the exception and
    // goes on; the connection and the doc are unaffected (asserted for every case below).
    ['a sync message of an unknown kind', () => syncMessage(7, bytes(3)), { thrown: /Unknown message type/ }],
    [
      'a "sync step 1" whose state vector is garbage',
      () => syncMessage(syncProtocol.messageYjsSyncStep1, Uint8Array.of(5, 200)),
      { thrown: /Unexpected end of array/ },
    ],
    ['an awareness update whose state is not JSON', () => awarenessMessage(77, '{not json'), { thrown: /JSON/ }],
  ];

  test.each(cases)('%s: the notebook is intact and the connection still syncs', async (_name, make, outcome, opts) => {
    const { doc } = seededNotebook();
    const before = copyOf(doc);
    const c = await connectHostilePeer(doc);
    await c.send(make(doc), opts);

    expect(c.thrown.map((e) => e.message)).toEqual(outcome.thrown ? [expect.stringMatching(outcome.thrown)] : []);
    if (outcome.logged) expect(c.logged).toEqual([expect.stringMatching(outcome.logged)]);
    else expect(c.logged).toEqual([]);
    expect(c.replies()).toHaveLength(outcome.replies ?? 0);
    expect(readable(doc)).toBe(readable(before));
    expect(readProblems(doc)).toEqual([]);
    expect(c.alive()).toBe(true);

    await c.send(updateMessage(honestTopicUpdate(doc, 'Still syncing')));
    expect(readTopics(doc).map((t) => t.title)).toContain('Still syncing');
  });

  test('an update cut just before its delete set applies the items it carried (they are genuine CRDT items)', async () => {
    // Yjs integrates structs before it reads the delete set, so a cut there leaves the items in.
    // Harmless: they are exactly what the sender wrote, and the rest converges on the next sync.
    // Decoding every message up front (as the relay client does) would refuse them, at the cost
    // of a second parse of every update: ~8–25 ms for a 5 MB state on this machine.
    const { doc } = seededNotebook();
    const before = copyOf(doc);
    const c = await connectHostilePeer(doc);
    await c.send(updateMessage(honestTopicUpdate(doc, 'Half').slice(0, -1)));
    expect(c.logged).toEqual([expect.stringMatching(CAUGHT)]);
    expectIntact(doc, before);
    expect(readTopics(doc).map((t) => t.title)).toContain('Half');
    expect(c.alive()).toBe(true);
  });

  test('300 random and truncated messages: nothing previously readable changes, readers never throw, sync goes on', async () => {
    const { doc } = seededNotebook();
    const before = copyOf(doc);
    const c = await connectHostilePeer(doc);
    const real = updateMessage(Y.encodeStateAsUpdate(seededNotebook().doc));
    const r = prng(2026);
    const pick = (n: number) => Math.floor(r() * n);
    for (let i = 0; i < 300; i++) {
      const kind = i % 4;
      const msg =
        kind === 0
          ? Uint8Array.from({ length: 1 + pick(300) }, () => pick(256))
          : kind === 1
            ? Uint8Array.of(pick(5), ...Array.from({ length: pick(200) }, () => pick(256)))
            : kind === 2
              ? real.slice(0, 1 + pick(real.length - 1))
              : (() => {
                  // A real update with a few bytes flipped.
                  const m = real.slice();
                  for (let k = 0; k < 3; k++) m[2 + pick(m.length - 2)] = pick(256);
                  return m;
                })();
      await c.send(msg);
      expect(() => takeSnapshot(doc)).not.toThrow();
    }
    expectIntact(doc, before);
    expect(c.alive()).toBe(true);
    await c.send(updateMessage(honestTopicUpdate(doc, 'After the storm')));
    expect(readTopics(doc).map((t) => t.title)).toContain('After the storm');
  });
});

describe('(c) messages beyond the bounds', () => {
  test('a data-channel message past the 64 MiB bound closes that connection; memory held never exceeds the bound', async () => {
    const { doc } = seededNotebook();
    const before = copyOf(doc);
    const c = await connectHostilePeer(doc);
    const errors: unknown[] = [];
    (c.conn.peer as { on(e: string, f: (e: unknown) => void): void }).on('error', (e) => errors.push(e));
    // One frame buffer, re-sent without the "last" bit: the reassembler keeps views, not copies,
    // so the test itself stays small while the victim counts every byte.
    const frame = new Uint8Array(FRAME_BYTES);
    frame[0] = 0;
    const frames = Math.ceil(DEFAULT_MAX_MESSAGE_BYTES / (FRAME_BYTES - 1)) + 1;
    for (let i = 0; i < frames && c.channel.readyState === 'open'; i++) {
      c.channel.dispatchEvent(new MessageEvent('message', { data: frame.buffer }));
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(c.channel.readyState).toBe('closed');
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/larger than 67108864 bytes/) })]);
    expect(c.alive()).toBe(false); // simple-peer destroyed, y-webrtc dropped the peer
    expect(c.thrown).toEqual([]);
    expect(readable(doc)).toBe(readable(before));
  });

  test('the reassembler refuses the first frame that would pass the bound, never holding more', () => {
    const max = 100_000;
    const r = new FrameReassembler(max);
    const frame = new Uint8Array(1 + 4096);
    let error: unknown;
    for (let i = 0; i < 100 && !error; i++) {
      try {
        r.push(frame);
      } catch (e) {
        error = e;
      }
      expect(r.pendingBytes).toBeLessThanOrEqual(max);
    }
    expect(error).toBeInstanceOf(FramingError);
    expect(r.pendingBytes).toBe(0);
  });
});
