/**
 * What both hubs (signaling.ts, relay.ts) enforce on each connection before reading a message:
 * a message rate (over it: 4429), an allowance of malformed messages (beyond it: 4400), and one
 * logged close.
 */
import type { RawData, WebSocket } from 'ws';
import { CloseCode } from './close-codes.ts';
import type { Logger } from './log.ts';
import { TokenBucket } from './rate-limit.ts';

/** The per-connection limits the guard applies. */
export interface ConnectionLimits {
  /** Sustained messages per second. */
  ratePerSec: number;
  /** Token-bucket size. */
  rateBurst: number;
  /** Malformed messages tolerated before closing. */
  maxMalformed: number;
}

/** One connection's rate bucket, malformed count and closed state. */
export class ConnectionGuard {
  private isClosed = false;
  private malformedCount = 0;
  private readonly bucket: TokenBucket;

  /**
   * @param what the hub's name in log lines ("signaling", "relay")
   * @param connId labels log lines
   */
  constructor(
    private readonly ws: WebSocket,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
    private readonly what: string,
    private readonly connId: number,
  ) {
    this.bucket = new TokenBucket(limits.ratePerSec, limits.rateBurst);
  }

  /** True once the connection closed or is closing. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Closes the connection (once) and logs why. */
  closeWith(code: number, reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.log.warn(`closing ${this.what} connection`, { conn: this.connId, code, reason });
    this.ws.close(code, reason);
  }

  /** Runs `onClose` when the socket closes, and `onMessage` for each message that arrives while open and within the rate. */
  listen(onMessage: (data: RawData, isBinary: boolean) => void, onClose: () => void): void {
    this.ws.on('close', () => {
      this.isClosed = true;
      onClose();
    });
    this.ws.on('message', (data, isBinary) => {
      if (this.isClosed) return;
      if (!this.bucket.take()) return this.closeWith(CloseCode.RateLimited, 'rate limit exceeded');
      onMessage(data, isBinary);
    });
  }

  /** Counts a malformed message; returns the count so far. Does not close: see {@link overMalformed}. */
  noteMalformed(): number {
    return ++this.malformedCount;
  }

  /** Closes the connection when more malformed messages came than tolerated; returns whether it did. */
  overMalformed(): boolean {
    if (this.malformedCount <= this.limits.maxMalformed) return false;
    this.closeWith(CloseCode.Malformed, 'too many malformed messages');
    return true;
  }
}
