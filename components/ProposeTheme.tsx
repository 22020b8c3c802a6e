import { useState } from 'react';
import type * as Y from 'yjs';
import { randomId } from '../lib/notebook/people';
import { proposePosterTheme } from '../lib/notebook';
import { proposeTheme } from '../lib/poster/draft';
import type { ThemeOrigin, ThemeQuote } from '../lib/poster/types';
import { useMe } from './me-context';
import { useT } from './i18n';

/**
 * "Propose as theme": turns a topic, a clip or words selected in a note into a poster theme
 * that the partners then vote on in the Poster tab. `getTitle` is read at the click, so a
 * selection is taken as it is at that moment.
 */
export function ProposeTheme(props: {
  doc: Y.Doc;
  label: string;
  getTitle(): string;
  from: ThemeOrigin;
  quotes?: ThemeQuote[];
  /** Said when `getTitle` gives nothing, e.g. "Select some words in the note first." */
  emptyMessage?: string;
  testId?: string;
  className?: string;
}) {
  const t = useT();
  const me = useMe();
  const [message, setMessage] = useState('');
  if (!me) return null;
  return (
    <span className="propose">
      <button
        type="button"
        className={props.className}
        data-testid={props.testId}
        // Keep the note's selection: a mouse-down here must not move focus out of the editor first.
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => {
          const title = props.getTitle().replace(/\s+/g, ' ').trim().slice(0, 300);
          if (!title) return setMessage(props.emptyMessage ?? t('proposeTheme.thereIsNothingTo'));
          proposePosterTheme(props.doc, proposeTheme({ id: randomId(), title, proposedBy: me.id, from: props.from, quotes: props.quotes }), { now: Date.now });
          setMessage(t('proposeTheme.proposedPAsA', { p0: title.length > 60 ? `${title.slice(0, 60)}…` : title }));
        }}
      >
        {props.label}
      </button>
      <span role="status" className="small muted propose-status">
        {message}
      </span>
    </span>
  );
}
