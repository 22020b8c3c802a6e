import { useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import { noteBody } from '../lib/notebook/schema';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { NoteEditor } from './NoteEditor';
import { T } from './test-ids';
import { shortDate } from './TopicList';

/** One topic: its prompt, its clips and the partners' shared note. */
export function TopicPage(props: { doc: Y.Doc; snap: NotebookSnapshot; topicId: string; onBack(): void }) {
  const topic = props.snap.topics.find((t) => t.id === props.topicId);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.topicId]);
  if (!topic) {
    return (
      <section>
        <p role="alert">This topic is no longer in the notebook. A partner may have removed it.</p>
        <button type="button" onClick={props.onBack}>
          Back to topics
        </button>
      </section>
    );
  }
  const stats = props.snap.stats.get(topic.id);
  return (
    <section aria-labelledby="topic-heading">
      <button type="button" className="link-button" onClick={props.onBack} data-testid={T.backToTopics}>
        ← All topics
      </button>
      <h1 id="topic-heading" ref={heading} tabIndex={-1} data-testid={T.topicHeading}>
        {topic.title}
      </h1>
      {topic.prompt && <p className="prompt">{topic.prompt}</p>}
      {topic.start !== undefined && (
        <p className="muted">
          {shortDate(topic.start)}
          {topic.end !== undefined && <> – {shortDate(topic.end)}</>}
        </p>
      )}
      <h2>Our notes</h2>
      <NoteEditor fragment={noteBody(props.doc, topic.id)} label={`Shared note for ${topic.title}`} />
      <p className="muted small">{stats?.noteWords ?? 0} words · saved on this computer as you type</p>
    </section>
  );
}
