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
    expect(decodeClipBody(good.subarray(0, good.byteLength - 3))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([2, ...good.subarray(1)]))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([1]))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([1, 0xff, 0xff, 0xff]))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([1, ...deflateSync(new TextEncoder().encode('not json'))]))).toBeUndefined();
    expect(decodeClipBody(new Uint8Array([1, ...deflateSync(new TextEncoder().encode('"a string"'))]))).toBeUndefined();
    // Invalid UTF-8 is refused rather than turned into replacement characters.
    expect(decodeClipBody(new Uint8Array([1, ...deflateSync(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]))]))).toBeUndefined();
    // Fields of the wrong type are dropped.
    expect(decodeClipBody(new Uint8Array([1, ...deflateSync(new TextEncoder().encode('{"html":5,"text":"ok"}'))]))).toEqual({ text: 'ok' });
  });

  test('a body that inflates past the bound stops there (a "zip bomb" from a peer)', () => {
    const bomb = new Uint8Array([1, ...deflateSync(new Uint8Array(MAX_BODY_BYTES + 1024).fill(0x20))]);
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    expect(decodeClipBody(bomb)).toBeUndefined();
    // Just under the bound is accepted: whitespace around a valid JSON object.
    const json = new TextEncoder().encode(`${' '.repeat(MAX_BODY_BYTES - 20)}{"text":"x"}`);
    expect(decodeClipBody(new Uint8Array([1, ...deflateSync(json)]))).toEqual({ text: 'x' });
  });
});
