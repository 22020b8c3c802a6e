/**
 * Issue 8, "Hostile input, tried for real": a partner's panel that has been tampered with
 * (or is simply broken) sends this notebook things a correct panel never would.
 *
 * The peer-to-peer cases go through the REAL receive path of the panel: `LiveSync` (as the
 * panel builds it, with `chunkingWrtc()`), simple-peer 9.11, y-webrtc 10.3's `WebrtcConn`
 * (its `readPeerMessage`), y-protocols and Yjs. Only the network is fake: a stand-in
 * RTCPeerConnection hands simple-peer a data channel whose frames the test writes itself,
 * exactly as the partner's ChunkedDataChannel would put them on the wire. WebRTC data-channel
 * messages are NOT encrypted by y-webrtc (only signaling and BroadcastChannel are; DTLS
 * protects the wire), so a member's tampered panel controls these bytes completely.
 *
 * What a browser does with an exception thrown from a data-channel `message` listener: it
 * reports it (console, `window.onerror`) and goes on dispatching; nothing is torn down. The
 * harness does the same by catching what y-webrtc's `data` listener throws and recording it,
 * so the tests can say precisely which inputs throw and show that the connection and the doc
 * survive them. Node would instead treat such a throw as an uncaught exception.
 */
import 'fake-indexeddb/auto';
import { JSDOM } from 'jsdom';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import { WebrtcConn, type Room } from 'y-webrtc';
import * as Y from 'yjs';
import { deflateSync } from 'fflate';
import { purifyForReader, readerDocument, safeHref } from '../../../../lib/clip/reader-html';
import { encodeClipBody } from '../../../../lib/notebook/clip-body';
import {
  addClip,
  initNotebook,
  LIMITS,
  migrate,
  noteBody,
  readClip,
  readClips,
  readInfo,
  readMemberEntry,
  readMemberEntries,
  readPartner,
  readPartners,
  readProblems,
  readRotationRecords,
  readTopics,
  schemaVersion,
  setMemberEntry,
  topicStats,
  updatePartner,
} from '../../../../lib/notebook';
import { takeSnapshot } from '../../../../lib/notebook/snapshot';
import { citeClip } from '../../../../lib/poster/cite';
import { DEFAULT_MAX_MESSAGE_BYTES, FRAME_BYTES, FrameReassembler, FramingError, splitFrames } from '../../../../lib/sync/live/chunked-rtc';
import { LiveSync, parseUser } from '../../../../lib/sync/live/live-sync';
import { openNotebookSession } from '../../../../lib/sync/local/notebook-session';
import { commitSecret, generateMemberKeys, resolveRotations, verifyMember } from '../../../../lib/sync/keys/rotation';
import { sealEntry } from '../../../../lib/sync/keys/derive';
import { RelayClient as RawRelayClient } from '../../../../server/test/helpers';
import { ANA, BATBAYAR, makeCaptured, makeDeps, makeDoc } from '../../factories';
import { keysFor, Partner, TestRelay, waitFor } from '../relay/test-helpers';
import { prng } from '../../factories';

// y-webrtc's message types (y-webrtc.js) and y-protocols' sync message types.
const MSG_SYNC = 0;
const MSG_AWARENESS = 1;
const MSG_QUERY_AWARENESS = 3;

// ---------------------------------------------------------------------------------------------
// A notebook with something in every part, and a comparable view of what the panel reads.

function seededNotebook() {
  const doc = makeDoc(1);
  const deps = makeDeps('seed');
  initNotebook(doc, { info: { title: 'Ana & Batbayar', programmeName: 'ILN spring' }, exampleTopics: true }, deps);
  const topicId = readTopics(doc)[0]!.id;
  addClip(doc, { topicId, captured: makeCaptured(), clippedBy: ANA }, deps);
  noteBody(doc, topicId).insert(0, [new Y.XmlText('We met on Tuesday.')]);
  updatePartner(doc, ANA.id, { name: ANA.name, color: '#1f6feb', city: 'Sarajevo' });
  updatePartner(doc, BATBAYAR.id, { name: BATBAYAR.name, color: '#d29922', city: 'Ulaanbaatar' });
  return { doc, deps, topicId };
}

