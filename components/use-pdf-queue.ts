import { useCallback, useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { PendingPdf } from '../lib/ext/messages';
import { savePdfLink, startPdfFiler, type FiledPdf } from '../lib/ext/pdf-filer';
import { removePendingPdf, updatePendingPdf } from '../lib/ext/pdf-queue';
import { askPdfPermission, type PdfStage } from '../lib/ext/pdf-reader';
import type { Identity } from '../lib/ext/storage';
import type { ClipWhere } from '../lib/notebook/clip-destination';

/** What the panel shows about PDFs being clipped. */
export interface PdfQueueView {
  /** The PDF being read now, and how far. */
  working?: { title: string; stage: PdfStage };
  /** PDFs that wait for the person's permission to read their site. */
  blocked: PendingPdf[];
  /** The last PDF filed: its title, pages and topic. */
  done?: FiledPdf;
  /** Asks for the permission (from a click), then reads the PDF. */
  allow(p: PendingPdf): Promise<void>;
  /** Gives up on the PDF and keeps its link instead. */
  saveLink(p: PendingPdf): void;
  /** Forgets the PDF. */
  dismiss(p: PendingPdf): Promise<void>;
}

/** Files PDFs the person clipped into this notebook (lib/ext/pdf-filer.ts) and shows how it goes. */
export function usePdfQueue(doc: Y.Doc, notebookId: string, me: Identity, where: ClipWhere, durable: () => Promise<void>): PdfQueueView {
  const [working, setWorking] = useState<PdfQueueView['working']>();
  const [blocked, setBlocked] = useState<PendingPdf[]>([]);
  const [done, setDone] = useState<FiledPdf>();
  const whereRef = useRef(where);
  whereRef.current = where;
  const kick = useRef<() => void>(() => {});

  useEffect(() => {
    const filer = startPdfFiler(
      { doc, notebookId, me: { id: me.id, name: me.name }, where: () => whereRef.current, durable },
      { onWorking: setWorking, onBlocked: setBlocked, onFiled: setDone },
    );
    kick.current = filer.kick;
    return filer.stop;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `durable` belongs to the same session as `doc`
  }, [doc, notebookId, me.id, me.name]);

  const allow = useCallback(async (p: PendingPdf) => {
    if (await askPdfPermission(p.url)) {
      await updatePendingPdf(p.id, { needsPermission: false });
      kick.current();
    }
  }, []);
  const saveLink = useCallback(
    (p: PendingPdf) => savePdfLink({ doc, me: { id: me.id, name: me.name }, where: () => whereRef.current, durable }, p),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doc, me.id, me.name],
  );
  const dismiss = useCallback((p: PendingPdf) => removePendingPdf(p.id), []);
  return { working, blocked, done, allow, saveLink, dismiss };
}
