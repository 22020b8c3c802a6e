import { useEffect, useMemo, useRef } from 'react';
import { readerDocument, safeHref } from '../lib/clip/reader-html';
import type { Clip } from '../lib/notebook/types';
import { T } from './test-ids';
import { useT } from './i18n';

/** A clean, script-free reading view of a clip inside the panel. */
export function ClipReader(props: { clip: Clip; onClose(): void }) {
  const t = useT();
  const c = props.clip.captured;
  const srcDoc = useMemo(() => readerDocument(c, window), [c]);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const original = safeHref(c.url);
  return (
    <section className="reader" aria-label={t('clipReader.readingTitle', { title: c.title })} data-testid={T.clipReader}>
      <div className="row wrap">
        <button type="button" ref={closeRef} onClick={props.onClose}>
          {t('clipReader.backToTheTopic')}</button>
        {original && (
          <a className="grow" href={original} target="_blank" rel="noopener noreferrer">
            {t('clipReader.openTheOriginalPage')}</a>
        )}
      </div>
      {/* No allow-scripts, no allow-same-origin: even a sanitiser bug could not run code here. */}
      <iframe title={c.title} className="reader-frame" sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={srcDoc} data-testid={T.clipReaderFrame} />
    </section>
  );
}
