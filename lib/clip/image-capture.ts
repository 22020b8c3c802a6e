/**
 * Downloading, checking and shrinking a page's images, run in the page's tab (entrypoints/
 * clip-images.ts) where the images are usually in the browser's cache already. Browser APIs only
 * through parameters-free globals every page has (fetch, createImageBitmap, OffscreenCanvas,
 * crypto.subtle); the rules are in ./images.ts.
 */
import { bytesToBase64, checkPixels, declaredSize, IMAGE_LIMITS, sha256Hex, sniffImageType, storedSize, type ImageType, type SkipReason } from './images';
import { concatBytes } from '../bytes';

/** One kept image as it crosses to the extension (bytes as base64). */
export interface CapturedImage {
  url: string;
  hash: string;
  type: ImageType;
  width: number;
  height: number;
  base64: string;
}

/** What {@link captureImages} returns. */
export interface CapturedImages {
  images: CapturedImage[];
  skipped: Partial<Record<SkipReason, number>>;
}

const FETCH_TIMEOUT_MS = 15_000;

/** Reads a response's body, giving up beyond `max` bytes (a server may lie about its length). */
async function readBounded(res: Response, max: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) return 'too-large';
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    parts.push(value);
  }
  return concatBytes(parts);
}

/**
 * Re-encodes a decoded image at its stored size (this also drops metadata such as EXIF).
 * Photos (JPEG sources) are written as JPEG: Chromium's WebP encoder took about 120 ms per
 * 1 200 px photo here, JPEG about 25 ms, and a page with 20 photos must be kept within a second.
 * Drawings, charts and logos (PNG, GIF, WebP, AVIF sources, which may be transparent) are written
 * as WebP, which keeps transparency and is far smaller than PNG.
 */
async function encode(bitmap: ImageBitmap, width: number, height: number, source: ImageType): Promise<{ bytes: Uint8Array; type: ImageType }> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.drawImage(bitmap, 0, 0, width, height);
  let blob =
    source === 'image/jpeg'
      ? await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 })
      : await canvas.convertToBlob({ type: 'image/webp', quality: 0.85 });
  // Browsers that cannot write WebP silently return PNG; a JPEG is still smaller for most pictures.
  if (blob.type === 'image/png' && blob.size > 64 * 1024) blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const type = sniffImageType(bytes);
  if (!type) throw new Error('encoder returned an unknown format');
  return { bytes, type };
}

/** Downloads, checks and shrinks one image: a kept image, a reason it was left out, or 'too-small' (icons, spacers: not worth saying). */
export async function captureImage(url: string): Promise<CapturedImage | SkipReason | 'too-small'> {
  let res: Response;
  try {
    // The page showed it moments ago: the cached copy is used when there is one, so clipping
    // tells the image's server nothing new.
    res = await fetch(url, { cache: 'force-cache', credentials: 'same-origin', redirect: 'follow', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch {
    return 'unreachable';
  }
  if (!res.ok) return 'unreachable';
  let raw: Uint8Array | 'too-large';
  try {
    raw = await readBounded(res, IMAGE_LIMITS.downloadBytes);
  } catch {
    return 'unreachable';
  }
  if (raw === 'too-large') return 'too-large';
  const type = sniffImageType(raw);
  if (!type) return 'not-an-image';
  const declared = declaredSize(raw, type);
  const early = declared && checkPixels(declared);
  if (early) return early;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([raw as Uint8Array<ArrayBuffer>], { type }));
  } catch {
    return 'not-an-image';
  }
  try {
    const size = { width: bitmap.width, height: bitmap.height };
    const bad = checkPixels(size);
    if (bad) return bad;
    const target = storedSize(size);
    const out = await encode(bitmap, target.width, target.height, type);
    if (out.bytes.length > IMAGE_LIMITS.storedBytes) return 'too-large';
    return { url, hash: await sha256Hex(out.bytes), type: out.type, width: target.width, height: target.height, base64: bytesToBase64(out.bytes) };
  } catch {
    return 'not-an-image';
  } finally {
    bitmap.close();
  }
}

/**
 * Captures up to {@link IMAGE_LIMITS.perClip} images of `urls`, a few at a time; the per-clip
 * byte bound and deduplication are applied by the panel (lib/clip/images.ts `boundClipImages`).
 */
export async function captureImages(urls: string[], concurrency = 4): Promise<CapturedImages> {
  const images: (CapturedImage | undefined)[] = [];
  const skipped: Partial<Record<SkipReason, number>> = {};
  const bump = (r: SkipReason) => (skipped[r] = (skipped[r] ?? 0) + 1);
  const list = urls.slice(0, IMAGE_LIMITS.perClip * 2);
  for (let i = list.length; i < urls.length; i++) bump('too-many');
  let next = 0;
  let keptCount = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      if (keptCount >= IMAGE_LIMITS.perClip) {
        bump('too-many');
        continue;
      }
      const r = await captureImage(list[i]!);
      if (typeof r === 'string') {
        if (r !== 'too-small') bump(r);
      } else {
        images[i] = r;
        keptCount++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
  return { images: images.filter((x): x is CapturedImage => !!x), skipped };
}
