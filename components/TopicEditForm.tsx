import { useState } from 'react';
import type * as Y from 'yjs';
import { NotebookError, updateTopic } from '../lib/notebook';
import type { Topic, TopicKind } from '../lib/notebook/types';
import { dayEnd, dayStart, toDateInput } from '../lib/topics/date-input';
import { DateField } from './DateField';
import { FormActions } from './FormActions';
import { FormError } from './FormError';
import { TextField } from './TextField';
import { T } from './test-ids';
import { myTimeZone } from './TopicList';
import { useT } from './i18n';

/**
 * "Edit topic" on the topic page: title, prompt, kind and dates. A draft until "Save", so a
 * half-typed title never reaches the partners, and a partner's edit meanwhile is not overwritten
 * field by field as one types.
 */
export function TopicEditForm(props: { doc: Y.Doc; topic: Topic }) {
  const t = useT();
  const tp = props.topic;
  const tz = myTimeZone();
  const initial = () => ({ title: tp.title, prompt: tp.prompt, kind: tp.kind, start: toDateInput(tp.start, tz), end: toDateInput(tp.end, tz) });
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  const id = (f: string) => `topic-${tp.id}-${f}`;
  const set = (patch: Partial<typeof draft>) => (setDraft((d) => ({ ...d, ...patch })), setError(''), setSaved(''));

  if (!open) {
    return (
      <div className="row">
        <button type="button" className="small-button" data-testid={T.editTopic} aria-expanded={false} onClick={() => (setDraft(initial()), setOpen(true))}>
          {t('topicEditForm.editTopic')}
        </button>
        {saved && (
          <span className="muted small" role="status">
            {saved}
          </span>
        )}
      </div>
    );
  }
  return (
    <form
      className="card topic-edit"
      aria-label={t('topicEditForm.editTopicTitle', { title: tp.title })}
      onSubmit={(e) => {
        e.preventDefault();
        const start = dayStart(draft.start, tz);
        const end = dayEnd(draft.end, tz);
        if (start !== undefined && end !== undefined && end < start) return setError(t('topicEditForm.theTopicMustEnd'));
        try {
          updateTopic(props.doc, tp.id, { title: draft.title, prompt: draft.prompt, kind: draft.kind, start, end });
          setOpen(false);
          setSaved(t('topicEditForm.saved'));
        } catch (err) {
          setError(err instanceof NotebookError ? err.message : String(err));
        }
      }}
    >
      <TextField
        id={id('title')}
        label={t('topicEditForm.title')}
        testId={T.editTopicTitle}
        value={draft.title}
        maxLength={200}
        required
        onChange={(title) => set({ title })}
        autoFocus
      />
      <label htmlFor={id('prompt')}>{t('topicEditForm.promptOrQuestion')}</label>
      <textarea
        id={id('prompt')}
        data-testid={T.editTopicPrompt}
        rows={3}
        value={draft.prompt}
        maxLength={4000}
        onChange={(e) => set({ prompt: e.target.value })}
      />
      <label htmlFor={id('kind')}>{t('topicEditForm.kind')}</label>
      <select id={id('kind')} value={draft.kind} onChange={(e) => set({ kind: e.target.value as TopicKind })}>
        <option value="programme">{t('topicEditForm.programmeTopicFromThe')}</option>
        <option value="own">{t('topicEditForm.ourOwnTopic')}</option>
      </select>
      <div className="row wrap">
        <DateField
          id={id('start')}
          label={t('topicEditForm.discussedFrom')}
          testId={T.editTopicStart}
          value={draft.start}
          onChange={(start) => set({ start })}
        />
        <DateField id={id('end')} label={t('topicEditForm.untilLastDay')} testId={T.editTopicEnd} value={draft.end} onChange={(end) => set({ end })} />
      </div>
      <FormError message={error} />
      <FormActions
        cancelLabel={t('topicEditForm.cancel')}
        onCancel={() => setOpen(false)}
        submitLabel={t('topicEditForm.saveTopic')}
        submitTestId={T.editTopicSave}
      />
    </form>
  );
}
