/**
 * Lets y-webrtc sync notebooks larger than one data-channel message.
 *
 * y-webrtc sends a peer's whole document state as ONE `send()` on the data channel. Browsers
 * only guarantee messages up to the SCTP `max-message-size` (256 KiB in Chromium's SDP;
 * larger sends throw or the channel closes, y-webrtc issues #20 and #61), and a big send
 * can push the channel's buffer past Chromium's 16 MiB limit, which closes the channel.
 * y-webrtc swallows the exception, so the partner just never receives the notebook.
 *
 * {@link chunkingWrtc} returns a `wrtc` object for simple-peer (`peerOpts.wrtc`) whose
 * RTCPeerConnection hands out wrapped data channels. A wrapped channel
 *  - splits every `send(data)` into frames of at most 16 KiB (the size every browser pair
 *    interoperates with), each with a 1-byte header: bit 0 = last frame of the message,
 *    bit 1 = the message is text;
 *  - queues frames in JavaScript and feeds the real channel only while its `bufferedAmount`
 *    is below a high-water mark, refilling on `bufferedamountlow` (and a slow timer, for
 *    implementations that miss the event);
 *  - reassembles frames into one message before dispatching `message`, refusing messages
 *    above a bound (default 64 MiB) by closing the channel with an `error` event;
 *  - otherwise looks like an RTCDataChannel to simple-peer 9.11: `binaryType`, `readyState`,
 *    `bufferedAmount` (real buffer + queue), `bufferedAmountLowThreshold`, `label`, `close()`,
 *    the `open`/`message`/`bufferedamountlow`/`close`/`closing`/`error` events and their
 *    `on…` handler properties.
 *
 * Both partners run this extension, so the framing only has to be understood by itself; an
 * unwrapped peer would see frames, not messages. y-webrtc encrypts only its signaling and
 * BroadcastChannel messages with the room password; data-channel contents are protected by the
 * channel's own DTLS encryption.
 */

/** Bytes per frame on the wire, header included. 16 KiB is the cross-browser safe message size. */
export const FRAME_BYTES = 16 * 1024;

/** Largest message a wrapped channel accepts or reassembles by default (64 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Frames are handed to the real channel while its `bufferedAmount` is below this. */
const DEFAULT_HIGH_WATER = 1024 * 1024;
/** The real channel's `bufferedAmountLowThreshold`: when it drains to this, refill. */
const DEFAULT_LOW_WATER = 256 * 1024;
/** Fallback refill interval while frames are queued, in case `bufferedamountlow` never comes. */
const POLL_MS = 50;

const FLAG_LAST = 0b01;
const FLAG_TEXT = 0b10;

/** Tuning for {@link chunkingWrtc}; the defaults suit browsers and `@roamhq/wrtc`. */
export interface ChunkingOptions {
  /** Bytes per frame including the 1-byte header (2 … 65 536). Default {@link FRAME_BYTES}. */
  frameBytes?: number;
  /** Largest message sent or reassembled. Default {@link DEFAULT_MAX_MESSAGE_BYTES}. */
  maxMessageBytes?: number;
  /** Stop feeding the real channel above this many buffered bytes. Default 1 MiB. */
  highWaterMark?: number;
  /** Resume feeding when the real channel drains to this many bytes. Default 256 KiB. */
  lowWaterMark?: number;
}

/** The three constructors simple-peer takes as `opts.wrtc`. */
export interface WrtcImplementation {
  /** Peer connection constructor. */
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Session description constructor (simple-peer wraps remote SDP with it). */
  RTCSessionDescription: typeof RTCSessionDescription;
  /** ICE candidate constructor (simple-peer wraps remote candidates with it). */
  RTCIceCandidate: typeof RTCIceCandidate;
}

/** A message that breaks the framing rules or exceeds the size bound. */
export class FramingError extends Error {
  override name = 'FramingError';

