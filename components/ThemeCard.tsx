import { useState } from 'react';
import type * as Y from 'yjs';
import { addThemePoint, removePosterTheme, removeThemePoint, removeThemeQuote, themePointTexts, themeTitleText, voteTheme } from '../lib/notebook';
import type { Clip, PartnerProfile } from '../lib/notebook/types';
import { inTextCitation } from '../lib/poster/cite';
import { themeAgreement } from '../lib/poster/draft';
import type { PosterTheme, ThemeVote } from '../lib/poster/types';
import { AddForm } from './AddForm';
import { ConfirmDialog } from './ConfirmDialog';
import type { Me } from './me-context';
import { PosterField } from './PosterField';
import { RemoveButton } from './RemoveButton';
import { T } from './test-ids';
import { useT } from './i18n';
import { list, t } from '../lib/i18n';

const nameOf = (partners: PartnerProfile[], id: string) => partners.find((p) => p.id === id)?.name || 'a partner';

/** The vote a person has on a theme, as themeAgreement counts it (proposing is agreeing). */
function voteOf(theme: PosterTheme, personId: string): ThemeVote | undefined {
  return theme.votes[personId] ?? (theme.proposedBy === personId ? 'agree' : undefined);
}

/** One-line agreement status: who is still missing, or who is not sure. */
export function agreementText(theme: PosterTheme, partners: PartnerProfile[]): string {
  const ids = partners.map((p) => p.id);
  const state = themeAgreement(theme, ids);
  if (state === 'agreed') return t('themeCard.everyoneAgreesThisTheme');
  const unsure = ids.filter((id) => voteOf(theme, id) === 'unsure').map((id) => nameOf(partners, id));
  if (state === 'disputed') return t('themeCard.notOnThePoster', { names: list(unsure), count: unsure.length });
  const waiting = ids.filter((id) => !voteOf(theme, id)).map((id) => nameOf(partners, id));
  return waiting.length ? t('themeCard.notOnThePoster2', { p0: waiting.join(', ') }) : t('themeCard.addPartnerProfilesOn');
}

/**
 * A proposed theme: its title and key points (co-edited), its quotes, and every partner's vote.
 * Each person votes for themselves. A partner who answered by email or in a call can have their
 * answer recorded by the other, and the poster tab then says who recorded it, so nobody mistakes
 * it for the partner's own click.
 */
export function ThemeCard(props: {
  doc: Y.Doc;
  theme: PosterTheme;
  partners: PartnerProfile[];
  clips: Clip[];
  me: Me | null;
  recorders: Record<string, string>;
}) {
  const t = useT();
  const { doc, theme, partners, me } = props;
  const [removing, setRemoving] = useState(false);
  const state = themeAgreement(
    theme,
    partners.map((p) => p.id),
  );
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
        {t('themeCard.theme', { title: theme.title || t('themeCard.untitled') })}
      </h3>
      <p className={`theme-status ${state}`} data-testid={T.themeStatus}>
        {state === 'agreed' ? '✓ ' : ''}
        {agreementText(theme, partners)}
      </p>
      <PosterField text={themeTitleText(doc, theme.id)} id={`theme-${theme.id}-title`} label={t('themeCard.theme2')} testId={T.themeTitle} maxLength={1000} />
      <p className="muted small">
        {theme.from
          ? t('themeCard.proposedByFrom', { name: nameOf(partners, theme.proposedBy), from: t(`themeCard.from.${theme.from.kind}`) })
          : t('themeCard.proposedBy', { name: nameOf(partners, theme.proposedBy) })}
      </p>

      <ul className="plain votes" aria-label={t('themeCard.votes')}>
        {partners.map((p) => {
          const self = p.id === me?.id;
          const v = voteOf(theme, p.id);
          const by = props.recorders[p.id];
          return (
            <li key={p.id} className="vote" style={{ borderLeftColor: p.color }}>
              <span className="vote-name">{self ? t('themeCard.nameYou', { name: p.name }) : p.name || t('themeCard.partner')}</span>{' '}
              <span className="muted">
                {v === 'agree' ? t('themeCard.agrees') : v === 'unsure' ? t('themeCard.isNotSure') : t('themeCard.hasNotAnsweredYet')}
                {by && by !== p.id ? t('themeCard.recordedByP', { p0: nameOf(partners, by) }) : ''}
              </span>
              {self ? (
                voteButtons(p, true)
              ) : (
                <details className="record-vote">
                  <summary data-testid={T.themeRecordFor}>{p.name ? t('themeCard.record', { name: p.name }) : t('themeCard.recordTheir')}</summary>
                  <p className="muted small">{t('themeCard.onlyIf', { name: p.name || t('themeCard.yourPartner') })}</p>
                  {voteButtons(p, false)}
                </details>
              )}
            </li>
          );
        })}
      </ul>

      <h4>{t('themeCard.keyPoints')}</h4>
      {points.length > 0 && (
        <ul className="plain points">
          {points.map((point, i) => (
            <li key={i} className="row">
              <div className="grow">
                <PosterField text={point} id={`theme-${theme.id}-point-${i}`} label={t('themeCard.keyPointP', { p0: i + 1 })} labelHidden maxLength={1000} />
              </div>
              <RemoveButton label={t('themeCard.removeKeyPointP', { p0: i + 1 })} onClick={() => removeThemePoint(doc, theme.id, point)} />
            </li>
          ))}
        </ul>
      )}
      <AddForm
        id={`theme-${theme.id}-new-point`}
        grow
        texts={{ label: t('themeCard.newKeyPoint'), placeholder: t('themeCard.addAKeyPoint'), button: t('themeCard.add') }}
        maxLength={1000}
        onAdd={(point) => addThemePoint(doc, theme.id, point)}
      />

      {theme.quotes.length > 0 && (
        <>
          <h4>{t('themeCard.quotes')}</h4>
          {theme.quotes.map((q, i) => {
            const clip = q.clipId ? props.clips.find((c) => c.id === q.clipId) : undefined;
            return (
              <div key={i} className="row theme-quote">
                <blockquote className="grow">
                  “{q.text}”
                  <footer className="muted small">
                    {clip ? inTextCitation(clip, 'text', q.pages) : q.source || (q.clipId ? t('themeCard.fromAClipThat') : '')}
                  </footer>
                </blockquote>
                <RemoveButton label={t('themeCard.removeQuoteP', { p0: i + 1 })} onClick={() => removeThemeQuote(doc, theme.id, i)} />
              </div>
            );
          })}
        </>
      )}
      <p className="muted small">{t('themeCard.addQuotesWithAdd')}</p>
      <button type="button" className="link-button danger-text" onClick={() => setRemoving(true)}>
        {t('themeCard.removeThisTheme')}
      </button>
      {removing && (
        <ConfirmDialog
          title={t('themeCard.removeTheThemeTitle', { title: theme.title })}
          body={t('themeCard.itIsRemovedFor')}
          confirmLabel={t('themeCard.removeTheme')}
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
