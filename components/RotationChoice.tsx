import type { RotationChoice as Choice } from '../lib/sync/keys/rotation';
import { currentLocale } from '../lib/i18n';
import { T } from './test-ids';
import { fill, useT } from './i18n';

const when = (at: number) => (at ? new Date(at).toLocaleString(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }) : '');

/**
 * Two new invites compete for this notebook (two partners made one at the same time, or someone
 * who held the old invite made their own), or one was removed. The panel does not guess: it shows
 * who made each (name and fingerprint words, to compare on a call) and who each keeps.
 */
export function RotationChoice(props: { choice: Choice; onChoose(key: string): void; onLater(): void }) {
  const t = useT();
  const { choice } = props;
  return (
    <section className="card alert" role="region" aria-labelledby="rotation-choice-h" data-testid={T.rotationChoice}>
      <h2 id="rotation-choice-h">{t('rotationChoice.whichNewInviteShould')}</h2>
      {choice.options.length > 1 && <p>{t('rotationChoice.moreThanOneNew')}</p>}
      {choice.removed.map((r) => (
        <p key={r.keyId} data-testid={T.rotationRemoved}>
          {t('rotationChoice.someoneRemovedOrDamaged', { name: r.name ?? t('rotationChoice.aPartner'), words: r.words })}
        </p>
      ))}
      {choice.options.length === 0 && <p>{t('rotationChoice.askYourPartnersTo')}</p>}
      <ul className="plain">
        {choice.options.map((o) => (
          <li key={o.key} className="card" data-testid={T.rotationOption}>
            <p>
              {fill(when(o.at) ? t('rotationChoice.madeByOn', { when: when(o.at) }) : t('rotationChoice.madeBy'), {
                name: <strong>{o.by.name || t('rotationChoice.someoneWithoutAName')}</strong>,
              })}
              <br />
              <span className="small">
                {t('rotationChoice.keyWords2')} <span data-testid={T.fingerprint}>{o.by.words}</span>
              </span>
            </p>
            <p className="small">
              {t('rotationChoice.keeps')} {o.members.map((m) => `${m.name || t('rotationChoice.noName')} (${m.words})`).join(', ')}
            </p>
            <button type="button" onClick={() => props.onChoose(o.key)} data-testid={T.rotationFollow}>
              {t('rotationChoice.followTheInviteMade', { name: o.by.name || t('rotationChoice.thisPerson') })}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={props.onLater}>
        {t('rotationChoice.decideLater')}
      </button>
    </section>
  );
}
