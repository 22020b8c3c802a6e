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
  /** Subscribed to more topics than allowed. */
  TooManyTopics: 4413,
  /** Exceeded the per-connection message rate. */
  RateLimited: 4429,
  /** The client does not read fast enough; its outgoing buffer grew past the limit. */
  SlowConsumer: 4503,
} as const;

/** Outgoing bytes buffered for one socket before it is considered stuck and closed. */
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
