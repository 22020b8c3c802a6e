import { useState } from 'react';
import type * as Y from 'yjs';
import { addTopic, NotebookError } from '../lib/notebook/schema';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { randomId } from '../lib/notebook/people';
import { T } from './test-ids';

const deps = { newId: () => randomId(), now: () => Date.now() };

/** Short date, in the person's own locale. */
export const shortDate = (ms: number) => new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

/** The list of discussion topics with clip and note counts, and a form to add one. */
export function TopicList(props: { doc: Y.Doc; snap: NotebookSnapshot; onOpen(topicId: string): void }) {
  const { snap } = props;
  const [title, setTitle] = useState('');
  const [error, setError] = useState('');
  const topics = snap.topics.filter((t) => !t.archived);
  return (
    <section aria-labelledby="topics-heading">
      <h1 id="topics-heading" tabIndex={-1}>
        Topics
      </h1>
      {topics.length === 0 && <p className="muted">No topics yet. Add the first one below: a programme prompt or a question of your own.</p>}
      <ul className="topic-list" data-testid={T.topicList}>
        {topics.map((t) => {
          const s = snap.stats.get(t.id) ?? { clips: 0, noteWords: 0 };
          return (
            <li key={t.id}>
              <button type="button" className="topic-item" data-testid={T.topicItem} onClick={() => props.onOpen(t.id)}>
                <span className="topic-title">{t.title}</span>
                <span className="topic-meta" data-testid={T.topicCounts}>
                  {s.clips} {s.clips === 1 ? 'clip' : 'clips'} · {s.noteWords} {s.noteWords === 1 ? 'word' : 'words'} of notes
                  {t.start !== undefined && <> · from {shortDate(t.start)}</>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
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
    </section>
  );
}
