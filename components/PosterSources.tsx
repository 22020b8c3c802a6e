import type * as Y from 'yjs';
import { posterText, unciteClipInPoster } from '../lib/notebook';
import type { Clip } from '../lib/notebook/types';
import { sourcesList } from '../lib/poster/cite';
import type { PosterOutline } from '../lib/poster/types';
import { PosterField } from './PosterField';
import { T } from './test-ids';
import { useT } from './i18n';

/**
 * Sources as the poster will print them (APA 7, alphabetical): clips quoted in agreed themes,
 * clips added with "Add to poster", and references typed by hand.
 */
export function PosterSources(props: { doc: Y.Doc; outline: PosterOutline; clips: Clip[] }) {
  const t = useT();
  const entries = sourcesList(props.outline, props.clips).filter((s) => s.clipId);
  const explicit = new Set(props.outline.sources.clipIds);
  return (
    <>
      {entries.length === 0 ? (
        <p className="muted">{t('posterSources.noClipCitedYet')}</p>
      ) : (
        <ul className="plain sources" data-testid={T.posterSources}>
          {entries.map((s) => (
            <li key={s.clipId} className="row">
              <span className="grow">{s.parts.map((p, i) => (p.italic ? <i key={i}>{p.text}</i> : <span key={i}>{p.text}</span>))}</span>
              {explicit.has(s.clipId!) ? (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('posterSources.removeFromSourcesText', { text: s.text })}
                  onClick={() => unciteClipInPoster(props.doc, s.clipId!)}
                >
                  ×
                </button>
              ) : (
                <span className="muted small">{t('posterSources.quoted')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <PosterField
        text={posterText(props.doc, 'sources.extra')}
        id="poster-sources-extra"
        label={t('posterSources.otherReferences')}
        hint={t('posterSources.onePerLineWritten')}
        multiline
        rows={3}
      />
    </>
  );
}
