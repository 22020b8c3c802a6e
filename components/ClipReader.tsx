import { useEffect, useMemo, useRef } from 'react';
import { describeSkipped, siteOf } from '../lib/clip/images';
import { hasRemoteImages, readerDocument, safeHref } from '../lib/clip/reader-html';
import { allowRemoteImages, forbidRemoteImages, remoteImageSitesItem } from '../lib/ext/storage';
import type { Clip } from '../lib/notebook/types';
import { useKeptImages } from './images-context';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';

/** A clean, script-free reading view of a clip inside the panel. */
export function ClipReader(props: { clip: Clip; onClose(): void }) {
  const c = props.clip.captured;
  const { kept, refs, loading } = useKeptImages(props.clip.id);
  const sites = useStorageItem(remoteImageSitesItem);
  const site = siteOf(c.url);
  const remote = !!site && !!sites?.includes(site);
  const notes = useMemo(() => {
    const n = describeSkipped(refs?.skipped ?? {});
    if (refs?.removed) n.push(`${refs.removed === 1 ? 'Its image was' : `Its ${refs.removed} images were`} removed to save space.`);
    return n;
  }, [refs]);
  const srcDoc = useMemo(() => readerDocument(c, window, { kept, remote }, notes), [c, kept, remote, notes]);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const original = safeHref(c.url);
  const missing = !loading && hasRemoteImages(c, kept);
  const waiting = sites === undefined || (loading && !!refs && Object.keys(refs.refs).length > 0);
  return (
    <section className="reader" aria-label={`Reading: ${c.title}`} data-testid={T.clipReader}>
      <div className="row wrap">
        <button type="button" ref={closeRef} onClick={props.onClose}>
          ← Back to the topic
        </button>
        {original && (
          <a className="grow" href={original} target="_blank" rel="noopener noreferrer">
            Open the original page
          </a>
        )}
      </div>
      {site && (missing || remote) && (
        <p className="muted small" data-testid={T.remoteImagesNote}>
          {remote ? (
            <>
              Images not kept in the notebook load from {new URL(site).host}.{' '}
              <button type="button" className="link-button" data-testid={T.hideRemoteImages} onClick={() => void forbidRemoteImages(site)}>
                Stop loading them
              </button>
            </>
          ) : (
            <>
              Some images are not kept in the notebook. They are not loaded from the web, so the site cannot see who reads this clip.{' '}
              <button type="button" className="link-button" data-testid={T.showRemoteImages} onClick={() => void allowRemoteImages(site)}>
                Show images from this site
              </button>
            </>
          )}
        </p>
      )}
      {/* Shown once the pictures and the site choice are read: a frame whose document changes reloads. */}
      {waiting ? (
        <p role="status">Loading the pictures…</p>
      ) : (
        /* No allow-scripts, no allow-same-origin: even a sanitiser bug could not run code here. */
        <iframe title={c.title} className="reader-frame" sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={srcDoc} data-testid={T.clipReaderFrame} />
      )}
    </section>
  );
}