/** Everything the panel shows, as JSON: it must read the same before and after an attack. */
function readable(doc: Y.Doc): string {
  return JSON.stringify({
    info: readInfo(doc),
    topics: readTopics(doc),
    clips: readClips(doc, { includeDeleted: true }),
    partners: readPartners(doc),
    notes: readTopics(doc).map((t) => noteBody(doc, t.id).toJSON()),
    stats: [...topicStats(doc)],
  });
}

/** A replica of `victim` in a tampered panel: it holds everything, so its writes can also overwrite. */
/** A member entry's key id (22 base64url characters). */
const ANA_KEY = 'A'.repeat(21) + 'n';

function attackerOf(victim: Y.Doc): Y.Doc {
  const evil = makeDoc(666);
  Y.applyUpdate(evil, Y.encodeStateAsUpdate(victim));
  return evil;
}

/** Applies what `evil` changed since it copied the victim, as a peer's update would arrive. */
function deliver(evil: Y.Doc, victim: Y.Doc): Uint8Array {
  const update = Y.encodeStateAsUpdate(evil, Y.encodeStateVector(victim));
  Y.applyUpdate(victim, update, 'remote');
  return update;
}

// ---------------------------------------------------------------------------------------------
// The real receive path with a fake network.

class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'arraybuffer';
  label = 'hostile';
  ordered = true;
  id = 1;
  protocol = '';
  negotiated = false;
  maxPacketLifeTime = null;
  maxRetransmits = null;
  /** Frames the victim sent back (its replies), in order. */
  readonly sent: Uint8Array[] = [];

  send(data: Uint8Array) {
    if (this.readyState !== 'open') throw new DOMException('not open', 'InvalidStateError');
    this.sent.push(new Uint8Array(data));
  }

  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }
}

/** Just enough of an RTCPeerConnection for simple-peer as the answering side; negotiation never starts. */
class FakePeerConnection extends EventTarget {
  static created: FakePeerConnection[] = [];
  ondatachannel: ((ev: Event) => void) | null = null;
  iceConnectionState = 'new';
  iceGatheringState = 'new';
  connectionState = 'new';
  signalingState = 'stable';
  constructor() {
    super();
    FakePeerConnection.created.push(this);
  }
  createDataChannel(): never {
    throw new Error('the victim answers; it never creates the channel');
  }
  createOffer() {
    return new Promise(() => {});
  }
  createAnswer() {
    return new Promise(() => {});
  }
  getStats() {
    return Promise.resolve(new Map());
  }
  close() {}
}

/** One hostile partner connected to a victim panel. */
interface Connection {
  live: LiveSync;
  doc: Y.Doc;
  conn: WebrtcConn;
  channel: FakeChannel;
  /** What y-webrtc's data handler threw (a browser reports these and carries on). */
  thrown: Error[];
  /** console.error lines (y-protocols and y-webrtc log swallowed errors there). */
  logged: string[];
  /**
   * Sends one message the way a partner's ChunkedDataChannel frames it, and waits a macrotask:
   * simple-peer's stream may hand data on from a nextTick.
   */
  send(message: Uint8Array, opts?: { text?: boolean }): Promise<void>;
  /** Sends raw frames (for framing attacks). */
  sendFrame(frame: Uint8Array): void;
  /** The victim's replies, reassembled. */
  replies(): Uint8Array[];
  /** Whether simple-peer and y-webrtc still consider the connection alive. */
  alive(): boolean;
}

const open: LiveSync[] = [];

