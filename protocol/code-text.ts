/**
 * The text form shared by invite codes (lib/sync/keys/invite.ts) and programme settings codes
 * (protocol/settings-code.ts, also written by the server's CLI): a versioned head, base64url bytes
 * of tagged fields and a short CRC-32 checksum that catches copy-paste accidents; and the reading
 * of such a code out of whatever a person pasted.
 */
import { crc32 } from './crc32.ts';

const B64URL_CHARS = /^[A-Za-z0-9_-]*$/;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url without padding. Written out because `Uint8Array.toBase64` is not in Node 20 or all browsers yet. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64URL[a >> 2]!;
    out += B64URL[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    if (b !== undefined) out += B64URL[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    if (c !== undefined) out += B64URL[c & 63]!;
  }
  return out;
}

/** Strict inverse of {@link toBase64Url}: rejects foreign characters and non-canonical endings. */
export function fromBase64Url(text: string): Uint8Array {
  if (!B64URL_CHARS.test(text) || text.length % 4 === 1) throw new Error('not base64url');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of text) {
    value = (value << 6) | B64URL.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) throw new Error('non-canonical base64url');
  return out;
}

/** The 6-character base64url CRC-32 of a code's text; catches copy-paste accidents, not tampering. Also used by settings codes. */
export function checksum(body: string): string {
  const crc = crc32(new TextEncoder().encode(body));
  const bytes = new Uint8Array([crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff]);
  return toBase64Url(bytes);
}

/** Characters of the checksum at the end of a code. */
const CHECKSUM_CHARS = 6;

/** `head` + base64url of `bytes` + "-" + checksum: the whole code. */
export function frameCode(head: string, bytes: Uint8Array): string {
  const body = head + toBase64Url(bytes);
  return `${body}-${checksum(body)}`;
}

/** Why a code's frame does not hold: cut off, a character changed, or bytes that are not base64url. */
export type FrameFault = 'cutOff' | 'changed' | 'corrupt';

/**
 * Splits `code` = head payload "-" checksum, verifies the checksum and decodes the payload.
 * Base64url contains "-" too, so the checksum is found by its fixed length, not by splitting.
 *
 * @param opts.emptyPayload whether a code with no payload at all is a frame (else it is cut off)
 * @param opts.minPayloadChars a payload shorter than this that fails the checksum was most likely
 *   cut off rather than mistyped
 * @returns the payload bytes, or the fault (with error options holding the decoding error for `corrupt`)
 */
export function unframeCode(
  code: string,
  head: string,
  opts: { emptyPayload: boolean; minPayloadChars: number },
): Uint8Array | { fault: FrameFault; options?: { cause: unknown } } {
  const cut = code.length - CHECKSUM_CHARS - 1;
  if (cut < head.length + (opts.emptyPayload ? 0 : 1) || code[cut] !== '-') return { fault: 'cutOff' };
  const body = code.slice(0, cut);
  if (checksum(body) !== code.slice(cut + 1)) return { fault: body.length - head.length < opts.minPayloadChars ? 'cutOff' : 'changed' };
  try {
    return fromBase64Url(body.slice(head.length));
  } catch (cause) {
    return { fault: 'corrupt', options: { cause } };
  }
}

/** Pasted text with percent-encoding undone (protocol handlers and links hand codes over encoded), or as it is when that fails. */
export function undoPercentEncoding(text: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(text)) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    // Not valid percent-encoding: read the text as it is.
    return text;
  }
}

/**
 * The ways the text after a code's head may continue the code, shortest first. Mail clients wrap
 * long lines (and quote them with "> " in replies), so the code may go on after whitespace; but
 * words may also follow it ("…-Abc123 Thanks!"), so callers try each and keep the first whose
 * checksum holds. A piece that stops at a non-code character (".", "<", a quote) ends the code.
 * `piece` is the index of the whitespace-separated piece the candidate ends in.
 */
export function* codeCandidates(rest: string): Generator<{ code: string; piece: number }> {
  let joined = '';
  for (const [piece, text] of rest.split(/(?:\s|>)+/).entries()) {
    const run = /^[A-Za-z0-9_-]*/.exec(text)![0];
    joined += run;
    if (run) yield { code: joined, piece };
    if (run.length < text.length) return;
  }
}

/** Tagged fields as bytes: per field 1 byte tag, 2 bytes big-endian length, the value. */
export function encodeFields(fields: ReadonlyArray<readonly [number, Uint8Array]>): Uint8Array {
  const out = new Uint8Array(fields.reduce((n, [, v]) => n + 3 + v.length, 0));
  let at = 0;
  for (const [tag, value] of fields) {
    out[at++] = tag;
    out[at++] = value.length >> 8;
    out[at++] = value.length & 0xff;
    out.set(value, at);
    at += value.length;
  }
  return out;
}

/**
 * Reads the tagged fields of `bytes` from `at` on, one at a time (so a caller's check of an early
 * field fails before a later field is looked at), each value as strict UTF-8.
 * @param damaged makes the error thrown for bytes that are not fields (its cause says why)
 */
export function* readFields(bytes: Uint8Array, at: number, damaged: (cause: unknown) => Error): Generator<{ tag: number; value: string }> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  while (at < bytes.length) {
    if (at + 3 > bytes.length) throw damaged(new Error('truncated field header'));
    const tag = bytes[at]!;
    const length = (bytes[at + 1]! << 8) | bytes[at + 2]!;
    at += 3;
    if (at + length > bytes.length) throw damaged(new Error('field runs past the end'));
    let value: string;
    try {
      value = utf8.decode(bytes.subarray(at, at + length));
    } catch (cause) {
      throw damaged(cause);
    }
    at += length;
    yield { tag, value };
  }
}

/**
 * Text from a code that people will see (a title, a programme's name): control and
 * bidirectional-override characters (which can make "Notebook" render as something else) become
 * spaces, runs of white space one space, and it is cut to `maxChars` code points.
 */
export function cleanShownText(text: string, maxChars: number): string {
  const cleaned = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...cleaned].slice(0, maxChars).join('').trim();
}

/** `text` cut to `max` code points, ending in an ellipsis when cut (for quoting pasted input in a message). */
export function ellipsize(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '\u2026';
}

/**
 * Parses a URL taken from a code, refusing what is not a string or longer than `maxChars`.
 * @param bad makes the error to throw (with the parse error as cause when there is one)
 */
export function parseCodeUrl(raw: string, maxChars: number, bad: (cause?: unknown) => Error): URL {
  if (typeof raw !== 'string' || raw.length > maxChars) throw bad();
  try {
    return new URL(raw);
  } catch (cause) {
    throw bad(cause);
  }
}
