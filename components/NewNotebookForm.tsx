import { useState } from 'react';
import type { NewNotebook } from '../lib/ext/notebooks';
import { EXAMPLE_TOPICS } from '../lib/notebook';
import { DateField } from './DateField';
import { FormActions } from './FormActions';
import { FormError } from './FormError';
import { TextField } from './TextField';
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
        <TextField
          id="nb-title"
          label={t('newNotebookForm.notebookName')}
          testId={T.newNotebookTitle}
          value={title}
          maxLength={200}
          onChange={(v) => (setTitle(v), setError(''))}
          placeholder={t('newNotebookForm.anaBatbayar')}
          autoFocus
        />
        <TextField
          id="nb-programme"
          label={t('newNotebookForm.programmeOptional')}
          testId={T.newNotebookProgramme}
          value={programme}
          maxLength={200}
          onChange={setProgramme}
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
        <FormError message={error} />
        <FormActions
          cancelLabel={t('newNotebookForm.cancel')}
          onCancel={props.onCancel}
          submitLabel={props.busy ? t('newNotebookForm.creating') : t('newNotebookForm.createNotebook')}
          busy={props.busy}
          submitTestId={T.newNotebookCreate}
        />
      </form>
    </main>
  );
}
