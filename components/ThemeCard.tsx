import { useState } from 'react';
import type * as Y from 'yjs';
import { addThemePoint, removePosterTheme, removeThemePoint, removeThemeQuote, themePointTexts, themeTitleText, voteTheme } from '../lib/notebook';
import type { Clip, PartnerProfile } from '../lib/notebook/types';
import { inTextCitation } from '../lib/poster/cite';
import { themeAgreement } from '../lib/poster/draft';
import type { PosterTheme, ThemeVote } from '../lib/poster/types';
import { ConfirmDialog } from './ConfirmDialog';
import type { Me } from './me-context';
import { PosterField } from './PosterField';
import { T } from './test-ids';

const nameOf = (partners: PartnerProfile[], id: string) => partners.find((p) => p.id === id)?.name || 'a partner';

/** The vote a person has on a theme, as themeAgreement counts it (proposing is agreeing). */
function voteOf(theme: PosterTheme, personId: string): ThemeVote | undefined {
  return theme.votes[personId] ?? (theme.proposedBy === personId ? 'agree' : undefined);
}

/** One-line agreement status: who is still missing, or who is not sure. */
export function agreementText(theme: PosterTheme, partners: PartnerProfile[]): string {
  const ids = partners.map((p) => p.id);
  const state = themeAgreement(theme, ids);
  if (state === 'agreed') return 'Everyone agrees: this theme is on the poster.';
  const unsure = ids.filter((id) => voteOf(theme, id) === 'unsure').map((id) => nameOf(partners, id));
  if (state === 'disputed') return `Not on the poster: ${unsure.join(', ')} ${unsure.length === 1 ? 'is' : 'are'} not sure yet.`;
  const waiting = ids.filter((id) => !voteOf(theme, id)).map((id) => nameOf(partners, id));
  return waiting.length ? `Not on the poster yet: waiting for ${waiting.join(', ')}.` : 'Add partner profiles on “Our libraries” so they can agree.';
}

/**
 * A proposed theme: its title and key points (co-edited), its quotes, and every partner's vote.
 * Each person votes for themselves. A partner who answered by email or in a call can have their
 * answer recorded by the other, and the poster tab then says who recorded it, so nobody mistakes
 * it for the partner's own click.
 */
