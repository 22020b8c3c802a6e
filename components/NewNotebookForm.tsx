import { useState } from 'react';
import type { NewNotebook } from '../lib/ext/notebooks';
import { EXAMPLE_TOPICS } from '../lib/notebook';
import { DateField } from './DateField';
import { T } from './test-ids';
import { dayEnd, dayStart } from '../lib/topics/date-input';
import { myTimeZone } from './TopicList';
import { useT } from './i18n';

/** Form for a new notebook (one per partnership). */
export function NewNotebookForm(props: { first: boolean; busy?: boolean; onCreate(n: NewNotebook): void; onCancel?(): void; onJoin(): void }) {
  const t = useT();
  const [title, setTitle] = useState('');
  const [programme, setProgramme] = useState('');
  const [start, setStart] = useState('');
  const [deadline, setDeadline] = useState('');
  const [examples, setExamples] = useState(true);
  const [error, setError] = useState('');
  return (
    <main className="page">
      <h1>{props.first ? t('newNotebookForm.startYourFirstNotebook') : t('newNotebookForm.newNotebook')}</h1>
      <p>{t('newNotebookForm.makeOneNotebookFor')}</p>
      <p>
        {t('newNotebookForm.didAPartnerSend')}{' '}
        <button type="button" className="link-button" onClick={props.onJoin} data-testid={T.joinNotebook}>
          {t('newNotebookForm.joinTheirNotebookInstead')}
        </button>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!title.trim()) return setError(t('newNotebookForm.giveTheNotebookA'));
          // Same rule as the schedule page: a start is the day's first moment, a deadline its last.
          const s = dayStart(start, myTimeZone());
          const d = dayEnd(deadline, myTimeZone());
          if (s !== undefined && d !== undefined && d <= s) return setError(t('newNotebookForm.thePosterDeadlineMust'));
          props.onCreate({ info: { title, programmeName: programme, programmeStart: s, posterDeadline: d }, exampleTopics: examples });
        }}
      >
        <label htmlFor="nb-title">{t('newNotebookForm.notebookName')}</label>
        <input
          id="nb-title"
          data-testid={T.newNotebookTitle}
          value={title}
          maxLength={200}
          onChange={(e) => (setTitle(e.target.value), setError(''))}
          placeholder={t('newNotebookForm.anaBatbayar')}
          autoFocus
        />
        <label htmlFor="nb-programme">{t('newNotebookForm.programmeOptional')}</label>
        <input
          id="nb-programme"
          data-testid={T.newNotebookProgramme}
          value={programme}
          maxLength={200}
          onChange={(e) => setProgramme(e.target.value)}
          placeholder={t('newNotebookForm.internationalLibrariansNetworkSpring')}
        />
        <div className="row wrap">
          <DateField id="nb-start" label={t('newNotebookForm.programmeStarts')} testId={T.newNotebookStart} value={start} onChange={setStart} />
          <DateField id="nb-deadline" label={t('newNotebookForm.posterDeadline')} testId={T.newNotebookDeadline} value={deadline} onChange={setDeadline} />
        </div>
        <label className="check">
          <input type="checkbox" data-testid={T.newNotebookExamples} checked={examples} onChange={(e) => setExamples(e.target.checked)} />
          {t('newNotebookForm.startWithTheProgramme', { count: EXAMPLE_TOPICS.length })}
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row end">
          {props.onCancel && (
            <button type="button" onClick={props.onCancel}>
              {t('newNotebookForm.cancel')}
            </button>
          )}
          <button type="submit" className="primary" disabled={props.busy} data-testid={T.newNotebookCreate}>
            {props.busy ? t('newNotebookForm.creating') : t('newNotebookForm.createNotebook')}
          </button>
        </div>
      </form>
    </main>
  );
}
