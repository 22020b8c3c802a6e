/**
 * WebSocket close codes the server uses, in one place so PROTOCOL.md, the server and the
 * client agree. 4xxx codes mirror the HTTP status they resemble.
 */
export const CloseCode = {
  /** Server shutting down (standard "going away"); clients should reconnect later. */
  GoingAway: 1001,
  /** A frame exceeded the size limit (standard; sent by `ws` itself). */
  MessageTooBig: 1009,
  /** Too many malformed frames. */
  Malformed: 4400,
  /** Said nothing within the handshake timeout after connecting. */
  Idle: 4408,
  /** Subscribed to more topics than allowed. */
  TooManyTopics: 4413,
  /** Exceeded the per-connection message rate. */
  RateLimited: 4429,
  /** The client does not read fast enough; its outgoing buffer grew past the limit. */
  SlowConsumer: 4503,
} as const;

/**
 * Outgoing bytes queued for one socket, besides the largest frame in its queue, before it is
 * considered stuck and closed (see send-buffer.ts). 4 MiB is four fetch pages or ~60 large
 * signaling messages: far more than an honest reader ever lags, far less than the 32 MiB before.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
