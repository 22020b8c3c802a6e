import type { WebSocket } from 'ws';
import { CloseCode } from './close-codes.ts';
import { signalingChannel, within, type Fanout } from './fanout.ts';
import { hashName, type Logger } from './log.ts';
import { ConnectionGuard } from './connection-guard.ts';
import { sendCapped } from './send-buffer.ts';

/** Longest a `pong` waits for the connection's fan-out subscriptions. */
const SUBSCRIBE_WAIT_MS = 1000;

/** Limits the signaling hub enforces per connection. */
export interface SignalingLimits {
  /** Most topics one connection may be subscribed to. */
  maxTopics: number;
  /** Sustained messages per second. */
  ratePerSec: number;
  /** Token-bucket size. */
  rateBurst: number;
  /** Malformed messages tolerated before closing. */
  maxMalformed: number;
}

/**
 * y-webrtc 10.3 signaling, message-compatible with `y-webrtc/bin/server.js`: `subscribe`,
 * `unsubscribe`, `publish` (relayed verbatim to every subscriber of the topic, sender
 * included, with `clients` set to the subscriber count) and `ping` → `pong`. Differences
 * are limits only (size, topics, rate, malformed input), plus two fixes: `unsubscribe`
 * also forgets the topic on the connection, and empty topics are deleted.
 */
export class SignalingHub {
  private readonly topics = new Map<string, Set<WebSocket>>();

  /**
   * @param limits per-connection limits
   * @param log structured logger; topic names only ever go through {@link hashName}
   */
  constructor(
    private readonly limits: SignalingLimits,
    private readonly log: Logger,
    private readonly fanout?: Fanout,
  ) {}

  /** Delivers an already-serialised publish to this process's subscribers of `topic`. */
  private deliverLocal(topic: string, text: string): void {
    const receivers = this.topics.get(topic);
    if (receivers) for (const r of receivers) this.sendText(r, text);
  }

  /** Number of topics with at least one subscriber. */
  get topicCount(): number {
    return this.topics.size;
  }

  /** Takes over a freshly upgraded connection. `connId` only labels log lines. */
  handle(ws: WebSocket, connId: number): void {
    const mine = new Set<string>();
    /** This connection's topics' fan-out subscriptions, all in place once this resolves. */
    let subscribed: Promise<unknown> = Promise.resolve();
    const guard = new ConnectionGuard(ws, this.limits, this.log, 'signaling', connId);

    const drop = (topic: string) => {
      const subs = this.topics.get(topic);
      if (subs) {
        subs.delete(ws);
        if (subs.size === 0) {
          this.topics.delete(topic);
          this.fanout?.leave(signalingChannel(topic));
        }
      }
      mine.delete(topic);
    };

    guard.listen(
      (data, isBinary) => {
        let msg: unknown;
        try {
          // y-webrtc only sends text; a binary frame cannot be a signaling message.
          msg = isBinary ? undefined : JSON.parse(data.toString());
        } catch {
          msg = undefined;
        }
        if (typeof msg !== 'object' || msg === null || typeof (msg as { type?: unknown }).type !== 'string') {
          const count = guard.noteMalformed();
          this.log.debug('malformed signaling message', { conn: connId, count });
          if (guard.overMalformed()) return;
          // Stock clients ignore unknown types, so an error reply is harmless to them.
          return this.send(ws, { type: 'error', code: 'bad-request', message: 'expected a JSON object with a string "type"' });
        }
        const m = msg as { type: string; topics?: unknown; topic?: unknown; clients?: unknown };
        switch (m.type) {
          case 'subscribe': {
            for (const topic of Array.isArray(m.topics) ? m.topics : []) {
              if (typeof topic !== 'string' || mine.has(topic)) continue;
              if (mine.size >= this.limits.maxTopics) return guard.closeWith(CloseCode.TooManyTopics, `more than ${this.limits.maxTopics} topics`);
              let subs = this.topics.get(topic);
              if (!subs) {
                this.topics.set(topic, (subs = new Set()));
                // Other processes' publishes to this topic are delivered here only, never republished.
                const joined = this.fanout?.join(signalingChannel(topic), (text) => this.deliverLocal(topic, text));
                if (joined) subscribed = Promise.all([subscribed, joined]);
              }
              subs.add(ws);
              mine.add(topic);
            }
            this.log.debug('subscribed', { conn: connId, topics: mine.size });
            break;
          }
          case 'unsubscribe':
            for (const topic of Array.isArray(m.topics) ? m.topics : []) if (typeof topic === 'string') drop(topic);
            break;
          case 'publish': {
            if (typeof m.topic !== 'string' || !m.topic) break;
            const receivers = this.topics.get(m.topic);
            if (!receivers && !this.fanout) break;
            // With several processes this counts this process's subscribers only.
            m.clients = receivers?.size ?? 0;
            // Serialise once for all receivers; the message is relayed as the sender wrote it.
            const text = JSON.stringify(m);
            this.log.debug('publish', { conn: connId, topic: hashName(m.topic), receivers: receivers?.size ?? 0, bytes: text.length });
            if (receivers) for (const r of receivers) this.sendText(r, text);
            this.fanout?.publish(signalingChannel(m.topic), text);
            break;
          }
          case 'ping':
            // With several processes, a `pong` after a `subscribe` also means that publishes from the
            // other processes reach this connection (waiting at most 1 s for Redis).
            if (this.fanout) void within(subscribed, SUBSCRIBE_WAIT_MS).then(() => !guard.closed && this.send(ws, { type: 'pong' }));
            else this.send(ws, { type: 'pong' });
            break;
          default:
            // Unknown types are ignored, as the stock server does (forward compatibility).
            break;
        }
      },
      () => {
        for (const t of [...mine]) drop(t);
      },
    );
  }

  private send(ws: WebSocket, message: object): void {
    this.sendText(ws, JSON.stringify(message));
  }

  private sendText(ws: WebSocket, text: string): void {
    sendCapped(ws, text);
  }
}
