/**
 * Offline images of a clip: the pure rules. Which bytes are an image we keep (by their magic
 * bytes, never the server's Content-Type), how large an image and a clip may be, how images are
 * deduplicated (SHA-256 of the stored bytes), and how much a notebook's images take.
 *
 * Image bytes come from untrusted pages (and, once synced, from partners): every limit here is
 * checked before anything is decoded, and again where a partner's image is read.
 */
import { t, type Translate } from '../i18n';
import { parseWebUrl } from './web-url';

/** Raster formats a clip keeps. SVG is never kept: opened on its own it can run script. */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/avif';

/** Limits on kept images. */
export const IMAGE_LIMITS = {
  /** Images kept per clip (the first ones in reading order). */
  perClip: 40,
  /** Bytes of one image as downloaded, before it is decoded. */
  downloadBytes: 15 * 1024 * 1024,
  /** Pixels of one image as decoded (width × height); larger ones would take hundreds of MB to decode. */
  pixels: 40_000_000,
  /** Width or height of one image as decoded. */
  side: 16_384,
  /** Images smaller than this on both sides are icons, spacers and trackers: not kept. */
  minSide: 24,
  /** Widest stored image, in pixels: wider ones are scaled down. */
  storedWidth: 1200,
  /** Bytes of one stored image (after resizing and compressing). */
  storedBytes: 1024 * 1024,
  /** Bytes of all stored images of one clip. */
  clipBytes: 8 * 1024 * 1024,
  /** Bytes of all images of one notebook. */
  notebookBytes: 250 * 1024 * 1024,
} as const;

/**
 * The image type of `bytes` from its first bytes, or undefined when it is not one we keep
 * (SVG, HTML error pages, BMP, anything else).
 */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const b = bytes;
  const at = (i: number, ...v: number[]) => v.every((x, j) => b[i + j] === x);
  const ascii = (i: number, s: string) => [...s].every((ch, j) => b[i + j] === ch.charCodeAt(0));
  if (b.length < 12) return undefined;
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  // ISO-BMFF: size, 'ftyp', then the major brand; AVIF files may also name it among compatible brands.
  if (ascii(4, 'ftyp')) {
    const size = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    const end = Math.min(b.length, Math.max(16, Math.min(size, 64)));
    for (let i = 8; i + 4 <= end; i += 4) if (ascii(i, 'avif') || ascii(i, 'avis')) return 'image/avif';
  }
  return undefined;
}

/**
 * The pixel size a PNG, GIF, JPEG or WebP header declares, read without decoding (so a
 * 100 000 × 100 000 "decompression bomb" is refused before the browser allocates for it).
 * Undefined when the header cannot be read (AVIF, damaged files): the decoded size is checked then.
 */
