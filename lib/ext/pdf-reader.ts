/**
 * Downloads and reads a clipped PDF in the side panel (an extension page: it has a DOM and may
 * start workers, which an MV3 service worker may not). pdf.js (about 400 KB gzipped with its
 * worker) is imported only here, on the first PDF, so the panel's startup bundle does not carry it.
 */
import { t } from '../i18n';
import { browser } from 'wxt/browser';
// Only the worker's address is bundled here; Vite emits the file as an extension asset, and
// extension pages may start module workers from their own origin under the MV3 CSP.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { PDF_LIMITS, PdfClipError, tooLarge, type PdfJsLike, type PdfProgress } from '../clip/pdf';
import { concatBytes } from '../bytes';
import type { CapturedContent } from '../notebook/types';
import type { PendingPdf } from './messages';

let pdfjs: Promise<{ lib: PdfJsLike; read: typeof import('../clip/pdf-read') }> | undefined;

/** pdf.js and our reader, imported on first use, pdf.js's worker pointed at the bundled file. */
export function loadPdfJs(): Promise<{ lib: PdfJsLike; read: typeof import('../clip/pdf-read') }> {
  pdfjs ??= Promise.all([import('pdfjs-dist'), import('../clip/pdf-read')]).then(([m, read]) => {
    m.GlobalWorkerOptions.workerSrc = workerUrl;
    return { lib: m as unknown as PdfJsLike, read };
  });
  return pdfjs;
}

/** The origin pattern of a PDF's site, as host permissions name it ("https://example.org/*"). */
export function originPattern(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

/** True when the person has let Partner Notebook read files from the PDF's site. */
export async function hasPdfPermission(url: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(url)] }).catch(() => false);
}

/**
 * Asks the person to let Partner Notebook read files from the PDF's site (the browser shows its
 * own prompt). Must be called from a click.
 */
export async function askPdfPermission(url: string): Promise<boolean> {
  return browser.permissions.request({ origins: [originPattern(url)] }).catch(() => false);
}

/** What the panel shows while a PDF is read. */
export type PdfStage = { stage: 'download'; bytes: number; total?: number } | ({ stage: 'read' } & PdfProgress);

/**
 * Downloads the PDF, never more than {@link PDF_LIMITS}.bytes. The person's cookies for the site go
 * along, as when the browser showed it; without host access (activeTab or a granted permission)
 * the browser blocks the request and the error says a permission is needed.
 */
export async function downloadPdf(url: string, onStage: (s: PdfStage) => void, signal?: AbortSignal): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'include', signal, cache: 'force-cache' });
  } catch (e) {
    if (!(await hasPdfPermission(url))) {
      throw new PdfClipError(t('errors.pdfNeedsPermission', { host: new URL(url).hostname }), 'no-access', { cause: e });
    }
    throw new PdfClipError(t('errors.pdfNotDownloaded'), 'network', { cause: e });
  }
  if (!res.ok) throw new PdfClipError(t('errors.siteAnswered', { status: `${res.status} ${res.statusText}` }), 'network');
  const total = Number(res.headers.get('content-length')) || undefined;
  if (total && total > PDF_LIMITS.bytes) {
    void res.body?.cancel();
    throw tooLarge(total);
  }
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    // A server may lie about (or leave out) the length: count what actually arrives.
    if (bytes > PDF_LIMITS.bytes) {
      void reader.cancel();
      throw tooLarge(bytes);
    }
    chunks.push(value);
    onStage({ stage: 'download', bytes, total });
  }
  return concatBytes(chunks);
}

/** Downloads and reads a waiting PDF into clip content, reporting each stage. */
export async function readPendingPdf(p: PendingPdf, onStage: (s: PdfStage) => void, signal?: AbortSignal): Promise<CapturedContent> {
  const [bytes, { lib, read }] = await Promise.all([downloadPdf(p.url, onStage, signal), loadPdfJs()]);
  return read.readPdf(lib, bytes, { url: p.url, siteName: p.siteName, signal, onProgress: (pr) => onStage({ stage: 'read', ...pr }) });
}