async function connectHostilePeer(doc: Y.Doc, roomName = `hostile-${Math.random()}`): Promise<Connection> {
  const live = new LiveSync({
    doc,
    keys: { roomName, webrtcPassword: 'pw' },
    signaling: [], // no server: the hostile peer is wired in below
    iceServers: [],
    me: { id: ANA.id, name: ANA.name, color: '#1f6feb' },
  });
  open.push(live);
  const provider = live.provider as unknown as { room: Room | null };
  for (let i = 0; i < 200 && !provider.room; i++) await new Promise((r) => setTimeout(r, 5));
  if (!provider.room) throw new Error('y-webrtc did not open its room');
  const room = provider.room;

  const before = FakePeerConnection.created.length;
  const fakeSignaling = { send() {}, connected: true } as unknown as ConstructorParameters<typeof WebrtcConn>[0];
  const conn = new WebrtcConn(fakeSignaling, false, 'hostile-peer', room);
  room.webrtcConns.set('hostile-peer', conn);
  const pc = FakePeerConnection.created[before];
  if (!pc?.ondatachannel) throw new Error('simple-peer did not wait for a data channel');
  const channel = new FakeChannel();
  pc.ondatachannel(Object.assign(new Event('datachannel'), { channel }));

  // Catch where a browser catches: around the data channel's `message` handler, i.e. the whole of
  // simple-peer's stream push, y-webrtc's readPeerMessage, y-protocols and Yjs.
  const peer = conn.peer as { _channel: { onmessage: ((ev: MessageEvent) => void) | null }; destroyed: boolean };
  const thrown: Error[] = [];
  const onmessage = peer._channel.onmessage!;
  peer._channel.onmessage = function (this: unknown, ev: MessageEvent) {
    try {
      onmessage.call(this, ev);
    } catch (e) {
      thrown.push(e as Error);
    }
  };
  const logged: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));

  const sendFrame = (frame: Uint8Array) => channel.dispatchEvent(new MessageEvent('message', { data: frame.slice().buffer }));
  // The first chunk simple-peer's stream receives is handed on from a nextTick (readable-stream
  // starts in "sync" mode); after that, synchronously from the channel's message event. Prime
  // it with a harmless query so every test message takes the steady-state path.
  splitFrames(Uint8Array.of(MSG_QUERY_AWARENESS)).forEach(sendFrame);
  await new Promise((r) => setTimeout(r, 0));
  channel.sent.length = 0;
  return {
    live,
    doc,
    conn,
    channel,
    thrown,
    logged,
    sendFrame,
    async send(message, opts) {
      splitFrames(message, { text: opts?.text }).forEach(sendFrame);
      await new Promise((r) => setTimeout(r, 0));
    },
    replies() {
      const r = new FrameReassembler();
      const out: Uint8Array[] = [];
      for (const f of channel.sent) {
        const m = r.push(f);
        if (m) out.push(m.bytes);
      }
      return out;
    },
    alive: () => !peer.destroyed && channel.readyState === 'open' && room.webrtcConns.has('hostile-peer'),
  };
}

/** A y-webrtc sync message: `[0, syncType, varUint8Array(payload)]`. */
function syncMessage(syncType: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_SYNC);
  encoding.writeVarUint(e, syncType);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}
const updateMessage = (update: Uint8Array) => syncMessage(syncProtocol.messageYjsUpdate, update);

/** An awareness message from client `clientId` whose state is `json` (not necessarily valid JSON). */
function awarenessMessage(clientId: number, json: string, clock = 1): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, json);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_AWARENESS);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** A harmless, valid change from the same peer: proves the connection still carries updates. */
function honestTopicUpdate(victim: Y.Doc, title: string): Uint8Array {
  const peerDoc = makeDoc(4242);
  Y.applyUpdate(peerDoc, Y.encodeStateAsUpdate(victim));
  const sv = Y.encodeStateVector(peerDoc);
  const m = new Y.Map<unknown>();
  peerDoc.transact(() => {
    m.set('title', title);
    m.set('order', 99);
    peerDoc.getMap('topics').set(`honest-${title}`, m);
  });
  return Y.encodeStateAsUpdate(peerDoc, sv);
}

