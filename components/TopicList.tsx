import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import { addTopic, moveTopic, NotebookError, updateTopic } from '../lib/notebook';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { systemDeps as deps } from '../lib/notebook/people';
import type { Topic } from '../lib/notebook/types';
import { currentTopic, daysLeft } from '../lib/topics/schedule';
import { deadlineText } from '../lib/topics/reminders';
import { T } from './test-ids';


let zone: { name: string; at: number } | undefined;
/** The person's own IANA time zone: dates and countdowns follow their calendar. */
export const myTimeZone = (): string => {
  // Building an Intl.DateTimeFormat costs about 0.3 ms and the list re-renders as notes change;
  // re-read once a minute, which still follows a laptop that travels.
  const now = Date.now();
  if (!zone || now - zone.at > 60_000) zone = { name: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', at: now };
  return zone.name;
};

const SHORT_DATE = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
/** Short date, in the person's own locale. */
export const shortDate = (ms: number) => SHORT_DATE.format(ms);

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
  const { snap } = props;
  const [title, setTitle] = useState('');
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

  const move = (t: Topic, to: number) => {
    if (to < 0 || to >= topics.length) return;
    moveTopic(props.doc, t.id, to);
    setAnnounce(`${t.title} moved to position ${to + 1} of ${topics.length}.`);
  };
  const onKey = (e: KeyboardEvent, t: Topic, i: number) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(t, e.key === 'ArrowUp' ? i - 1 : i + 1);
    setFocus({ id: t.id, role: 'item' });
  };

  return (
    <section aria-labelledby="topics-heading">
      <div className="topics-head">
        <h1 id="topics-heading" tabIndex={-1}>
          Topics
        </h1>
        {left !== undefined && (
          <p className={`countdown${left <= 7 ? ' urgent' : ''}`} data-testid={T.posterCountdown}>
            {deadlineText(left)}
          </p>
        )}
      </div>
      {props.onSchedule && (
        <button type="button" className="link-button" data-testid={T.openSchedule} onClick={props.onSchedule}>
          Programme schedule, import and reminders →
        </button>
      )}
      {props.onHistory && (
        <button type="button" className="link-button history-link" data-testid={T.openHistory} onClick={props.onHistory}>
          History: earlier versions of this notebook →
        </button>
      )}
      {topics.length === 0 && (
        <p className="muted">
          No topics yet. Add the first one below: a programme prompt or a question of your own.{props.onHistory && ' If topics went missing, History can bring them back.'}
        </p>
      )}
      {topics.length > 1 && <p className="muted small">Drag a topic, or focus it and press Alt+↑ / Alt+↓, to change the order.</p>}
      <ul className="topic-list" data-testid={T.topicList} ref={list}>
        {topics.map((t, i) => {
          const s = snap.stats.get(t.id) ?? { clips: 0, noteWords: 0 };
          const isCurrent = current?.id === t.id;
          return (
            <li
              key={t.id}
              className={`topic-row${dragging === t.id ? ' dragging' : ''}${dropAt === i && dragging && dragging !== t.id ? ' drop-here' : ''}`}
              draggable
              onDragStart={(e) => {
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', t.title);
                setDragging(t.id);
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
                data-topic-id={t.id}
                data-role="item"
                aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
                onClick={() => props.onOpen(t.id)}
                onKeyDown={(e) => onKey(e, t, i)}
              >
                <span className="topic-title">{t.title}</span>
                {props.changes?.get(t.id) && (
                  <span className="badge changed-badge" data-testid={T.topicChanged}>
                    New from {props.changes.get(t.id)}
                  </span>
                )}
                {isCurrent && (
                  <span className="badge current-badge" data-testid={T.currentBadge}>
                    Current
                  </span>
                )}
                <span className="topic-meta" data-testid={T.topicCounts}>
                  {s.clips} {s.clips === 1 ? 'clip' : 'clips'} · {s.noteWords} {s.noteWords === 1 ? 'word' : 'words'} of notes
                  {t.start !== undefined && (
                    <>
                      {' '}
                      · {shortDate(t.start)}
                      {t.end !== undefined && <>–{shortDate(t.end)}</>}
                    </>
                  )}
                </span>
              </button>
              <div className="topic-tools">
                <button type="button" aria-label={`Move ${t.title} up`} title="Move up" disabled={i === 0} data-testid={T.topicUp} data-topic-id={t.id} data-role="up" onClick={() => (move(t, i - 1), setFocus({ id: t.id, role: 'up' }))}>
                  ↑
                </button>
                <button type="button" aria-label={`Move ${t.title} down`} title="Move down" disabled={i === topics.length - 1} data-testid={T.topicDown} data-topic-id={t.id} data-role="down" onClick={() => (move(t, i + 1), setFocus({ id: t.id, role: 'down' }))}>
                  ↓
                </button>
                <button
                  type="button"
                  className="archive"
                  aria-label={`Archive ${t.title}`}
                  title="Archive: hide from this list, keep everything"
                  data-testid={T.topicArchive}
                  onClick={() => {
                    updateTopic(props.doc, t.id, { archived: true });
                    setAnnounce(`${t.title} archived. Restore it from “Archived topics”.`);
                  }}
                >
                  Archive
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <p className="sr-only" role="status" aria-live="polite" data-testid={T.topicAnnounce}>
        {announce}
      </p>
      <form
        className="row add-topic"
        onSubmit={(e) => {
          e.preventDefault();
          try {
            addTopic(props.doc, { title }, deps);
            setTitle('');
            setError('');
          } catch (err) {
            setError(err instanceof NotebookError ? err.message : String(err));
          }
        }}
      >
        <label htmlFor="add-topic" className="sr-only">
          New topic title
        </label>
        <input id="add-topic" data-testid={T.addTopicTitle} placeholder="New topic, e.g. Book clubs" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        <button type="submit" data-testid={T.addTopicButton}>
          Add topic
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {archived.length > 0 && (
        <details className="archived" data-testid={T.archivedTopics}>
          <summary>Archived topics ({archived.length})</summary>
          <p className="muted small">Archived topics keep their notes and clips. Restore one to show it in the list again.</p>
          <ul className="plain">
            {archived.map((t) => (
              <li key={t.id} className="row">
                <span className="grow">{t.title}</span>
                <button
                  type="button"
                  aria-label={`Restore ${t.title}`}
                  data-testid={T.topicRestore}
                  onClick={() => {
                    updateTopic(props.doc, t.id, { archived: false });
                    setAnnounce(`${t.title} restored.`);
                  }}
                >
                  Restore
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