  /** @param options `cause` keeps the underlying error, if any */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Splits one message into frames of at most `frameBytes` bytes (header included). An empty
 * message becomes one header-only frame, so it still arrives as a message.
 *
 * @param data message bytes
 * @param opts.text mark the message as text (delivered as a string)
 * @param opts.frameBytes frame size including the header, default {@link FRAME_BYTES}
 */
export function splitFrames(data: Uint8Array, opts: { text?: boolean; frameBytes?: number } = {}): Uint8Array[] {
  const frameBytes = opts.frameBytes ?? FRAME_BYTES;
  if (!Number.isInteger(frameBytes) || frameBytes < 2) throw new RangeError('frameBytes must be an integer ≥ 2');
  const payload = frameBytes - 1;
  const kind = opts.text ? FLAG_TEXT : 0;
  const frames: Uint8Array[] = [];
  let at = 0;
  do {
    const end = Math.min(at + payload, data.length);
    const frame = new Uint8Array(1 + end - at);
    frame[0] = kind | (end === data.length ? FLAG_LAST : 0);
    frame.set(data.subarray(at, end), 1);
    frames.push(frame);
    at = end;
  } while (at < data.length);
  return frames;
}

/** A message rebuilt from frames. */
export interface ReassembledMessage {
  /** The message bytes, in their own exactly-sized buffer. */
  bytes: Uint8Array;
  /** Whether the sender sent a string. */
  text: boolean;
}

/**
 * Rebuilds messages from frames of one channel, in order. Holds at most `maxMessageBytes`
 * of payload; a peer that sends more (by mistake or to exhaust memory) gets a
 * {@link FramingError} instead of our memory.
 */
export class FrameReassembler {
  readonly #max: number;
  #parts: Uint8Array[] = [];
  #bytes = 0;
  #text: boolean | undefined;

