import { useContext, useMemo, useState } from 'react';
import { formatBytes, IMAGE_LIMITS, imageUsage, unreferenced } from '../lib/clip/images';
import { forbidRemoteImages, remoteImageSitesItem } from '../lib/ext/storage';
import { deleteImages, imageSizes } from '../lib/notebook/image-doc';
import { clipImageHashes, readClip, removeClipImages } from '../lib/notebook';
import { ConfirmDialog } from './ConfirmDialog';
import { ImagesContext, useImagesDoc } from './images-context';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';

/** How many clips the clean-up list shows. */
const LARGEST = 8;

/** Settings → Images: what the notebook's kept images take, the clips that take most, and their clean-up. */
export function ImageSettings() {
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
      <h2 id="image-settings-heading">Images in this notebook</h2>
      {!usage ? (
        <p role="status">Counting images…</p>
      ) : (
        <>
          <p>
            Images kept in this notebook take <strong>{formatBytes(usage.totalBytes)}</strong> ({usage.images} {usage.images === 1 ? 'image' : 'images'}) of at most{' '}
            {formatBytes(IMAGE_LIMITS.notebookBytes)}.
          </p>
          <p className="small muted">
            Clips keep their pictures (at most {IMAGE_LIMITS.perClip} per clip, made smaller) so you and your partners can read them offline. The same picture is kept
            once. Removing images frees space for everyone in this notebook; the clips keep their text.
          </p>
          {usage.clips.length > 0 && (
            <>
              <h3>Clips with the largest images</h3>
              <ul className="plain" aria-label="Clips with the largest images">
                {usage.clips.slice(0, LARGEST).map((c) => {
                  const title = readClip(access.doc, c.clipId)?.captured.title ?? 'A deleted clip';
                  return (
                    <li key={c.clipId} className="row wrap" data-testid={T.imageUsageClip}>
                      <span className="grow">
                        {title} — {formatBytes(c.bytes)}, {c.images} {c.images === 1 ? 'image' : 'images'}
                      </span>
                      <button type="button" data-testid={T.removeClipImages} aria-label={`Remove the images of ${title}`} onClick={() => setRemoving({ clipId: c.clipId, title, images: c.images })}>
                        Remove images
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
          <h3>Sites whose images load from the web</h3>
          <p className="small muted">Images that are not kept in a clip load from these sites when you read their clips, and the sites can see that you do.</p>
          <ul className="plain" aria-label="Sites whose images load from the web">
            {sites.map((site) => (
              <li key={site} className="row">
                <span className="grow">{site.replace(/^https?:\/\//, '')}</span>
                <button type="button" onClick={() => void forbidRemoteImages(site)} aria-label={`Stop loading images from ${site}`}>
                  Stop
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove the images of “${removing.title}”?`}
          body={`Its ${removing.images === 1 ? 'image is' : `${removing.images} images are`} removed for everyone in this notebook, on every computer. The clip keeps its text. This cannot be undone.`}
          confirmLabel="Remove images"
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
            setDone(`The images of “${r.title}” were removed.`);
          }}
        />
      )}
    </section>
  );
}
