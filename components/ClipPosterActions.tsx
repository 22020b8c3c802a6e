import { useState } from 'react';
import type * as Y from 'yjs';
import { addThemeQuote, citeClipInPoster } from '../lib/notebook';
import type { Clip } from '../lib/notebook/types';
import { pageLocator } from '../lib/poster/cite';
import { quoteFromClip } from '../lib/poster/draft';
import { ProposeTheme } from './ProposeTheme';
import { T } from './test-ids';
import { usePoster } from './use-poster';

/** The poster actions of a clip card: propose it as a theme, or add its quote and citation to one. */
export function ClipPosterActions(props: { doc: Y.Doc; clip: Clip; passage?: { text: string; pages: string } }) {
  const [open, setOpen] = useState(false);
  const quote = quoteFromClip(props.clip, 300, props.passage);
  return (
    <>
      <ProposeTheme doc={props.doc} label="Propose as theme" getTitle={() => props.clip.captured.title} from={{ kind: 'clip', id: props.clip.id }} quotes={quote.text ? [quote] : []} testId={T.clipProposeTheme} />
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid={T.clipAddToPoster}>
        Add to poster…
      </button>
      {open && <AddToPoster doc={props.doc} clip={props.clip} passage={props.passage} onDone={() => setOpen(false)} />}
    </>
  );
}

function AddToPoster(props: { doc: Y.Doc; clip: Clip; passage?: { text: string; pages: string }; onDone(): void }) {
  const { outline } = usePoster(props.doc);
  const themes = outline?.themes ?? [];
  const [themeId, setThemeId] = useState(themes[0]?.id ?? '');
  const [message, setMessage] = useState('');
  const quote = quoteFromClip(props.clip, 300, props.passage);
  const selectId = `poster-theme-${props.clip.id}`;
  return (
    <div className="clip-poster">
      <p className="small">
        Quote: “{quote.text.slice(0, 160)}
        {quote.text.length > 160 ? '…' : ''}”{quote.pages ? ` (${pageLocator(quote.pages)})` : ''}
      </p>
      {themes.length > 0 ? (
        <div className="row wrap">
          <label htmlFor={selectId} className="sr-only">
            Theme
          </label>
          <select id={selectId} value={themeId} onChange={(e) => setThemeId(e.target.value)} data-testid={T.clipPosterTheme} className="grow">
            {themes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title || 'Untitled theme'}
              </option>
            ))}
          </select>
          <button
            type="button"
            data-testid={T.clipPosterAdd}
            disabled={!quote.text}
            onClick={() => {
              try {
                addThemeQuote(props.doc, themeId || themes[0]!.id, quote);
                citeClipInPoster(props.doc, props.clip.id);
                setMessage('Quote added to the theme, and the clip to Sources.');
              } catch (e) {
                setMessage((e as Error).message);
              }
            }}
          >
            Add quote to theme
          </button>
        </div>
      ) : (
        <p className="muted small">No theme yet: “Propose as theme” makes this clip one, with its quote.</p>
      )}
      <button
        type="button"
        className="link-button"
        data-testid={T.clipPosterCite}
        onClick={() => {
          citeClipInPoster(props.doc, props.clip.id);
          setMessage('Added to the poster’s Sources.');
        }}
      >
        Only add to Sources
      </button>
      <p role="status" className="small">
        {message}
      </p>
    </div>
  );
}
