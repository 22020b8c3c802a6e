import { describe, expect, it, vi } from 'vitest';
import {
  ChunkedDataChannel,
  FRAME_BYTES,
  FrameReassembler,
  FramingError,
  chunkingWrtc,
  splitFrames,
  type WrtcImplementation,
} from '../../../../lib/sync/live/chunked-rtc';
import { FakeChannelAttributes } from './fixtures/fake-channel';

const bytesOf = (n: number, seed = 0) => new Uint8Array(n).map((_, i) => (i * 31 + seed) & 0xff);
const same = (a: Uint8Array | ArrayBuffer, b: Uint8Array | ArrayBuffer) => Buffer.from(a as ArrayBuffer).equals(Buffer.from(b as ArrayBuffer));
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('splitFrames', () => {
  const payload = FRAME_BYTES - 1;

  it('an empty message is one header-only "last" frame', () => {
    expect(splitFrames(new Uint8Array(0))).toEqual([new Uint8Array([0b01])]);
    expect(splitFrames(new Uint8Array(0), { text: true })).toEqual([new Uint8Array([0b11])]);
  });

  it('respects exact boundaries: frames never exceed 16 KiB including the header', () => {
    const cases: Array<[number, number[]]> = [
      [1, [2]],
      [payload, [FRAME_BYTES]],
      [payload + 1, [FRAME_BYTES, 2]],
      [2 * payload, [FRAME_BYTES, FRAME_BYTES]],
      [2 * payload + 1, [FRAME_BYTES, FRAME_BYTES, 2]],
    ];
    for (const [size, lengths] of cases) {
      const frames = splitFrames(bytesOf(size));
      expect(
        frames.map((f) => f.length),
        `size ${size}`,
      ).toEqual(lengths);
      expect(frames.map((f) => f[0])).toEqual(lengths.map((_, i) => (i === lengths.length - 1 ? 0b01 : 0b00)));
    }
  });

  it('marks text on every frame', () => {
    const frames = splitFrames(bytesOf(40), { text: true, frameBytes: 16 });
    expect(frames.map((f) => f[0])).toEqual([0b10, 0b10, 0b11]);
  });
});

describe('FrameReassembler', () => {
  it('reassembles messages of every size around the boundaries, back to back', () => {
    const r = new FrameReassembler();
    const sizes = [0, 1, 14, 15, 16, 29, 30, 31, 1000];
    for (const size of sizes) {
      const message = bytesOf(size, size);
      const frames = splitFrames(message, { frameBytes: 16 });
      const results = frames.map((f) => r.push(f));
      expect(results.slice(0, -1).every((x) => x === undefined)).toBe(true);
      const last = results.at(-1)!;
      expect(last.text).toBe(false);
      expect(same(last.bytes, message)).toBe(true);
      expect(last.bytes.byteOffset).toBe(0);
      expect(last.bytes.buffer.byteLength).toBe(size); // an exact ArrayBuffer for simple-peer
      expect(r.pendingBytes).toBe(0);
    }
  });

  it('accepts a message of exactly the bound and rejects one byte more', () => {
    const ok = new FrameReassembler(100);
    const frames = splitFrames(bytesOf(100), { frameBytes: 16 });
    expect(frames.map((f) => ok.push(f)).at(-1)?.bytes.length).toBe(100);

    const r = new FrameReassembler(100);
    const over = splitFrames(bytesOf(101), { frameBytes: 16 });
    const pushAll = () => over.forEach((f) => r.push(f));
    expect(pushAll).toThrow(FramingError);
    expect(pushAll).toThrow(/larger than 100 bytes/);
    expect(r.pendingBytes).toBeLessThanOrEqual(100);
  });

  it('rejects frames it did not make', () => {
    expect(() => new FrameReassembler().push(new Uint8Array(0))).toThrow(/empty frame/);
    expect(() => new FrameReassembler().push(new Uint8Array([0x80, 1]))).toThrow(/unknown header/);
    const r = new FrameReassembler();
    r.push(new Uint8Array([0b00, 1]));
    expect(() => r.push(new Uint8Array([0b11, 2]))).toThrow(/disagree/);
  });
});

