/** Pure parsing and bounds for values read from a notebook or another untrusted source. No Yjs: the background imports this file alone. */
import { type CapturedContent, type ClipKind, type PdfPages, type PersonRef } from './types';
import { UserFacingError } from '../../protocol/user-error';

/** Bounds on mutable text fields, so one peer cannot bloat everyone's notebook. */
export const LIMITS = {
  title: 200,
  prompt: 4_000,
  comment: 10_000,
  tag: 40,
  tagsPerClip: 30,
  profileField: 500,
  socialLinks: 10,
  /** Captured HTML of one clip, in UTF-16 code units (the clipper cuts at 2 MB of UTF-8 first). */
  clipHtml: 2_200_000,
  clipText: 1_100_000,
  clipData: 100_000,
  /** Any other captured string (title, URLs, byline…). */
  clipField: 8_000,
} as const;

/** Thrown when a notebook cannot be used as it is; the message says what to do. */
export class NotebookError extends UserFacingError {
  override name = 'NotebookError';
}

// ---------------------------------------------------------------------------------------------
// Small parsers for untrusted values

export const str = (v: unknown, max = Infinity): string | undefined => (typeof v === 'string' ? (v.length > max ? v.slice(0, max) : v) : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
export const clean = (s: string, max: number) => s.replace(/\s+/g, ' ').trim().slice(0, max);

export function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

const CLIP_KINDS: readonly ClipKind[] = ['page', 'selection', 'link', 'image', 'pdf'];
/** Most pages a PDF clip may index (a peer cannot make every reader walk a huge list). */
const MAX_PDF_PAGES = 2_000;

/** Parses captured content from untrusted JSON text (a peer, a page, the clip queue). */
export function parseCaptured(v: unknown): CapturedContent | undefined {
  const o = typeof v === 'string' ? parseJson(v) : v;
  if (!o || typeof o !== 'object') return undefined;
  const r = o as Record<string, unknown>;
  const kind = r.kind;
  const url = str(r.url);
  if (!CLIP_KINDS.includes(kind as ClipKind) || url === undefined) return undefined;
  const dir = r.dir === 'rtl' || r.dir === 'ltr' ? r.dir : undefined;
  const a = r.anchor as Record<string, unknown> | undefined;
  const anchor =
    a && typeof a === 'object' && typeof a.exact === 'string' ? { prefix: str(a.prefix) ?? '', exact: a.exact, suffix: str(a.suffix) ?? '' } : undefined;
  const out: CapturedContent = { kind: kind as ClipKind, url: url.slice(0, LIMITS.clipField), title: str(r.title) || url };
  const strings = [
    'canonicalUrl',
    'siteName',
    'byline',
    'lang',
    'excerpt',
    'leadImage',
    'favicon',
    'html',
    'text',
    'linkUrl',
    'imageUrl',
    'imageAlt',
    'structuredData',
  ] as const;
  for (const k of strings) {
    const s = str(r[k]);
    if (s === undefined) continue;
    const max = k === 'html' ? LIMITS.clipHtml : k === 'text' ? LIMITS.clipText : k === 'structuredData' ? LIMITS.clipData : LIMITS.clipField;
    out[k] = s.length > max ? s.slice(0, max) : s;
    if (s.length > max && (k === 'html' || k === 'text')) out.truncated = true;
  }
  const pt = num(r.publishedTime);
  if (pt !== undefined) out.publishedTime = pt;
  const wc = num(r.wordCount);
  if (wc !== undefined) out.wordCount = wc;
  if (dir) out.dir = dir;
  if (anchor) out.anchor = anchor;
  const pdf = kind === 'pdf' ? parsePdfPages(r.pdf) : undefined;
  if (pdf) out.pdf = pdf;
  if (r.truncated === true) out.truncated = true;
  if (out.title.length > LIMITS.clipField) out.title = out.title.slice(0, LIMITS.clipField);
  return out;
}

/** A PDF clip's page index: whole, ascending offsets only (a bad one from a peer is dropped, the clip kept). */
function parsePdfPages(v: unknown): PdfPages | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const pageCount = num(o.pageCount);
  if (pageCount === undefined || !Number.isInteger(pageCount) || pageCount < 1 || pageCount > 1_000_000) return undefined;
  if (!Array.isArray(o.pageStarts) || o.pageStarts.length > Math.min(pageCount, MAX_PDF_PAGES)) return undefined;
  const pageStarts: number[] = [];
  for (const s of o.pageStarts) {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < (pageStarts.at(-1) ?? 0) || s > LIMITS.clipText) return undefined;
    pageStarts.push(s);
  }
  return { pageCount, pageStarts };
}

/** A person from JSON text, or from a value already parsed. */
export function parsePerson(v: unknown): PersonRef | undefined {
  const o = (typeof v === 'string' ? parseJson(v) : v) as Record<string, unknown> | undefined;
  const id = str(o?.id);
  const name = str(o?.name, LIMITS.profileField);
  return id !== undefined && name !== undefined ? { id, name } : undefined;
}
