import type { ReactNode } from 'react';
import { T } from './test-ids';
import { useT } from './i18n';

/** One section of the poster outline: a heading, the fields, and "Re-draft this section" where it was drafted. */
export function PosterSection(props: { id: string; heading: string; intro?: string; onRedraft?(): void; children: ReactNode }) {
  const t = useT();
  const headingId = `poster-${props.id}-heading`;
  return (
    <section className="poster-section" aria-labelledby={headingId} data-testid={T.posterSection} data-section={props.id}>
      <div className="row poster-section-head">
        <h2 id={headingId} className="grow">
          {props.heading}
        </h2>
        {props.onRedraft && (
          <button
            type="button"
            className="small-button"
            onClick={props.onRedraft}
            data-testid={T.posterRedraft}
            aria-label={t('posterSection.reDraftThisSection', { heading: props.heading })}
          >
            {t('posterSection.reDraftThisSection2')}
          </button>
        )}
      </div>
      {props.intro && <p className="muted small">{props.intro}</p>}
      {props.children}
    </section>
  );
}