export function declaredSize(bytes: Uint8Array, type: ImageType): { width: number; height: number } | undefined {
  const b = bytes;
  const u16be = (i: number) => (b[i]! << 8) | b[i + 1]!;
  const u16le = (i: number) => b[i]! | (b[i + 1]! << 8);
  const u32be = (i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  const u24le = (i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
  switch (type) {
    case 'image/png':
      return b.length >= 24 ? { width: u32be(16), height: u32be(20) } : undefined;
    case 'image/gif':
      return b.length >= 10 ? { width: u16le(6), height: u16le(8) } : undefined;
    case 'image/webp': {
      if (b.length < 30) return undefined;
      const chunk = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
      if (chunk === 'VP8 ') return { width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
      if (chunk === 'VP8L') {
        const v = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
        return { width: (v & 0x3fff) + 1, height: ((v >>> 14) & 0x3fff) + 1 };
      }
      if (chunk === 'VP8X') return { width: u24le(24) + 1, height: u24le(27) + 1 };
      return undefined;
    }
    case 'image/jpeg': {
      // Walk the segments to the first start-of-frame marker.
      let i = 2;
      while (i + 9 < b.length) {
        if (b[i] !== 0xff) return undefined;
        const marker = b[i + 1]!;
        if (marker === 0xff) {
          i++;
          continue;
        }
        const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
        if (isSof) return { width: u16be(i + 7), height: u16be(i + 5) };
        i += 2 + u16be(i + 2);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Why an image was left out of a clip. */
export type SkipReason = 'too-large' | 'not-an-image' | 'unreachable' | 'too-many' | 'clip-full' | 'notebook-full';

/** Checks an image's declared or decoded size; undefined when it may be kept. */
export function checkPixels(size: { width: number; height: number }): SkipReason | 'too-small' | undefined {
  const { width, height } = size;
  if (!(width > 0 && height > 0)) return 'not-an-image';
  if (width > IMAGE_LIMITS.side || height > IMAGE_LIMITS.side || width * height > IMAGE_LIMITS.pixels) return 'too-large';
  if (width < IMAGE_LIMITS.minSide && height < IMAGE_LIMITS.minSide) return 'too-small';
  return undefined;
}

/** The size to store an image at: at most {@link IMAGE_LIMITS.storedWidth} wide, aspect kept. */
export function storedSize(size: { width: number; height: number }, maxWidth: number = IMAGE_LIMITS.storedWidth): { width: number; height: number } {
  if (size.width <= maxWidth) return { width: size.width, height: size.height };
  return { width: maxWidth, height: Math.max(1, Math.round((size.height * maxWidth) / size.width)) };
}

/** Lower-case hex of a SHA-256 digest. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let s = '';
  for (const x of d) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Whether `s` is a SHA-256 hash as images are named (64 lower-case hex characters). */
export const isImageHash = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);

/** One image ready to keep: stored bytes and what they are. */
export interface KeptImage {
  /** The address the clip's HTML names it by. */
  url: string;
  /** SHA-256 of `bytes` (the stored, re-encoded image). */
  hash: string;
  type: ImageType;
  width: number;
  height: number;
  bytes: Uint8Array;
}

/** What capturing a clip's images gave. */
export interface ClipImages {
  kept: KeptImage[];
  /** How many images were left out, by reason. */
  skipped: Partial<Record<SkipReason, number>>;
}

/**
 * Applies the per-clip bounds to candidate images in page order and deduplicates them by hash:
 * the same picture under two addresses is stored once, and each address points at it.
 * `existing` holds hashes the notebook already stores (they cost nothing more).
 */
export function boundClipImages(
  candidates: KeptImage[],
  opts: { existing?: (hash: string) => boolean; notebookBytes?: number } = {},
): { kept: KeptImage[]; skipped: Partial<Record<SkipReason, number>> } {
  const kept: KeptImage[] = [];
  const skipped: Partial<Record<SkipReason, number>> = {};
  const bump = (r: SkipReason) => (skipped[r] = (skipped[r] ?? 0) + 1);
  const hashes = new Set<string>();
  let clipBytes = 0;
  let notebookBytes = opts.notebookBytes ?? 0;
  for (const img of candidates) {
    if (img.bytes.length > IMAGE_LIMITS.storedBytes) {
      bump('too-large');
      continue;
    }
    const known = hashes.has(img.hash) || !!opts.existing?.(img.hash);
    if (!known) {
      if (hashes.size >= IMAGE_LIMITS.perClip) {
        bump('too-many');
        continue;
      }
      if (clipBytes + img.bytes.length > IMAGE_LIMITS.clipBytes) {
        bump('clip-full');
        continue;
      }
      if (notebookBytes + img.bytes.length > IMAGE_LIMITS.notebookBytes) {
        bump('notebook-full');
        continue;
      }
      clipBytes += img.bytes.length;
      notebookBytes += img.bytes.length;
    }
    hashes.add(img.hash);
    kept.push(img);
  }
  return { kept, skipped };
}

/** Adds two skip tallies. */
export function addSkipped(a: Partial<Record<SkipReason, number>>, b: Partial<Record<SkipReason, number>>): Partial<Record<SkipReason, number>> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b) as [SkipReason, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** One plain sentence per reason images were left out, e.g. "3 images were too large and were left out." */
export function describeSkipped(skipped: Partial<Record<SkipReason, number>>, tr: Translate = t): string[] {
  const out: string[] = [];
  const n = (r: SkipReason) => skipped[r] ?? 0;
  if (n('too-large')) out.push(tr('images.tooLarge', { count: n('too-large') }));
  if (n('not-an-image')) out.push(tr('images.notAnImage', { count: n('not-an-image') }));
  if (n('unreachable')) out.push(tr('images.unreachable', { count: n('unreachable') }));
  if (n('too-many')) out.push(tr('images.tooMany', { count: n('too-many'), max: IMAGE_LIMITS.perClip }));
  if (n('clip-full')) out.push(tr('images.clipFull', { count: n('clip-full'), size: formatBytes(IMAGE_LIMITS.clipBytes) }));
  if (n('notebook-full')) out.push(tr('images.notebookFull', { count: n('notebook-full'), size: formatBytes(IMAGE_LIMITS.notebookBytes) }));
  return out;
}

/** Bytes in words: "950 KB", "12.3 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** How much a notebook's images take, and which clips take most. */
export interface ImageUsage {
  /** Bytes of all stored images (each image once, however many clips use it). */
  totalBytes: number;
  /** Stored images. */
  images: number;
  /** Clips with kept images, largest first; bytes count images this clip alone uses in full and shared ones once each. */
  clips: { clipId: string; bytes: number; images: number }[];
}

/**
 * Size accounting: `refs` are the clips' image references (clip id → hashes), `sizes` the
 * stored bytes per hash. A hash no clip refers to still counts in the total (it is stored).
 */
export function imageUsage(refs: Map<string, string[]>, sizes: Map<string, number>): ImageUsage {
  let totalBytes = 0;
  sizes.forEach((n) => (totalBytes += n));
  const clips: ImageUsage['clips'] = [];
  refs.forEach((hashes, clipId) => {
    const unique = [...new Set(hashes)].filter((h) => sizes.has(h));
    if (!unique.length) return;
    clips.push({ clipId, images: unique.length, bytes: unique.reduce((a, h) => a + sizes.get(h)!, 0) });
  });
  clips.sort((a, b) => b.bytes - a.bytes || (a.clipId < b.clipId ? -1 : 1));
  return { totalBytes, images: sizes.size, clips };
}

/** Hashes no clip (other than those in `except`) refers to any more: safe to delete. */
export function unreferenced(refs: Map<string, string[]>, stored: Iterable<string>, except: Set<string> = new Set()): string[] {
  const used = new Set<string>();
  refs.forEach((hashes, clipId) => {
    if (!except.has(clipId)) hashes.forEach((h) => used.add(h));
  });
  return [...stored].filter((h) => !used.has(h));
}

/** The site an image permission is remembered for: the page's origin, or undefined for non-web pages. */
export function siteOf(url: string | undefined): string | undefined {
  return parseWebUrl(url)?.origin;
}

/**
 * The image addresses of sanitised clip HTML, in page order, each once. The HTML was serialised
 * from a DOM (lib/clip/sanitize.ts), so attributes are double-quoted with `&amp;` escaped; this
 * runs where there is no DOM parser (the background service worker).
 */
export function imageSources(html: string | undefined, limit = IMAGE_LIMITS.perClip * 3): string[] {
  if (!html) return [];
  const out = new Set<string>();
  for (const m of html.matchAll(/<img\b[^>]*?\ssrc="([^"]*)"/gi)) {
    const url = m[1]!
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
    if (/^https?:/i.test(url)) out.add(url);
    if (out.size >= limit) break;
  }
  return [...out];
}

/** Bytes to base64 (images cross from the page to the extension as text). */
export function bytesToBase64(u: Uint8Array): string {
  let s = '';
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Base64 to bytes, or undefined when it is not base64. */
export function base64ToBytes(s: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
