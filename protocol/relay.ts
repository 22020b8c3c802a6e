/**
 * Wire protocol of the encrypted relay (`/relay`), shared by the server and the browser
 * client. See `server/PROTOCOL.md` for the prose version.
 *
 * This file must stay free of Node imports: the extension bundles it. Frames are JSON text;
 * byte fields travel as standard base64 (RFC 4648 §4, with padding). JSON keeps the protocol
 * easy to inspect and to extend with optional fields; the 33 % base64 overhead does not
 * matter at the relay's traffic (a few encrypted updates a minute per notebook).
 */

/**
 * Version of this protocol; bumped on incompatible changes. Version 2: rooms are created only
 * by the holder of their write token (room name = {@link relayRoomFor}), rooms have a
 * `generation`, and appends and compactions name the generation and seq they expect.
 */
export const RELAY_PROTOCOL_VERSION = 2;

/** Path of the relay endpoint on the server; every other path speaks y-webrtc signaling. */
export const RELAY_PATH = '/relay';

/** Longest accepted room name, in UTF-16 code units. Room names are hashes, so this is plenty. */
export const MAX_ROOM_LENGTH = 256;

/** Longest accepted write token, in UTF-16 code units. */
export const MAX_TOKEN_LENGTH = 512;

/** Longest accepted room generation id. The server makes 32 hex characters. */
export const MAX_GENERATION_LENGTH = 64;

/** Prefix hashed before the write token to name a room (domain separation from other hashes). */
export const RELAY_ROOM_PREFIX = 'partner-notebook/relay-room/v2\n';

/**
 * The only room a write token may create: lowercase hex SHA-256 of {@link RELAY_ROOM_PREFIX}
 * followed by the token (UTF-8). The server checks this when a room is created, so nobody can
 * take a room name they merely saw (on the network, in a log) without its token, while the
 * name reveals nothing about the token. Web Crypto only, so the extension and Node share it.
 */
export async function relayRoomFor(writeToken: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(RELAY_ROOM_PREFIX + writeToken));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** How an entry came to be: appended by a client, or the result of a compaction. */
export type EntryKind = 'update' | 'snapshot';

/** One stored entry as delivered to clients. */
export interface RelayEntry {
  /** Sequence number assigned by the server; strictly increasing within a room, starting at 1. */
  seq: number;
  /** `snapshot` replaces every entry with `seq <= this.seq`; `update` is a single appended entry. */
  kind: EntryKind;
  /** The opaque bytes exactly as the client stored them (the server never interprets them). */
  data: Uint8Array;
}

/** Error codes the server can send in an `error` message. */
export type RelayErrorCode =
  /** The frame was not valid JSON or not a valid message; repeated, the connection is closed. */
  | 'bad-request'
  /** The room has a different write credential than the supplied `writeToken`. */
  | 'forbidden'
  /** One entry or the snapshot is larger than the server's limit. */
  | 'too-large'
  /** The room's quota would be exceeded; compact the room to free space. */
  | 'room-full'
  /** The server's total storage quota would be exceeded; try later or another server. */
  | 'server-full'
  /** `compact.upTo` is not between the room's current snapshot and its head. */
  | 'bad-range'
  /** The connection follows more rooms (`hello`) than the server allows. */
  | 'too-many-rooms'
  /** `append`/`compact` named another generation or seq than the room's: fetch, then retry. */
  | 'conflict'
  /** This network address created too many rooms or stored too many bytes lately; try later. */
  | 'over-limit'
  /** The server failed while storing or reading; nothing was acknowledged. */
  | 'internal';

/** All known error codes, for validation. */
export const RELAY_ERROR_CODES: readonly RelayErrorCode[] = [
  'bad-request',
  'forbidden',
  'too-large',
  'room-full',
  'server-full',
  'bad-range',
  'too-many-rooms',
  'conflict',
  'over-limit',
  'internal',
];

/**
 * Messages a client sends. `id` is an optional client-chosen request id (a non-negative
 * integer) echoed in the reply, so a client can pipeline requests.
 */
