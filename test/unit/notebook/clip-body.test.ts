import { deflateSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { MAX_BODY_BYTES, decodeClipBody, encodeClipBody } from '../../../lib/notebook/clip-body';

describe('clip bodies', () => {
  test('round trip of HTML and text in any script, smaller than the text', () => {
    const text = 'Улаанбаатар хотын Төв номын сан · مكتبة · 図書館 · emoji 📚 '.repeat(500);
    const body = { html: `<article><p>${text}</p></article>`, text };
    const bytes = encodeClipBody(body);
    expect(bytes[0]).toBe(1);
    expect(bytes.byteLength).toBeLessThan(new TextEncoder().encode(text).byteLength / 5);
    expect(decodeClipBody(bytes)).toEqual(body);
    expect(decodeClipBody(encodeClipBody({ text: 'only text' }))).toEqual({ text: 'only text' });
  });

  test('damaged, truncated, unknown-format and non-JSON bodies read as undefined', () => {
    const good = encodeClipBody({ html: '<p>hello</p>', text: 'hello '.repeat(100) });
    const raw = (json: Uint8Array | string, claimed?: number) => {
      const bytes = typeof json === 'string' ? new TextEncoder().encode(json) : json;
      return withHeader(deflateSync(bytes), claimed ?? bytes.byteLength);
    };
    expect(decodeClipBody(raw('{"text":"ok"}'))).toEqual({ text: 'ok' });
    expect(decodeClipBody(good.subarray(0, good.byteLength - 3))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([2, ...good.subarray(1)]))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([1]))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([1, 5, 0xff, 0xff, 0xff]))).toBeUndefined();
    expect(decodeClipBody(raw('not json'))).toBeUndefined();
    expect(decodeClipBody(raw('"a string"'))).toBeUndefined();
    // A length that does not match what the stream inflates to.
    expect(decodeClipBody(raw('{"text":"ok"}', 100))).toBeUndefined();
    // Invalid UTF-8 is refused rather than turned into replacement characters.
    expect(decodeClipBody(raw(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d])))).toBeUndefined();
    // Fields of the wrong type are dropped.
    expect(decodeClipBody(raw('{"html":5,"text":"ok"}'))).toEqual({ text: 'ok' });
  });

  test('a body that claims or inflates past the bound is refused without inflating it (a "zip bomb" from a peer)', () => {
    const huge = deflateSync(new Uint8Array(MAX_BODY_BYTES + 1024).fill(0x20));
    expect(huge.byteLength).toBeLessThan(64 * 1024);
    expect(decodeClipBody(withHeader(huge, MAX_BODY_BYTES + 1024))).toBeUndefined();
    // Lying about the length stops the inflation at the stated length.
    expect(decodeClipBody(withHeader(huge, 1000))).toBeUndefined();
    // Just under the bound is accepted: whitespace around a valid JSON object.
    const json = new TextEncoder().encode(`${' '.repeat(MAX_BODY_BYTES - 20)}{"text":"x"}`);
    expect(decodeClipBody(withHeader(deflateSync(json), json.byteLength))).toEqual({ text: 'x' });
  });
});

/** Format 1 framing around a raw DEFLATE stream, with the stated inflated length. */
function withHeader(packed: Uint8Array, length: number): Uint8Array {
  const head = [1];
  for (let n = length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      head.push(n);
      break;
    }
    head.push((n % 128) | 128);
  }
  return new Uint8Array([...head, ...packed]);
}
