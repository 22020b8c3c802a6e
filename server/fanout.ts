import { createHash, randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { Logger } from './log.ts';

/**
 * Fan-out of signaling messages and relay pushes between server processes.
 *
 * Each process delivers what its own clients send to its own clients directly, and also
 * publishes it on a channel; every other process subscribed to that channel delivers it to its
 * local clients. Messages carry the publishing process's random id, and a process drops its own
 * (no echo), and never republishes what it received (no loops).
 */
export interface Fanout {
  /**
   * Starts delivering other processes' messages on `channel` to `deliver` (reference-counted per
   * channel). Resolves once the subscription is in place (at once while the bus is away).
   */
  join(channel: string, deliver: (text: string) => void): Promise<void>;
  /** Undoes one {@link join} of `channel`. */
  leave(channel: string): void;
  /** Sends `text` to the other processes that joined `channel`; dropped (and counted) while the bus is away. */
  publish(channel: string, text: string): void;
  close(): Promise<void>;
}

/** Channel of a signaling topic. Names are hashed so that `PUBSUB CHANNELS` lists no topic names. */
export function signalingChannel(topic: string): string {
  return 'pn:s:' + createHash('sha256').update(topic, 'utf8').digest('hex').slice(0, 40);
}

/** Channel of a relay room. */
export function relayChannel(room: string): string {
  return 'pn:r:' + createHash('sha256').update(room, 'utf8').digest('hex').slice(0, 40);
}

/** How long `openRedisFanout` waits for Redis at start before going on without it (it keeps trying). */
const START_WAIT_MS = 3_000;

/**
 * Redis pub/sub fan-out. Two connections (a subscribed connection cannot publish). When Redis
 * goes away, local clients are still served, publishes are dropped (not queued: a signaling
 * message minutes late is worse than none), the log says so once, and the client reconnects and
 * resubscribes by itself; the log says when fan-out is back.
 */
export async function openRedisFanout(url: string, log: Logger): Promise<Fanout> {
  const origin = randomBytes(9).toString('base64');
  const prefix = origin + ' ';
  const reconnectStrategy = (retries: number) => Math.min(100 * 2 ** retries, 2_000);
  const pub = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy, connectTimeout: 2_000 } });
  // The subscriber keeps its offline queue: SUBSCRIBE sent while away is replayed on reconnect.
  const sub = pub.duplicate({ disableOfflineQueue: false });
  const handlers = new Map<string, { deliver: (text: string) => void; count: number; subscribed: Promise<void> }>();
  let down = false;
  let dropped = 0;
  let closing = false;

  const lost = (e: unknown) => {
    if (down || closing) return;
    down = true;
    log.error('Redis unreachable: messages to other server processes are dropped until it is back; local clients are still served', {
      error: (e as Error)?.message ?? String(e),
    });
  };
  const back = () => {
    if (!down) return;
    if (!pub.isReady || !sub.isReady) return;
    down = false;
    log.warn('Redis reachable again: fan-out to other server processes restored', { dropped });
    dropped = 0;
  };
  for (const c of [pub, sub]) {
    c.on('error', lost);
    c.on('ready', back);
  }

  const listener = (message: string, channel: string) => {
    if (message.startsWith(prefix)) return; // our own message, already delivered locally
    const space = message.indexOf(' ');
    if (space < 0) return;
    handlers.get(channel)?.deliver(message.slice(space + 1));
  };

  const ready = Promise.all([pub.connect(), sub.connect()]);
  ready.catch(() => {});
  const started = await Promise.race([
    ready.then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), START_WAIT_MS).unref()),
  ]);
  if (started) log.info('fan-out through Redis ready', {});
  else lost(new Error('Redis did not answer at start; still trying'));

  return {
    join(channel, deliver) {
      const h = handlers.get(channel);
      if (h) {
        h.count++;
        return h.subscribed;
      }
      // While Redis is away the SUBSCRIBE waits in the offline queue: nobody should wait for it.
      const done = sub.subscribe(channel, listener).catch((e: unknown) => lost(e));
      const subscribed = sub.isReady ? done : Promise.resolve();
      handlers.set(channel, { deliver, count: 1, subscribed });
      return subscribed;
    },
    leave(channel) {
      const h = handlers.get(channel);
      if (!h || --h.count > 0) return;
      handlers.delete(channel);
      sub.unsubscribe(channel, listener).catch(() => {});
    },
    publish(channel, text) {
      if (!pub.isReady) {
        dropped++;
        return;
      }
      pub.publish(channel, prefix + text).catch((e: unknown) => {
        dropped++;
        lost(e);
      });
    },
    async close() {
      closing = true;
      await Promise.allSettled([pub.close(), sub.close()]);
      pub.destroy();
      sub.destroy();
    },
  };
}

/** Waits for `p` (its outcome ignored), but at most `ms`. */
export function within(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    void p.finally(() => {
      clearTimeout(t);
      resolve();
    });
  });
}
