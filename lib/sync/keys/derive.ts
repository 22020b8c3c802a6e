/**
 * Everything servers and peers need is derived from the invite's 256-bit secret with
 * HKDF-SHA256, one `info` label per purpose. Labels are distinct, so learning one output
 * (the room name every signaling server sees, the write token the relay checks) reveals
 * nothing about the others, and in particular nothing about the encryption keys.
 *
 * Only Web Crypto (`globalThis.crypto.subtle`) is used: it exists in Node 20, in extension
 * pages and in browsers, and keeps the key material out of JavaScript where possible.
 */

import { relayRoomFor, type EntryKind } from '../../../protocol/relay';
import { UserFacingError } from '../../../protocol/user-error';

/** Bytes of secret expected (same as the invite carries). */
export const NOTEBOOK_SECRET_BYTES = 32;

/** Bytes of the AES-GCM initialisation vector prepended to each relay message. */
export const IV_BYTES = 12;

/** Bytes of the AES-GCM authentication tag appended to each ciphertext. */
const TAG_BYTES = 16;

// A fixed, public salt: the input is already uniformly random (RFC 5869 §3.1 allows this);
// naming the application keeps these keys apart from any other use of the same bytes.
const SALT = new TextEncoder().encode('partner-notebook/hkdf-salt/v1');

/** HKDF `info` labels. Changing one changes every derived value for every notebook. */
const LABEL = {
  roomName: 'partner-notebook/v1/room-name',
  webrtcPassword: 'partner-notebook/v1/webrtc-password',
  relayKey: 'partner-notebook/v1/relay-aes-gcm-key',
  writeToken: 'partner-notebook/v1/relay-write-token',
  imagesSecret: 'partner-notebook/v1/images-secret',
} as const;

/** Per-notebook values derived from the invite secret. */
export interface NotebookKeys {
  /**
   * The room name servers see (signaling topic, relay mailbox): 32 lowercase hex
   * characters (128 bits). Unlinkable to the notebook id and title.
   */
  roomName: string;
  /**
   * Passed to y-webrtc as `password`. y-webrtc stretches it with PBKDF2 (100 000 rounds,
   * salt = room name) into an AES-GCM key that encrypts signaling and data-channel
   * messages. Stretching adds nothing to a 256-bit random value but costs nothing we
   * notice either; the string is base64url so it survives y-webrtc's UTF-8 encoding as is.
   */
  webrtcPassword: string;
  /** AES-GCM-256 key for updates stored on the relay. Non-extractable. */
  relayKey: CryptoKey;
  /**
   * Shown to the relay to prove write access (64 lowercase hex characters). The relay
   * learns it, so it is derived under its own label and never used as a key.
   */
  writeToken: string;
  /**
   * The relay mailbox (protocol version 2): a hash of the write token (`relayRoomFor`), so
   * the relay can check that whoever creates the room holds its token, and nobody can take
   * the room first after seeing its name. Differs from {@link roomName}, which signaling
   * servers see; the relay room of protocol version 1 was `roomName`.
   */
  relayRoom: string;
}

/**
 * Where a relay entry belongs, bound into its encryption (protocol version 2): a relay that
 * serves it from another room, another generation of the room (deleted and created again),
 * at another seq or as another kind makes it fail to decrypt instead of being applied.
 */
export interface EntryBinding {
  /** The room's generation id (`welcome.generation`). */
  generation: string;
  /** The entry's seq in the room. */
  seq: number;
  /** `update` or `snapshot`. */
  kind: EntryKind;
}

/** A relay message that cannot be decrypted: wrong notebook key, wrong room, or damaged bytes. */
export class DecryptError extends UserFacingError {
  override name = 'DecryptError';

