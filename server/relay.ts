import type { WebSocket } from 'ws';
import type { ReadGate } from './limits.ts';
import { relayChannel, within, type Fanout } from './fanout.ts';
import { hashName, type Logger } from './log.ts';
import {
  encodeServerMessage,
  parseClientMessage,
  RELAY_PROTOCOL_VERSION,
  type ParseResult,
  type RelayClientMessage,
  type RelayServerMessage,
} from '../protocol/relay.ts';
import { ConnectionGuard } from './connection-guard.ts';
import { sendCapped } from './send-buffer.ts';
import { StoreError, type RelayStorage, type WriteGuard } from './relay-storage.ts';

/** What the relay needs to know about where a connection comes from. */
export interface RelayPeer {
  /** Admission checks for writes, charged to the connection's address. */
  guard: WriteGuard;
  /** Pauses reading the socket (shared with the byte rate limit). */
  gate: ReadGate;
}

/** Limits the relay hub enforces per connection. */
export interface RelayLimits {
  /** Most rooms one connection may follow with `hello`. */
  maxTopics: number;
  /** Sustained messages per second. */
  ratePerSec: number;
  /** Token-bucket size. */
  rateBurst: number;
  /** Malformed frames tolerated before closing. */
  maxMalformed: number;
  /** Upper bound of payload bytes per fetch page. */
  fetchPageBytes: number;
}

/**
 * Requests one connection may have in progress; beyond this the socket stops being read
 * (TCP back-pressure) instead of queueing unbounded megabytes of appends in memory.
 */
const MAX_IN_FLIGHT = 16;

/** Longest a `hello` waits for the room's fan-out subscription before answering anyway. */
const SUBSCRIBE_WAIT_MS = 1000;

/** Serves the `/relay` protocol (see PROTOCOL.md) over a {@link RelayStorage} (embedded log or PostgreSQL). */
export class RelayHub {
  private readonly followers = new Map<string, Set<WebSocket>>();
  /** Per followed room, the fan-out subscription (resolved once in place). */
  private readonly subscribing = new Map<string, Promise<void> | undefined>();

  /**
   * @param store durable storage
   * @param limits per-connection limits
   * @param log structured logger; room names only ever go through {@link hashName}
   */
  constructor(
    private readonly store: RelayStorage,
    private readonly limits: RelayLimits,
    private readonly log: Logger,
    private readonly fanout?: Fanout,
  ) {}

  /** Number of rooms with at least one following connection. */
  get roomCount(): number {
    return this.followers.size;
  }

  /** Takes over a freshly upgraded connection. `connId` only labels log lines. */
  handle(ws: WebSocket, connId: number, peer: RelayPeer): void {
    const following = new Set<string>();
    const guard = new ConnectionGuard(ws, this.limits, this.log, 'relay', connId);
    let inFlight = 0;

    const unfollow = (room: string) => {
      const set = this.followers.get(room);
      if (set) {
        set.delete(ws);
        if (set.size === 0) {
          this.followers.delete(room);
          this.subscribing.delete(room);
          this.fanout?.leave(relayChannel(room));
        }
      }
      following.delete(room);
    };

    guard.listen(
      (data, isBinary) => {
        const parsed: ParseResult<RelayClientMessage> = isBinary
          ? { ok: false, error: 'binary frames are not part of the protocol; send JSON text' }
          : parseClientMessage(data.toString());
        if (!parsed.ok) {
          guard.noteMalformed();
          this.send(ws, { type: 'error', id: parsed.id, code: 'bad-request', message: parsed.error });
          guard.overMalformed();
          return;
        }
        inFlight++;
        if (inFlight >= MAX_IN_FLIGHT) peer.gate.hold('in-flight');
        this.dispatch(ws, connId, parsed.message, following, unfollow, peer.guard)
          .catch((e: unknown) => {
            const m = parsed.message;
            const room = 'room' in m ? m.room : undefined;
            if (e instanceof StoreError) {
              this.send(ws, { type: 'error', id: m.id, room, code: e.code, message: e.message });
            } else {
              this.log.error('relay request failed', { conn: connId, type: m.type, error: String(e) });
              this.send(ws, { type: 'error', id: m.id, room, code: 'internal', message: 'the server failed; nothing was changed, try again' });
            }
          })
          .finally(() => {
            inFlight--;
            if (inFlight < MAX_IN_FLIGHT && !guard.closed) peer.gate.release('in-flight');
          });
      },
      () => {
        for (const room of [...following]) unfollow(room);
      },
    );
  }

