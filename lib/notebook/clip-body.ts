/**
 * The large part of a clip — its readable HTML and plain text — as it is stored in the notebook:
 * one compressed binary value instead of a string inside the clip's JSON.
 *
 * Why: three months of clipping is about 30 MB of article text. As strings, every open of the
 * panel decoded all of it (UTF-8 → JS strings, then JSON.parse), and every full-state sync
 * re-encoded it. Yjs keeps a binary value as a view of the bytes it was read from, so a notebook
 * now opens without touching clip bodies at all; a body is inflated only when someone reads the
 * clip, quotes it or the search index reaches it. Deflate also makes the notebook about 3.5×
 * smaller on disk, on the relay and on a partner's slow connection.
 *
 * Format: one version byte (1), the inflated length (unsigned LEB128), then raw DEFLATE of the
 * UTF-8 JSON `{"html":…,"text":…}`. Bodies come from peers, so decoding is bounded: a body that
 * claims more than {@link MAX_BODY_BYTES}, inflates to anything but its stated length (a "zip
 * bomb" stops there) or does not parse is treated as damaged.
 */
import { deflateSync, inflateSync } from 'fflate';

/** The clip's large fields. */
export interface ClipBody {
  html?: string;
  text?: string;
}

const FORMAT = 1;
/**
 * Largest inflated body accepted: the clipper stores at most 2 MB of HTML and 1 MB of text
 * (UTF-8), and JSON escaping can double a few characters, so 12 MiB leaves room and no more.
 */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;

/** Encodes a clip body for storage (about 1 ms per 100 KB of HTML). */
export function encodeClipBody(body: ClipBody): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ html: body.html, text: body.text }));
  const packed = deflateSync(json, { level: 6 });
  const head = [FORMAT];
  for (let n = json.byteLength; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      head.push(n);
      break;
    }
    head.push((n % 128) | 128);
  }
  const out = new Uint8Array(head.length + packed.byteLength);
  out.set(head);
  out.set(packed, head.length);
  return out;
}

/** Decodes a stored body; `undefined` when it is damaged, too large or of an unknown format. */
export function decodeClipBody(bytes: Uint8Array): ClipBody | undefined {
  if (bytes.byteLength < 3 || bytes[0] !== FORMAT) return undefined;
  let length = 0;
  let at = 1;
  for (let shift = 1; ; shift *= 128) {
    const b = bytes[at++];
    if (b === undefined || shift > 2 ** 28) return undefined;
    length += (b & 127) * shift;
    if (b < 128) break;
  }
  if (length > MAX_BODY_BYTES) return undefined;
  try {
    // Into a buffer of the stated length: fflate stops at its end, so nothing can inflate further.
    const json = inflateSync(bytes.subarray(at), { out: new Uint8Array(length) });
    if (json.byteLength !== length) return undefined;
    const o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json)) as unknown;
    if (!o || typeof o !== 'object') return undefined;
    const r = o as Record<string, unknown>;
    const body: ClipBody = {};
    if (typeof r.html === 'string') body.html = r.html;
    if (typeof r.text === 'string') body.text = r.text;
    return body;
  } catch {
    return undefined;
  }
}
