/**
 * PDF → clip: title, author, date, page count and page-numbered text, read with pdf.js.
 *
 * Pure: the caller passes the pdf.js module (the panel loads it on demand, the tests load the
 * Node build), so this file never pulls pdf.js into a bundle by itself. A PDF is untrusted input:
 * its size, pages and text are bounded, nothing in it runs (pdf.js never executes a PDF's
 * JavaScript, eval is off and XFA forms are not rendered), and every failure becomes a
 * {@link PdfClipError} whose message tells the person what to do.
 */
import { t } from '../i18n';
import type { CapturedContent, PdfPages } from '../notebook/types';
import { PDF_LIMITS, PdfClipError, tooLarge, type PdfDocumentLike, type PdfJsLike, type PdfProgress, type PdfTextItem } from './pdf';

/** True when the bytes start like a PDF file (the header may follow a little junk, as readers allow). */
export function isPdfBytes(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

/** A PDF date ("D:20240315093000+01'00'") as epoch ms, or undefined when it is not one. */
export function parsePdfDate(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s.trim());
  if (!m) return undefined;
  const n = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const [year, month, day, hour, minute, second] = [n(m[1], 0), n(m[2], 1), n(m[3], 1), n(m[4], 0), n(m[5], 0), n(m[6], 0)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || year < 1000) return undefined;
  let t = Date.UTC(year, month - 1, day, hour, minute, second);
  if (m[7] === '+' || m[7] === '-') {
    const offset = (n(m[8], 0) * 60 + n(m[9], 0)) * 60_000;
    t += m[7] === '+' ? -offset : offset;
  }
  return Number.isFinite(t) ? t : undefined;
}