export function ThemeCard(props: { doc: Y.Doc; theme: PosterTheme; partners: PartnerProfile[]; clips: Clip[]; me: Me | null; recorders: Record<string, string> }) {
  const { doc, theme, partners, me } = props;
  const [point, setPoint] = useState('');
  const [removing, setRemoving] = useState(false);
  const state = themeAgreement(theme, partners.map((p) => p.id));
  const points = themePointTexts(doc, theme.id);
  const headingId = `theme-${theme.id}-h`;
  const voteButtons = (person: PartnerProfile, self: boolean) => {
    const v = voteOf(theme, person.id);
    const cast = (vote: ThemeVote) => voteTheme(doc, theme.id, person.id, vote, me?.id ?? person.id);
    const first = self ? 'I agree' : `${person.name || 'Partner'} agrees`;
    const second = self ? 'I’m not sure' : `${person.name || 'Partner'} is not sure`;
    return (
      <div className="row wrap vote-buttons">
        <button type="button" aria-pressed={v === 'agree'} onClick={() => cast('agree')} data-testid={self ? T.themeAgree : T.themeRecordAgree}>
          {first}
        </button>
        <button type="button" aria-pressed={v === 'unsure'} onClick={() => cast('unsure')} data-testid={self ? T.themeUnsure : T.themeRecordUnsure}>
          {second}
        </button>
      </div>
    );
  };
  return (
    <article className={`card theme theme-${state}`} data-testid={T.posterTheme} aria-labelledby={headingId}>
      <h3 id={headingId} className="sr-only">
        Theme: {theme.title || 'untitled'}
      </h3>
      <p className={`theme-status ${state}`} data-testid={T.themeStatus}>
        {state === 'agreed' ? '✓ ' : ''}
        {agreementText(theme, partners)}
      </p>
      <PosterField text={themeTitleText(doc, theme.id)} id={`theme-${theme.id}-title`} label="Theme" testId={T.themeTitle} maxLength={1000} />
      <p className="muted small">Proposed by {nameOf(partners, theme.proposedBy)}{theme.from ? ` from a ${theme.from.kind === 'note' ? 'note' : theme.from.kind}` : ''}.</p>

      <ul className="plain votes" aria-label="Votes">
        {partners.map((p) => {
          const self = p.id === me?.id;
          const v = voteOf(theme, p.id);
          const by = props.recorders[p.id];
          return (
            <li key={p.id} className="vote" style={{ borderLeftColor: p.color }}>
              <span className="vote-name">{self ? `${p.name} (you)` : p.name || 'Partner'}</span>{' '}
              <span className="muted">
                {v === 'agree' ? 'agrees' : v === 'unsure' ? 'is not sure' : 'has not answered yet'}
                {by && by !== p.id ? ` · recorded by ${nameOf(partners, by)}` : ''}
              </span>
              {self ? (
                voteButtons(p, true)
              ) : (
                <details className="record-vote">
                  <summary data-testid={T.themeRecordFor}>Record {p.name || 'their'}’s answer…</summary>
                  <p className="muted small">Only if {p.name || 'your partner'} told you (by email, in a call or chat). The poster tab will show that you recorded it; {p.name || 'they'} can change it in their own panel.</p>
                  {voteButtons(p, false)}
                </details>
              )}
            </li>
          );
        })}
      </ul>

      <h4>Key points</h4>
      {points.length > 0 && (
        <ul className="plain points">
          {points.map((t, i) => (
            <li key={i} className="row">
              <div className="grow">
                <PosterField text={t} id={`theme-${theme.id}-point-${i}`} label={`Key point ${i + 1}`} labelHidden maxLength={1000} />
              </div>
              <button type="button" className="icon-button" aria-label={`Remove key point ${i + 1}`} onClick={() => removeThemePoint(doc, theme.id, t)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!point.trim()) return;
          addThemePoint(doc, theme.id, point.trim());
          setPoint('');
        }}
      >
        <label htmlFor={`theme-${theme.id}-new-point`} className="sr-only">
          New key point
        </label>
        <input id={`theme-${theme.id}-new-point`} className="grow" placeholder="Add a key point" value={point} maxLength={1000} onChange={(e) => setPoint(e.target.value)} />
        <button type="submit">Add</button>
      </form>

      {theme.quotes.length > 0 && (
        <>
          <h4>Quotes</h4>
          {theme.quotes.map((q, i) => {
            const clip = q.clipId ? props.clips.find((c) => c.id === q.clipId) : undefined;
            return (
              <div key={i} className="row theme-quote">
                <blockquote className="grow">
                  “{q.text}”
                  <footer className="muted small">{clip ? inTextCitation(clip, 'text', q.pages) : q.source || (q.clipId ? 'from a clip that was deleted' : '')}</footer>
                </blockquote>
                <button type="button" className="icon-button" aria-label={`Remove quote ${i + 1}`} onClick={() => removeThemeQuote(doc, theme.id, i)}>
                  ×
                </button>
              </div>
            );
          })}
        </>
      )}
      <p className="muted small">Add quotes with “Add to poster” on a clip.</p>
      <button type="button" className="link-button danger-text" onClick={() => setRemoving(true)}>
        Remove this theme
      </button>
      {removing && (
        <ConfirmDialog
          title={`Remove the theme “${theme.title}”?`}
          body="It is removed for every partner, with its key points, quotes and votes."
          confirmLabel="Remove theme"
          danger
          onCancel={() => setRemoving(false)}
          onConfirm={() => {
            removePosterTheme(doc, theme.id);
            setRemoving(false);
          }}
        />
      )}
    </article>
  );
}
