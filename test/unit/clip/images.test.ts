// Offline images: type sniffing by magic bytes, declared sizes, bounds, deduplication, size accounting.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  boundClipImages,
  checkPixels,
  declaredSize,
  describeSkipped,
  imageSources,
  imageUsage,
  IMAGE_LIMITS,
  sha256Hex,
  siteOf,
  sniffImageType,
  storedSize,
  unreferenced,
  type KeptImage,
} from '../../../lib/clip/images';

const fixture = (name: string) => new Uint8Array(readFileSync(`test/e2e/fixtures/images/${name}`));
const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)).concat(new Array(32).fill(0)));

describe('sniffImageType', () => {
  it('recognises PNG, JPEG, GIF, WebP and AVIF by their bytes', () => {
    expect(sniffImageType(fixture('visits-chart.png'))).toBe('image/png');
    expect(sniffImageType(fixture('reading-room.jpg'))).toBe('image/jpeg');
    expect(sniffImageType(bytes('GIF89a'))).toBe('image/gif');
    expect(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(bytes([0, 0, 0, 0x1c], 'ftypavif'))).toBe('image/avif');
    expect(sniffImageType(bytes([0, 0, 0, 0x1c], 'ftypmif1', [0, 0, 0, 0], 'mif1avif'))).toBe('image/avif');
  });
  it('refuses SVG, HTML error pages, BMP, HEIC and short input, whatever the server called them', () => {
    expect(sniffImageType(fixture('drawing.svg'))).toBeUndefined();
    expect(sniffImageType(bytes('<!doctype html><title>404</title>'))).toBeUndefined();
    expect(sniffImageType(bytes('BM'))).toBeUndefined();
    expect(sniffImageType(bytes([0, 0, 0, 0x18], 'ftypheic'))).toBeUndefined();
    expect(sniffImageType(new Uint8Array([0x89, 0x50]))).toBeUndefined();
  });
});

describe('declaredSize and checkPixels', () => {
  it('reads PNG and JPEG headers without decoding', () => {
    expect(declaredSize(fixture('reading-room.jpg'), 'image/jpeg')).toEqual({ width: 1600, height: 1000 });
    expect(declaredSize(fixture('visits-chart.png'), 'image/png')).toEqual({ width: 640, height: 400 });
    expect(declaredSize(bytes('GIF89a', [0x40, 0x01, 0xc8, 0x00]), 'image/gif')).toEqual({ width: 320, height: 200 });
    // VP8X: 24-bit width-1 and height-1 at bytes 24 and 27.
    expect(declaredSize(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8X', [10, 0, 0, 0, 0, 0, 0, 0], [0x1f, 0x03, 0], [0xc7, 0x01, 0]), 'image/webp')).toEqual({
      width: 800,
      height: 456,
    });
  });
  it('refuses a decompression bomb before it is decoded, and lets icons pass silently', () => {
    const huge = declaredSize(fixture('huge.png'), 'image/png')!;
    expect(huge).toEqual({ width: 9000, height: 9000 });
    expect(checkPixels(huge)).toBe('too-large');
    expect(checkPixels({ width: 20_000, height: 10 })).toBe('too-large');
    expect(checkPixels({ width: 1, height: 1 })).toBe('too-small');
    expect(checkPixels({ width: 0, height: 100 })).toBe('not-an-image');
    expect(checkPixels({ width: 1600, height: 1000 })).toBeUndefined();
  });
  it('stores at most 1200 px wide, keeping the aspect ratio', () => {
    expect(storedSize({ width: 1600, height: 1000 })).toEqual({ width: 1200, height: 750 });
    expect(storedSize({ width: 640, height: 400 })).toEqual({ width: 640, height: 400 });
  });
});

const img = (url: string, hash: string, size: number): KeptImage => ({
  url,
  hash: hash.padEnd(64, '0'),
  type: 'image/webp',
  width: 10,
  height: 10,
  bytes: new Uint8Array(size),
});