/**
 * A minimal RTCDataChannel: counts bufferedAmount, delivers to its peer asynchronously (like
 * a network) and fires `bufferedamountlow` when crossing the threshold, as browsers do.
 */
class FakeChannel extends FakeChannelAttributes {
  peer: FakeChannel | undefined;
  sent: Uint8Array[] = [];
  maxBuffered = 0;
  autoDrain = true;
  #inFlight: Uint8Array[] = [];

  constructor() {
    super('fake', 'connecting', 'blob');
  }

  send(data: Uint8Array | string) {
    if (this.readyState !== 'open') throw new DOMException('not open', 'InvalidStateError');
    const frame = typeof data === 'string' ? data : new Uint8Array(data);
    if (typeof frame !== 'string') {
      this.sent.push(frame);
      this.bufferedAmount += frame.length;
      this.maxBuffered = Math.max(this.maxBuffered, this.bufferedAmount);
      this.#inFlight.push(frame);
    } else {
      setTimeout(() => this.peer?.dispatchEvent(new MessageEvent('message', { data: frame })), 0);
    }
    if (this.autoDrain) setTimeout(() => this.drain(), 0);
  }

  /** Moves buffered frames to the peer. */
  drain(maxFrames = Infinity) {
    const before = this.bufferedAmount;
    while (this.#inFlight.length && maxFrames-- > 0) {
      const frame = this.#inFlight.shift()!;
      this.bufferedAmount -= frame.length;
      const copy = frame.slice().buffer;
      this.peer?.dispatchEvent(new MessageEvent('message', { data: copy }));
    }
    if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
      this.dispatchEvent(new Event('bufferedamountlow'));
    }
  }

  open() {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }

  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    setTimeout(() => this.dispatchEvent(new Event('close')), 0);
  }
}

function pair(opts?: ConstructorParameters<typeof ChunkedDataChannel>[1]) {
  const ia = new FakeChannel();
  const ib = new FakeChannel();
  ia.peer = ib;
  ib.peer = ia;
  const a = new ChunkedDataChannel(ia as unknown as RTCDataChannel, opts);
  const b = new ChunkedDataChannel(ib as unknown as RTCDataChannel, opts);
  const received: unknown[] = [];
  // Set up the way simple-peer does.
  b.binaryType = 'arraybuffer';
  b.onmessage = (ev) => received.push((ev as MessageEvent).data);
  ia.open();
  ib.open();
  return { ia, ib, a, b, received };
}

async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await tick();
  }
}