export type RelayClientMessage =
  /** Follow a room: the server replies `welcome` and then pushes new entries as `push`. */
  | { type: 'hello'; id?: number; room: string; writeToken?: string }
  /** Stop following a room; the server replies `left`. */
  | { type: 'leave'; id?: number; room: string }
  /**
   * Create the room (only with the token it is named after, see {@link relayRoomFor}) or check
   * the token of an existing one; replies `claimed` with the room's generation, or `error forbidden`.
   */
  | { type: 'claim'; id?: number; room: string; writeToken: string }
  /**
   * Append entries; replies `ack` with one seq per entry, after the write is durable. With
   * `generation` and `seq`, the server appends only if the room has that generation and the
   * first entry gets exactly `seq` (else `conflict`), so the writer can bind both into each entry.
   */
  | { type: 'append'; id?: number; room: string; entries: Uint8Array[]; writeToken: string; generation?: string; seq?: number }
  /** Read entries with `seq > since`, one page; replies `entries` (follow up while `more`). */
  | { type: 'fetch'; id?: number; room: string; since: number; maxBytes?: number }
  /** Replace entries `<= upTo` with one snapshot entry (seq `upTo`); replies `compacted`. With `generation`, only in that generation (else `conflict`). */
  | { type: 'compact'; id?: number; room: string; upTo: number; snapshot: Uint8Array; writeToken: string; generation?: string }
  /** Application-level keep-alive for clients that cannot see WebSocket pings; replies `pong`. */
  | { type: 'ping'; id?: number };

/** Messages the server sends. */
export type RelayServerMessage =
  /** Reply to `hello`. `canWrite` is null when no token was given. */
  | {
      type: 'welcome';
      id?: number;
      room: string;
      /** Protocol version the server speaks. */
      version: number;
      /** Highest seq in the room (0 for an empty room). */
      head: number;
      /** Seq of the current snapshot entry, 0 if the room was never compacted. */
      snapshotSeq: number;
      /** Whether a write credential is fixed for the room. */
      claimed: boolean;
      /** Whether the hello's `writeToken` would be accepted (for a room that does not exist: whether it may create it). */
      canWrite: boolean | null;
      /**
       * Random id the server gave the room when it was created; a room deleted (retention) and
       * created again gets a new one. Empty while the room does not exist.
       */
      generation: string;
    }
  /** Reply to `leave`. */
  | { type: 'left'; id?: number; room: string }
  /** Reply to `claim`: the token is (now, or already was) the room's credential. */
  | { type: 'claimed'; id?: number; room: string; generation: string }
  /** Reply to `append`: the entries are durable with these seqs, in the order sent. */
  | { type: 'ack'; id?: number; room: string; seqs: number[]; generation: string }
  /** Reply to `fetch`: one page, ascending by seq. Fetch again with the last seq while `more`. `generation` empty: no such room. */
  | { type: 'entries'; id?: number; room: string; entries: RelayEntry[]; head: number; more: boolean; generation: string }
  /** Entries another client appended to a room this connection follows. */
  | { type: 'push'; room: string; entries: RelayEntry[]; generation: string }
  /** Reply to `compact`. */
  | { type: 'compacted'; id?: number; room: string; upTo: number }
  /** Reply to `ping`. */
  | { type: 'pong'; id?: number }
  /** A request failed; `id`/`room` identify it when known. */
  | { type: 'error'; id?: number; room?: string; code: RelayErrorCode; message: string };

/** Result of parsing untrusted input: the message, or a reason suitable for an error reply. */
export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string; id?: number };

// ---------------------------------------------------------------------------------------
// Base64 without Node's Buffer, so the same code runs in the extension.

const CHUNK = 0x8000;

/** Encodes bytes as standard padded base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked because String.fromCharCode(...hugeArray) overflows the call stack.
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

// One character class and a length check instead of a grouped pattern: V8 runs this in
// linear time without backtracking (the grouped form took ~60 ms per MiB).
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes standard padded base64; returns null for anything else (atob alone is lenient). */
export function base64ToBytes(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !BASE64_RE.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------
// Field readers: each returns undefined when the field is absent and throws on a wrong type,
// so every message parser stays a flat list of checks.

class FieldError extends Error {}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optId(o: Obj): number | undefined {
  const v = o.id;
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new FieldError('id must be a non-negative integer');
  return v as number;
}

function reqString(o: Obj, key: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw new FieldError(`${key} must be a non-empty string of at most ${max} characters`);
  }
  return v;
}

