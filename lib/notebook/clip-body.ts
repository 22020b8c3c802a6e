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
 * Format: one version byte (1), then raw DEFLATE of the UTF-8 JSON `{"html":…,"text":…}`.
 * Bodies come from peers, so decoding is bounded: a body that inflates past
 * {@link MAX_BODY_BYTES} (a "zip bomb") or does not parse is treated as damaged.
 */
import { Inflate, deflateSync } from 'fflate';

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
  const out = new Uint8Array(packed.byteLength + 1);
  out[0] = FORMAT;
  out.set(packed, 1);
  return out;
}

/** Decodes a stored body; `undefined` when it is damaged, too large or of an unknown format. */
export function decodeClipBody(bytes: Uint8Array): ClipBody | undefined {
  if (bytes.byteLength < 2 || bytes[0] !== FORMAT) return undefined;
  let inflated = 0;
  let json = '';
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    // Streamed, so a body that would inflate past the bound stops there instead of filling memory.
    const inflate = new Inflate((chunk, final) => {
      inflated += chunk.byteLength;
      if (inflated > MAX_BODY_BYTES) throw new RangeError('clip body too large');
      json += utf8.decode(chunk, { stream: !final });
    });
    inflate.push(bytes.subarray(1), true);
    const o = JSON.parse(json) as unknown;
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
