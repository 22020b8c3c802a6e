import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { imageDataUrl, readImage, subscribeImages } from '../lib/notebook/image-doc';
import { readClipImages, subscribeTransactions, type ClipImageRefs } from '../lib/notebook';
import type { ImagesSession } from '../lib/sync/local/notebook-session';

/** The open notebook's doc and (lazily) its images doc. */
export interface ImagesAccess {
  doc: Y.Doc;
  images(): ImagesSession;
}

/** Provided by the open notebook (NotebookScreen). */
export const ImagesContext = createContext<ImagesAccess | null>(null);

/** The images doc once it is loaded (opening it if needed), kept up to date: a counter that moves on every change. */
export function useImagesDoc(): { images: ImagesSession | undefined; version: number } {
  const access = useContext(ImagesContext);
  const [state, setState] = useState<{ images: ImagesSession | undefined; version: number }>({ images: undefined, version: 0 });
  useEffect(() => {
    if (!access) return;
    let live = true;
    const images = access.images();
    let unsub = () => {};
    void images.ready
      .then(() => {
        if (!live) return;
        setState({ images, version: 1 });
        unsub = subscribeImages(images.doc, () => live && setState((s) => ({ images, version: s.version + 1 })));
      })
      .catch(() => {});
    return () => {
      live = false;
      unsub();
    };
  }, [access]);
  return state;
}

/** A clip's image references, kept up to date (a partner's images arrive after the clip). */
export function useClipImageRefs(clipId: string): ClipImageRefs | undefined {
  const access = useContext(ImagesContext);
  const [refs, setRefs] = useState<ClipImageRefs | undefined>(() => (access ? readClipImages(access.doc, clipId) : undefined));
  useEffect(() => {
    if (!access) return;
    const read = () =>
      setRefs((old) => {
        const next = readClipImages(access.doc, clipId);
        return JSON.stringify(next) === JSON.stringify(old) ? old : next;
      });
    read();
    // Only transactions that touch this clip (its images arrive after it); typing never does.
    return subscribeTransactions(access.doc, (c) => c.clipIds.has(clipId) && read());
  }, [access, clipId]);
  return refs;
}

/** The kept copies of a clip's images as data: URLs (address in the clip → URL), once loaded. */
export function useKeptImages(clipId: string): { kept: Map<string, string>; refs: ClipImageRefs | undefined; loading: boolean } {
  const refs = useClipImageRefs(clipId);
  const { images, version } = useImagesDoc();
  const kept = useMemo(() => {
    const out = new Map<string, string>();
    if (!images || !refs) return out;
    const byHash = new Map<string, string>();
    for (const [url, hash] of Object.entries(refs.refs)) {
      let data = byHash.get(hash);
      if (data === undefined) {
        const img = readImage(images.doc, hash);
        data = img ? imageDataUrl(img) : '';
        byHash.set(hash, data);
      }
      if (data) out.set(url, data);
    }
    return out;
    // `version` moves when images arrive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [images, refs, version]);
  return { kept, refs, loading: !images };
}
