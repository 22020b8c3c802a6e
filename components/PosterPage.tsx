import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { CONTACT_FIELDS, initPoster, noteText, posterText, redraftPosterSection, readPosterText, type ContactField, type DraftedSection } from '../lib/notebook';
import { draftOutline } from '../lib/poster/draft';
import { outlineForPartners } from '../lib/poster/for-partners';
import { SECTION_HEADINGS } from '../lib/poster/model';
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

const CONTACT_LABELS: Record<ContactField, string> = { name: 'Name', library: 'Library', email: 'Email', website: 'Website', social: 'Social links (one per line)' };
const SECTION_NAMES: Record<DraftedSection, string> = {
  heading: 'Title and subtitle',
  libraries: SECTION_HEADINGS.libraries,
  comparison: SECTION_HEADINGS.comparison,
  howWeWorked: SECTION_HEADINGS.howWeWorked,
  topicsDiscussed: SECTION_HEADINGS.topicsDiscussed,
  contacts: SECTION_HEADINGS.contacts,
};

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
      filled.length
        ? `Drafted from the notebook: ${filled.map((s) => SECTION_NAMES[s]).join(', ')}. What you had already written was kept.`
        : 'Nothing new to draft: every drafted part already has words. Use “Re-draft this section” to start a section again.',
    );
  }
  function redraft(section: DraftedSection) {
    const changed = redraftPosterSection(doc, draftNow(doc, snap), section);
    setMessage(changed ? `“${SECTION_NAMES[section]}” re-drafted from the notebook.` : `“${SECTION_NAMES[section]}” already matches the notebook.`);
  }
  const askRedraft = (section: DraftedSection) => () => (outline && sectionHasWords(doc, outline, section) ? setConfirm(section) : redraft(section));
  const nameOf = (id: string) => snap.partners.find((p) => p.id === id)?.name || 'Partner';

  return (
    <section aria-labelledby="poster-heading" className="poster-page">
      <h1 id="poster-heading" tabIndex={-1}>
        Poster
      </h1>
      <p className="muted">
        The joint poster the programme asks for. Draft it from your notebook, finish it together (you can both type at once), agree on the themes, then download the PDF.
        {snap.info.posterDeadline !== undefined && <> Deadline: {new Date(snap.info.posterDeadline).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}.</>}
      </p>
      <div className="row wrap">
        <button type="button" className={outline ? undefined : 'primary'} onClick={draft} data-testid={T.posterDraft}>
          {outline ? 'Draft empty parts from the notebook' : 'Draft the poster'}
        </button>
        {outline && (
          <a href="#poster-export" className="small">
            Preview and export ↓
          </a>
        )}
      </div>
      <p role="status" className="small" data-testid={T.posterDraftStatus}>
        {message}
      </p>
      {snap.partners.length < 2 && (
        <p className="alert">The poster is drafted from every partner’s library. Add your partner’s library on “Our libraries” first (or now, and draft again).</p>
      )}
      {!outline ? (
        <p className="muted">Nothing drafted yet. Drafting writes only into empty parts: it never replaces what a partner wrote.</p>
      ) : (
        <>
          <PosterSection id="heading" heading="Title and subtitle" onRedraft={askRedraft('heading')}>
            <PosterField text={posterText(doc, 'title')} id="poster-title" label="Title" testId={T.posterTitle} maxLength={1000} />
            <PosterField text={posterText(doc, 'subtitle')} id="poster-subtitle" label="Subtitle" hint="Your names and the programme, for example." maxLength={1000} />
          </PosterSection>

          <PosterSection id="libraries" heading={SECTION_HEADINGS.libraries} intro="Where each of you comes from, what kind of library, and its figures." onRedraft={askRedraft('libraries')}>
            {outline.libraries.map((l) => (
              <PosterField key={l.partnerId} text={posterText(doc, `library:${l.partnerId}`)} id={`poster-lib-${l.partnerId}`} label={nameOf(l.partnerId)} multiline rows={4} />
            ))}
          </PosterSection>

          <PosterSection id="comparison" heading={SECTION_HEADINGS.comparison} onRedraft={askRedraft('comparison')}>
            <PosterComparisonTable doc={doc} rows={poster.table} partners={outline.libraries.map((l) => snap.partners.find((p) => p.id === l.partnerId)!).filter(Boolean)} />
            <PosterField text={posterText(doc, 'comparison.different')} id="poster-different" label="What is very different" multiline rows={3} />
            <PosterField text={posterText(doc, 'comparison.similar')} id="poster-similar" label="What is similar" multiline rows={3} />
            <PosterField text={posterText(doc, 'comparison.culturalExpectations')} id="poster-cultural" label="Cultural expectations of libraries" hint="What people expect of a library in each country, as your partnership uncovered it." multiline rows={3} />
          </PosterSection>

          <PosterSection id="viewChanged" heading={SECTION_HEADINGS.viewChanged}>
            <PosterField
              text={posterText(doc, 'viewChanged')}
              id="poster-view-changed"
              label="In your own words"
              hint="New practices or ideas to bring home, what you understand better about your own work, surprises, assumptions that turned out wrong. Lines starting with “- ” become bullet points."
              multiline
              rows={5}
              labelHidden
            />
          </PosterSection>

          <PosterSection id="themes" heading={SECTION_HEADINGS.themes} intro="Propose themes, then each partner agrees or says they are not sure.">
            <PosterThemes doc={doc} themes={outline.themes} partners={snap.partners} clips={snap.clips} recorders={poster.recorders} />
          </PosterSection>

          <PosterSection id="howWeWorked" heading={SECTION_HEADINGS.howWeWorked} onRedraft={askRedraft('howWeWorked')}>
            <PosterField text={posterText(doc, 'howWeWorked')} id="poster-how" label={SECTION_HEADINGS.howWeWorked} labelHidden multiline rows={4} />
          </PosterSection>

          <PosterSection id="topicsDiscussed" heading={SECTION_HEADINGS.topicsDiscussed} onRedraft={askRedraft('topicsDiscussed')}>
            <PosterField text={posterText(doc, 'topicsDiscussed')} id="poster-topics" label={SECTION_HEADINGS.topicsDiscussed} labelHidden multiline rows={4} />
          </PosterSection>

          <PosterSection id="difficultiesAndFuture" heading={SECTION_HEADINGS.difficultiesAndFuture}>
            <PosterField
              text={posterText(doc, 'difficultiesAndFuture')}
              id="poster-difficulties"
              label={SECTION_HEADINGS.difficultiesAndFuture}
              hint="What was hard, and what you will keep doing together."
              labelHidden
              multiline
              rows={4}
            />
          </PosterSection>

          <PosterSection id="sources" heading={SECTION_HEADINGS.sources} intro="Cited in APA 7 style, sorted as a reference list.">
            <PosterSources doc={doc} outline={outline} clips={snap.clips} />
          </PosterSection>

          <PosterSection id="contacts" heading={SECTION_HEADINGS.contacts} onRedraft={askRedraft('contacts')}>
            {outline.contacts.length === 0 && <p className="muted">Drafted from each partner’s profile: press “Re-draft this section”.</p>}
            {outline.contacts.map((c) => (
              <fieldset key={c.partnerId}>
                <legend>{nameOf(c.partnerId)}</legend>
                {CONTACT_FIELDS.map((f) => (
                  <PosterField key={f} text={posterText(doc, `contact:${c.partnerId}:${f}`)} id={`poster-contact-${c.partnerId}-${f}`} label={CONTACT_LABELS[f]} multiline={f === 'social'} rows={2} maxLength={1000} />
                ))}
              </fieldset>
            ))}
          </PosterSection>

          <section id="poster-export" aria-labelledby="poster-export-heading" className="poster-section">
            <h2 id="poster-export-heading">Preview and export</h2>
            <PosterExport outline={outline} ctx={ctx} size={size} onSize={setSize} />
            <PosterPreview outline={outline} ctx={ctx} size={size} />
          </section>
        </>
      )}
      {confirm && (
        <ConfirmDialog
          title={`Re-draft “${SECTION_NAMES[confirm]}”?`}
          body="The drafted parts of this section are replaced with a fresh draft from the notebook, for every partner. Parts the draft has nothing for stay as they are."
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