  /** @param options `cause` keeps the Web Crypto error, if any */
  constructor(
    message = 'A change for this notebook could not be unlocked: it was made with a different invite or was damaged on the way. It was skipped; nothing in your notebook changed.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  // crypto.subtle only exists in secure contexts (https, extension pages, localhost).
  if (!s) throw new Error('Web Crypto is not available here (it needs a secure context such as an extension page).');
  return s;
}

/**
 * Derives the room name, y-webrtc password, relay key and write token from an invite secret.
 * Deterministic: both partners get identical values from the same secret.
 *
 * @param secret the invite's 32-byte secret
 * @throws TypeError if the secret is not 32 bytes
 */
export async function deriveKeys(secret: Uint8Array): Promise<NotebookKeys> {
  if (!(secret instanceof Uint8Array) || secret.length !== NOTEBOOK_SECRET_BYTES) {
    throw new TypeError(`The notebook secret must be ${NOTEBOOK_SECRET_BYTES} bytes`);
  }
  const s = subtle();
  const ikm = await s.importKey('raw', buffer(secret), 'HKDF', false, ['deriveBits', 'deriveKey']);
  const bits = async (label: string, bytes: number) => new Uint8Array(await s.deriveBits(hkdf(label), ikm, bytes * 8));

  const [room, password, token, relayKey] = await Promise.all([
    bits(LABEL.roomName, 16),
    bits(LABEL.webrtcPassword, 32),
    bits(LABEL.writeToken, 32),
    s.deriveKey(hkdf(LABEL.relayKey), ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
  ]);
  const writeToken = toHex(token);
  return { roomName: toHex(room), webrtcPassword: toBase64Url(password), relayKey, writeToken, relayRoom: await relayRoomFor(writeToken) };
}

/**
 * The secret of a notebook's images doc: its own rooms (signaling and relay) and keys follow from
 * it with {@link deriveKeys}, exactly as the notebook's follow from the invite secret. Whoever
 * holds the invite can derive it; the servers see two unrelated room names.
 */
export async function deriveImagesSecret(secret: Uint8Array): Promise<Uint8Array> {
  if (!(secret instanceof Uint8Array) || secret.length !== NOTEBOOK_SECRET_BYTES) {
    throw new TypeError(`The notebook secret must be ${NOTEBOOK_SECRET_BYTES} bytes`);
  }
  const s = subtle();
  const ikm = await s.importKey('raw', buffer(secret), 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await s.deriveBits(hkdf(LABEL.imagesSecret), ikm, NOTEBOOK_SECRET_BYTES * 8));
}

/**
 * Encrypts one relay entry (protocol version 2): like {@link encryptUpdate}, but the
 * additional data binds the relay room, the room's generation, the entry's seq and its kind.
 *
 * @param keys the notebook's keys (`relayKey` encrypts, `relayRoom` is bound)
 * @param bytes the plaintext (a Yjs update or snapshot)
 * @param where the generation, seq and kind the entry is stored under
 */
export async function sealEntry(keys: Pick<NotebookKeys, 'relayKey' | 'relayRoom'>, bytes: Uint8Array, where: EntryBinding): Promise<Uint8Array> {
  return seal(keys.relayKey, bytes, entryData(keys.relayRoom, where));
}

/**
 * Reverses {@link sealEntry}.
 *
 * @param keys the notebook's keys
 * @param bytes `IV ‖ ciphertext ‖ tag`
 * @param where the generation, seq and kind the relay says the entry has
 * @throws DecryptError if the entry was changed, sealed with another key, or is served from
 *   another room, generation, seq or kind than it was stored under
 */
export async function openEntry(keys: Pick<NotebookKeys, 'relayKey' | 'relayRoom'>, bytes: Uint8Array, where: EntryBinding): Promise<Uint8Array> {
  return open(keys.relayKey, bytes, entryData(keys.relayRoom, where));
}

/**
 * Encrypts one update for a relay room of protocol version 1 (kept to read rooms written
 * before version 2; new entries use {@link sealEntry}): AES-GCM with a fresh random 12-byte IV, output
 * `IV ‖ ciphertext ‖ tag`. The room name is bound as additional data, so a relay that
 * moves a message from one notebook's mailbox to another's gets a {@link DecryptError}
 * rather than a silently applied foreign update.
 *
 * Random IVs are safe up to about 2^32 messages per key (NIST SP 800-38D); a notebook
 * sends orders of magnitude fewer.
 *
 * @param keys the notebook's keys (`relayKey` encrypts, `roomName` is the additional data)
 * @param bytes the plaintext (a Yjs update)
 */
export async function encryptUpdate(keys: Pick<NotebookKeys, 'relayKey' | 'roomName'>, bytes: Uint8Array): Promise<Uint8Array> {
  return seal(keys.relayKey, bytes, additionalData(keys.roomName));
}

async function seal(key: CryptoKey, bytes: Uint8Array, additionalData: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData }, key, buffer(bytes));
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv, 0);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return out;
}

/**
 * Reverses {@link encryptUpdate}.
 *
 * @param keys the notebook's keys (must match the sender's)
 * @param bytes `IV ‖ ciphertext ‖ tag` as produced by {@link encryptUpdate}
 * @throws DecryptError if the message is too short, was changed in any byte, belongs to
 *   another room, or was encrypted with another key. GCM cannot tell these apart.
 */
export async function decryptUpdate(keys: Pick<NotebookKeys, 'relayKey' | 'roomName'>, bytes: Uint8Array): Promise<Uint8Array> {
  return open(keys.relayKey, bytes, additionalData(keys.roomName));
}

async function open(key: CryptoKey, bytes: Uint8Array, additionalData: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  if (bytes.length < IV_BYTES + TAG_BYTES) {
    throw new DecryptError(undefined, { cause: new Error(`message of ${bytes.length} bytes is shorter than IV and tag`) });
  }
  try {
    const plain = await subtle().decrypt({ name: 'AES-GCM', iv: buffer(bytes.subarray(0, IV_BYTES)), additionalData }, key, buffer(bytes.subarray(IV_BYTES)));
    return new Uint8Array(plain);
  } catch (cause) {
    throw new DecryptError(undefined, { cause });
  }
}

function hkdf(label: string): HkdfParams {
  return { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: new TextEncoder().encode(label) };
}

function additionalData(roomName: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`partner-notebook/v1/relay-update/${roomName}`);
}

/** Version 2 additional data; newline-separated fields, none of which can contain a newline. */
function entryData(relayRoom: string, w: EntryBinding): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`partner-notebook/v2/relay-entry\n${relayRoom}\n${w.generation}\n${w.seq}\n${w.kind}`);
}

/**
 * TypeScript 5.7+ types Uint8Array as possibly SharedArrayBuffer-backed, which BufferSource
 * excludes. Web Crypto rejects shared buffers at run time anyway, so a cast is honest here.
 */
function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
