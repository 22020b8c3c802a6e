import { useState } from 'react';
import type * as Y from 'yjs';
import { addThemeQuote, citeClipInPoster } from '../lib/notebook';
import type { Clip } from '../lib/notebook/types';
import { pageLocator } from '../lib/poster/cite';
import { quoteFromClip } from '../lib/poster/draft';
import { ProposeTheme } from './ProposeTheme';
import { SelectField } from './SelectField';
import { T } from './test-ids';
import { usePoster } from './use-poster';
import { useT } from './i18n';

/** The poster actions of a clip card: propose it as a theme, or add its quote and citation to one. */
export function ClipPosterActions(props: { doc: Y.Doc; clip: Clip; passage?: { text: string; pages: string } }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const quote = quoteFromClip(props.clip, 300, props.passage);
  return (
    <>
      <ProposeTheme
        doc={props.doc}
        label={t('clipPosterActions.proposeAsTheme')}
        getTitle={() => props.clip.captured.title}
        from={{ kind: 'clip', id: props.clip.id }}
        quotes={quote.text ? [quote] : []}
        testId={T.clipProposeTheme}
      />
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid={T.clipAddToPoster}>
        {t('clipPosterActions.addToPoster')}
      </button>
      {open && <AddToPoster doc={props.doc} clip={props.clip} passage={props.passage} onDone={() => setOpen(false)} />}
    </>
  );
}

function AddToPoster(props: { doc: Y.Doc; clip: Clip; passage?: { text: string; pages: string }; onDone(): void }) {
  const t = useT();
  const { outline } = usePoster(props.doc);
  const themes = outline?.themes ?? [];
  const [themeId, setThemeId] = useState(themes[0]?.id ?? '');
  const [message, setMessage] = useState('');
  const quote = quoteFromClip(props.clip, 300, props.passage);
  return (
    <div className="clip-poster">
      <p className="small">
        {t('clipPosterActions.quote', { text: quote.text.slice(0, 160) })}
        {quote.text.length > 160 ? '…' : ''}”{quote.pages ? ` (${pageLocator(quote.pages)})` : ''}
      </p>
      {themes.length > 0 ? (
        <div className="row wrap">
          <SelectField
            id={`poster-theme-${props.clip.id}`}
            label={t('clipPosterActions.theme')}
            hideLabel
            className="grow"
            value={themeId}
            onChange={setThemeId}
            testId={T.clipPosterTheme}
            options={themes.map((th) => ({ value: th.id, label: th.title || t('clipPosterActions.untitledTheme') }))}
          />
          <button
            type="button"
            data-testid={T.clipPosterAdd}
            disabled={!quote.text}
            onClick={() => {
              try {
                addThemeQuote(props.doc, themeId || themes[0]!.id, quote);
                citeClipInPoster(props.doc, props.clip.id);
                setMessage(t('clipPosterActions.quoteAddedToThe'));
              } catch (e) {
                setMessage((e as Error).message);
              }
            }}
          >
            {t('clipPosterActions.addQuoteToTheme')}
          </button>
        </div>
      ) : (
        <p className="muted small">{t('clipPosterActions.noThemeYetPropose')}</p>
      )}
      <button
        type="button"
        className="link-button"
        data-testid={T.clipPosterCite}
        onClick={() => {
          citeClipInPoster(props.doc, props.clip.id);
          setMessage(t('clipPosterActions.addedToThePoster'));
        }}
      >
        {t('clipPosterActions.onlyAddToSources')}
      </button>
      <p role="status" className="small">
        {message}
      </p>
    </div>
  );
}