beforeEach(() => {
  FakePeerConnection.created = [];
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
  vi.stubGlobal('RTCSessionDescription', class {});
  vi.stubGlobal('RTCIceCandidate', class {});
  // LiveSync listens for online/offline on the window; Node has no global event target.
  const win = new EventTarget();
  vi.stubGlobal('addEventListener', win.addEventListener.bind(win));
  vi.stubGlobal('removeEventListener', win.removeEventListener.bind(win));
});

afterEach(() => {
  while (open.length) open.pop()!.destroy();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

// ---------------------------------------------------------------------------------------------

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

/** Asserts that everything readable in `before` still reads the same (additions are allowed). */
function expectIntact(doc: Y.Doc, before: Y.Doc) {
  expect(readInfo(doc)).toEqual(readInfo(before));
  for (const t of readTopics(before)) {
    expect(readTopics(doc).find((x) => x.id === t.id)).toEqual(t);
    expect(noteBody(doc, t.id).toJSON()).toBe(noteBody(before, t.id).toJSON());
  }
  for (const c of readClips(before, { includeDeleted: true })) expect(readClip(doc, c.id)).toEqual(c);
  for (const p of readPartners(before)) expect(readPartner(doc, p.id)).toEqual(p);
}

/** A copy of the doc as it is now, to compare with later. */
function copyOf(doc: Y.Doc): Y.Doc {
  const c = new Y.Doc();
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc));
  return c;
}

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