describe('ChunkedDataChannel', () => {
  it('delivers a 5 MB message as one ArrayBuffer, in 16 KiB frames, never buffering past the high-water mark', async () => {
    const { ia, a, received } = pair();
    const message = bytesOf(5 * 1024 * 1024, 3);
    a.send(message);
    expect(a.bufferedAmount).toBeGreaterThan(4 * 1024 * 1024); // queued here, not in the channel
    expect(ia.bufferedAmount).toBeLessThan(1024 * 1024 + FRAME_BYTES);
    await until(() => received.length === 1);
    expect(received[0]).toBeInstanceOf(ArrayBuffer);
    expect(same(received[0] as ArrayBuffer, message)).toBe(true);
    expect(Math.max(...ia.sent.map((f) => f.length))).toBe(FRAME_BYTES);
    expect(ia.sent).toHaveLength(Math.ceil(message.length / (FRAME_BYTES - 1)));
    expect(ia.maxBuffered).toBeLessThan(1024 * 1024 + FRAME_BYTES);
    expect(a.bufferedAmount).toBe(0);
  });

  it('keeps order across strings, binary and empty messages', async () => {
    const { a, received } = pair({ frameBytes: 64 });
    const big = bytesOf(1000, 9);
    a.send('héllo');
    a.send(big);
    a.send(new Uint8Array(0));
    a.send('');
    a.send(new Float64Array([1.5, 2.5]).subarray(1)); // a view with an offset
    await until(() => received.length === 5);
    expect(received[0]).toBe('héllo');
    expect(same(received[1] as ArrayBuffer, big)).toBe(true);
    expect((received[2] as ArrayBuffer).byteLength).toBe(0);
    expect(received[3]).toBe('');
    expect(new Float64Array(received[4] as ArrayBuffer)).toEqual(new Float64Array([2.5]));
  });

  it('reports queue plus channel in bufferedAmount and fires bufferedamountlow when drained (simple-peer backpressure)', async () => {
    const ia = new FakeChannel();
    ia.autoDrain = false;
    const a = new ChunkedDataChannel(ia as unknown as RTCDataChannel, { highWaterMark: 64 * 1024, lowWaterMark: 16 * 1024 });
    ia.open();
    a.bufferedAmountLowThreshold = 64 * 1024; // what simple-peer sets
    const low = vi.fn();
    a.onbufferedamountlow = low;
    a.send(bytesOf(300 * 1024));
    expect(a.bufferedAmount).toBeGreaterThan(300 * 1024);
    expect(ia.bufferedAmount).toBeLessThan(64 * 1024 + FRAME_BYTES);
    for (let i = 0; i < 100 && a.bufferedAmount > 0; i++) {
      ia.drain(2);
      await tick();
    }
    await until(() => low.mock.calls.length > 0);
    expect(a.bufferedAmount).toBe(0);
    expect(low).toHaveBeenCalledTimes(1);
  });

  it('throws InvalidStateError when not open, as a real channel does', () => {
    const inner = new FakeChannel();
    const a = new ChunkedDataChannel(inner as unknown as RTCDataChannel);
    expect(a.readyState).toBe('connecting');
    expect(() => a.send('x')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
  });

  it('closes with an error event when a peer sends a message above the bound', async () => {
    const { ia, ib, b, received } = pair({ maxMessageBytes: 10_000 });
    const errors: unknown[] = [];
    b.onerror = (ev) => errors.push((ev as Event & { error: unknown }).error);
    const closed = vi.fn();
    b.onclose = closed;
    // The sender is a separate wrapper with a larger bound: a misbehaving or newer peer.
    const sender = new ChunkedDataChannel(ia as unknown as RTCDataChannel, { maxMessageBytes: 1e6 });
    sender.send(bytesOf(10_001));
    await until(() => closed.mock.calls.length > 0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(FramingError);
    expect(String(errors[0])).toMatch(/larger than 10000 bytes/);
    expect(ib.readyState).toBe('closed');
    expect(received).toHaveLength(0);
  });

  it('refuses to send a message above the bound', () => {
    const { a } = pair({ maxMessageBytes: 100 });
    expect(() => a.send(bytesOf(101))).toThrow(TypeError);
  });

  it('treats an unframed message as a fault (the peer is not using the wrapper)', async () => {
    const { ia, b } = pair();
    const onerror = vi.fn();
    b.onerror = onerror;
    ia.send('raw text, no header');
    await until(() => onerror.mock.calls.length > 0);
    expect((onerror.mock.calls[0]![0] as { error: Error }).error.message).toMatch(/unframed/);
  });

  it('close() flushes queued frames before closing the channel', async () => {
    const { ia, a, received } = pair();
    const message = bytesOf(3 * 1024 * 1024);
    a.send(message);
    a.close();
    expect(a.readyState).toBe('closing');
    expect(() => a.send('late')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    await until(() => received.length === 1);
    await until(() => ia.readyState === 'closed');
    expect(same(received[0] as ArrayBuffer, message)).toBe(true);
  });

  it('forwards open, close and error; onX handlers replace each other', async () => {
    const inner = new FakeChannel();
    const a = new ChunkedDataChannel(inner as unknown as RTCDataChannel);
    const first = vi.fn();
    const second = vi.fn();
    a.onopen = first;
    a.onopen = second;
    inner.open();
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    expect(a.readyState).toBe('open');
    expect(a.label).toBe('fake');
    const err = vi.fn();
    a.addEventListener('error', err);
    const e = new Event('error');
    Object.assign(e, { error: new Error('sctp failure') });
    inner.dispatchEvent(e);
    expect((err.mock.calls[0]![0] as { error: Error }).error.message).toBe('sctp failure');
  });
});

describe('chunkingWrtc', () => {
  /** Shaped like @roamhq/wrtc: `ondatachannel` is an own, non-configurable data property. */
  class FakePeerConnection extends EventTarget {
    declare ondatachannel: ((ev: Event) => void) | null;
    onicecandidate: unknown = null;
    channels: FakeChannel[] = [];
    constructor(readonly config?: RTCConfiguration) {
      super();
      Object.defineProperty(this, 'ondatachannel', { value: null, writable: true, enumerable: true, configurable: false });
    }
    createDataChannel(label: string) {
      const ch = new FakeChannel();
      ch.label = label;
      this.channels.push(ch);
      return ch;
    }
    getStats() {
      return Promise.resolve(this instanceof FakePeerConnection ? new Map() : undefined);
    }
    /** Simulates the remote side opening a channel. */
    announce(channel: FakeChannel) {
      const ev = Object.assign(new Event('datachannel'), { channel });
      this.dispatchEvent(ev);
      this.ondatachannel?.(ev);
    }
  }
  const base = { RTCPeerConnection: FakePeerConnection, RTCSessionDescription: class {}, RTCIceCandidate: class {} } as unknown as WrtcImplementation;

  it('wraps created channels and passes configuration through', () => {
    const wrtc = chunkingWrtc(base);
    expect(wrtc.RTCSessionDescription).toBe(base.RTCSessionDescription);
    expect(wrtc.RTCIceCandidate).toBe(base.RTCIceCandidate);
    const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
    expect((pc as unknown as FakePeerConnection).config).toEqual({ iceServers: [] });
    const ch = pc.createDataChannel('sync');
    expect(ch).toBeInstanceOf(ChunkedDataChannel);
    expect(ch.label).toBe('sync');
    expect(pc).toBeInstanceOf(FakePeerConnection);
  });

  it('hands ondatachannel and datachannel listeners the same wrapped channel', () => {
    const pc = new (chunkingWrtc(base).RTCPeerConnection)() as unknown as FakePeerConnection;
    const fromHandler = vi.fn();
    const fromListener = vi.fn();
    const handler = (ev: Event) => fromHandler((ev as RTCDataChannelEvent).channel);
    pc.ondatachannel = handler;
    expect(pc.ondatachannel).toBe(handler);
    pc.addEventListener('datachannel', (ev) => fromListener((ev as RTCDataChannelEvent).channel));
    const inner = new FakeChannel();
    pc.announce(inner);
    return tick().then(() => {
      const a = fromHandler.mock.calls[0]![0];
      expect(a).toBeInstanceOf(ChunkedDataChannel);
      expect(fromListener.mock.calls[0]![0]).toBe(a);
      expect(inner.binaryType).toBe('arraybuffer');
    });
  });

  it('binds methods to the real connection and keeps their identity and arity', async () => {
    const pc = new (chunkingWrtc(base).RTCPeerConnection)() as unknown as FakePeerConnection;
    expect(pc.getStats).toBe(pc.getStats);
    expect(pc.getStats.length).toBe(0); // simple-peer picks promise-based getStats by arity
    expect(await pc.getStats()).toBeInstanceOf(Map);
    const onice = () => {};
    pc.onicecandidate = onice;
    expect(pc.onicecandidate).toBe(onice);
  });

  it('without an implementation, says what to pass', () => {
    expect(() => chunkingWrtc({} as WrtcImplementation)).toThrow(/@roamhq\/wrtc/);
  });
});
