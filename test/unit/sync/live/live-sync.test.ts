import wrtc from '@roamhq/wrtc';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { LiveSync } from '../../../../lib/sync/live/live-sync';

// No peer is ever found here (no signaling server), but LiveSync wires a WebRTC implementation.
// LiveSync also listens for the page's online/offline events.
beforeAll(() => {
  const events = new EventTarget();
  Object.assign(globalThis, {
    RTCPeerConnection: wrtc.RTCPeerConnection,
    RTCSessionDescription: wrtc.RTCSessionDescription,
    RTCIceCandidate: wrtc.RTCIceCandidate,
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  });
});

const me = { id: 'person-ana', name: 'Ana', color: '#1f6feb' };
let n = 0;
const open: { live: LiveSync; channel: BroadcastChannel }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    o.live.destroy();
    o.channel.close();
  }
});

/** A notebook-sized doc, a LiveSync on it, and what another panel of this browser would hear on the room's BroadcastChannel. */
async function join(othersOpen: boolean | undefined) {
  const doc = new Y.Doc();
  doc.getText('note').insert(0, 'Our readers asked for longer evening hours. '.repeat(5_000));
  const roomName = `live-sync-test-${++n}-${Math.random()}`;
  const heard: number[] = [];
  const channel = new BroadcastChannel(roomName);
  channel.onmessage = (e: MessageEvent<Uint8Array>) => heard.push(e.data.byteLength);
  const own: unknown[] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => tr.origin !== null && own.push(tr.origin));
  const live = new LiveSync({ doc, keys: { roomName, webrtcPassword: 'test password' }, signaling: [], iceServers: [], me, othersOpen });
  open.push({ live, channel });
  await new Promise((r) => setTimeout(r, 400));
  return { doc, heard, own, live };
}

describe('LiveSync and other panels of the same browser', () => {
  test('a panel that is alone joins without broadcasting the whole notebook, and keeps sending its changes', async () => {
    const { doc, heard } = await join(false);
    expect(heard.length).toBeGreaterThan(0);
    expect(Math.max(...heard)).toBeLessThan(5_000);
    heard.length = 0;
    doc.getText('note').insert(0, 'typed later ');
    await new Promise((r) => setTimeout(r, 200));
    expect(heard.length).toBe(1);
  });

  test('with other panels open it sends them the whole notebook, as y-webrtc does', async () => {
    const { heard } = await join(true);
    expect(Math.max(...heard)).toBeGreaterThan(200_000);
  });

  test('a panel does not decrypt and apply its own broadcasts', async () => {
    const { own, live } = await join(true);
    // Without the filter, lib0 hands the page's own messages back to the room, which applies its
    // own sync step 2 (origin: the room) and answers its own step 1.
    expect(own.filter((o) => o === live.provider.room)).toEqual([]);
  });
});

test('re-announcing (closing the signaling socket on purpose) never flashes "Cannot reach the sync server"', () => {
  vi.useFakeTimers();
  try {
    const doc = new Y.Doc();
    const live = new LiveSync({ doc, keys: { roomName: `reannounce-${Math.random()}`, webrtcPassword: 'pw' }, signaling: [], iceServers: [], me });
    // A signaling connection that is up, and goes down when the panel closes it to re-announce.
    const conn = { connected: true, ws: { close: () => void (conn.connected = false) } };
    (live.provider as unknown as { signalingConns: unknown[] }).signalingConns = [conn];
    expect(live.status().state).toBe('searching');
    vi.advanceTimersByTime(10_000); // the first re-announce comes 6–9.6 s after joining
    expect(conn.connected).toBe(false);
    expect(live.status().message).toBe('Looking for partners…');
    vi.advanceTimersByTime(6_000); // still down well after a reconnect should have happened
    expect(live.status().state).toBe('error');
    (live.provider as unknown as { signalingConns: unknown[] }).signalingConns = [];
    live.destroy();
  } finally {
    vi.useRealTimers();
  }
});