describe('(d) valid Yjs updates that break the schema', () => {
  type Attack = { name: string; attack(evil: Y.Doc, ids: { topicId: string; clipId: string }): void; problems: string[]; overwrites?: string };
  const attacks: Attack[] = [
    { name: 'a topics entry that is a string', attack: (e) => e.getMap('topics').set('evil-topic', 'not a map'), problems: ['topics/evil-topic'] },
    {
      name: 'a topic whose title is a Y.Text and order a string',
      attack: (e) => {
        const m = new Y.Map<unknown>();
        e.getMap('topics').set('evil-types', m);
        m.set('title', new Y.Text('x'));
        m.set('order', '1');
      },
      problems: ['topics/evil-types'],
    },
    {
      name: 'a clip whose captured is not JSON',
      attack: (e, { topicId }) => {
        const m = new Y.Map<unknown>();
        e.getMap('clips').set('evil-json', m);
        m.set('captured', '{"kind":"page","url":');
        m.set('topicId', topicId);
        m.set('clippedBy', JSON.stringify(ANA));
        m.set('clippedAt', 1);
      },
      problems: ['clips/evil-json'],
    },
    {
      name: 'a clip whose clippedBy is garbage and clippedAt a string',
      attack: (e, { topicId }) => {
        const m = new Y.Map<unknown>();
        e.getMap('clips').set('evil-by', m);
        m.set('captured', JSON.stringify(makeCaptured()));
        m.set('topicId', topicId);
        m.set('clippedBy', '[[[');
        m.set('clippedAt', 'yesterday');
      },
      problems: ['clips/evil-by'],
    },
    { name: 'a partner profile that is a number', attack: (e) => e.getMap('partners').set('evil-p', 42), problems: ['partners/evil-p'] },
    {
      name: 'an existing topic overwritten with a string (a member may delete; the panel says what it hides)',
      attack: (e, { topicId }) => e.getMap('topics').set(topicId, 'gone'),
      problems: ['topics/TOPIC'],
      overwrites: 'TOPIC',
    },
    {
      name: 'root types of the wrong kind under known names',
      attack: (e, { topicId }) => {
        e.getText('topics').insert(0, 'text in the topics map');
        e.getArray('clips').push(['an array item in the clips map']);
        e.getXmlFragment('partners').insert(0, [new Y.XmlText('xml in partners')]);
        e.getMap(`note:${topicId}`).set('x', 'a map entry in a note');
        e.getText('meta').insert(0, 'meta as text');
        e.getArray('members').push([1, 2, 3]);
        e.getText('rotations').insert(0, 'rotations as text');
      },
      problems: [],
    },
    {
      name: 'member entries garbage',
      attack: (e) => {
        const m = e.getMap<unknown>('members');
        m.set('evil-1', 'not json');
        m.set('evil-2', JSON.stringify({ kty: 'RSA', n: 'x' }));
        m.set('evil-3', 7);
        m.set('evil-4', new Y.Map());
      },
      problems: [],
    },
  ];

  test.each(attacks)('$name: readers do not throw, the rest reads the same, the damage is listed', async (a) => {
    const { doc, topicId } = seededNotebook();
    const clipId = readClips(doc)[0]!.id;
    setMemberEntry(doc, ANA_KEY, 'ana-entry');
    const before = copyOf(doc);
    const evil = attackerOf(doc);
    evil.transact(() => a.attack(evil, { topicId, clipId }));
    deliver(evil, doc);

    expect(() => takeSnapshot(doc)).not.toThrow();
    expect(readProblems(doc).sort()).toEqual(a.problems.map((p) => p.replace('TOPIC', topicId)).sort());
    if (a.overwrites) {
      expect(readTopics(doc).map((t) => t.id)).not.toContain(topicId);
      const others = copyOf(before);
      others.getMap('topics').delete(topicId);
      expectIntact(doc, others);
    } else {
      expectIntact(doc, before);
    }
    expect(readMemberEntry(doc, ANA_KEY)).toBe('ana-entry');
    for (const [k, v] of readMemberEntries(doc)) if (k !== ANA_KEY) expect(await verifyMember(v, k)).toBeUndefined();

    // A partner who joins now (a fresh doc receiving the hostile state first) reads the same.
    const joiner = new Y.Doc();
    Y.applyUpdate(joiner, Y.encodeStateAsUpdate(doc));
    expect(() => takeSnapshot(joiner)).not.toThrow();
    expect(readable(joiner)).toBe(readable(doc));
  });

  test('a compressed body that is garbage, of an unknown format or a "zip bomb" reads as empty and is reported', () => {
    const { doc, topicId } = seededNotebook();
    const before = copyOf(doc);
    const evil = attackerOf(doc);
    const packed = deflateSync(new Uint8Array(64 * 1024 * 1024).fill(32));
    // Format 1 claiming 64 MiB, and one claiming 1 KiB of the same stream.
    const bomb = new Uint8Array([1, 0x80, 0x80, 0x80, 0x20, ...packed]);
    const liar = new Uint8Array([1, 0x80, 0x08, ...packed]);
    const bodies: Record<string, unknown> = {
      garbage: new Uint8Array([1, 2, 3, 4, 5]),
      future: new Uint8Array([9, 1, 2]),
      bomb,
      liar,
      empty: new Uint8Array(0),
    };
    evil.transact(() => {
      for (const [id, body] of Object.entries(bodies)) {
        const m = new Y.Map<unknown>();
        evil.getMap('clips').set(`evil-${id}`, m);
        m.set('captured', JSON.stringify({ ...makeCaptured(), html: undefined, text: undefined }));
        m.set('body', body);
        m.set('topicId', topicId);
        m.set('clippedBy', JSON.stringify({ id: 'evil', name: 'Evil' }));
        m.set('clippedAt', 1);
      }
    });
    deliver(evil, doc);
    for (const id of Object.keys(bodies)) {
      const clip = readClip(doc, `evil-${id}`)!;
      expect(clip.captured.title).toBe(makeCaptured().title);
      expect(clip.captured.html).toBeUndefined();
      expect(clip.captured.text).toBeUndefined();
      expect(readProblems(doc)).toContain(`clips/evil-${id}/body`);
    }
    expectIntact(doc, before);
  });

  test('a compressed body with fields over the bounds is cut to them and reads as truncated', () => {
    const { doc, topicId } = seededNotebook();
    const evil = attackerOf(doc);
    const m = new Y.Map<unknown>();
    evil.transact(() => {
      evil.getMap('clips').set('evil-long', m);
      m.set('captured', JSON.stringify({ ...makeCaptured(), html: undefined, text: undefined }));
      m.set('body', encodeClipBody({ html: 'h'.repeat(3_000_000), text: 't'.repeat(2_000_000) }));
      m.set('topicId', topicId);
      m.set('clippedBy', JSON.stringify({ id: 'evil', name: 'Evil' }));
      m.set('clippedAt', 1);
    });
    deliver(evil, doc);
    const clip = readClip(doc, 'evil-long')!;
    expect(clip.captured.truncated).toBeUndefined(); // not known before the body is read
    expect(clip.captured.html!.length).toBe(LIMITS.clipHtml);
    expect(clip.captured.text!.length).toBe(LIMITS.clipText);
    expect(clip.captured.truncated).toBe(true);
  });

  test('a clip with a huge captured body is read within the bounds and marked truncated', () => {
    const { doc, topicId } = seededNotebook();
    const before = copyOf(doc);
    const evil = attackerOf(doc);
    const m = new Y.Map<unknown>();
    evil.transact(() => {
      evil.getMap('clips').set('evil-huge', m);
      m.set(
        'captured',
        JSON.stringify({
          ...makeCaptured(),
          html: 'h'.repeat(5_000_000),
          text: 't'.repeat(3_000_000),
          title: 'T'.repeat(1_000_000),
          byline: 'b'.repeat(100_000),
          structuredData: 's'.repeat(500_000),
        }),
      );
      m.set('topicId', topicId);
      m.set('clippedBy', JSON.stringify({ id: 'evil', name: 'N'.repeat(1_000_000) }));
      m.set('clippedAt', 1);
      m.set('comment', 'c'.repeat(1_000_000));
    });
    deliver(evil, doc);
    const clip = readClip(doc, 'evil-huge')!;
    expect(clip.captured.html!.length).toBe(LIMITS.clipHtml);
    expect(clip.captured.text!.length).toBe(LIMITS.clipText);
    expect(clip.captured.title.length).toBe(LIMITS.clipField);
    expect(clip.captured.byline!.length).toBe(LIMITS.clipField);
    expect(clip.captured.structuredData!.length).toBe(LIMITS.clipData);
    expect(clip.captured.truncated).toBe(true);
    expect(clip.clippedBy.name.length).toBe(LIMITS.profileField);
    expect(clip.comment.length).toBe(LIMITS.comment);
    expectIntact(doc, before);
  });

  test('javascript: URLs in a clip are kept as data but no display or export turns them into links', () => {
    const { doc, topicId } = seededNotebook();
    const evil = attackerOf(doc);
    const js = 'javascript:alert(document.cookie)';
    const m = new Y.Map<unknown>();
    evil.transact(() => {
      evil.getMap('clips').set('evil-js', m);
      m.set(
        'captured',
        JSON.stringify(
          makeCaptured({
            url: js,
            canonicalUrl: ' JaVaScRiPt:alert(1)',
            leadImage: js,
            favicon: js,
            html: `<p><a href="${js}">click</a><img src=x onerror="alert(1)"><script>alert(1)</script><a href="java\tscript:alert(2)">tab</a></p>`,
          }),
        ),
      );
      m.set('topicId', topicId);
      m.set('clippedBy', JSON.stringify(BATBAYAR));
      m.set('clippedAt', 5);
    });
    evil.transact(() => {
      const l = new Y.Map<unknown>();
      evil.getMap('clips').set('evil-js-link', l);
      l.set('captured', JSON.stringify(makeCaptured({ kind: 'link', url: js, linkUrl: js, text: 'link' })));
      l.set('topicId', topicId);
      l.set('clippedBy', JSON.stringify(BATBAYAR));
      l.set('clippedAt', 6);
    });
    deliver(evil, doc);
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    const win = window as unknown as Window & typeof globalThis;
    for (const id of ['evil-js', 'evil-js-link']) {
      const clip = readClip(doc, id)!;
      expect(clip.captured.url).toBe(js); // stored as captured; the reader does not rewrite data
      expect(safeHref(clip.captured.url)).toBeUndefined();
      const page = readerDocument(clip.captured, win);
      expect(page).not.toMatch(/javascript:|<script|onerror/i);
      expect(purifyForReader(clip.captured.html ?? '', win)).not.toMatch(/javascript:|script:|<script|onerror/i);
      for (const format of ['text', 'markdown', 'html'] as const) expect(citeClip(clip, format)).not.toMatch(/javascript:/i);
    }
    window.close();
  });

  test('a partner profile with a 10 MB name is read as 500 characters', () => {
    const { doc } = seededNotebook();
    const before = copyOf(doc);
    const evil = attackerOf(doc);
    const m = new Y.Map<unknown>();
    evil.transact(() => {
      evil.getMap('partners').set('evil-profile', m);
      m.set('name', 'N'.repeat(10 * 1024 * 1024));
      m.set('city', 'C'.repeat(1_000_000));
      m.set('color', 'red;background:url(x)');
      m.set('social', JSON.stringify(Array.from({ length: 10_000 }, (_, i) => `https://x.example/${i}`)));
      m.set('fact.staff', -5);
      m.set('libraryType', 'casino');
    });
    deliver(evil, doc);
    const p = readPartner(doc, 'evil-profile')!;
    expect(p.name.length).toBe(LIMITS.profileField);
    expect(p.city.length).toBe(LIMITS.profileField);
    expect(p.social).toHaveLength(LIMITS.socialLinks);
    expect(p.facts).toEqual({});
    expect(p.libraryType).toBeUndefined();
    // The colour is only length-bounded here; presence colours (parseUser) are #rrggbb only.
    expect(p.color.length).toBeLessThanOrEqual(32);
    expectIntact(doc, before);
  });

  test('rotation records garbage: reading and following it never throws and moves nowhere', async () => {
    const keys = await generateMemberKeys();
    const secret = new Uint8Array(32).fill(3);
    const commit = await commitSecret(secret);
    const garbage: [string, unknown][] = [
      ['1:AAAAAAAAAAAAAAAAAAAAAA:0011223344556677', 'not json {'],
      ['1:x:y', JSON.stringify(42)],
      ['two', JSON.stringify({ p: '{}', s: 'AAAA' })],
      [
        '1:AAAAAAAAAAAAAAAAAAAAAA:00',
        JSON.stringify({
          p: JSON.stringify({ t: 'pn-rotation/1', notebook: 'nb', epoch: 1, prev: commit, next: commit, by: {}, members: [], wrapped: {} }),
          s: 'AAAA',
        }),
      ],
      ['9007199254740993:a:b', JSON.stringify({ p: 'x'.repeat(70_000), s: 'A' })],
      ['1:BBBBBBBBBBBBBBBBBBBBBB:1', new Y.Map()],
    ];
    for (const [key, g] of garbage) {
      const { doc } = seededNotebook();
      const before = copyOf(doc);
      const evil = attackerOf(doc);
      evil.transact(() => evil.getMap<unknown>('rotations').set(key, g));
      deliver(evil, doc);
      const r = await resolveRotations({ notebookId: 'nb', records: readRotationRecords(doc), state: { epoch: 0 }, secret, keys });
      expect(r.outcome === 'none' || r.outcome === 'choose').toBe(true);
      expect(r.secret).toEqual(secret);
      if (r.outcome === 'choose') expect(r.choice.options).toEqual([]);
      expectIntact(doc, before);
    }
  });
});

