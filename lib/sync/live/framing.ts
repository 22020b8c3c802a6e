/**
 * The chunked data channel's wire format, as pure functions: a message is split into frames of
 * at most {@link FRAME_BYTES}, each with a 1-byte header (bit 0 = last frame of the message,
 * bit 1 = the message is text), and rebuilt under a size bound. No WebRTC here: the channel
 * wrapper is `chunked-channel.ts`, the y-webrtc/simple-peer patch `chunked-rtc.ts`.
 */

/** Bytes per frame on the wire, header included. 16 KiB is the cross-browser safe message size. */
export const FRAME_BYTES = 16 * 1024;

/** Largest message a wrapped channel accepts or reassembles by default (64 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const FLAG_LAST = 0b01;
const FLAG_TEXT = 0b10;

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
