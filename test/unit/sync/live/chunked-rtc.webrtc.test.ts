/**
 * Two real y-webrtc peers (separate Node processes, @roamhq/wrtc) sync a 5 MB notebook over
 * a WebRTC data channel: with chunkingWrtc it arrives; without it, it does not.
 *
 * Runs only inside a private network namespace, so no ICE or mDNS packet leaves the machine:
 *   unshare -n sh scripts/netns.sh npx vitest run test/unit/sync
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../../../lib/sync/keys/invite';
import { deriveKeys } from '../../../../lib/sync/keys/derive';

const inNetns = process.env.PN_NETNS === '1';
if (!inNetns) {
  console.warn(
    'Skipping the WebRTC transfer tests: they must run in a private network namespace so no ICE/mDNS ' +
      'traffic leaves this machine. Run: unshare -n sh scripts/netns.sh npx vitest run test/unit/sync',
  );
}

const ENTRIES = 500;
const ENTRY_CHARS = 10_000; // 500 × 10 KB ≈ 5 MB of notebook state
const PEER_SCRIPT = fileURLToPath(new URL('./fixtures/webrtc-peer.ts', import.meta.url));

/** y-webrtc's signaling protocol (subscribe / publish / ping), bound to 127.0.0.1 only. */
function startSignaling(): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const topics = new Map<string, Set<WebSocket>>();
  wss.on('connection', (conn) => {
    const mine = new Set<string>();
    conn.on('message', (raw) => {
      let msg: { type?: string; topics?: unknown[]; topic?: string; clients?: number };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return;
      }
      if (msg.type === 'subscribe') {
        for (const t of msg.topics ?? []) {
          if (typeof t !== 'string') continue;
          if (!topics.has(t)) topics.set(t, new Set());
          topics.get(t)!.add(conn);
          mine.add(t);
        }
      } else if (msg.type === 'unsubscribe') {
        for (const t of msg.topics ?? []) if (typeof t === 'string') topics.get(t)?.delete(conn);
      } else if (msg.type === 'publish' && typeof msg.topic === 'string') {
        const receivers = topics.get(msg.topic) ?? new Set();
        msg.clients = receivers.size;
        const text = JSON.stringify(msg);
        for (const r of receivers) r.send(text);
      } else if (msg.type === 'ping') {
        conn.send(JSON.stringify({ type: 'pong' }));
      }
    });
    conn.on('close', () => mine.forEach((t) => topics.get(t)?.delete(conn)));
  });
  return new Promise((resolve) =>
    wss.on('listening', () =>
      resolve({
        url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            wss.clients.forEach((c) => c.terminate());
            wss.close(() => done());
          }),
      }),
    ),
  );
}

type PeerMessage = { type: string; [k: string]: unknown };

class Peer {
  readonly messages: PeerMessage[] = [];
  readonly child: ChildProcess;
  readonly stderr: string[] = [];
  #waiters: Array<() => void> = [];

  constructor(env: Record<string, string>) {
    this.child = fork(PEER_SCRIPT, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.child.stderr!.on('data', (d) => {
      this.stderr.push(String(d));
      if (process.env.PN_TRACE === '1') process.stderr.write(d);
    });
    this.child.on('message', (m) => {
      this.messages.push(m as PeerMessage);
      this.#waiters.forEach((w) => w());
    });
    this.child.on('exit', () => this.#waiters.forEach((w) => w()));
  }

  /** Resolves with the first message of `type`, or undefined after `ms` or if the process dies. */
  next(type: string, ms: number): Promise<PeerMessage | undefined> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.messages.find((m) => m.type === type);
        if (found || this.child.exitCode !== null) {
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((w) => w !== check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== check);
        resolve(undefined);
      }, ms);
      this.#waiters.push(check);
      check();
    });
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/**
 * Starts a sender with the 5 MB notebook, then an empty receiver, in a fresh room.
 * Returns undefined if the two never got a WebRTC connection (see `transfer`).
 */
