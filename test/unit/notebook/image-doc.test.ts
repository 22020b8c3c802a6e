// The images doc (bytes by hash) and the clip's image references in the notebook doc.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sha256Hex } from '../../../lib/clip/images';
import { deleteImages, imageDataUrl, imageSizes, putImages, readImage } from '../../../lib/notebook/image-doc';
import { addClip, addTopic, clipImageHashes, readClipImages, removeClipImages, setClipImages } from '../../../lib/notebook';

const png = new Uint8Array(readFileSync('test/e2e/fixtures/images/visits-chart.png'));
let n = 0;
const deps = { newId: () => `id${++n}`, now: () => 1_700_000_000_000 };

describe('images doc', () => {
  it('stores each picture once, reads it back as a data: URL of its sniffed type, and syncs', async () => {
    const doc = new Y.Doc();
    const hash = await sha256Hex(png);
    putImages(doc, [
      { hash, bytes: png, width: 640, height: 400 },
      { hash, bytes: png, width: 640, height: 400 },
    ]);
    expect([...imageSizes(doc)]).toEqual([[hash, png.length]]);
    const img = readImage(doc, hash)!;
    expect(img.type).toBe('image/png');
    expect(imageDataUrl(img).startsWith('data:image/png;base64,iVBORw0KGgo')).toBe(true);
    const partner = new Y.Doc();
    Y.applyUpdate(partner, Y.encodeStateAsUpdate(doc));
    expect(readImage(partner, hash)?.bytes.length).toBe(png.length);
    deleteImages(doc, [hash]);
    expect(readImage(doc, hash)).toBeUndefined();
  });
  it("refuses a partner's bytes that are not a raster image, or too large, or under a name that is not a hash", () => {
    const doc = new Y.Doc();
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    doc.getMap('imageBytes').set('a'.repeat(64), svg);
    doc.getMap('imageBytes').set('b'.repeat(64), new Uint8Array(2 * 1024 * 1024));
    doc.getMap('imageBytes').set('../x', png);
    expect(readImage(doc, 'a'.repeat(64))).toBeUndefined();
    expect(readImage(doc, 'b'.repeat(64))).toBeUndefined();
    expect(readImage(doc, '../x')).toBeUndefined();
  });
});

describe('clip image references', () => {
  it('records, validates and removes the images of a clip (its text stays)', () => {
    const doc = new Y.Doc();
    const topicId = addTopic(doc, { title: 'T', prompt: '' }, deps);
    const clipId = addClip(
      doc,
      { topicId, captured: { kind: 'page', title: 'P', url: 'https://a.org/', text: 'Body text' }, clippedBy: { id: 'me', name: 'Me' } },
      deps,
    );
    setClipImages(
      doc,
      clipId,
      { 'https://a.org/1.png': 'a'.repeat(64), 'https://a.org/2.png': 'a'.repeat(64), 'https://a.org/3.png': 'b'.repeat(64) },
      { 'too-large': 2 },
    );
    expect(readClipImages(doc, clipId)).toEqual({
      refs: { 'https://a.org/1.png': 'a'.repeat(64), 'https://a.org/2.png': 'a'.repeat(64), 'https://a.org/3.png': 'b'.repeat(64) },
      skipped: { 'too-large': 2 },
    });
    expect(clipImageHashes(doc).get(clipId)).toHaveLength(3);
    removeClipImages(doc, clipId);
    expect(readClipImages(doc, clipId)).toEqual({ refs: {}, skipped: { 'too-large': 2 }, removed: 2 });
  });
  it("drops a partner's malformed references instead of trusting them", () => {
    const doc = new Y.Doc();
    const topicId = addTopic(doc, { title: 'T', prompt: '' }, deps);
    const clipId = addClip(doc, { topicId, captured: { kind: 'page', title: 'P', url: 'https://a.org/' }, clippedBy: { id: 'me', name: 'Me' } }, deps);
    const m = doc.getMap('clips').get(clipId) as Y.Map<unknown>;
    m.set(
      'images',
      JSON.stringify({ refs: { 'https://a.org/1.png': 'not-a-hash', 'https://a.org/2.png': 'c'.repeat(64) }, skipped: { 'too-large': -1, x: 'y' } }),
    );
    expect(readClipImages(doc, clipId)).toEqual({ refs: { 'https://a.org/2.png': 'c'.repeat(64) }, skipped: {} });
    m.set('images', '{broken');
    expect(readClipImages(doc, clipId)).toBeUndefined();
  });
});