describe('boundClipImages', () => {
  it('stores a picture under two addresses once and keeps both addresses', () => {
    const { kept, skipped } = boundClipImages([img('https://a/1.png', 'a', 100), img('https://a/copy.png', 'a', 100), img('https://a/2.png', 'b', 100)]);
    expect(kept.map((k) => k.url)).toEqual(['https://a/1.png', 'https://a/copy.png', 'https://a/2.png']);
    expect(skipped).toEqual({});
  });
  it('bounds images per clip, bytes per image, per clip and per notebook, and says why', () => {
    const many = Array.from({ length: IMAGE_LIMITS.perClip + 3 }, (_, i) => img(`https://a/${i}`, String(i).padStart(3, '0'), 10));
    expect(boundClipImages(many).skipped).toEqual({ 'too-many': 3 });
    expect(boundClipImages([img('https://a/big', 'f', IMAGE_LIMITS.storedBytes + 1)]).skipped).toEqual({ 'too-large': 1 });
    const nine = Array.from({ length: 9 }, (_, i) => img(`https://a/${i}`, `c${i}`, 1024 * 1024));
    expect(boundClipImages(nine).skipped).toEqual({ 'clip-full': 1 });
    const full = boundClipImages([img('https://a/x', 'd', 1000)], { notebookBytes: IMAGE_LIMITS.notebookBytes - 10 });
    expect(full.kept).toEqual([]);
    expect(full.skipped).toEqual({ 'notebook-full': 1 });
    // A picture the notebook has already costs nothing more.
    expect(
      boundClipImages([img('https://a/x', 'd', 1000)], { notebookBytes: IMAGE_LIMITS.notebookBytes, existing: (h) => h.startsWith('d') }).kept,
    ).toHaveLength(1);
  });
  it('describes what was left out in plain sentences', () => {
    expect(describeSkipped({ 'too-large': 3 })).toEqual(['3 images were too large and left out.']);
    expect(describeSkipped({ 'too-large': 1, 'not-an-image': 2 })).toEqual([
      '1 image was too large and left out.',
      '2 images were not a picture this notebook keeps (for example SVG drawings) and left out.',
    ]);
    expect(describeSkipped({})).toEqual([]);
  });
});

describe('size accounting and clean-up', () => {
  const h = (c: string) => c.repeat(64);
  const sizes = new Map([
    [h('a'), 1000],
    [h('b'), 500],
    [h('c'), 200],
  ]);
  it('counts each stored image once and orders clips by what they take', () => {
    const u = imageUsage(
      new Map([
        ['clip1', [h('a'), h('a'), h('b')]],
        ['clip2', [h('b')]],
        ['clip3', []],
      ]),
      sizes,
    );
    expect(u.totalBytes).toBe(1700);
    expect(u.images).toBe(3);
    expect(u.clips).toEqual([
      { clipId: 'clip1', bytes: 1500, images: 2 },
      { clipId: 'clip2', bytes: 500, images: 1 },
    ]);
  });
  it('deletes only bytes no other clip shows', () => {
    const refs = new Map([
      ['clip1', [h('a'), h('b')]],
      ['clip2', [h('b')]],
    ]);
    expect(unreferenced(refs, sizes.keys(), new Set(['clip1']))).toEqual([h('a'), h('c')]);
  });
  it('hashes with SHA-256', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('imageSources and siteOf', () => {
  it('lists the web images of sanitised HTML in order, once each, unescaping &amp;', () => {
    const html =
      '<p><img src="https://a.org/1.png?x=1&amp;y=2" alt=""><img alt="" src="https://a.org/2.jpg"><img src="data:image/png;base64,AAAA"><img src="https://a.org/2.jpg"></p>';
    expect(imageSources(html)).toEqual(['https://a.org/1.png?x=1&y=2', 'https://a.org/2.jpg']);
    expect(imageSources(undefined)).toEqual([]);
  });
  it('remembers image permissions per origin, web pages only', () => {
    expect(siteOf('https://lib.example.org/news/1')).toBe('https://lib.example.org');
    expect(siteOf('chrome://settings')).toBeUndefined();
    expect(siteOf('not a url')).toBeUndefined();
  });
});