async function attempt(wrap: boolean, waitMs: number) {
  const invite = createInvite({ notebookId: 'nb-transfer-test', title: 'Transfer test' });
  const keys = await deriveKeys(invite.secret);
  const common = {
    PN_ROOM: keys.roomName,
    PN_PASSWORD: keys.webrtcPassword,
    PN_SIGNALING: signaling.url,
    PN_WRAP: wrap ? '1' : '0',
    PN_ENTRIES: String(ENTRIES),
    PN_ENTRY_CHARS: String(ENTRY_CHARS),
  };
  const sender = new Peer({ ...common, PN_ROLE: 'sender' });
  let receiver: Peer | undefined;
  try {
    const ready = await sender.next('ready', 15_000);
    expect(ready, `sender did not start: ${sender.stderr.join('')}`).toBeDefined();
    expect(ready!.stateBytes as number).toBeGreaterThan(5_000_000);
    receiver = new Peer({ ...common, PN_ROLE: 'receiver' });
    const connected = await receiver.next('peer', 10_000);
    if (!connected) return undefined;
    const done = await receiver.next('done', waitMs);
    return {
      done,
      stateBytes: ready!.stateBytes as number,
      senderLost: sender.messages.some((m) => m.type === 'peer-lost'),
      receiverLost: receiver.messages.some((m) => m.type === 'peer-lost'),
      mismatch: receiver.messages.find((m) => m.type === 'mismatch'),
      stderr: sender.stderr.join('') + receiver.stderr.join(''),
    };
  } finally {
    await Promise.all([sender.stop(), receiver?.stop()]);
  }
}

/**
 * y-webrtc 10.3 sometimes lets both peers send an offer ("glare"); its resolution then feeds
 * the remote offer to a peer still setting its own (simple-peer: ERR_SET_LOCAL_DESCRIPTION
 * "have-remote-offer") and neither side ever retries. That is y-webrtc's connection setup,
 * not the data path under test, so a run that never connects is retried in a fresh room (at
 * most 3 times). Once connected there is no retry: the transfer must complete.
 */
async function transfer(wrap: boolean, waitMs: number) {
  for (let i = 1; i <= 3; i++) {
    const result = await attempt(wrap, waitMs);
    if (result) return { ...result, attempts: i };
  }
  throw new Error('the two peers never got a WebRTC connection in 3 attempts');
}

let signaling: Awaited<ReturnType<typeof startSignaling>>;

describe.skipIf(!inNetns)('y-webrtc over real WebRTC (@roamhq/wrtc, private netns)', () => {
  beforeAll(async () => {
    signaling = await startSignaling();
  });
  afterAll(async () => {
    await signaling?.close();
  });

  it('with chunkingWrtc, a peer joining empty receives a 5 MB notebook', { timeout: 90_000 }, async () => {
    const result = await transfer(true, 60_000);
    expect(result.mismatch).toBeUndefined();
    expect(result.done, `the 5 MB state did not arrive within 60 s\n${result.stderr}`).toBeDefined();
    expect(result.done!.stateBytes as number).toBeGreaterThan(5_000_000);
    console.info(
      `[chunked-rtc] 5 MB transfer WITH wrapper: ${result.done!.ms} ms from WebRTC connect to complete doc ` +
        `(${(result.stateBytes / 1e6).toFixed(2)} MB state; connection attempts: ${result.attempts})`,
    );
  });

  it('without the wrapper, the same transfer does not arrive (the test above is meaningful)', { timeout: 60_000 }, async () => {
    const result = await transfer(false, 20_000);
    console.info(
      `[chunked-rtc] 5 MB transfer WITHOUT wrapper: ${result.done ? `arrived in ${result.done.ms} ms (!)` : 'nothing after 20 s'}; ` +
        `connection dropped: sender ${result.senderLost}, receiver ${result.receiverLost}; attempts: ${result.attempts}`,
    );
    expect(result.done).toBeUndefined();
  });
});
