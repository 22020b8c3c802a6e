/**
 * The shape of a notebook's images doc: a second Y.Doc per notebook that holds only image bytes,
 * named by their SHA-256. The notebook's own doc holds just the hashes (clips.ts
 * `setClipImages`), so opening a notebook never decodes megabytes of pictures; the images doc
 * is loaded after the notebook shows, and synced in a room of its own.
 *
 * This module alone names the images doc's root types. Each image is one immutable binary
 * value (one Yjs item), so loading costs one copy of the bytes, not thousands of items.
 */
import * as Y from 'yjs';
import { IMAGE_LIMITS, isImageHash, sniffImageType, type ImageType, type KeptImage } from '../clip/images';

const BYTES = 'imageBytes';
const INFO = 'imageInfo';

const bytesMap = (doc: Y.Doc) => doc.getMap<Uint8Array>(BYTES);
const infoMap = (doc: Y.Doc) => doc.getMap<string>(INFO);

/** Transaction origin of local image writes. */
export const IMAGE_ORIGIN = 'images';

/** A stored image, checked (a partner's bytes are untrusted). */
export interface StoredImage {
  hash: string;
  type: ImageType;
  bytes: Uint8Array;
  width?: number;
  height?: number;
}

/** Whether the images doc holds `hash`. */
export function hasImage(doc: Y.Doc, hash: string): boolean {
  return bytesMap(doc).has(hash);
}

/** Stores images (each hash once; an image already there is not written again). */
export function putImages(doc: Y.Doc, images: Pick<KeptImage, 'hash' | 'bytes' | 'width' | 'height'>[]): void {
  const fresh = images.filter((i) => isImageHash(i.hash) && !bytesMap(doc).has(i.hash));
  if (!fresh.length) return;
  doc.transact(() => {
    for (const i of fresh) {
      if (bytesMap(doc).has(i.hash)) continue;
      bytesMap(doc).set(i.hash, i.bytes);
      infoMap(doc).set(i.hash, JSON.stringify({ w: i.width, h: i.height }));
    }
  }, IMAGE_ORIGIN);
}

/**
 * One stored image, or undefined when it is missing, not a raster image we keep (checked by its
 * bytes, whatever a peer claims), or larger than a stored image may be.
 */
export function readImage(doc: Y.Doc, hash: string): StoredImage | undefined {
  if (!isImageHash(hash)) return undefined;
  const bytes = bytesMap(doc).get(hash);
  if (!(bytes instanceof Uint8Array) || bytes.length > IMAGE_LIMITS.storedBytes) return undefined;
  const type = sniffImageType(bytes);
  if (!type) return undefined;
  let info: { w?: unknown; h?: unknown } = {};
  try {
    info = JSON.parse(infoMap(doc).get(hash) ?? '{}') as typeof info;
  } catch {
    /* sizes are only hints */
  }
  const dim = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= IMAGE_LIMITS.side ? v : undefined);
  return { hash, type, bytes, width: dim(info.w), height: dim(info.h) };
}

/** Stored bytes per hash (for size accounting). */
export function imageSizes(doc: Y.Doc): Map<string, number> {
  const out = new Map<string, number>();
  bytesMap(doc).forEach((b, hash) => b instanceof Uint8Array && out.set(hash, b.length));
  return out;
}

/** Deletes stored images (Yjs then frees their bytes here and, once synced, at partners'). */
export function deleteImages(doc: Y.Doc, hashes: string[]): void {
  if (!hashes.length) return;
  doc.transact(() => {
    for (const h of hashes) {
      bytesMap(doc).delete(h);
      infoMap(doc).delete(h);
    }
  }, IMAGE_ORIGIN);
}

/** Calls `cb` after every change of the images doc (local or a partner's). Returns the unsubscribe. */
export function subscribeImages(doc: Y.Doc, cb: () => void): () => void {
  const m = bytesMap(doc);
  m.observe(cb);
  return () => m.unobserve(cb);
}

/** A data: URL for a stored image (its type from its bytes). */
export function imageDataUrl(img: StoredImage): string {
  let s = '';
  for (let i = 0; i < img.bytes.length; i += 0x8000) s += String.fromCharCode(...img.bytes.subarray(i, i + 0x8000));
  return `data:${img.type};base64,${btoa(s)}`;
}