function optString(o: Obj, key: string, max: number): string | undefined {
  return o[key] === undefined ? undefined : reqString(o, key, max);
}

function reqSeq(o: Obj, key: string): number {
  const v = o[key];
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new FieldError(`${key} must be a non-negative integer`);
  return v as number;
}

function reqBytes(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string') throw new FieldError(`${what} must be a base64 string`);
  const bytes = base64ToBytes(v);
  if (!bytes) throw new FieldError(`${what} is not valid base64`);
  return bytes;
}

function reqBool(o: Obj, key: string): boolean {
  if (typeof o[key] !== 'boolean') throw new FieldError(`${key} must be a boolean`);
  return o[key] as boolean;
}

/** A generation id: a string (empty for a room that does not exist). */
function reqGeneration(o: Obj): string {
  const v = o.generation;
  if (typeof v !== 'string' || v.length > MAX_GENERATION_LENGTH)
    throw new FieldError(`generation must be a string of at most ${MAX_GENERATION_LENGTH} characters`);
  return v;
}

function readEntries(v: unknown): RelayEntry[] {
  if (!Array.isArray(v)) throw new FieldError('entries must be an array');
  return v.map((e, i) => {
    if (!isObject(e)) throw new FieldError(`entries[${i}] must be an object`);
    const kind = e.kind;
    if (kind !== 'update' && kind !== 'snapshot') throw new FieldError(`entries[${i}].kind is unknown`);
    return { seq: reqSeq(e, 'seq'), kind, data: reqBytes(e.data, `entries[${i}].data`) };
  });
}

function wrap<T>(text: string, parse: (o: Obj) => T): ParseResult<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'frame is not valid JSON' };
  }
  if (!isObject(raw)) return { ok: false, error: 'frame must be a JSON object' };
  // Recover the id first so that even a rejected request can be answered to its sender.
  const id = Number.isSafeInteger(raw.id) && (raw.id as number) >= 0 ? (raw.id as number) : undefined;
  try {
    return { ok: true, message: parse(raw) };
  } catch (e) {
    if (e instanceof FieldError) return { ok: false, error: e.message, id };
    throw e;
  }
}

/**
 * Parses one text frame sent by a client. Never throws on bad input; byte fields come back
 * decoded. Unknown extra fields are ignored so that clients can add hints without breaking
 * older servers.
 */
export function parseClientMessage(text: string): ParseResult<RelayClientMessage> {
  return wrap(text, (o): RelayClientMessage => {
    const id = optId(o);
    switch (o.type) {
      case 'hello':
        return { type: 'hello', id, room: reqString(o, 'room', MAX_ROOM_LENGTH), writeToken: optString(o, 'writeToken', MAX_TOKEN_LENGTH) };
      case 'leave':
        return { type: 'leave', id, room: reqString(o, 'room', MAX_ROOM_LENGTH) };
      case 'claim':
        return { type: 'claim', id, room: reqString(o, 'room', MAX_ROOM_LENGTH), writeToken: reqString(o, 'writeToken', MAX_TOKEN_LENGTH) };
      case 'append': {
        const room = reqString(o, 'room', MAX_ROOM_LENGTH);
        const writeToken = reqString(o, 'writeToken', MAX_TOKEN_LENGTH);
        if (!Array.isArray(o.entries) || o.entries.length === 0) throw new FieldError('entries must be a non-empty array');
        const entries = o.entries.map((e, i) => {
          const bytes = reqBytes(e, `entries[${i}]`);
          // An empty entry can never be a meaningful encrypted update.
          if (bytes.length === 0) throw new FieldError(`entries[${i}] is empty`);
          return bytes;
        });
        const generation = optString(o, 'generation', MAX_GENERATION_LENGTH);
        const seq = o.seq === undefined ? undefined : reqSeq(o, 'seq');
        return { type: 'append', id, room, entries, writeToken, ...(generation !== undefined && { generation }), ...(seq !== undefined && { seq }) };
      }
      case 'fetch': {
        const maxBytes = o.maxBytes === undefined ? undefined : reqSeq(o, 'maxBytes');
        return { type: 'fetch', id, room: reqString(o, 'room', MAX_ROOM_LENGTH), since: reqSeq(o, 'since'), maxBytes };
      }
      case 'compact': {
        const snapshot = reqBytes(o.snapshot, 'snapshot');
        if (snapshot.length === 0) throw new FieldError('snapshot is empty');
        const generation = optString(o, 'generation', MAX_GENERATION_LENGTH);
        return {
          type: 'compact',
          id,
          room: reqString(o, 'room', MAX_ROOM_LENGTH),
          upTo: reqSeq(o, 'upTo'),
          snapshot,
          writeToken: reqString(o, 'writeToken', MAX_TOKEN_LENGTH),
          ...(generation !== undefined && { generation }),
        };
      }
      case 'ping':
        return { type: 'ping', id };
      default:
        throw new FieldError('unknown message type');
    }
  });
}

