import { useState } from 'react';
import type * as Y from 'yjs';
import { randomId } from '../lib/notebook/people';
import { proposePosterTheme } from '../lib/notebook';
import type { Clip, PartnerProfile } from '../lib/notebook/types';
import { proposeTheme, themeAgreement } from '../lib/poster/draft';
import type { PosterTheme } from '../lib/poster/types';
import { useMe } from './me-context';
import { T } from './test-ids';
import { ThemeCard } from './ThemeCard';
import { useT } from './i18n';

/** "Themes we chose together": every proposal with its votes, and a form to propose one. */
export function PosterThemes(props: {
  doc: Y.Doc;
  themes: PosterTheme[];
  partners: PartnerProfile[];
  clips: Clip[];
  recorders: Record<string, Record<string, string>>;
}) {
  const t = useT();
  const me = useMe();
  const [title, setTitle] = useState('');
  const agreed = props.themes.filter(
    (t) =>
      themeAgreement(
        t,
        props.partners.map((p) => p.id),
      ) === 'agreed',
  ).length;
  return (
    <>
      <p className="muted small" data-testid={T.themeSummary}>
        {props.themes.length === 0 ? t('posterThemes.noThemeProposedYet') : t('posterThemes.agreedOfLengthP', { agreed, count: props.themes.length })}
      </p>
      {props.themes.map((t) => (
        <ThemeCard key={t.id} doc={props.doc} theme={t} partners={props.partners} clips={props.clips} me={me} recorders={props.recorders[t.id] ?? {}} />
      ))}
      <form
        className="row propose-theme"
        onSubmit={(e) => {
          e.preventDefault();
          if (!title.trim() || !me) return;
          proposePosterTheme(props.doc, proposeTheme({ id: randomId(), title: title.trim(), proposedBy: me.id }), { now: Date.now });
          setTitle('');
        }}
      >
        <label htmlFor="propose-theme" className="sr-only">
          {t('posterThemes.proposeATheme')}
        </label>
        <input
          id="propose-theme"
          className="grow"
          placeholder={t('posterThemes.proposeAThemeE')}
          value={title}
          maxLength={1000}
          onChange={(e) => setTitle(e.target.value)}
          data-testid={T.proposeThemeInput}
        />
        <button type="submit" data-testid={T.proposeThemeButton}>
          {t('posterThemes.propose')}
        </button>
      </form>
    </>
  );
}
