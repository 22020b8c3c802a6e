import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import { addTopic, moveTopic, NotebookError, updateTopic } from '../lib/notebook';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { systemDeps as deps } from '../lib/notebook/people';
import type { Topic } from '../lib/notebook/types';
import { currentTopic, daysLeft } from '../lib/topics/schedule';
import { deadlineText } from '../lib/topics/reminders';
import { AddForm } from './AddForm';
import { FormError } from './FormError';
import { T } from './test-ids';
import { useT } from './i18n';
import { date } from '../lib/i18n';

let zone: { name: string; at: number } | undefined;
/** The person's own IANA time zone: dates and countdowns follow their calendar. */
export const myTimeZone = (): string => {
  // Building an Intl.DateTimeFormat costs about 0.3 ms and the list re-renders as notes change;
  // re-read once a minute, which still follows a laptop that travels.
  const now = Date.now();
  if (!zone || now - zone.at > 60_000) zone = { name: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', at: now };
  return zone.name;
};

/** Short date (day and month), in the UI language. */
export const shortDate = (ms: number) => date(ms, { day: 'numeric', month: 'short' });

/**
 * The list of discussion topics with clip and note counts, the current one marked, the poster
 * countdown, and a form to add one. Topics are reordered by drag and drop, by the "Move up/down"
 * buttons or Alt+Arrow keys on a focused topic (announced to screen readers), and archived here.
 */
export function TopicList(props: {
  doc: Y.Doc;
  snap: NotebookSnapshot;
  onOpen(topicId: string): void;
  onSchedule?(): void;
  /** Opens History (earlier versions of the notebook). */
  onHistory?(): void;
  /** Topics partners changed since this person last looked: topic id → who. */
  changes?: Map<string, string>;
}) {
  const t = useT();
  const { snap } = props;
  const [error, setError] = useState('');
  const [announce, setAnnounce] = useState('');
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [focus, setFocus] = useState<{ id: string; role: 'item' | 'up' | 'down' } | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const topics = snap.topics.filter((t) => !t.archived);
  const archived = snap.topics.filter((t) => t.archived);
  const now = Date.now();
  const current = currentTopic(topics, now);
  const deadline = snap.info.posterDeadline;
  const left = deadline !== undefined ? daysLeft(deadline, now, myTimeZone()) : undefined;

  // Reordering re-renders the list; keep keyboard focus on the topic that moved (on the same
  // button, unless it just became disabled at the top or bottom).
  useEffect(() => {
    if (!focus) return;
    const q = (role: string) => list.current?.querySelector<HTMLButtonElement>(`[data-topic-id="${CSS.escape(focus.id)}"][data-role="${role}"]`);
    const el = q(focus.role);
    (el && !el.disabled ? el : q('item'))?.focus();
    setFocus(null);
  }, [focus, snap]);

  const move = (tp: Topic, to: number) => {
    if (to < 0 || to >= topics.length) return;
    moveTopic(props.doc, tp.id, to);
    setAnnounce(t('topicList.titleMovedToPosition', { title: tp.title, p1: to + 1, length: topics.length }));
  };
  const setArchived = (tp: Topic, archived: boolean) => {
    updateTopic(props.doc, tp.id, { archived });
    setAnnounce(t(archived ? 'topicList.titleArchivedRestoreIt' : 'topicList.titleRestored', { title: tp.title }));
  };
  const onKey = (e: KeyboardEvent, tp: Topic, i: number) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(tp, e.key === 'ArrowUp' ? i - 1 : i + 1);
    setFocus({ id: tp.id, role: 'item' });
  };

  return (
    <section aria-labelledby="topics-heading">
      <div className="topics-head">
        <h1 id="topics-heading" tabIndex={-1}>
          {t('topicList.topics')}
        </h1>
        {left !== undefined && (
          <p className={`countdown${left <= 7 ? ' urgent' : ''}`} data-testid={T.posterCountdown}>
            {deadlineText(left)}
          </p>
        )}
      </div>
      {props.onSchedule && (
        <button type="button" className="link-button" data-testid={T.openSchedule} onClick={props.onSchedule}>
          {t('topicList.programmeScheduleImportAnd')}
        </button>
      )}
      {props.onHistory && (
        <button type="button" className="link-button history-link" data-testid={T.openHistory} onClick={props.onHistory}>
          {t('topicList.historyEarlierVersionsOf')}
        </button>
      )}
      {topics.length === 0 && (
        <p className="muted">
          {t('topicList.noTopicsYetAdd')}
          {props.onHistory && t('topicList.ifTopicsWentMissing')}
        </p>
      )}
      {topics.length > 1 && <p className="muted small">{t('topicList.dragATopicOr')}</p>}
      <ul className="topic-list" data-testid={T.topicList} ref={list}>
        {topics.map((tp, i) => {
          const s = snap.stats.get(tp.id) ?? { clips: 0, noteWords: 0 };
          const isCurrent = current?.id === tp.id;
          return (
            <li
              key={tp.id}
              className={`topic-row${dragging === tp.id ? ' dragging' : ''}${dropAt === i && dragging && dragging !== tp.id ? ' drop-here' : ''}`}
              draggable
              onDragStart={(e) => {
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', tp.title);
                setDragging(tp.id);
              }}
              onDragOver={(e) => {
                if (!dragging) return;
                e.preventDefault();
                setDropAt(i);
              }}
              onDrop={(e) => {
                e.preventDefault();
                const moved = topics.find((x) => x.id === dragging);
                if (moved) move(moved, i);
                setDragging(null);
                setDropAt(null);
              }}
              onDragEnd={() => {
                setDragging(null);
                setDropAt(null);
              }}
            >
              <button
                type="button"
                className={`topic-item${isCurrent ? ' current' : ''}`}
                data-testid={T.topicItem}
                data-topic-id={tp.id}
                data-role="item"
                aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
                onClick={() => props.onOpen(tp.id)}
                onKeyDown={(e) => onKey(e, tp, i)}
              >
                <span className="topic-title">{tp.title}</span>
                {props.changes?.get(tp.id) && (
                  <span className="badge changed-badge" data-testid={T.topicChanged}>
                    {t('topicList.newFrom', { name: props.changes.get(tp.id) ?? '' })}
                  </span>
                )}
                {isCurrent && (
                  <span className="badge current-badge" data-testid={T.currentBadge}>
                    {t('topicList.current')}
                  </span>
                )}
                <span className="topic-meta" data-testid={T.topicCounts}>
                  {t('topicList.clipCount', { count: s.clips })} · {t('topicList.wordsOfNotes', { count: s.noteWords })}
                  {tp.start !== undefined && (
                    <>
                      {' '}
                      · {shortDate(tp.start)}
                      {tp.end !== undefined && <>–{shortDate(tp.end)}</>}
                    </>
                  )}
                </span>
              </button>
              <div className="topic-tools">
                <button
                  type="button"
                  aria-label={t('topicList.moveTitleUp', { title: tp.title })}
                  title={t('topicList.moveUp')}
                  disabled={i === 0}
                  data-testid={T.topicUp}
                  data-topic-id={tp.id}
                  data-role="up"
                  onClick={() => (move(tp, i - 1), setFocus({ id: tp.id, role: 'up' }))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={t('topicList.moveTitleDown', { title: tp.title })}
                  title={t('topicList.moveDown')}
                  disabled={i === topics.length - 1}
                  data-testid={T.topicDown}
                  data-topic-id={tp.id}
                  data-role="down"
                  onClick={() => (move(tp, i + 1), setFocus({ id: tp.id, role: 'down' }))}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="archive"
                  aria-label={t('topicList.archiveTitle', { title: tp.title })}
                  title={t('topicList.archiveHideFromThis')}
                  data-testid={T.topicArchive}
                  onClick={() => setArchived(tp, true)}
                >
                  {t('topicList.archive')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <p className="sr-only" role="status" aria-live="polite" data-testid={T.topicAnnounce}>
        {announce}
      </p>
      <AddForm
        id="add-topic"
        className="row add-topic"
        texts={{ label: t('topicList.newTopicTitle'), placeholder: t('topicList.newTopicEG'), button: t('topicList.addTopic') }}
        maxLength={200}
        testIds={{ input: T.addTopicTitle, button: T.addTopicButton }}
        // A blank title is refused by addTopic, whose message says what to type.
        acceptBlank
        onAdd={(title) => {
          try {
            addTopic(props.doc, { title }, deps);
            setError('');
          } catch (err) {
            setError(err instanceof NotebookError ? err.message : String(err));
            return false;
          }
        }}
      />
      <FormError message={error} />
      {archived.length > 0 && (
        <details className="archived" data-testid={T.archivedTopics}>
          <summary>{t('topicList.archivedTopics', { count: archived.length })}</summary>
          <p className="muted small">{t('topicList.archivedTopicsKeepTheir')}</p>
          <ul className="plain">
            {archived.map((tp) => (
              <li key={tp.id} className="row">
                <span className="grow">{tp.title}</span>
                <button
                  type="button"
                  aria-label={t('topicList.restoreTitle', { title: tp.title })}
                  data-testid={T.topicRestore}
                  onClick={() => setArchived(tp, false)}
                >
                  {t('topicList.restore')}
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
