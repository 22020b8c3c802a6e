import { useState } from 'react';
import type { NewNotebook } from '../lib/ext/notebooks';
import { EXAMPLE_TOPICS } from '../lib/notebook';
import { T } from './test-ids';
import { dayEnd, dayStart } from '../lib/topics/date-input';
import { myTimeZone } from './TopicList';

/** Form for a new notebook (one per partnership). */
export function NewNotebookForm(props: { first: boolean; busy?: boolean; onCreate(n: NewNotebook): void; onCancel?(): void; onJoin(): void }) {
  const [title, setTitle] = useState('');
  const [programme, setProgramme] = useState('');
  const [start, setStart] = useState('');
  const [deadline, setDeadline] = useState('');
  const [examples, setExamples] = useState(true);
  const [error, setError] = useState('');
  return (
    <main className="page">
      <h1>{props.first ? 'Start your first notebook' : 'New notebook'}</h1>
      <p>Make one notebook for each partnership. You can invite your partners to it later.</p>
      <p>
        Did a partner send you an invite?{' '}
        <button type="button" className="link-button" onClick={props.onJoin} data-testid={T.joinNotebook}>
          Join their notebook instead
        </button>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!title.trim()) return setError('Give the notebook a name, for example “Ana & Batbayar”.');
          // Same rule as the schedule page: a start is the day's first moment, a deadline its last.
          const s = dayStart(start, myTimeZone());
          const d = dayEnd(deadline, myTimeZone());
          if (s !== undefined && d !== undefined && d <= s) return setError('The poster deadline must come after the programme start.');
          props.onCreate({ info: { title, programmeName: programme, programmeStart: s, posterDeadline: d }, exampleTopics: examples });
        }}
      >
        <label htmlFor="nb-title">Notebook name</label>
        <input id="nb-title" data-testid={T.newNotebookTitle} value={title} maxLength={200} onChange={(e) => (setTitle(e.target.value), setError(''))} placeholder="Ana & Batbayar" autoFocus />
        <label htmlFor="nb-programme">Programme (optional)</label>
        <input id="nb-programme" data-testid={T.newNotebookProgramme} value={programme} maxLength={200} onChange={(e) => setProgramme(e.target.value)} placeholder="International librarians’ network, spring round" />
        <div className="row wrap">
          <div>
            <label htmlFor="nb-start">Programme starts</label>
            <input id="nb-start" type="date" data-testid={T.newNotebookStart} value={start} onChange={(e) => setStart(e.target.value)} />
          </div>
          <div>
            <label htmlFor="nb-deadline">Poster deadline</label>
            <input id="nb-deadline" type="date" data-testid={T.newNotebookDeadline} value={deadline} onChange={(e) => setDeadline(e.target.value)} />
          </div>
        </div>
        <label className="check">
          <input type="checkbox" data-testid={T.newNotebookExamples} checked={examples} onChange={(e) => setExamples(e.target.checked)} />
          Start with the programme’s {EXAMPLE_TOPICS.length} example topics
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row end">
          {props.onCancel && (
            <button type="button" onClick={props.onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary" disabled={props.busy} data-testid={T.newNotebookCreate}>
            {props.busy ? 'Creating…' : 'Create notebook'}
          </button>
        </div>
      </form>
    </main>
  );
}