const clean = (s: unknown, max = 500): string | undefined => {
  if (typeof s !== 'string') return undefined;
  // PDF strings can carry control characters and byte-order marks.
  const v = s
    .replace(/[\u0000-\u001f\u007f\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return v ? v.slice(0, max) : undefined;
};

/**
 * A page's text from pdf.js's items: lines joined, paragraphs split where the gap between lines is
 * clearly larger than the line height or the type size changes, words hyphenated across lines joined again. Paragraphs are
 * separated by one newline.
 */
export function pageText(items: readonly unknown[]): string {
  const paras: string[] = [];
  let para = '';
  let line = '';
  let lineY: number | undefined;
  let lineH = 0;
  let lastY: number | undefined;
  let lastH = 0;
  const endLine = () => {
    const text = line.replace(/\s+/g, ' ').trim();
    line = '';
    if (!text) return;
    const gap = lastY !== undefined && lineY !== undefined ? Math.abs(lastY - lineY) : 0;
    const h = Math.max(lineH, lastH, 1);
    // A clear gap, or a change of type size (a heading), starts a new paragraph.
    if (para && (gap > h * 1.6 || (lastH > 0 && lineH > 0 && Math.abs(lineH - lastH) > 0.2 * h))) {
      paras.push(para);
      para = '';
    }
    if (!para) para = text;
    else if (/\p{L}-$/u.test(para) && /^\p{Ll}/u.test(text)) para = para.slice(0, -1) + text;
    else para += ` ${text}`;
    lastY = lineY;
    lastH = lineH;
  };
  for (const raw of items) {
    if (!raw || typeof raw !== 'object') continue;
    const it = raw as PdfTextItem;
    const str = typeof it.str === 'string' ? it.str : '';
    const y = Array.isArray(it.transform) && typeof it.transform[5] === 'number' ? it.transform[5] : undefined;
    const h =
      typeof it.height === 'number' && it.height > 0
        ? it.height
        : Array.isArray(it.transform) && typeof it.transform[3] === 'number'
          ? Math.abs(it.transform[3])
          : 0;
    if (str) {
      // Items on a different baseline without an end-of-line mark still start a new line.
      if (line && y !== undefined && lineY !== undefined && Math.abs(y - lineY) > Math.max(h, lineH, 1) / 2) endLine();
      if (!line) {
        lineY = y;
        lineH = h;
      }
      line += str;
    }
    if (it.hasEOL) endLine();
  }
  endLine();
  if (para) paras.push(para);
  return paras.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The file name of a PDF's address, without extension, as a last-resort title. */
function fileTitle(url: string): string {
  try {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '')
      .replace(/\.pdf$/i, '')
      .replace(/[_-]+/g, ' ')
      .trim();
    return name || url;
  } catch {
    return url;
  }
}

/** What {@link pdfCapture} builds a clip from. */
export interface PdfContent {
  url: string;
  /** The document information dictionary as pdf.js returns it (Title, Author, CreationDate…). */
  info?: unknown;
  /** dc:title / dc:creator from the XMP metadata, when present. */
  xmpTitle?: string;
  xmpCreator?: string;
  /** Text of the pages read, page 1 first. */
  pages: string[];
  /** Pages in the file (more than `pages.length` when cut). */
  pageCount: number;
  /** The address of the page that linked to the PDF, or the PDF's own site name, for the citation. */
  siteName?: string;
}

/** Builds the clip of a PDF from its metadata and page texts, bounded to {@link PDF_LIMITS}. */
export function pdfCapture(p: PdfContent): CapturedContent {
  const info = (p.info && typeof p.info === 'object' ? p.info : {}) as Record<string, unknown>;
  const pageStarts: number[] = [];
  let text = '';
  let html = '';
  let truncated = p.pages.length < p.pageCount;
  for (let i = 0; i < p.pages.length && i < PDF_LIMITS.pages; i++) {
    let page = p.pages[i]!;
    if (text.length + page.length > PDF_LIMITS.text) {
      page = page.slice(0, Math.max(0, PDF_LIMITS.text - text.length));
      truncated = true;
    }
    if (i > 0) text += '\n\n';
    pageStarts.push(text.length);
    text += page;
    const paras = page.split('\n').filter((s) => s.trim());
    html += `<section><h2>Page ${i + 1}</h2>${paras.map((s) => `<p>${esc(s)}</p>`).join('') || '<p><i>(no text on this page)</i></p>'}</section>`;
    if (text.length >= PDF_LIMITS.text) {
      truncated = truncated || i + 1 < p.pageCount;
      break;
    }
  }
  if (p.pages.length > PDF_LIMITS.pages) truncated = true;
  const title = clean(info.Title, 300) ?? clean(p.xmpTitle, 300) ?? fileTitle(p.url);
  const byline = clean(info.Author, 300) ?? clean(p.xmpCreator, 300);
  const published = parsePdfDate(info.CreationDate) ?? parsePdfDate(info.ModDate);
  const lang = clean(info.Language, 35);
  const words = text.split(/\s+/).filter(Boolean).length;
  const pdf: PdfPages = { pageCount: p.pageCount, pageStarts };
  const out: CapturedContent = { kind: 'pdf', url: p.url, title, html, text, wordCount: words, pdf };
  let site = clean(p.siteName, 200);
  if (!site) {
    try {
      site = new URL(p.url).hostname.replace(/^www\./, '') || undefined;
    } catch {
      site = undefined;
    }
  }
  if (site) out.siteName = site;
  if (byline) out.byline = byline;
  if (published !== undefined) out.publishedTime = published;
  if (lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang)) out.lang = lang;
  const excerpt = clean(text.slice(0, 600), 300);
  if (excerpt) out.excerpt = excerpt;
  if (truncated) out.truncated = true;
  return out;
}

/**
 * Reads a PDF with pdf.js: metadata, then each page's text, reporting progress after each page.
 * Pages are released as soon as their text is read, so a long report does not pile up memory.
 */
export async function readPdf(
  pdfjs: PdfJsLike,
  bytes: Uint8Array,
  opts: { url: string; siteName?: string; onProgress?(p: PdfProgress): void; signal?: AbortSignal },
): Promise<CapturedContent> {
  if (bytes.byteLength > PDF_LIMITS.bytes) throw tooLarge(bytes.byteLength);
  if (!isPdfBytes(bytes)) {
    throw new PdfClipError(t('errors.notPdf'), 'not-pdf');
  }
  const task = pdfjs.getDocument({
    data: bytes,
    // Nothing in the file may run or reach out: no eval, no XFA forms, no font loading, no fetches.
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    disableAutoFetch: true,
    disableStream: true,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc: PdfDocumentLike;
  try {
    doc = await task.promise;
  } catch (e) {
    const name = (e as Error)?.name ?? '';
    if (name === 'PasswordException') {
      throw new PdfClipError(t('errors.pdfPassword'), 'password', { cause: e });
    }
    throw new PdfClipError(t('errors.pdfDamaged'), 'damaged', { cause: e });
  }
  try {
    const pageCount = doc.numPages;
    const meta = await doc.getMetadata().catch(() => ({ info: undefined, metadata: undefined }));
    const xmp = (name: string) => {
      try {
        return clean(meta.metadata?.get(name), 300);
      } catch {
        return undefined;
      }
    };
    const toRead = Math.min(pageCount, PDF_LIMITS.pages);
    const pages: string[] = [];
    let chars = 0;
    const readPage = async (n: number): Promise<string> => {
      try {
        const page = await doc.getPage(n);
        const text = pageText((await page.getTextContent()).items);
        page.cleanup?.();
        return text;
      } catch {
        // One unreadable page (a broken content stream) must not lose the rest of the report.
        return '';
      }
    };
    // A few pages are asked for ahead, so the worker never waits for the next request; the
    // window stays small so a huge file does not pile up text that the bound will cut anyway.
    const AHEAD = 4;
    const inFlight: Promise<string>[] = [];
    let next = 1;
    while (next <= toRead && inFlight.length < AHEAD) inFlight.push(readPage(next++));
    for (let n = 1; n <= toRead; n++) {
      if (opts.signal?.aborted) throw new PdfClipError(t('errors.pdfStopped'), 'network');
      const text = await inFlight.shift()!;
      if (next <= toRead) inFlight.push(readPage(next++));
      pages.push(text);
      chars += text.length + 2;
      opts.onProgress?.({ page: n, pages: toRead });
      if (chars > PDF_LIMITS.text) break;
    }
    await Promise.allSettled(inFlight);
    return pdfCapture({ url: opts.url, info: meta.info, xmpTitle: xmp('dc:title'), xmpCreator: xmp('dc:creator'), pages, pageCount, siteName: opts.siteName });
  } finally {
    await doc.destroy().catch(() => {});
  }
}
