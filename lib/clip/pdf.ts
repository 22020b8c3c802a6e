/**
 * PDF clips: their bounds and errors, and page numbers for search, quotes and citations. Reading a
 * PDF is in pdf-read.ts, which the panel loads only with pdf.js, on the first PDF.
 */
import { t } from '../i18n';
import type { CapturedContent, PdfPages } from '../notebook/types';
import { UserFacingError } from '../../protocol/user-error';

/** Bounds on a PDF clip. */
export const PDF_LIMITS = {
  /** Largest file read (bigger files are refused before download finishes). */
  bytes: 40 * 1024 * 1024,
  /** Pages whose text is kept; the rest of a longer file is left out and the clip says so. */
  pages: 1_000,
  /** Characters of text kept (the notebook's bound on clip text is a little higher). */
  text: 1_000_000,
} as const;

/** Why a PDF could not be clipped: the message is for the person. */
export class PdfClipError extends UserFacingError {
  override name = 'PdfClipError';
  constructor(
    message: string,
    readonly reason: 'too-large' | 'not-pdf' | 'password' | 'damaged' | 'no-access' | 'network',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How far reading has got, for the progress line. */
export interface PdfProgress {
  /** Pages read so far. */
  page: number;
  /** Pages that will be read. */
  pages: number;
}

/** The parts of a pdf.js text item used here. */
export interface PdfTextItem {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
  height?: number;
}

/** The parts of pdf.js's document proxy used here. */
export interface PdfDocumentLike {
  numPages: number;
  getMetadata(): Promise<{ info?: unknown; metadata?: { get(name: string): unknown } | null }>;
  getPage(n: number): Promise<{ getTextContent(): Promise<{ items: unknown[] }>; cleanup?(): unknown }>;
  destroy(): Promise<void>;
}

/** The parts of the pdf.js module used here (`import('pdfjs-dist')`). */
export interface PdfJsLike {
  getDocument(src: Record<string, unknown>): { promise: Promise<PdfDocumentLike>; destroy(): Promise<void> };
}

/** True when an address names a PDF file by its extension (links are offered "Clip this PDF" on this). */
export function looksLikePdfUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return /\.pdf$/i.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

/** The refusal of a file over {@link PDF_LIMITS}.bytes. */
export function tooLarge(bytes: number): PdfClipError {
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  return new PdfClipError(t('errors.pdfTooLarge', { size: mb(bytes), limit: mb(PDF_LIMITS.bytes) }), 'too-large');
}

/** The page (1-based) that holds character `offset` of a PDF clip's text. */
export function pageAt(pdf: PdfPages, offset: number): number {
  let lo = 0;
  let hi = pdf.pageStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pdf.pageStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** APA page locator: "p. 3", or "pp. 3–4" for a range. */
export function pageLabel(first: number, last: number = first): string {
  return last > first ? `pp. ${first}–${last}` : `p. ${first}`;
}

/** The address of one page of a PDF (the #page= fragment every PDF viewer understands). */
export function pdfPageUrl(url: string, page: number): string {
  try {
    const u = new URL(url);
    u.hash = `page=${page}`;
    return u.href;
  } catch {
    return url;
  }
}

/** A passage of a PDF clip and the pages it is on. */
export interface PdfPassage {
  text: string;
  /** First and last page of the passage. */
  page: number;
  lastPage: number;
  /** Offset of the match in the clip's text. */
  at: number;
}

/**
 * Passages of a PDF clip that contain `query` (case and spacing ignored): each is the sentence
 * around the match, up to about `maxChars`, with its page(s). At most `max` passages.
 */
export function findPassages(c: CapturedContent, query: string, opts: { max?: number; maxChars?: number } = {}): PdfPassage[] {
  const text = c.text ?? '';
  const pdf = c.pdf;
  const q = query.replace(/\s+/g, ' ').trim().toLowerCase();
  if (!pdf || !q || !text) return [];
  const max = opts.max ?? 20;
  const maxChars = opts.maxChars ?? 400;
  // One-to-one replacement keeps offsets: every whitespace character becomes one space.
  const hay = text.toLowerCase().replace(/\s/g, ' ');
  const out: PdfPassage[] = [];
  for (let at = hay.indexOf(q); at >= 0 && out.length < max; at = hay.indexOf(q, at + q.length)) {
    let start = at;
    const floor = Math.max(0, at - maxChars / 2);
    while (start > floor && !/[.!?]\s$|\n$/.test(text.slice(Math.max(0, start - 2), start))) start--;
    let end = at + q.length;
    const ceil = Math.min(text.length, start + maxChars);
    while (end < ceil && !/[.!?\n]/.test(text[end - 1] === undefined ? '' : text[end - 1]!)) end++;
    const passage = text.slice(start, end).replace(/\s+/g, ' ').trim();
    const first = pageAt(pdf, at);
    out.push({ text: passage, page: first, lastPage: Math.max(first, pageAt(pdf, at + q.length - 1)), at });
    // The same sentence is offered once, however often the words occur in it.
    at = Math.max(at, end - q.length);
  }
  return out;
}

/**
 * The page a search snippet of a PDF clip comes from (snippets collapse whitespace, so the words
 * are matched with any spacing between them); undefined when it cannot be told.
 */
export function pageOfSnippet(c: CapturedContent, snippet: string): number | undefined {
  if (!c.pdf || !c.text) return undefined;
  const words = snippet.replace(/…/g, ' ').split(/\s+/).filter(Boolean).slice(0, 12);
  if (!words.length) return undefined;
  const re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
  const m = re.exec(c.text);
  return m ? pageAt(c.pdf, m.index) : undefined;
}