describe('meta.schemaVersion set to 999 by a peer', () => {
  test('the open notebook keeps working; at the next open it still opens, flagged, and nothing is lost', async () => {
    const id = `hostile-${Math.random().toString(36).slice(2)}`;
    const first = openNotebookSession(id);
    await first.ready;
    const { doc: seed } = seededNotebook();
    Y.applyUpdate(first.doc, Y.encodeStateAsUpdate(seed));
    const before = copyOf(first.doc);

    const evil = attackerOf(first.doc);
    evil.getMap('meta').set('schemaVersion', 999);
    deliver(evil, first.doc);
    // Nothing checks the version while the notebook is open: it reads and writes as before.
    expect(schemaVersion(first.doc)).toBe(999);
    expect(readable(first.doc)).toBe(readable(before));
    expect(readProblems(first.doc)).toEqual([]);
    await first.persistence.confirm();
    await first.close();

    // Reopening: migrate() refuses to touch a "newer" notebook, so the session opens it without
    // migrating and flags it; the panel asks the person to update and keeps working (no lockout,
    // sync still runs). The data stays unchanged.
    const again = openNotebookSession(id);
    await again.ready;
    expect(again.newerFormat).toBe(999);
    expect(readable(again.doc)).toBe(readable(before));
    const stored = Y.encodeStateAsUpdate(again.doc);
    expect(() => migrate(again.doc)).toThrow(/Nothing has been changed/);
    expect(Y.encodeStateAsUpdate(again.doc)).toEqual(stored);
    await again.close();
  });
});

