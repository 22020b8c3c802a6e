import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import {
  CONTACT_FIELDS,
  initPoster,
  noteText,
  posterText,
  redraftPosterSection,
  readPosterText,
  type ContactField,
  type DraftedSection,
  type PosterTextField,
} from '../lib/notebook';
import { draftOutline } from '../lib/poster/draft';
import { outlineForPartners } from '../lib/poster/for-partners';
import { sectionHeading } from '../lib/poster/model';
import type { PosterContext, PosterOutline, PosterSize } from '../lib/poster/types';
import { ConfirmDialog } from './ConfirmDialog';
import { PosterComparisonTable } from './PosterComparisonTable';
import { PosterExport } from './PosterExport';
import { PosterField } from './PosterField';
import { PosterPreview } from './PosterPreview';
import { PosterSection } from './PosterSection';
import { PosterSources } from './PosterSources';
import { PosterThemes } from './PosterThemes';
import { T } from './test-ids';
import { usePoster } from './use-poster';
import { useT } from './i18n';
import { t, type MessageKey, currentLocale } from '../lib/i18n';

const CONTACT_LABELS: Record<ContactField, MessageKey> = {
  name: 'posterPage.contactName',
  library: 'posterPage.contactLibrary',
  email: 'posterPage.contactEmail',
  website: 'posterPage.contactWebsite',
  social: 'posterPage.socialLinksOnePer',
};
/** The comparison section's texts under its table. */
const COMPARISON_FIELDS: { field: PosterTextField; id: string; label: MessageKey; hint?: MessageKey }[] = [
  { field: 'comparison.different', id: 'poster-different', label: 'posterPage.whatIsVeryDifferent' },
  { field: 'comparison.similar', id: 'poster-similar', label: 'posterPage.whatIsSimilar' },
  {
    field: 'comparison.culturalExpectations',
    id: 'poster-cultural',
    label: 'posterPage.culturalExpectationsOfLibraries',
    hint: 'posterPage.whatPeopleExpectOf',
  },
];
/** A drafted section's name, in the UI language. */
const sectionName = (s: DraftedSection) => (s === 'heading' ? t('posterPage.titleAndSubtitle') : sectionHeading(s, t));

/** A fresh draft of the whole outline from the notebook as it is now. */
function draftNow(doc: Y.Doc, snap: NotebookSnapshot): PosterOutline {
  const notes: Record<string, string> = {};
  for (const t of snap.topics) notes[t.id] = noteText(doc, t.id);
  return draftOutline({ info: snap.info, partners: snap.partners, topics: snap.topics, clips: snap.clips, notes, now: Date.now() });
}

/** Texts a re-draft would replace, to ask before replacing partners' words. */
function sectionHasWords(doc: Y.Doc, outline: PosterOutline, section: DraftedSection): boolean {
  const t = (f: Parameters<typeof readPosterText>[1]) => readPosterText(doc, f).trim() !== '';
  switch (section) {
    case 'heading':
      return t('title') || t('subtitle');
    case 'libraries':
      return outline.libraries.some((l) => l.text.trim());
    case 'comparison':
      return t('comparison.different') || t('comparison.similar') || outline.comparison.table.some((r) => Object.values(r.values).some((v) => v.trim()));
    case 'contacts':
      return outline.contacts.length > 0;
    default:
      return t(section);
  }
}

/**
 * The Poster tab: the outline the partners finish together, section by section in the
 * programme's order, the themes they vote on, a live preview, and the exports.
 */
