/**
 * Per-address limits (PROTOCOL.md "Limits per address"): what one network address may hold
 * and do at once, so that nobody without a notebook secret can starve honest partners.
 * Addresses are what the TCP connection shows, or — only with `trustProxy` — the address the
 * reverse proxy in front appended to `X-Forwarded-For`. IPv6 addresses count per /64, the
 * block one subscriber usually gets, so that rotating through one's own block gains nothing.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import type { WebSocket } from 'ws';
import { TokenBucket } from './rate-limit.ts';
import { StoreError, type WriteGuard } from './relay-storage.ts';

const DAY_SECONDS = 86_400;

/** The limits {@link AddressLimits} enforces (all from {@link ServerOptions}). */
export interface AddressLimitOptions {
  /** Simultaneous connections (signaling + relay) from one address. */
  maxConnectionsPerAddress: number;
  /** Relay rooms one address may create per day (a bucket: this many at once, refilled over 24 h). */
  roomsPerAddress: number;
  /** Bytes one address may add to relay storage per day (a bucket like the rooms'). */
  storedBytesPerAddress: number;
  /** Bytes per second one address may send (all its connections); beyond, its sockets are read more slowly. */
  rateBytesPerSec: number;
  /** Bytes one address may send at once before the byte rate applies. */
  rateBurstBytes: number;
}

/**
 * The client's address for limits. With `trustProxy` the rightmost `X-Forwarded-For` entry is
 * used: the proxy appends the address it saw, and anything left of it came from the client,
 * who can write whatever it likes there.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  let addr = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const last = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (last) addr = last;
  }
  return addressKey(addr);
}

/** The key an address is counted under: IPv4 as is, IPv6 by its first 64 bits. */
export function addressKey(addr: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  if (v4) return v4[1]!;
  if (!isIPv6(addr)) return addr;
  const [head = '', tail = ''] = addr.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = addr.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

interface AddressState {
  connections: number;
  rooms: TokenBucket;
  stored: TokenBucket;
  bytes: TokenBucket;
}

/** Counts and buckets per address. Entries are dropped once they hold nothing worth remembering. */
export class AddressLimits {
  private readonly states = new Map<string, AddressState>();
  private readonly timer: NodeJS.Timeout;

  /** @param o the limits */
  constructor(private readonly o: AddressLimitOptions) {
    // Buckets refill over a day; an address with no connection and full buckets is forgotten.
    this.timer = setInterval(() => this.prune(), 60_000);
    this.timer.unref();
  }

  private state(addr: string): AddressState {
    let s = this.states.get(addr);
    if (!s) {
      s = {
        connections: 0,
        rooms: new TokenBucket(this.o.roomsPerAddress / DAY_SECONDS, this.o.roomsPerAddress),
        stored: new TokenBucket(this.o.storedBytesPerAddress / DAY_SECONDS, this.o.storedBytesPerAddress),
        bytes: new TokenBucket(this.o.rateBytesPerSec, this.o.rateBurstBytes),
      };
      this.states.set(addr, s);
    }
    return s;
  }

  /** Counts a new connection; false (counting nothing) when the address has its maximum. */
  connect(addr: string): boolean {
    const s = this.state(addr);
    if (s.connections >= this.o.maxConnectionsPerAddress) return false;
    s.connections++;
    return true;
  }

  /** Forgets a connection counted by {@link connect}. */
  disconnect(addr: string): void {
    const s = this.states.get(addr);
    if (s) s.connections = Math.max(0, s.connections - 1);
  }

  /** Charges `bytes` received; returns how long to stop reading this address's sockets, in ms. */
  received(addr: string, bytes: number): number {
    return this.state(addr).bytes.debit(bytes);
  }

  /** Admission checks for relay writes from `addr` (room creation, stored bytes). */
  guard(addr: string): WriteGuard {
    return {
      createRoom: () => {
        if (!this.state(addr).rooms.take()) {
          throw new StoreError(
            'over-limit',
            `your network address has created ${this.o.roomsPerAddress} notebooks on this server in the last day; try again tomorrow`,
          );
        }
      },
      storeBytes: (bytes) => {
        if (!this.state(addr).stored.take(bytes)) {
          throw new StoreError('over-limit', 'your network address has stored a lot on this server in the last day; try again later');
        }
      },
    };
  }

  /** Addresses currently remembered (for tests and health). */
  get size(): number {
    return this.states.size;
  }

  private prune(): void {
    for (const [addr, s] of this.states) if (s.connections === 0 && s.rooms.full && s.stored.full && s.bytes.full) this.states.delete(addr);
  }

  /** Stops the housekeeping timer. */
  close(): void {
    clearInterval(this.timer);
  }
}

/**
 * Pauses reading a socket while any reason holds (too many requests in progress, the byte
 * rate), and resumes when none does; several mechanisms share one socket's pause state.
 */
export class ReadGate {
  private readonly reasons = new Set<string>();

  /** @param ws the socket whose reading is gated */
  constructor(private readonly ws: WebSocket) {}

  /** Stops reading until {@link release} of the same reason. */
  hold(reason: string): void {
    this.reasons.add(reason);
    if (!this.ws.isPaused) this.ws.pause();
  }

  /** Ends one reason; reading resumes when no other holds. */
  release(reason: string): void {
    this.reasons.delete(reason);
    if (this.reasons.size === 0 && this.ws.isPaused && this.ws.readyState === this.ws.OPEN) this.ws.resume();
  }

  /** Stops reading for `ms` (the byte rate); a later call extends the wait. */
  holdFor(ms: number, timers: Set<NodeJS.Timeout>): void {
    this.hold('rate');
    const t = setTimeout(() => {
      timers.delete(t);
      this.release('rate');
    }, ms);
    timers.add(t);
  }
}
