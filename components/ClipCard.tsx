import { lazy, memo, Suspense, useState } from 'react';
import type * as Y from 'yjs';
import { safeHref } from '../lib/clip/reader-html';
import { addClipTags, moveClip, removeClipTag, setClipComment } from '../lib/notebook';
import type { Clip, Topic } from '../lib/notebook/types';
import type { PdfPassage } from '../lib/clip/pdf';
import { AddForm } from './AddForm';
import { ClipPosterActions } from './ClipPosterActions';
import { allowHighlightsOn, highlightMissesItem, openPage } from '../lib/ext/highlights';
import { SelectField } from './SelectField';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';
import { useT } from './i18n';
import { currentLocale, date, t, allMessages } from '../lib/i18n';
import { remoteImageSitesItem } from '../lib/ext/storage';
import { siteOf } from '../lib/clip/images';

// Only PDF cards use it, and only when asked: kept out of the panel's startup bundle.
const PdfPassageFinder = lazy(() => Promise.all([import('./PdfPassageFinder'), allMessages()]).then(([m]) => ({ default: m.PdfPassageFinder })));

// One formatter for all cards: building one per call costs ~0.3 ms, per card, per render.

/** How long ago, in plain words. */
export function timeAgo(ms: number, now = Date.now()): string {
  const m = Math.round((now - ms) / 60_000);
  if (m < 1) return t('time.justNow');
  const rel = new Intl.RelativeTimeFormat(currentLocale(), { style: 'short', numeric: 'always' });
  if (m < 60) return rel.format(-m, 'minute');
  const h = Math.round(m / 60);
  if (h < 24) return rel.format(-h, 'hour');
  return date(ms, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** One clip in its topic: what it is, who clipped it, and what can be done with it. */
export const ClipCard = memo(
  ClipCardView,
  (a, b) =>
    // The callbacks only close over the clip's id and stable setters: a re-render is needed only
    // when what the card shows changes (not on every keystroke in the note next to it).
    a.doc === b.doc && a.clip === b.clip && a.topics === b.topics,
);

function ClipCardView(props: {
  doc: Y.Doc;
  clip: Clip;
  topics: Topic[];
  onRead(): void;
  onQuote(): void;
  /** Quotes a passage of a PDF clip with its page. */
  onQuotePassage?(p: PdfPassage): void;
  onDelete(): void;
}) {
  const t = useT();
  const { clip, doc } = props;
  const c = clip.captured;
  const [editing, setEditing] = useState(false);
  const [finding, setFinding] = useState(false);
  const [passage, setPassage] = useState<PdfPassage | undefined>();
  const isPdf = c.kind === 'pdf' && !!c.pdf;
  // A site's icon is fetched only once the person chose to load that site's images: an icon
  // request tells the site who is reading its clip, and when.
  const remoteSites = useStorageItem(remoteImageSitesItem);
  const site = siteOf(c.url);
  const favicon = site && remoteSites?.includes(site) ? safeHref(c.favicon) : undefined;
  const original = safeHref(c.url);
  const headingId = `clip-${clip.id}-title`;
  return (
    <article className="card clip" data-testid={T.clipCard} aria-labelledby={headingId}>
      <div className="clip-head">
        {favicon ? (
          <img src={favicon} alt="" width={16} height={16} className="favicon" referrerPolicy="no-referrer" />
        ) : (
          <span className="favicon" aria-hidden="true" />
        )}
        <div className="grow">
          <h3 id={headingId} className="clip-title" data-testid={T.clipTitle}>
            {c.title}
          </h3>
          <p className="muted small">
            {t(`kind.${c.kind}`)}
            {isPdf ? <span data-testid={T.pdfPages}>{` · ${t('clipCard.pages', { count: c.pdf!.pageCount })}`}</span> : null}
            {c.siteName ? ` · ${c.siteName}` : ''} {t('clipCard.clippedBy', { name: clip.clippedBy.name, when: timeAgo(clip.clippedAt) })}
          </p>
        </div>
      </div>
      {c.kind === 'selection' && c.text ? (
        <blockquote className="clip-quote">{c.text.slice(0, 400)}</blockquote>
      ) : c.excerpt ? (
        <p className="clip-excerpt">{c.excerpt.slice(0, 300)}</p>
      ) : null}
      {c.kind === 'selection' && <NotFoundNote clipId={clip.id} />}
      {c.truncated && <p className="muted small">{t('clipCard.thisPageWasVery')}</p>}
      {clip.tags.length > 0 && (
        <ul className="tags" data-testid={T.clipTags} aria-label={t('clipCard.tags')}>
          {clip.tags.map((tag) => (
            <li key={tag}>
              {tag}
              <button type="button" className="tag-remove" aria-label={t('clipCard.removeTagT', { t: tag })} onClick={() => removeClipTag(doc, clip.id, tag)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {clip.comment && !editing && <p className="comment">💬 {clip.comment}</p>}
      <div className="row wrap clip-actions">
        <button type="button" onClick={props.onRead} data-testid={T.clipRead}>
          {t('clipCard.read')}
        </button>
        {original && (
          <a href={original} target="_blank" rel="noopener noreferrer">
            {t('clipCard.original')}
          </a>
        )}
        {isPdf ? (
          <button type="button" onClick={() => setFinding((f) => !f)} aria-expanded={finding} data-testid={T.clipQuote} title={t('clipCard.findAPassageIn')}>
            {t('clipCard.quoteInNote')}
          </button>
        ) : (
          <button type="button" onClick={props.onQuote} data-testid={T.clipQuote} title={t('clipCard.insertAQuoteWith')}>
            {t('clipCard.quoteInNote2')}
          </button>
        )}
        <button type="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
          {t('clipCard.tagCommentMove')}
        </button>
        {c.kind === 'selection' && original && <ShowOnPage url={original} />}
        <ClipPosterActions
          doc={doc}
          clip={clip}
          passage={
            passage ? { text: passage.text, pages: passage.lastPage > passage.page ? `${passage.page}–${passage.lastPage}` : String(passage.page) } : undefined
          }
        />
        <button
          type="button"
          className="danger-text"
          onClick={props.onDelete}
          data-testid={T.clipDelete}
          aria-label={t('clipCard.deleteClipTitle', { title: c.title })}
        >
          {t('clipCard.delete')}
        </button>
      </div>
      {finding && isPdf && (
        <Suspense fallback={<p role="status">{t('clipCard.loading')}</p>}>
          <PdfPassageFinder captured={c} chosen={passage} onQuote={(p) => props.onQuotePassage?.(p)} onUse={setPassage} />
        </Suspense>
      )}
      {editing && (
        <div className="clip-edit">
          <AddForm
            id={`tag-${clip.id}`}
            list="all-tags"
            texts={{ label: t('clipCard.addATag'), placeholder: t('clipCard.addATagE'), button: t('clipCard.addTag') }}
            maxLength={40}
            testIds={{ input: T.clipTagInput }}
            // Blank still empties the box; the tags are split on commas as typed.
            acceptBlank
            onAdd={(tag) => {
              if (tag.trim()) addClipTags(doc, clip.id, tag.split(','));
            }}
          />
          <label htmlFor={`comment-${clip.id}`}>{t('clipCard.comment')}</label>
          <textarea
            id={`comment-${clip.id}`}
            rows={2}
            defaultValue={clip.comment}
            onBlur={(e) => setClipComment(doc, clip.id, e.target.value)}
            data-testid={T.clipComment}
          />
          <SelectField
            id={`move-${clip.id}`}
            label={t('clipCard.topic')}
            value={clip.topicId}
            onChange={(topicId) => moveClip(doc, clip.id, topicId)}
            testId={T.clipMove}
            options={props.topics.filter((tp) => !tp.archived || tp.id === clip.topicId).map((tp) => ({ value: tp.id, label: tp.title }))}
          />
        </div>
      )}
    </article>
  );
}

/**
 * "Show on the page": asks the browser's permission for the quote's site (once), then opens the
 * page with partners' passages highlighted; from then on they show on every visit to that site.
 */
function ShowOnPage(props: { url: string }) {
  const t = useT();
  const [refused, setRefused] = useState(false);
  return (
    <>
      <button
        type="button"
        data-testid={T.clipShowOnPage}
        title={t('clipCard.openThePageWith')}
        onClick={async () => {
          const ok = await allowHighlightsOn(props.url);
          setRefused(!ok);
          if (ok) await openPage(props.url);
        }}
      >
        {t('clipCard.showOnThePage')}
      </button>
      {refused && (
        <p className="small" role="status">
          {t('clipCard.withoutYourPermissionFor')}
        </p>
      )}
    </>
  );
}

/** Says when the quote was not found on its page at the last visit (the page changed). */
function NotFoundNote(props: { clipId: string }) {
  const t = useT();
  const misses = useStorageItem(highlightMissesItem);
  const miss = misses?.[props.clipId];
  if (!miss) return null;
  return (
    <p className="muted small" data-testid={T.clipHighlightNote}>
      {t('clipCard.notFoundOnThe', { when: timeAgo(miss.at) })}
    </p>
  );
}
