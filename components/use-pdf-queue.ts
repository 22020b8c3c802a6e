import { useCallback, useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { PdfClipError } from '../lib/clip/pdf';
import { addNotice } from '../lib/ext/clip-queue';
import type { PendingPdf } from '../lib/ext/messages';
import { pdfQueueItem, readPdfQueue, removePendingPdf, updatePendingPdf } from '../lib/ext/pdf-queue';
import { askPdfPermission, readPendingPdf, type PdfStage } from '../lib/ext/pdf-reader';
import type { Identity } from '../lib/ext/storage';
import { chooseClipTopic, topicForArrivingClip } from '../lib/notebook/clip-destination';
import { randomId, systemDeps as deps } from '../lib/notebook/people';
import { addClip, readTopic, readTopics } from '../lib/notebook';

/** What the panel shows about PDFs being clipped. */
export interface PdfQueueView {
  /** The PDF being read now, and how far. */
  working?: { title: string; stage: PdfStage };
  /** PDFs that wait for the person's permission to read their site. */
  blocked: PendingPdf[];
  /** The last PDF filed: its title, pages and topic. */
  done?: { title: string; pages: number; topicId: string; topicTitle: string; truncated: boolean };
  /** Asks for the permission (from a click), then reads the PDF. */
  allow(p: PendingPdf): Promise<void>;
  /** Gives up on the PDF and keeps its link instead. */
  saveLink(p: PendingPdf): void;
  /** Forgets the PDF. */
  dismiss(p: PendingPdf): Promise<void>;
}

/**
 * Reads PDFs the person clipped (from this panel, the menu or the shortcut) and files them into
 * this notebook, one at a time. One panel reads a given PDF: a Web Lock is held while reading.
 * A PDF that needs a permission waits, and the panel asks; one that fails for good becomes a
 * notice with the offer to save its link, so nothing is silently lost.
 */
export function usePdfQueue(doc: Y.Doc, notebookId: string, me: Identity, where: { openTopicId?: string; recentTopicId?: string }, durable: () => Promise<void>): PdfQueueView {
  const [working, setWorking] = useState<PdfQueueView['working']>();
  const [blocked, setBlocked] = useState<PendingPdf[]>([]);
  const [done, setDone] = useState<PdfQueueView['done']>();
  const whereRef = useRef(where);
  whereRef.current = where;
  const kick = useRef<() => void>(() => {});

  useEffect(() => {
    let live = true;
    let running = false;
    const mine = (p: PendingPdf) => !p.notebookId || p.notebookId === notebookId;
    const file = async (p: PendingPdf) => {
      setWorking({ title: p.title || p.url, stage: { stage: 'download', bytes: 0 } });
      // Progress is drawn at most ten times a second: a redraw per page would slow the reading.
      let shown = 0;
      const onStage = (stage: PdfStage) => {
        const now = performance.now();
        if (!live || (now - shown < 100 && !(stage.stage === 'read' && stage.page === stage.pages))) return;
        shown = now;
        setWorking({ title: p.title || p.url, stage });
      };
      try {
        const captured = await readPendingPdf(p, onStage);
        if (!live) return;
        const topic = topicForArrivingClip(doc, p.topicId, whereRef.current, deps);
        addClip(doc, { topicId: topic.id, captured, clippedBy: { id: me.id, name: me.name }, clippedAt: p.clippedAt }, deps);
        // Only once the notebook's storage holds the clip may the PDF leave the queue.
        await durable();
        await removePendingPdf(p.id);
        setDone({ title: captured.title, pages: captured.pdf?.pageCount ?? 0, topicId: topic.id, topicTitle: topic.title, truncated: !!captured.truncated });
      } catch (e) {
        if (e instanceof PdfClipError && e.reason === 'no-access') {
          await updatePendingPdf(p.id, { needsPermission: true });
        } else {
          const message = e instanceof PdfClipError ? e.message : `The PDF could not be read (${String((e as Error)?.message ?? e).slice(0, 160)}). Try again, or save its link instead.`;
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
          if (live) setBlocked(q.filter((p) => mine(p) && p.needsPermission));
          const next = q.find((p) => mine(p) && !p.needsPermission);
          if (!next || !live) break;
          const lock = typeof navigator !== 'undefined' && navigator.locks;
          // Another panel reading it holds the lock; this one waits and then finds it gone.
          if (lock) await navigator.locks.request(`pn-pdf-read:${next.id}`, async () => ((await readPdfQueue()).some((p) => p.id === next.id && !p.needsPermission) ? file(next) : undefined));
          else await file(next);
        }
      } finally {
        running = false;
        if (live) setWorking(undefined);
      }
    };
    kick.current = () => void run();
    void run();
    const unwatch = pdfQueueItem.watch(() => void run());
    return () => {
      live = false;
      unwatch();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `durable` belongs to the same session as `doc`
  }, [doc, notebookId, me.id, me.name]);

  const allow = useCallback(async (p: PendingPdf) => {
    if (await askPdfPermission(p.url)) {
      await updatePendingPdf(p.id, { needsPermission: false });
      kick.current();
    }
  }, []);
  const saveLink = useCallback((p: PendingPdf) => {
    let topic = p.topicId ? readTopic(doc, p.topicId) : undefined;
    if (!topic || topic.archived) topic = chooseClipTopic(readTopics(doc), whereRef.current, Date.now());
    if (!topic) return;
    addClip(doc, { topicId: topic.id, captured: { kind: 'link', url: p.url, linkUrl: p.url, title: p.title || p.url, text: p.title }, clippedBy: { id: me.id, name: me.name }, clippedAt: p.clippedAt }, deps);
    void durable().then(() => removePendingPdf(p.id));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc, me.id, me.name]);
  const dismiss = useCallback((p: PendingPdf) => removePendingPdf(p.id), []);
  return { working, blocked, done, allow, saveLink, dismiss };
}