  /** @param maxMessageBytes bound on one reassembled message, default {@link DEFAULT_MAX_MESSAGE_BYTES} */
  constructor(maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {
    this.#max = maxMessageBytes;
  }

  /** Payload bytes held for the message in progress. */
  get pendingBytes(): number {
    return this.#bytes;
  }

  /**
   * Adds one frame; returns the complete message when this frame was its last.
   * @throws FramingError for a frame without header, unknown header bits, a message whose
   *   frames disagree about being text, or a message above the bound. The reassembler is
   *   reset, but the channel should be closed: its stream can no longer be trusted.
   */
  push(frame: Uint8Array): ReassembledMessage | undefined {
    const header = frame[0];
    if (header === undefined) return this.#fail('received an empty frame (no header byte)');
    if (header & ~(FLAG_LAST | FLAG_TEXT)) return this.#fail(`received a frame with unknown header 0x${header.toString(16)}`);
    const text = (header & FLAG_TEXT) !== 0;
    if (this.#text !== undefined && this.#text !== text) return this.#fail('frames of one message disagree about being text');
    this.#text = text;
    const payload = frame.subarray(1);
    if (this.#bytes + payload.length > this.#max) {
      return this.#fail(`peer sent a message larger than ${this.#max} bytes`);
    }
    if (payload.length > 0) this.#parts.push(payload);
    this.#bytes += payload.length;
    if (!(header & FLAG_LAST)) return undefined;

    // Copy even a single part: the frame's buffer may be reused by the implementation, and
    // consumers (simple-peer) expect an ArrayBuffer that is exactly the message.
    const bytes = new Uint8Array(this.#bytes);
    let at = 0;
    for (const part of this.#parts) {
      bytes.set(part, at);
      at += part.length;
    }
    this.#reset();
    return { bytes, text };
  }

  #reset() {
    this.#parts = [];
    this.#bytes = 0;
    this.#text = undefined;
  }

  #fail(message: string): never {
    this.#reset();
    throw new FramingError(message);
  }
}

type Handler = ((this: ChunkedDataChannel, ev: Event) => unknown) | null;
const HANDLER_EVENTS = ['open', 'message', 'bufferedamountlow', 'close', 'closing', 'error'] as const;

/**
 * An RTCDataChannel look-alike that frames, paces and reassembles messages over a real
 * channel. Created by {@link chunkingWrtc}'s peer connections; exported for tests and types.
 */
export class ChunkedDataChannel extends EventTarget {
  readonly #inner: RTCDataChannel;
  readonly #frameBytes: number;
  readonly #maxMessageBytes: number;
  readonly #highWater: number;
  readonly #lowWater: number;
  readonly #reassembler: FrameReassembler;
  readonly #handlers = new Map<string, Handler>();
  // Frames not yet handed to the real channel; `#head` avoids O(n) shift() per frame.
  #queue: Uint8Array[] = [];
  #head = 0;
  #queuedBytes = 0;
  #threshold = 0;
  #aboveThreshold = false;
  #binaryType: BinaryType;
  #closeRequested = false;
  #failed = false;
  #poll: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param inner the real data channel; it must not be used directly afterwards
   * @param options framing and pacing, see {@link ChunkingOptions}
   */
  constructor(inner: RTCDataChannel, options: ChunkingOptions = {}) {
    super();
    this.#inner = inner;
    this.#frameBytes = options.frameBytes ?? FRAME_BYTES;
    if (!Number.isInteger(this.#frameBytes) || this.#frameBytes < 2 || this.#frameBytes > 65_536) {
      throw new RangeError('frameBytes must be an integer from 2 to 65536');
    }
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#highWater = options.highWaterMark ?? DEFAULT_HIGH_WATER;
    this.#lowWater = Math.min(options.lowWaterMark ?? DEFAULT_LOW_WATER, this.#highWater);
    this.#reassembler = new FrameReassembler(this.#maxMessageBytes);
    // The consumer sees the binaryType it sets; the wire always carries ArrayBuffers.
    this.#binaryType = inner.binaryType ?? 'arraybuffer';
    inner.binaryType = 'arraybuffer';
    this.#syncInnerThreshold();

    for (const type of HANDLER_EVENTS) {
      this.addEventListener(type, (ev) => void this.#handlers.get(type)?.call(this, ev));
    }
    inner.addEventListener('open', () => {
      this.#pump();
      this.dispatchEvent(new Event('open'));
    });
    inner.addEventListener('message', (ev) => this.#onFrame((ev as MessageEvent).data));
    inner.addEventListener('bufferedamountlow', () => this.#pump());
    inner.addEventListener('closing', () => this.dispatchEvent(new Event('closing')));
    inner.addEventListener('error', (ev) => {
      if (this.#failed) return; // our own close after a framing error; already reported
      this.dispatchEvent(errorEvent((ev as Event & { error?: unknown }).error ?? new Error('Data channel error')));
    });
    inner.addEventListener('close', () => {
      this.#dropQueue();
      this.dispatchEvent(new Event('close'));
    });
  }

  /** The real channel's label. */
  get label(): string {
    return this.#inner.label;
  }
  /** The real channel's ordering (framing requires `true`, the default). */
  get ordered(): boolean {
    return this.#inner.ordered;
  }
  /** The real channel's id. */
  get id(): number | null {
    return this.#inner.id;
  }
  /** The real channel's subprotocol. */
  get protocol(): string {
    return this.#inner.protocol;
  }
  /** Whether the real channel was negotiated out of band. */
  get negotiated(): boolean {
    return this.#inner.negotiated;
  }
  /** The real channel's partial-reliability lifetime. */
  get maxPacketLifeTime(): number | null {
    return this.#inner.maxPacketLifeTime;
  }
  /** The real channel's partial-reliability retransmits. */
  get maxRetransmits(): number | null {
    return this.#inner.maxRetransmits;
  }

  /** `closing` from the moment `close()` is called until queued frames are flushed. */
  get readyState(): RTCDataChannelState {
    const state = this.#inner.readyState;
    return this.#closeRequested && state === 'open' ? 'closing' : state;
  }

  /** Bytes not yet sent: the real channel's buffer plus frames still queued here. */
  get bufferedAmount(): number {
    return (this.#inner.bufferedAmount ?? 0) + this.#queuedBytes;
  }

  /** `bufferedamountlow` fires when {@link bufferedAmount} drops to this or below. */
  get bufferedAmountLowThreshold(): number {
    return this.#threshold;
  }
  set bufferedAmountLowThreshold(value: number) {
    this.#threshold = Math.max(0, Math.floor(Number(value) || 0));
    this.#syncInnerThreshold();
  }

  /** How received messages are delivered: `arraybuffer` or (where Blob exists) `blob`. */
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: BinaryType) {
    if (value === 'arraybuffer' || value === 'blob') this.#binaryType = value;
  }

  /** Handler for `open`. */
  get onopen(): Handler {
    return this.#handlers.get('open') ?? null;
  }
  set onopen(fn: Handler) {
    this.#setHandler('open', fn);
  }
  /** Handler for reassembled `message` events. */
  get onmessage(): Handler {
    return this.#handlers.get('message') ?? null;
  }
  set onmessage(fn: Handler) {
    this.#setHandler('message', fn);
  }
  /** Handler for `bufferedamountlow` (real buffer plus queue). */
  get onbufferedamountlow(): Handler {
    return this.#handlers.get('bufferedamountlow') ?? null;
  }
  set onbufferedamountlow(fn: Handler) {
    this.#setHandler('bufferedamountlow', fn);
  }
  /** Handler for `close`. */
  get onclose(): Handler {
    return this.#handlers.get('close') ?? null;
  }
  set onclose(fn: Handler) {
    this.#setHandler('close', fn);
  }
  /** Handler for `closing`. */
  get onclosing(): Handler {
    return this.#handlers.get('closing') ?? null;
  }
  set onclosing(fn: Handler) {
    this.#setHandler('closing', fn);
  }
  /** Handler for `error`; the event's `error` property holds the Error (a FramingError for framing faults). */
  get onerror(): Handler {
    return this.#handlers.get('error') ?? null;
  }
  set onerror(fn: Handler) {
    this.#setHandler('error', fn);
  }

  /**
   * Queues one message as frames and starts sending.
   * @param data string, ArrayBuffer or ArrayBufferView. Blobs are refused: reading one is
   *   asynchronous and would let later sends overtake it (simple-peer never sends Blobs).
   * @throws DOMException `InvalidStateError` unless open (as the real channel does);
   *   TypeError for a Blob or a message above `maxMessageBytes`.
   */
  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (this.readyState !== 'open') {
      throw new DOMException(`Data channel is ${this.readyState}, not open`, 'InvalidStateError');
    }
    let bytes: Uint8Array;
    let text = false;
    if (typeof data === 'string') {
      bytes = new TextEncoder().encode(data);
      text = true;
    } else if (ArrayBuffer.isView(data)) {
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } else if (isArrayBuffer(data)) {
      bytes = new Uint8Array(data);
    } else {
      throw new TypeError('A chunked data channel sends strings, ArrayBuffers and typed arrays, not Blobs');
    }
    if (bytes.length > this.#maxMessageBytes) {
      throw new TypeError(`Message of ${bytes.length} bytes exceeds the ${this.#maxMessageBytes}-byte limit`);
    }
    for (const frame of splitFrames(bytes, { text, frameBytes: this.#frameBytes })) {
      this.#queue.push(frame);
      this.#queuedBytes += frame.length;
    }
    if (this.bufferedAmount > this.#threshold) this.#aboveThreshold = true;
    this.#pump();
  }

  /** Closes after the queued frames have been handed to the real channel. */
  close(): void {
    this.#closeRequested = true;
    this.#pump();
  }

  #setHandler(type: string, fn: Handler) {
    this.#handlers.set(type, typeof fn === 'function' ? fn : null);
  }

  #syncInnerThreshold() {
    // While frames wait here, the real channel must call back early (low-water mark) to keep
    // the pipe full; once the queue is empty it must call back when *our* threshold is
    // reached, or a consumer waiting for `bufferedamountlow` would wait forever.
    const want = this.#head < this.#queue.length ? this.#lowWater : Math.min(this.#lowWater, this.#threshold);
    try {
      if (this.#inner.bufferedAmountLowThreshold !== want) this.#inner.bufferedAmountLowThreshold = want;
    } catch {
      // Some implementations expose it read-only; the poll timer covers them.
    }
  }

  #pump() {
    const inner = this.#inner;
    while (this.#head < this.#queue.length && inner.readyState === 'open' && inner.bufferedAmount < this.#highWater) {
      const frame = this.#queue[this.#head]!;
      this.#queue[this.#head++] = EMPTY;
      this.#queuedBytes -= frame.length;
      try {
        inner.send(frame as Uint8Array<ArrayBuffer>);
      } catch (cause) {
        this.#fail(new FramingError('The data channel refused a frame', { cause }));
        return;
      }
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }

    if (this.#queue.length === 0 && this.#closeRequested && inner.readyState === 'open') inner.close();
    this.#syncInnerThreshold();

    if (this.#aboveThreshold && this.bufferedAmount <= this.#threshold) {
      this.#aboveThreshold = false;
      // Always asynchronous, as in browsers: simple-peer must not re-enter from inside send().
      setTimeout(() => this.dispatchEvent(new Event('bufferedamountlow')), 0);
    }
    if ((this.#queue.length > 0 || this.#aboveThreshold) && this.#poll === undefined && inner.readyState === 'open') {
      this.#poll = setTimeout(() => {
        this.#poll = undefined;
        this.#pump();
      }, POLL_MS);
    }
  }

  #onFrame(data: unknown) {
    if (this.#failed) return;
    let frame: Uint8Array;
    if (isArrayBuffer(data)) frame = new Uint8Array(data);
    else if (ArrayBuffer.isView(data)) frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else {
      this.#fail(new FramingError('Peer sent an unframed message; both sides must use chunkingWrtc()'));
      return;
    }
    let message: ReassembledMessage | undefined;
    try {
      message = this.#reassembler.push(frame);
    } catch (err) {
      this.#fail(err);
      return;
    }
    if (!message) return;
    let payload: string | ArrayBuffer | Blob;
    if (message.text) payload = new TextDecoder().decode(message.bytes);
    else if (this.#binaryType === 'blob' && typeof Blob === 'function') payload = new Blob([message.bytes as Uint8Array<ArrayBuffer>]);
    else payload = message.bytes.buffer as ArrayBuffer;
    this.dispatchEvent(new MessageEvent('message', { data: payload }));
  }

  #dropQueue() {
    this.#queue = [];
    this.#head = 0;
    this.#queuedBytes = 0;
    if (this.#poll !== undefined) clearTimeout(this.#poll);
    this.#poll = undefined;
  }

  /** A framing fault poisons the stream: report it once, then close the real channel. */
  #fail(err: unknown) {
    if (this.#failed) return;
    this.#failed = true;
    this.#dropQueue();
    this.dispatchEvent(errorEvent(err));
    try {
      this.#inner.close();
    } catch {
      // Already closing.
    }
  }
}

const EMPTY = new Uint8Array(0);

/** Node 20 has no ErrorEvent; simple-peer only reads `event.error`. */
function errorEvent(error: unknown): Event {
  const ev = new Event('error');
  Object.defineProperty(ev, 'error', { value: error, enumerable: true });
  return ev;
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  // instanceof fails for buffers from another realm (a native addon, an iframe).
  return value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

// One wrapper per real channel, so `createDataChannel`, `ondatachannel` and every
// `datachannel` listener see the same object (and frames are reassembled once).
const wrappers = new WeakMap<object, ChunkedDataChannel>();

function wrapChannel(channel: RTCDataChannel | undefined | null, options: ChunkingOptions): ChunkedDataChannel | undefined | null {
  // wrtc can return undefined from createDataChannel; simple-peer reports that itself.
  if (!channel) return channel;
  let wrapped = wrappers.get(channel);
  if (!wrapped) {
    wrapped = new ChunkedDataChannel(channel, options);
    wrappers.set(channel, wrapped);
  }
  return wrapped;
}

function wrapDataChannelEvent(ev: Event, options: ChunkingOptions): Event {
  // RTCDataChannelEvent.channel is read-only and its constructor insists on a native channel,
  // so hand out a plain Event carrying the wrapper (simple-peer only reads `.channel`).
  const out = new Event('datachannel');
  Object.defineProperty(out, 'channel', { value: wrapChannel((ev as RTCDataChannelEvent).channel, options), enumerable: true });
  return out;
}

type Listener = EventListenerOrEventListenerObject;

/**
 * A `wrtc` object for simple-peer (`peerOpts.wrtc`) whose peer connections frame, pace and
 * reassemble data-channel messages, so y-webrtc can send states of many megabytes.
 *
 * The peer connection is a Proxy over a real one rather than a subclass: `@roamhq/wrtc`
 * defines `ondatachannel` as an own, non-configurable data property in its constructor,
 * which would shadow a subclass's accessor. Methods are bound to the real object because
 * browsers throw "Illegal invocation" when native methods run with a Proxy as `this`.
 *
 * @param base the real implementation; defaults to the browser's globals. In Node pass
 *   `@roamhq/wrtc`.
 * @param options framing and pacing, see {@link ChunkingOptions}
 * @throws TypeError if no WebRTC implementation is available
 * @example new WebrtcProvider(room, doc, { signaling, password, peerOpts: { config: { iceServers }, wrtc: chunkingWrtc() } })
 */
export function chunkingWrtc(base?: WrtcImplementation, options: ChunkingOptions = {}): WrtcImplementation {
  const impl = base ?? {
    RTCPeerConnection: globalThis.RTCPeerConnection,
    RTCSessionDescription: globalThis.RTCSessionDescription,
    RTCIceCandidate: globalThis.RTCIceCandidate,
  };
  if (typeof impl.RTCPeerConnection !== 'function') {
    throw new TypeError('No WebRTC here: pass an implementation to chunkingWrtc() (in Node, @roamhq/wrtc).');
  }
  const Base = impl.RTCPeerConnection;

  class ChunkingRTCPeerConnection {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      const pc = new Base(...args);
      let userHandler: unknown = null;
      const listeners = new Map<Listener, EventListener>();
      const bound = new Map<PropertyKey, { fn: unknown; bound: unknown }>();

      const createDataChannel = (label: string, init?: RTCDataChannelInit) => wrapChannel(pc.createDataChannel(label, init), options);
      const addEventListener = (type: string, listener: Listener | null, opts?: boolean | AddEventListenerOptions) => {
        if (!listener) return;
        if (type !== 'datachannel') return pc.addEventListener(type, listener, opts);
        let wrapped = listeners.get(listener);
        if (!wrapped) {
          wrapped = (ev: Event) => {
            const out = wrapDataChannelEvent(ev, options);
            if (typeof listener === 'function') listener.call(proxy, out);
            else listener.handleEvent(out);
          };
          listeners.set(listener, wrapped);
        }
        pc.addEventListener(type, wrapped, opts);
      };
      const removeEventListener = (type: string, listener: Listener | null, opts?: boolean | EventListenerOptions) => {
        if (!listener) return;
        if (type !== 'datachannel') return pc.removeEventListener(type, listener, opts);
        const wrapped = listeners.get(listener);
        if (wrapped) pc.removeEventListener(type, wrapped, opts);
      };
      const own: Record<PropertyKey, unknown> = { createDataChannel, addEventListener, removeEventListener };

      const proxy: RTCPeerConnection = new Proxy(pc, {
        get(target, prop) {
          if (prop === 'ondatachannel') return userHandler;
          if (Object.prototype.hasOwnProperty.call(own, prop)) return own[prop as string];
          const value: unknown = Reflect.get(target, prop, target);
          // Event handler attributes (`onicecandidate`…) hold the caller's own function: return it as is.
          if (typeof value !== 'function' || (typeof prop === 'string' && prop.startsWith('on'))) return value;
          // Cache so `pc.getStats === pc.getStats`; bound functions keep `length`, which
          // simple-peer inspects to choose the promise-based getStats.
          const cached = bound.get(prop);
          if (cached?.fn === value) return cached.bound;
          const fn = (value as (...a: unknown[]) => unknown).bind(target);
          bound.set(prop, { fn: value, bound: fn });
          return fn;
        },
        set(target, prop, value) {
          if (prop === 'ondatachannel') {
            userHandler = value;
            target.ondatachannel = typeof value === 'function' ? (ev: RTCDataChannelEvent) => value.call(proxy, wrapDataChannelEvent(ev, options)) : null;
            return true;
          }
          return Reflect.set(target, prop, value, target);
        },
      });
      return proxy;
    }
  }
  // Statics such as RTCPeerConnection.generateCertificate stay reachable.
  Object.setPrototypeOf(ChunkingRTCPeerConnection, Base);

  return {
    RTCPeerConnection: ChunkingRTCPeerConnection as unknown as typeof RTCPeerConnection,
    RTCSessionDescription: impl.RTCSessionDescription,
    RTCIceCandidate: impl.RTCIceCandidate,
  };
}
