/**
 * Files the PDFs the person clipped (from the panel, the menu or the shortcut) into an open
 * notebook, one at a time. One panel reads a given PDF: a Web Lock is held while reading. A PDF
 * that needs a permission waits, and the panel asks; one that fails for good becomes a notice with
 * the offer to save its link, so nothing is silently lost. Only once the notebook's storage holds
 * the clip does the PDF leave the queue.
 */
import type * as Y from 'yjs';
import { PdfClipError } from '../clip/pdf';
import { addClip, readTopic, readTopics } from '../notebook';
import { chooseClipTopic, topicForArrivingClip, type ClipWhere } from '../notebook/clip-destination';
import { randomId, systemDeps as deps } from '../notebook/people';
import type { PersonRef } from '../notebook/types';
import { addNotice } from './clip-queue';
import type { PendingPdf } from './messages';
import { pdfQueueItem, readPdfQueue, removePendingPdf, updatePendingPdf } from './pdf-queue';
import { readPendingPdf, type PdfStage } from './pdf-reader';

/** The last PDF filed: its title, pages and topic. */
export interface FiledPdf {
  title: string;
  pages: number;
  topicId: string;
  topicTitle: string;
  truncated: boolean;
}

export interface PdfFilerOptions {
  doc: Y.Doc;
  notebookId: string;
  me: PersonRef;
  /** Where the person is (open topic, recent topic): where a clip without a topic goes. */
  where(): ClipWhere;
  /** Settles once the notebook's storage holds what was just written. */
  durable(): Promise<void>;
  /** Downloads and reads a PDF (the browser's; tests pass their own). */
  read?: typeof readPendingPdf;
}

export interface PdfFilerEvents {
  /** The PDF being read now and how far (at most ten times a second), or undefined when idle. */
  onWorking(working: { title: string; stage: PdfStage } | undefined): void;
  /** The PDFs of this notebook waiting for the person's permission to read their site. */
  onBlocked(blocked: PendingPdf[]): void;
  onFiled(done: FiledPdf): void;
}

/** Starts filing this notebook's queued PDFs (now and whenever the queue changes). */
export function startPdfFiler(o: PdfFilerOptions, events: PdfFilerEvents): { kick(): void; stop(): void } {
  const read = o.read ?? readPendingPdf;
  let live = true;
  let running = false;
  const mine = (p: PendingPdf) => !p.notebookId || p.notebookId === o.notebookId;
  const file = async (p: PendingPdf) => {
    events.onWorking({ title: p.title || p.url, stage: { stage: 'download', bytes: 0 } });
    // Progress is drawn at most ten times a second: a redraw per page would slow the reading.
    let shown = 0;
    const onStage = (stage: PdfStage) => {
      const now = performance.now();
      if (!live || (now - shown < 100 && !(stage.stage === 'read' && stage.page === stage.pages))) return;
      shown = now;
      events.onWorking({ title: p.title || p.url, stage });
    };
    try {
      const captured = await read(p, onStage);
      if (!live) return;
      const topic = topicForArrivingClip(o.doc, p.topicId, o.where(), deps);
      addClip(o.doc, { topicId: topic.id, captured, clippedBy: { id: o.me.id, name: o.me.name }, clippedAt: p.clippedAt }, deps);
      await o.durable();
      await removePendingPdf(p.id);
      events.onFiled({
        title: captured.title,
        pages: captured.pdf?.pageCount ?? 0,
        topicId: topic.id,
        topicTitle: topic.title,
        truncated: !!captured.truncated,
      });
    } catch (e) {
      if (e instanceof PdfClipError && e.reason === 'no-access') {
        await updatePendingPdf(p.id, { needsPermission: true });
      } else {
        const message =
          e instanceof PdfClipError
            ? e.message
            : `The PDF could not be read (${String((e as Error)?.message ?? e).slice(0, 160)}). Try again, or save its link instead.`;
        await addNotice({ id: randomId(), at: Date.now(), message, url: p.url, title: p.title });
        await removePendingPdf(p.id);
      }
    }
  };
  const run = async () => {
    if (running) return;
    running = true;
    try {
      for (;;) {
        const q = await readPdfQueue();
        if (live) events.onBlocked(q.filter((p) => mine(p) && p.needsPermission));
        const next = q.find((p) => mine(p) && !p.needsPermission);
        if (!next || !live) break;
        const lock = typeof navigator !== 'undefined' && navigator.locks;
        // Another panel reading it holds the lock; this one waits and then finds it gone.
        if (lock)
          await navigator.locks.request(`pn-pdf-read:${next.id}`, async () =>
            (await readPdfQueue()).some((p) => p.id === next.id && !p.needsPermission) ? file(next) : undefined,
          );
        else await file(next);
      }
    } finally {
      running = false;
      if (live) events.onWorking(undefined);
    }
  };
  void run();
  const unwatch = pdfQueueItem.watch(() => void run());
  return {
    kick: () => void run(),
    stop() {
      live = false;
      unwatch();
    },
  };
}

/** Gives up reading a queued PDF and keeps its link instead (in its topic, or where the person is). */
export function savePdfLink(o: Pick<PdfFilerOptions, 'doc' | 'me' | 'where' | 'durable'>, p: PendingPdf): void {
  let topic = p.topicId ? readTopic(o.doc, p.topicId) : undefined;
  if (!topic || topic.archived) topic = chooseClipTopic(readTopics(o.doc), o.where(), Date.now());
  if (!topic) return;
  addClip(
    o.doc,
    {
      topicId: topic.id,
      captured: { kind: 'link', url: p.url, linkUrl: p.url, title: p.title || p.url, text: p.title },
      clippedBy: { id: o.me.id, name: o.me.name },
      clippedAt: p.clippedAt,
    },
    deps,
  );
  void o.durable().then(() => removePendingPdf(p.id));
}