describe('(e) spoofed presence through awareness', () => {
  async function presenceFrom(states: [number, unknown][]) {
    const { doc } = seededNotebook();
    const c = await connectHostilePeer(doc);
    for (const [clientId, state] of states) await c.send(awarenessMessage(clientId, JSON.stringify(state)));
    return { c, people: c.live.people(), status: c.live.status() };
  }

  test('cleaned and bounded: colour, a 1 MB name and id, a long topic id', async () => {
    const { people, c } = await presenceFrom([
      [501, { user: { id: 'p-x'.repeat(100_000), name: 'N'.repeat(1024 * 1024), color: 'red;background:url(x)' }, topicId: 't'.repeat(10_000) }],
      [502, { user: { id: 'p-y', name: '', color: '#12345G' } }],
    ]);
    expect(c.thrown).toEqual([]);
    const byId = new Map(people.map((p) => [p.id.slice(0, 3), p]));
    const big = byId.get('p-x')!;
    expect(big.id.length).toBe(64);
    expect(big.name.length).toBe(80);
    expect(big.color).toBe('#57606a');
    expect(big.topicId!.length).toBe(64);
    expect(byId.get('p-y')).toMatchObject({ name: 'Partner', color: '#57606a' });
  });

  test('a non-object user, or none, is not listed', async () => {
    const { people } = await presenceFrom([
      [601, { user: 'Batbayar' }],
      [602, { user: 42 }],
      [603, { user: null }],
      [604, { user: ['id', 'name'] }],
      [605, { user: { id: 7, name: {} } }],
      [606, { topicId: 'x' }],
      [607, 'just a string'],
    ]);
    expect(people).toEqual([]);
    expect(parseUser(undefined)).toBeUndefined();
    expect(parseUser('x')).toBeUndefined();
  });

  test('impersonation is NOT detectable: awareness is unauthenticated, so a member can claim any id and name', async () => {
    // Pinned as a known limit (README threat model: members are trusted). A claim of this
    // person's own id is hidden rather than shown as a second "me"; a claim of a partner's id
    // merges with (or stands in for) that partner's entry.
    const { people, status } = await presenceFrom([
      [701, { user: { id: BATBAYAR.id, name: BATBAYAR.name, color: '#d29922' }, topicId: 'evil-topic' }],
      [702, { user: { id: ANA.id, name: 'Ana (fake)', color: '#000000' } }],
    ]);
    expect(people.map((p) => [p.id, p.name, p.topicId])).toEqual([[BATBAYAR.id, BATBAYAR.name, 'evil-topic']]);
    expect(status.message).toBe(`Connected with ${BATBAYAR.name}`);
  });
});

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
