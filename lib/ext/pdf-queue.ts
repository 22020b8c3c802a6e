/**
 * PDFs waiting to be read. The background cannot run pdf.js (an MV3 service worker has no DOM
 * and is suspended at will), so it only notes which PDF the person clipped; the side panel
 * downloads and reads it (showing progress) and files the clip. An entry leaves this queue only
 * once the notebook holds the clip, the person chose to save the link instead, or dismissed it.
 */
import { t } from '../i18n';
import { storage } from 'wxt/utils/storage';
import type { PendingPdf } from './messages';

/** Bound on waiting PDFs; beyond it the person is asked to open the panel first. */
export const MAX_PENDING_PDFS = 50;

/** PDFs clipped but not read yet. */
export const pdfQueueItem = storage.defineItem<PendingPdf[]>('local:pdfQueue', { fallback: [] });

/** Reads the queue, dropping entries that are not well-formed (storage is shared with older builds). */
export async function readPdfQueue(): Promise<PendingPdf[]> {
  const q = await pdfQueueItem.getValue();
  return Array.isArray(q)
    ? q.filter((p): p is PendingPdf => !!p && typeof p.id === 'string' && typeof p.url === 'string' && typeof p.clippedAt === 'number')
    : [];
}

// Background and panels read-modify-write one value: a Web Lock serialises them.
function withLock<T>(fn: () => Promise<T>): Promise<T> {
  return typeof navigator !== 'undefined' && navigator.locks ? (navigator.locks.request('pn-pdf-queue', fn) as Promise<T>) : fn();
}

/** Adds a PDF to read. Throws when too many wait (the caller tells the person). */
export async function enqueuePdf(p: PendingPdf): Promise<void> {
  await withLock(async () => {
    const q = await readPdfQueue();
    if (q.length >= MAX_PENDING_PDFS) throw new Error(t('errors.tooManyPdfs'));
    await pdfQueueItem.setValue([...q, p]);
  });
}

/** Changes one waiting PDF (e.g. marks that it needs the person's permission). */
export async function updatePendingPdf(id: string, patch: Partial<Omit<PendingPdf, 'id'>>): Promise<void> {
  await withLock(async () => pdfQueueItem.setValue((await readPdfQueue()).map((p) => (p.id === id ? { ...p, ...patch } : p))));
}

/** Removes a PDF from the queue (read and filed, saved as a link, or dismissed). */
export async function removePendingPdf(id: string): Promise<void> {
  await withLock(async () => pdfQueueItem.setValue((await readPdfQueue()).filter((p) => p.id !== id)));
}