export function PosterPage(props: { doc: Y.Doc; snap: NotebookSnapshot }) {
  const t = useT();
  const { doc, snap } = props;
  const poster = usePoster(doc);
  const [size, setSize] = useState<PosterSize>('48x36in-landscape');
  const [message, setMessage] = useState('');
  const [confirm, setConfirm] = useState<DraftedSection | null>(null);
  const outline = useMemo(() => (poster.outline ? outlineForPartners(poster.outline, snap.partners) : undefined), [poster.outline, snap.partners]);
  const ctx: PosterContext = useMemo(() => ({ partners: snap.partners, clips: snap.clips, info: snap.info }), [snap.partners, snap.clips, snap.info]);

  function draft() {
    const filled = initPoster(doc, draftNow(doc, snap));
    setMessage(
      filled.length ? t('posterPage.draftedFromTheNotebook', { p0: filled.map((s) => sectionName(s)).join(', ') }) : t('posterPage.nothingNewToDraft'),
    );
  }
  function redraft(section: DraftedSection) {
    const changed = redraftPosterSection(doc, draftNow(doc, snap), section);
    setMessage(changed ? t('posterPage.pReDraftedFrom', { p0: sectionName(section) }) : t('posterPage.pAlreadyMatchesThe', { p0: sectionName(section) }));
  }
  const askRedraft = (section: DraftedSection) => () => (outline && sectionHasWords(doc, outline, section) ? setConfirm(section) : redraft(section));
  /** A section that is one text, named by the section's own heading. */
  const textSection = (key: 'howWeWorked' | 'topicsDiscussed' | 'difficultiesAndFuture', fieldId: string, onRedraft?: () => void, hint?: string) => (
    <PosterSection id={key} heading={sectionHeading(key, t)} onRedraft={onRedraft}>
      <PosterField text={posterText(doc, key)} id={fieldId} label={sectionHeading(key, t)} hint={hint} labelHidden multiline rows={4} />
    </PosterSection>
  );
  const nameOf = (id: string) => snap.partners.find((p) => p.id === id)?.name || 'Partner';

  return (
    <section aria-labelledby="poster-heading" className="poster-page">
      <h1 id="poster-heading" tabIndex={-1}>
        {t('posterPage.poster')}
      </h1>
      <p className="muted">
        {t('posterPage.theJointPosterThe')}
        {snap.info.posterDeadline !== undefined && (
          <>
            {' '}
            {t('posterPage.deadline')}{' '}
            {new Date(snap.info.posterDeadline).toLocaleDateString(currentLocale(), { day: 'numeric', month: 'long', year: 'numeric' })}.
          </>
        )}
      </p>
      <div className="row wrap">
        <button type="button" className={outline ? undefined : 'primary'} onClick={draft} data-testid={T.posterDraft}>
          {outline ? t('posterPage.draftEmptyPartsFrom') : t('posterPage.draftThePoster')}
        </button>
        {outline && (
          <a href="#poster-export" className="small">
            {t('posterPage.previewAndExport')}
          </a>
        )}
      </div>
      <p role="status" className="small" data-testid={T.posterDraftStatus}>
        {message}
      </p>
      {snap.partners.length < 2 && <p className="alert">{t('posterPage.thePosterIsDrafted')}</p>}
      {!outline ? (
        <p className="muted">{t('posterPage.nothingDraftedYetDrafting')}</p>
      ) : (
        <>
          <PosterSection id="heading" heading={t('posterPage.titleAndSubtitle2')} onRedraft={askRedraft('heading')}>
            <PosterField text={posterText(doc, 'title')} id="poster-title" label={t('posterPage.title')} testId={T.posterTitle} maxLength={1000} />
            <PosterField
              text={posterText(doc, 'subtitle')}
              id="poster-subtitle"
              label={t('posterPage.subtitle')}
              hint={t('posterPage.yourNamesAndThe')}
              maxLength={1000}
            />
          </PosterSection>

          <PosterSection id="libraries" heading={sectionHeading('libraries', t)} intro={t('posterPage.whereEachOfYou')} onRedraft={askRedraft('libraries')}>
            {outline.libraries.map((l) => (
              <PosterField
                key={l.partnerId}
                text={posterText(doc, `library:${l.partnerId}`)}
                id={`poster-lib-${l.partnerId}`}
                label={nameOf(l.partnerId)}
                multiline
                rows={4}
              />
            ))}
          </PosterSection>

          <PosterSection id="comparison" heading={sectionHeading('comparison', t)} onRedraft={askRedraft('comparison')}>
            <PosterComparisonTable
              doc={doc}
              rows={poster.table}
              partners={outline.libraries.map((l) => snap.partners.find((p) => p.id === l.partnerId)!).filter(Boolean)}
            />
            {COMPARISON_FIELDS.map((f) => (
              <PosterField key={f.id} text={posterText(doc, f.field)} id={f.id} label={t(f.label)} hint={f.hint && t(f.hint)} multiline rows={3} />
            ))}
          </PosterSection>

          <PosterSection id="viewChanged" heading={sectionHeading('viewChanged', t)}>
            <PosterField
              text={posterText(doc, 'viewChanged')}
              id="poster-view-changed"
              label={t('posterPage.inYourOwnWords')}
              hint={t('posterPage.newPracticesOrIdeas')}
              multiline
              rows={5}
              labelHidden
            />
          </PosterSection>

          <PosterSection id="themes" heading={sectionHeading('themes', t)} intro={t('posterPage.proposeThemesThenEach')}>
            <PosterThemes doc={doc} themes={outline.themes} partners={snap.partners} clips={snap.clips} recorders={poster.recorders} />
          </PosterSection>

          {textSection('howWeWorked', 'poster-how', askRedraft('howWeWorked'))}

          {textSection('topicsDiscussed', 'poster-topics', askRedraft('topicsDiscussed'))}

          {textSection('difficultiesAndFuture', 'poster-difficulties', undefined, t('posterPage.whatWasHardAnd'))}

          <PosterSection id="sources" heading={sectionHeading('sources', t)} intro={t('posterPage.citedInApaStyle')}>
            <PosterSources doc={doc} outline={outline} clips={snap.clips} />
          </PosterSection>

          <PosterSection id="contacts" heading={sectionHeading('contacts', t)} onRedraft={askRedraft('contacts')}>
            {outline.contacts.length === 0 && <p className="muted">{t('posterPage.draftedFromEachPartner')}</p>}
            {outline.contacts.map((c) => (
              <fieldset key={c.partnerId}>
                <legend>{nameOf(c.partnerId)}</legend>
                {CONTACT_FIELDS.map((f) => (
                  <PosterField
                    key={f}
                    text={posterText(doc, `contact:${c.partnerId}:${f}`)}
                    id={`poster-contact-${c.partnerId}-${f}`}
                    label={t(CONTACT_LABELS[f])}
                    multiline={f === 'social'}
                    rows={2}
                    maxLength={1000}
                  />
                ))}
              </fieldset>
            ))}
          </PosterSection>

          <section id="poster-export" aria-labelledby="poster-export-heading" className="poster-section">
            <h2 id="poster-export-heading">{t('posterPage.previewAndExport2')}</h2>
            <PosterExport outline={outline} ctx={ctx} size={size} onSize={setSize} />
            <PosterPreview outline={outline} ctx={ctx} size={size} />
          </section>
        </>
      )}
      {confirm && (
        <ConfirmDialog
          title={t('posterPage.reDraftP', { p0: sectionName(confirm) })}
          body={t('posterPage.theDraftedPartsOf')}
          confirmLabel="Re-draft"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            redraft(confirm);
            setConfirm(null);
          }}
        />
      )}
    </section>
  );
}
