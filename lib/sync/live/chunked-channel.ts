/**
 * An RTCDataChannel look-alike over a real channel that frames (`framing.ts`), paces and
 * reassembles messages, so a message may be larger than the data channel's own limit. Handed
 * out by the peer connections of {@link chunkingWrtc} (`chunked-rtc.ts`).
 */
import { DEFAULT_MAX_MESSAGE_BYTES, FRAME_BYTES, FrameReassembler, FramingError, splitFrames, type ReassembledMessage } from './framing';

/** Frames are handed to the real channel while its `bufferedAmount` is below this. */
const DEFAULT_HIGH_WATER = 1024 * 1024;
/** The real channel's `bufferedAmountLowThreshold`: when it drains to this, refill. */
const DEFAULT_LOW_WATER = 256 * 1024;
/** Fallback refill interval while frames are queued, in case `bufferedamountlow` never comes. */
const POLL_MS = 50;

/** Tuning for `chunkingWrtc` and {@link ChunkedDataChannel}; the defaults suit browsers and `@roamhq/wrtc`. */
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

type Handler = ((this: ChunkedDataChannel, ev: Event) => unknown) | null;
const HANDLER_EVENTS = ['open', 'message', 'bufferedamountlow', 'close', 'closing', 'error'] as const;
const INNER_ATTRIBUTES = ['label', 'ordered', 'id', 'protocol', 'negotiated', 'maxPacketLifeTime', 'maxRetransmits'] as const;

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
  declare readonly label: string;
  /** The real channel's ordering (framing requires `true`, the default). */
  declare readonly ordered: boolean;
  /** The real channel's id. */
  declare readonly id: number | null;
  /** The real channel's subprotocol. */
  declare readonly protocol: string;
  /** Whether the real channel was negotiated out of band. */
  declare readonly negotiated: boolean;
  /** The real channel's partial-reliability lifetime. */
  declare readonly maxPacketLifeTime: number | null;
  /** The real channel's partial-reliability retransmits. */
  declare readonly maxRetransmits: number | null;

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
  declare onopen: Handler;
  /** Handler for reassembled `message` events. */
  declare onmessage: Handler;
  /** Handler for `bufferedamountlow` (real buffer plus queue). */
  declare onbufferedamountlow: Handler;
  /** Handler for `close`. */
  declare onclose: Handler;
  /** Handler for `closing`. */
  declare onclosing: Handler;
  /** Handler for `error`; the event's `error` property holds the Error (a FramingError for framing faults). */
  declare onerror: Handler;

  static {
    // The real channel's own attributes, read through.
    for (const key of INNER_ATTRIBUTES) {
      Object.defineProperty(this.prototype, key, {
        configurable: true,
        get(this: ChunkedDataChannel): unknown {
          return this.#inner[key];
        },
      });
    }
    // The `on…` handler properties, one accessor pair per event, as on a real channel's prototype.
    for (const type of HANDLER_EVENTS) {
      Object.defineProperty(this.prototype, `on${type}`, {
        configurable: true,
        get(this: ChunkedDataChannel): Handler {
          return this.#handlers.get(type) ?? null;
        },
        set(this: ChunkedDataChannel, fn: Handler) {
          this.#handlers.set(type, typeof fn === 'function' ? fn : null);
        },
      });
    }
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
