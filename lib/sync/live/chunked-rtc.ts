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
 *
 * This file is the patch itself (the peer connection Proxy); the framing rules are `framing.ts`
 * and the wrapped channel `chunked-channel.ts`, both re-exported here.
 */
import { ChunkedDataChannel, type ChunkingOptions } from './chunked-channel';

export { ChunkedDataChannel, type ChunkingOptions } from './chunked-channel';
export { DEFAULT_MAX_MESSAGE_BYTES, FRAME_BYTES, FrameReassembler, FramingError, splitFrames, type ReassembledMessage } from './framing';

/** The three constructors simple-peer takes as `opts.wrtc`. */
export interface WrtcImplementation {
  /** Peer connection constructor. */
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Session description constructor (simple-peer wraps remote SDP with it). */
  RTCSessionDescription: typeof RTCSessionDescription;
  /** ICE candidate constructor (simple-peer wraps remote candidates with it). */
  RTCIceCandidate: typeof RTCIceCandidate;
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
