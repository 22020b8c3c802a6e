import { useEffect, useMemo, useRef } from 'react';
import { describeSkipped, siteOf } from '../lib/clip/images';
import { hasRemoteImages, readerDocument, safeHref } from '../lib/clip/reader-html';
import { allowRemoteImages, forbidRemoteImages, remoteImageSitesItem } from '../lib/ext/storage';
import type { Clip } from '../lib/notebook/types';
import { useKeptImages } from './images-context';
import { T } from './test-ids';
import { useT } from './i18n';
import { useStorageItem } from './use-storage-item';

/** A clean, script-free reading view of a clip inside the panel. */
export function ClipReader(props: { clip: Clip; onClose(): void }) {
  const t = useT();
  const c = props.clip.captured;
  const { kept, refs, loading } = useKeptImages(props.clip.id);
  const sites = useStorageItem(remoteImageSitesItem);
  const site = siteOf(c.url);
  const remote = !!site && !!sites?.includes(site);
  const notes = useMemo(() => {
    const n = describeSkipped(refs?.skipped ?? {}, t);
    if (refs?.removed) n.push(t('clipReader.imagesRemoved', { count: refs.removed }));
    return n;
  }, [refs, t]);
  const srcDoc = useMemo(() => readerDocument(c, window, { kept, remote }, notes), [c, kept, remote, notes]);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const original = safeHref(c.url);
  const missing = !loading && hasRemoteImages(c, kept);
  const waiting = sites === undefined || (loading && !!refs && Object.keys(refs.refs).length > 0);
  return (
    <section className="reader" aria-label={t('clipReader.readingTitle', { title: c.title })} data-testid={T.clipReader}>
      <div className="row wrap">
        <button type="button" ref={closeRef} onClick={props.onClose}>
          {t('clipReader.backToTheTopic')}
        </button>
        {original && (
          <a className="grow" href={original} target="_blank" rel="noopener noreferrer">
            {t('clipReader.openTheOriginalPage')}
          </a>
        )}
      </div>
      {site && (missing || remote) && (
        <p className="muted small" data-testid={T.remoteImagesNote}>
          {remote ? (
            <>
              {t('clipReader.remoteLoads', { host: new URL(site).host })}{' '}
              <button type="button" className="link-button" data-testid={T.hideRemoteImages} onClick={() => void forbidRemoteImages(site)}>
                {t('clipReader.stopLoading')}
              </button>
            </>
          ) : (
            <>
              {t('clipReader.notLoaded')}{' '}
              <button type="button" className="link-button" data-testid={T.showRemoteImages} onClick={() => void allowRemoteImages(site)}>
                {t('clipReader.showImages')}
              </button>
            </>
          )}
        </p>
      )}
      {/* Shown once the pictures and the site choice are read: a frame whose document changes reloads. */}
      {waiting ? (
        <p role="status">{t('clipReader.loadingPictures')}</p>
      ) : (
        /* No allow-scripts, no allow-same-origin: even a sanitiser bug could not run code here. */
        <iframe
          title={c.title}
          className="reader-frame"
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          srcDoc={srcDoc}
          data-testid={T.clipReaderFrame}
        />
      )}
    </section>
  );
}