  private async dispatch(
    ws: WebSocket,
    connId: number,
    m: RelayClientMessage,
    following: Set<string>,
    unfollow: (room: string) => void,
    guard: WriteGuard,
  ): Promise<void> {
    switch (m.type) {
      case 'hello': {
        if (!following.has(m.room) && following.size >= this.limits.maxTopics) {
          throw new StoreError('too-many-rooms', `a connection may follow at most ${this.limits.maxTopics} rooms`);
        }
        const s = await this.store.status(m.room, m.writeToken);
        // Follow only after the status is known, so a failed hello leaves nothing behind.
        following.add(m.room);
        let set = this.followers.get(m.room);
        if (!set) {
          this.followers.set(m.room, (set = new Set()));
          // Pushes of appends made on other processes, delivered to this process's followers only.
          const room = m.room;
          this.subscribing.set(
            room,
            this.fanout?.join(relayChannel(room), (text) => {
              for (const f of this.followers.get(room) ?? []) this.sendText(f, text);
            }),
          );
        }
        set.add(ws);
        // With several processes, `welcome` promises pushes from all of them: wait (briefly) until
        // this process receives the room's channel.
        const subscribed = this.subscribing.get(m.room);
        if (subscribed) await within(subscribed, SUBSCRIBE_WAIT_MS);
        this.send(ws, { type: 'welcome', id: m.id, room: m.room, version: RELAY_PROTOCOL_VERSION, ...s });
        return;
      }
      case 'leave':
        unfollow(m.room);
        this.send(ws, { type: 'left', id: m.id, room: m.room });
        return;
      case 'claim': {
        const generation = await this.store.claim(m.room, m.writeToken, guard);
        this.send(ws, { type: 'claimed', id: m.id, room: m.room, generation });
        return;
      }
      case 'append': {
        const { seqs, generation } = await this.store.append(m.room, m.writeToken, m.entries, { generation: m.generation, seq: m.seq }, guard);
        this.send(ws, { type: 'ack', id: m.id, room: m.room, seqs, generation });
        this.log.debug('appended', { conn: connId, room: hashName(m.room), entries: seqs.length, head: seqs[seqs.length - 1] });
        const others = this.followers.get(m.room);
        const localOthers = !!others && (others.size > 1 || !others.has(ws));
        if (localOthers || this.fanout) {
          const text = encodeServerMessage({
            type: 'push',
            room: m.room,
            generation,
            entries: m.entries.map((data, i) => ({ seq: seqs[i]!, kind: 'update' as const, data })),
          });
          // The appender already has its entries (and their seqs from the ack).
          if (localOthers) for (const other of others) if (other !== ws) this.sendText(other, text);
          this.fanout?.publish(relayChannel(m.room), text);
        }
        return;
      }
      case 'fetch': {
        const maxBytes = Math.min(m.maxBytes || this.limits.fetchPageBytes, this.limits.fetchPageBytes);
        const page = await this.store.read(m.room, m.since, maxBytes);
        this.send(ws, { type: 'entries', id: m.id, room: m.room, ...page });
        return;
      }
      case 'compact':
        await this.store.compact(m.room, m.writeToken, m.upTo, m.snapshot, { generation: m.generation }, guard);
        this.send(ws, { type: 'compacted', id: m.id, room: m.room, upTo: m.upTo });
        return;
      case 'ping':
        this.send(ws, { type: 'pong', id: m.id });
        return;
    }
  }

  private send(ws: WebSocket, message: RelayServerMessage): void {
    this.sendText(ws, encodeServerMessage(message));
  }

  private sendText(ws: WebSocket, text: string): void {
    sendCapped(ws, text);
  }
}
