/**
 * The text form shared by invite codes (lib/sync/keys/invite.ts) and programme settings codes
 * (protocol/settings-code.ts, also written by the server's CLI): base64url bytes and a short
 * CRC-32 checksum that catches copy-paste accidents.
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
