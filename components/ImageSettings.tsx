import { useContext, useMemo, useState } from 'react';
import { formatBytes, IMAGE_LIMITS, imageUsage, unreferenced } from '../lib/clip/images';
import { forbidRemoteImages, remoteImageSitesItem } from '../lib/ext/storage';
import { deleteImages, imageSizes } from '../lib/notebook/image-doc';
import { clipImageHashes, readClip, removeClipImages } from '../lib/notebook';
import { ConfirmDialog } from './ConfirmDialog';
import { ImagesContext, useImagesDoc } from './images-context';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';
import { fill, useT } from './i18n';

/** How many clips the clean-up list shows. */
const LARGEST = 8;

/** Settings → Images: what the notebook's kept images take, the clips that take most, and their clean-up. */
export function ImageSettings() {
  const t = useT();
  const access = useContext(ImagesContext);
  const { images, version } = useImagesDoc();
  const sites = useStorageItem(remoteImageSitesItem);
  const [removing, setRemoving] = useState<{ clipId: string; title: string; images: number } | null>(null);
  const [done, setDone] = useState('');
  const usage = useMemo(
    () => (access && images ? imageUsage(clipImageHashes(access.doc), imageSizes(images.doc)) : undefined),
    // `version` moves on every change of the images doc.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [access, images, version, done],
  );
  if (!access) return null;
  return (
    <section aria-labelledby="image-settings-heading" data-testid={T.imageUsage}>
      <h2 id="image-settings-heading">{t('imageSettings.heading')}</h2>
      {!usage ? (
        <p role="status">{t('imageSettings.counting')}</p>
      ) : (
        <>
          <p>
            {fill(t('imageSettings.usage', { count: usage.images, max: formatBytes(IMAGE_LIMITS.notebookBytes) }), {
              size: <strong>{formatBytes(usage.totalBytes)}</strong>,
            })}
          </p>
          <p className="small muted">{t('imageSettings.explain', { perClip: IMAGE_LIMITS.perClip })}</p>
          {usage.clips.length > 0 && (
            <>
              <h3>{t('imageSettings.largest')}</h3>
              <ul className="plain" aria-label={t('imageSettings.largest')}>
                {usage.clips.slice(0, LARGEST).map((c) => {
                  const title = readClip(access.doc, c.clipId)?.captured.title ?? t('imageSettings.deletedClip');
                  return (
                    <li key={c.clipId} className="row wrap" data-testid={T.imageUsageClip}>
                      <span className="grow">{t('imageSettings.clipLine', { title, size: formatBytes(c.bytes), count: c.images })}</span>
                      <button
                        type="button"
                        data-testid={T.removeClipImages}
                        aria-label={t('imageSettings.removeImagesOf', { title })}
                        onClick={() => setRemoving({ clipId: c.clipId, title, images: c.images })}
                      >
                        {t('imageSettings.removeImages')}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </>
      )}
      {done && (
        <p role="status" className="small">
          {done}
        </p>
      )}
      {sites && sites.length > 0 && (
        <>
          <h3>{t('imageSettings.sites')}</h3>
          <p className="small muted">{t('imageSettings.sitesExplain')}</p>
          <ul className="plain" aria-label={t('imageSettings.sites')}>
            {sites.map((site) => (
              <li key={site} className="row">
                <span className="grow">{site.replace(/^https?:\/\//, '')}</span>
                <button type="button" onClick={() => void forbidRemoteImages(site)} aria-label={t('imageSettings.stopFrom', { site })}>
                  {t('imageSettings.stop')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {removing && (
        <ConfirmDialog
          title={t('imageSettings.confirmTitle', { title: removing.title })}
          body={t('imageSettings.confirmBody', { count: removing.images })}
          confirmLabel={t('imageSettings.removeImages')}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const r = removing;
            setRemoving(null);
            if (!images) return;
            removeClipImages(access.doc, r.clipId);
            // Bytes no other clip shows are deleted (a picture two clips share stays for the other).
            const refs = clipImageHashes(access.doc);
            deleteImages(images.doc, unreferenced(refs, imageSizes(images.doc).keys()));
            setDone(t('imageSettings.removed', { title: r.title }));
          }}
        />
      )}
    </section>
  );
}