/** Parses one text frame sent by the server (for the browser client). Never throws on bad input. */
export function parseServerMessage(text: string): ParseResult<RelayServerMessage> {
  return wrap(text, (o): RelayServerMessage => {
    const id = optId(o);
    switch (o.type) {
      case 'welcome': {
        const canWrite = o.canWrite === null ? null : reqBool(o, 'canWrite');
        return {
          type: 'welcome',
          id,
          room: reqString(o, 'room', MAX_ROOM_LENGTH),
          version: reqSeq(o, 'version'),
          head: reqSeq(o, 'head'),
          snapshotSeq: reqSeq(o, 'snapshotSeq'),
          claimed: reqBool(o, 'claimed'),
          canWrite,
          // Absent from version 1 servers: parse anyway, so the client can say "update the server".
          generation: o.generation === undefined ? '' : reqGeneration(o),
        };
      }
      case 'left':
        return { type: 'left', id, room: reqString(o, 'room', MAX_ROOM_LENGTH) };
      case 'claimed':
        return { type: 'claimed', id, room: reqString(o, 'room', MAX_ROOM_LENGTH), generation: reqGeneration(o) };
      case 'ack': {
        if (!Array.isArray(o.seqs) || !o.seqs.every((s) => Number.isSafeInteger(s) && s > 0)) {
          throw new FieldError('seqs must be an array of positive integers');
        }
        return { type: 'ack', id, room: reqString(o, 'room', MAX_ROOM_LENGTH), seqs: o.seqs as number[], generation: reqGeneration(o) };
      }
      case 'entries':
        return {
          type: 'entries',
          id,
          room: reqString(o, 'room', MAX_ROOM_LENGTH),
          entries: readEntries(o.entries),
          head: reqSeq(o, 'head'),
          more: reqBool(o, 'more'),
          generation: reqGeneration(o),
        };
      case 'push':
        return { type: 'push', room: reqString(o, 'room', MAX_ROOM_LENGTH), entries: readEntries(o.entries), generation: reqGeneration(o) };
      case 'compacted':
        return { type: 'compacted', id, room: reqString(o, 'room', MAX_ROOM_LENGTH), upTo: reqSeq(o, 'upTo') };
      case 'pong':
        return { type: 'pong', id };
      case 'error': {
        const code = o.code;
        if (typeof code !== 'string' || !(RELAY_ERROR_CODES as readonly string[]).includes(code)) {
          throw new FieldError('unknown error code');
        }
        const message = typeof o.message === 'string' ? o.message : '';
        return { type: 'error', id, room: optString(o, 'room', MAX_ROOM_LENGTH), code: code as RelayErrorCode, message };
      }
      default:
        throw new FieldError('unknown message type');
    }
  });
}

function entriesToWire(entries: RelayEntry[]): unknown[] {
  return entries.map((e) => ({ seq: e.seq, kind: e.kind, data: bytesToBase64(e.data) }));
}

/** Serialises a client message to its text frame (byte fields become base64). */
export function encodeClientMessage(message: RelayClientMessage): string {
  switch (message.type) {
    case 'append':
      return JSON.stringify({ ...message, entries: message.entries.map(bytesToBase64) });
    case 'compact':
      return JSON.stringify({ ...message, snapshot: bytesToBase64(message.snapshot) });
    default:
      return JSON.stringify(message);
  }
}

/** Serialises a server message to its text frame (byte fields become base64). */
export function encodeServerMessage(message: RelayServerMessage): string {
  switch (message.type) {
    case 'entries':
    case 'push':
      return JSON.stringify({ ...message, entries: entriesToWire(message.entries) });
    default:
      return JSON.stringify(message);
  }
}
