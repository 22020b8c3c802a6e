import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Editor } from '@tiptap/react';
import type * as Y from 'yjs';
import { deleteClip, noteBody, restoreClip } from '../lib/notebook';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { ClipCard } from './ClipCard';
import { ClipReader } from './ClipReader';
import { pdfPageUrl } from '../lib/clip/pdf';
import { inTextCitation } from '../lib/poster/cite';
import { insertQuote, NoteEditor, type NoteCollab } from './NoteEditor';
import { ProposeTheme } from './ProposeTheme';
import { T } from './test-ids';
import { TopicEditForm } from './TopicEditForm';
import { systemDeps as deps } from '../lib/notebook/people';
import { shortDate } from './TopicList';
import { useT } from './i18n';

/** The text a clip contributes when quoted into a note. */
function quoteOf(c: NotebookSnapshot['clips'][number]['captured']): string {
  if (c.kind === 'selection' && c.text) return c.text.slice(0, 2000);
  if (c.kind === 'image') return c.imageAlt || c.title;
  if (c.kind === 'link') return c.text || c.title;
  return (c.excerpt || c.text || c.title).slice(0, 600);
}

/** Clip cards rendered at first, and added per press of "Show more". */
const CLIPS_AT_ONCE = 30;

/** One topic: its prompt, its clips and the partners' shared note. `readClipId` opens that clip in the reader (from search). */
export function TopicPage(props: {
  doc: Y.Doc;
  snap: NotebookSnapshot;
  topicId: string;
  onBack(): void;
  onHistory?(): void;
  collab?: NoteCollab;
  readClipId?: string;
}) {
  const t = useT();
  const topic = props.snap.topics.find((t) => t.id === props.topicId);
  const heading = useRef<HTMLHeadingElement>(null);
  const editor = useRef<Editor | null>(null);
  const onEditor = useCallback((e: Editor | null) => void (editor.current = e), []);
  const [reading, setReading] = useState<string | null>(props.readClipId ?? null);
  const [tagFilter, setTagFilter] = useState('');
  const [deleted, setDeleted] = useState<{ id: string; title: string } | null>(null);
  const topicClips = props.snap.clipsOf(props.topicId);
  const topicTags = useMemo(() => [...new Set(topicClips.flatMap((c) => c.tags))].sort(), [topicClips]);
  const clips = tagFilter && topicTags.includes(tagFilter) ? topicClips.filter((c) => c.tags.includes(tagFilter)) : topicClips;
  // A topic with hundreds of clips opens with the newest ones; the rest are a button away.
  const [shown, setShown] = useState(CLIPS_AT_ONCE);
  // Tag suggestions (all clips' tags) are only needed once someone tags: read them after the first paint.
  const [allTags, setAllTags] = useState<string[]>([]);
  useEffect(() => {
    const t = setTimeout(() => setAllTags(props.snap.tags()), 300);
    return () => clearTimeout(t);
  }, [props.snap]);
  useEffect(() => heading.current?.focus(), [props.topicId]);
  useEffect(() => setShown(CLIPS_AT_ONCE), [props.topicId, tagFilter]);
  // After "Show more", keyboard focus moves to the first card it added (the button may be gone).
  const section = useRef<HTMLElement>(null);
  const [focusCard, setFocusCard] = useState<number | null>(null);
  useEffect(() => {
    if (focusCard === null) return;
    const card = section.current?.querySelectorAll<HTMLElement>(`[data-testid="${T.clipCard}"]`)[focusCard];
    card?.querySelector<HTMLElement>('a[href], button')?.focus();
    setFocusCard(null);
  }, [focusCard]);
  useEffect(() => {
    if (!deleted) return;
    const t = setTimeout(() => setDeleted(null), 15_000);
    return () => clearTimeout(t);
  }, [deleted]);

  if (!topic) {
    return (
      <section>
        <p role="alert">{t('topicPage.thisTopicIsNo')}</p>
        <div className="row wrap">
          {props.onHistory && (
            <button type="button" className="primary" data-testid={T.topicHistory} onClick={props.onHistory}>
              {t('topicPage.openHistory')}
            </button>
          )}
          <button type="button" onClick={props.onBack}>
            {t('topicPage.backToTopics')}
          </button>
        </div>
      </section>
    );
  }
  const readingClip = reading ? topicClips.find((c) => c.id === reading) : undefined;
  if (readingClip) return <ClipReader clip={readingClip} onClose={() => setReading(null)} />;
  const stats = props.snap.stats.get(topic.id);
  return (
    <section aria-labelledby="topic-heading" ref={section}>
      <button type="button" className="link-button" onClick={props.onBack} data-testid={T.backToTopics}>
        {t('topicPage.allTopics')}
      </button>
      <h1 id="topic-heading" ref={heading} tabIndex={-1} data-testid={T.topicHeading}>
        {topic.title}
      </h1>
      {topic.prompt && <p className="prompt">{topic.prompt}</p>}
      <TopicEditForm key={topic.id} doc={props.doc} topic={topic} />
      {topic.start !== undefined && (
        <p className="muted">
          {shortDate(topic.start)}
          {topic.end !== undefined && <> – {shortDate(topic.end)}</>}
        </p>
      )}
      <h2>{t('topicPage.ourNotes')}</h2>
      <NoteEditor
        fragment={noteBody(props.doc, topic.id)}
        label={t('topicPage.sharedNoteForTitle', { title: topic.title })}
        onEditor={onEditor}
        collab={props.collab}
      />
      <p className="muted small">
        {t('topicPage.wordsSavedOnThis', { count: stats?.noteWords ?? 0 })}
        {props.onHistory && (
          <>
            {' · '}
            <button type="button" className="link-button" data-testid={T.topicHistory} onClick={props.onHistory}>
              {t('topicPage.earlierVersionsOfThis')}
            </button>
          </>
        )}
      </p>
      <div className="row wrap poster-propose">
        <ProposeTheme
          doc={props.doc}
          label={t('topicPage.proposeThisTopicAs')}
          getTitle={() => topic.title}
          from={{ kind: 'topic', id: topic.id }}
          testId={T.topicProposeTheme}
        />
        <ProposeTheme
          doc={props.doc}
          label={t('topicPage.proposeSelectedWordsAs')}
          getTitle={() => {
            const s = editor.current?.state;
            return s ? s.doc.textBetween(s.selection.from, s.selection.to, ' ') : '';
          }}
          from={{ kind: 'note', id: topic.id }}
          emptyMessage={t('topicPage.selectSomeWordsIn')}
          testId={T.noteProposeTheme}
        />
      </div>
      <h2>
        {t('topicPage.clips')}{' '}
        <span className="muted small">
          ({clips.length === topicClips.length ? clips.length : t('topicPage.lengthOfLength', { length: clips.length, length1: topicClips.length })})
        </span>
      </h2>
      {topicTags.length > 0 && (
        <div className="row tag-filter">
          <label htmlFor={`tag-filter-${topic.id}`}>{t('topicPage.show')}</label>
          <select
            id={`tag-filter-${topic.id}`}
            data-testid={T.tagFilter}
            value={topicTags.includes(tagFilter) ? tagFilter : ''}
            onChange={(e) => setTagFilter(e.target.value)}
          >
            <option value="">{t('topicPage.allClips')}</option>
            {topicTags.map((tag) => (
              <option key={tag} value={tag}>
                {t('topicPage.tagged', { tag })}
              </option>
            ))}
          </select>
        </div>
      )}
      {deleted && (
        <div className="alert row" role="status">
          <span className="grow">{t('topicPage.deleted', { title: deleted.title })}</span>
          <button
            type="button"
            data-testid={T.undo}
            onClick={() => {
              restoreClip(props.doc, deleted.id);
              setDeleted(null);
            }}
          >
            {t('topicPage.undo')}
          </button>
        </div>
      )}
      {clips.length === 0 && <p className="muted">{t('topicPage.noClipsYetOpen')}</p>}
      {clips.slice(0, shown).map((c) => (
        <ClipCard
          key={c.id}
          doc={props.doc}
          clip={c}
          topics={props.snap.topics}
          onRead={() => setReading(c.id)}
          onQuote={() => editor.current && insertQuote(editor.current, quoteOf(c.captured), c.captured.title, c.captured.url, c.captured.siteName)}
          onQuotePassage={(p) =>
            editor.current &&
            insertQuote(
              editor.current,
              p.text,
              c.captured.title,
              pdfPageUrl(c.captured.url, p.page),
              undefined,
              inTextCitation(c, 'text', p.lastPage > p.page ? `${p.page}–${p.lastPage}` : String(p.page)),
            )
          }
          onDelete={() => {
            deleteClip(props.doc, c.id, deps);
            setDeleted({ id: c.id, title: c.captured.title });
          }}
        />
      ))}
      {clips.length > shown && (
        <button
          type="button"
          data-testid={T.showMoreClips}
          onClick={() => {
            setFocusCard(shown);
            setShown((n) => n + CLIPS_AT_ONCE);
          }}
        >
          {t('topicPage.moreClips', { count: Math.min(CLIPS_AT_ONCE, clips.length - shown), rest: clips.length - shown })}
        </button>
      )}
      <datalist id="all-tags">
        {allTags.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
    </section>
  );
}
