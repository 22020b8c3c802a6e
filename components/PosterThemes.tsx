import type * as Y from 'yjs';
import { randomId } from '../lib/notebook/people';
import { proposePosterTheme } from '../lib/notebook';
import type { Clip, PartnerProfile } from '../lib/notebook/types';
import { proposeTheme, themeAgreement } from '../lib/poster/draft';
import type { PosterTheme } from '../lib/poster/types';
import { AddForm } from './AddForm';
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
      <AddForm
        id="propose-theme"
        className="row propose-theme"
        grow
        texts={{ label: t('posterThemes.proposeATheme'), placeholder: t('posterThemes.proposeAThemeE'), button: t('posterThemes.propose') }}
        maxLength={1000}
        testIds={{ input: T.proposeThemeInput, button: T.proposeThemeButton }}
        onAdd={(title) => {
          if (!me) return false;
          proposePosterTheme(props.doc, proposeTheme({ id: randomId(), title, proposedBy: me.id }), { now: Date.now });
        }}
      />
    </>
  );
}
