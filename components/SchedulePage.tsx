import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { remindersOffItem } from '../lib/ext/rhythm';
import { addTopic, setInfo, updateTopic } from '../lib/notebook';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { systemDeps as deps } from '../lib/notebook/people';
import { planImport } from '../lib/topics/apply-import';
import { dayEnd, dayStart, toDateInput } from '../lib/topics/date-input';
import { IMPORT_LIMITS, parseTopicSchedule } from '../lib/topics/import';
import { assignDates, fortnightlySchedule } from '../lib/topics/schedule';
import { DateField } from './DateField';
import { FormError } from './FormError';
import { BackAndHeading } from './BackAndHeading';
import { T } from './test-ids';
import { myTimeZone, shortDate } from './TopicList';
import { useStorageItem } from './use-storage-item';
import { useT } from './i18n';

/**
 * "Programme schedule": the programme's start and poster deadline, fortnightly dates for the
 * topics, importing the organisers' schedule (with a preview before anything is written), and
 * which reminders this computer shows.
 */
export function SchedulePage(props: { doc: Y.Doc; snap: NotebookSnapshot; onBack(): void }) {
  const t = useT();
  return (
    <section aria-labelledby="schedule-heading">
      <BackAndHeading
        backLabel={t('schedulePage.allTopics')}
        onBack={props.onBack}
        headingId="schedule-heading"
        heading={t('schedulePage.programmeSchedule')}
      />
      <ProgrammeDates doc={props.doc} snap={props.snap} />
      <ImportSchedule doc={props.doc} snap={props.snap} />
      <Reminders />
    </section>
  );
}

function ProgrammeDates({ doc, snap }: { doc: Y.Doc; snap: NotebookSnapshot }) {
  const t = useT();
  const tz = myTimeZone();
  const { programmeStart, posterDeadline } = snap.info;
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const undated = snap.topics.filter((t) => !t.archived && t.start === undefined).length;
  // The start is its day's first moment; the whole deadline day counts ("due today" until local midnight).
  const programmeDate = (key: 'programmeStart' | 'posterDeadline', id: string, label: string, testId: string) => (
    <DateField
      id={id}
      label={label}
      testId={testId}
      value={toDateInput(snap.info[key], tz)}
      onChange={(day) => setInfo(doc, key === 'programmeStart' ? { programmeStart: dayStart(day, tz) } : { posterDeadline: dayEnd(day, tz) })}
    />
  );
  return (
    <>
      <div className="row wrap">
        {programmeDate('programmeStart', 'programme-start', t('schedulePage.programmeStarts'), T.programmeStart)}
        {programmeDate('posterDeadline', 'poster-deadline', t('schedulePage.posterDeadline'), T.posterDeadline)}
      </div>
      <p className="muted small">{t('schedulePage.datesFollowYourCalendar', { zone: tz })}</p>
      <button
        type="button"
        data-testid={T.giveDates}
        disabled={programmeStart === undefined}
        onClick={() => {
          setError('');
          try {
            const schedule = fortnightlySchedule({ start: programmeStart!, deadline: posterDeadline, timeZone: tz });
            const dates = assignDates(snap.topics, schedule);
            doc.transact(() => {
              for (const [id, p] of dates) updateTopic(doc, id, { start: p.start, end: p.end });
            }, 'local');
            setMessage(dates.size === 0 ? t('schedulePage.everyTopicAlreadyHas') : t('schedulePage.sizePFortnightlyDates', { count: dates.size }));
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        {t('schedulePage.giveTopicsFortnightlyDates')}
      </button>
      <p className="muted small">
        {programmeStart === undefined ? t('schedulePage.enterTheProgrammeS') : t('schedulePage.topicsWithoutDatesUndated', { undated: undated })}
      </p>
      {message && (
        <p role="status" className="ok">
          {message}
        </p>
      )}
      <FormError message={error} />
    </>
  );
}

function ImportSchedule({ doc, snap }: { doc: Y.Doc; snap: NotebookSnapshot }) {
  const t = useT();
  const tz = myTimeZone();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [fileError, setFileError] = useState('');
  const [preview, setPreview] = useState(false);
  const [done, setDone] = useState('');
  const parsed = useMemo(() => (preview ? parseTopicSchedule(text, { timeZone: tz }) : undefined), [preview, text, tz]);
  const plan = useMemo(() => (parsed ? planImport(snap.topics, parsed.rows, tz) : []), [parsed, snap.topics, tz]);

  return (
    <section aria-labelledby="import-heading" className="card">
      <h2 id="import-heading">{t('schedulePage.importTheOrganisersSchedule')}</h2>
      <p className="muted small">{t('schedulePage.pasteTheListFrom')}</p>
      <label htmlFor="import-text">{t('schedulePage.schedule')}</label>
      <textarea
        id="import-text"
        data-testid={T.importText}
        rows={5}
        value={text}
        placeholder={t('schedulePage.makeAConnectionMarch')}
        onChange={(e) => (setText(e.target.value), setPreview(false), setDone(''))}
      />
      <label htmlFor="import-file">{t('schedulePage.orAFileCsv')}</label>
      <input
        id="import-file"
        type="file"
        accept=".csv,.json,.txt,text/csv,application/json,text/plain"
        data-testid={T.importFile}
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          setFileName(f.name);
          setDone('');
          // Never read a huge file into memory: the parser would refuse it anyway.
          if (f.size > IMPORT_LIMITS.bytes) {
            setFileError(t('schedulePage.nameIsPMb', { name: f.name, p1: (f.size / 1_048_576).toFixed(1) }));
            return;
          }
          setFileError('');
          setText(await f.text());
          setPreview(true);
        }}
      />
      {fileError ? <FormError message={fileError} /> : fileName && <p className="muted small">{t('schedulePage.readFrom', { name: fileName })}</p>}
      <div className="row end">
        <button type="button" data-testid={T.importPreview} disabled={!text.trim()} onClick={() => (setPreview(true), setDone(''))}>
          {t('schedulePage.preview')}
        </button>
      </div>
      {parsed && (
        <div data-testid={T.importPreviewBox}>
          {parsed.errors.length > 0 && (
            <div className="alert import-errors" role="alert" data-testid={T.importErrors}>
              <p>
                <strong>{t('schedulePage.cannotBeImportedAnd', { count: parsed.errors.length })}</strong>
              </p>
              <ul>
                {parsed.errors.map((e, i) => (
                  <li key={i}>{e.message}</li>
                ))}
              </ul>
            </div>
          )}
          {plan.length > 0 && (
            <div className="table-scroll">
              <table className="preview" data-testid={T.importTable}>
                <caption className="sr-only">{t('schedulePage.topicsThatWillBe')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('schedulePage.line')}</th>
                    <th scope="col">{t('schedulePage.topic')}</th>
                    <th scope="col">{t('schedulePage.dates')}</th>
                    <th scope="col">{t('schedulePage.change')}</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.map((s) => (
                    <tr key={s.line}>
                      <td>{s.line}</td>
                      <td>
                        <span className="preview-title">{s.title}</span>
                        {s.prompt && <span className="muted small preview-prompt">{s.prompt}</span>}
                      </td>
                      <td className="nowrap">{s.start !== undefined ? `${shortDate(s.start)}–${s.end !== undefined ? shortDate(s.end) : ''}` : '—'}</td>
                      <td>{s.action === 'create' ? t('schedulePage.new') : t('schedulePage.update')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {plan.length > 0 && (
            <div className="row end">
              <button
                type="button"
                className="primary"
                data-testid={T.importApply}
                onClick={() => {
                  doc.transact(() => {
                    for (const s of plan) {
                      const dates = s.start !== undefined ? { start: s.start, end: s.end } : {};
                      if (s.action === 'update')
                        updateTopic(doc, s.topicId, { title: s.title, prompt: s.prompt, kind: 'programme', archived: false, ...dates });
                      else addTopic(doc, { title: s.title, prompt: s.prompt, kind: 'programme', ...dates }, deps);
                    }
                  }, 'local');
                  const created = plan.filter((s) => s.action === 'create').length;
                  setDone(t('schedulePage.importedCreatedNewP', { count: created, updated: plan.length - created }));
                  setText('');
                  setFileName('');
                  setPreview(false);
                }}
              >
                {t('schedulePage.import', { count: plan.length })}
              </button>
            </div>
          )}
        </div>
      )}
      {done && (
        <p role="status" className="ok" data-testid={T.importDone}>
          {done}
        </p>
      )}
    </section>
  );
}

function Reminders() {
  const t = useT();
  const stored = useStorageItem(remindersOffItem);
  // Shown at once, written in the background: a checkbox must not wait for storage to flip.
  const [local, setLocal] = useState<{ quiet: boolean; deadline: boolean } | null>(null);
  const off = local ?? (stored && { quiet: stored.quiet === true, deadline: stored.deadline === true });
  const set = (patch: Partial<{ quiet: boolean; deadline: boolean }>) => {
    if (!off) return;
    const next = { ...off, ...patch };
    setLocal(next);
    void remindersOffItem.setValue(next);
  };
  return (
    <fieldset className="reminders" data-testid={T.reminders}>
      <legend>{t('schedulePage.remindersOnThisComputer')}</legend>
      <label className="check">
        <input type="checkbox" disabled={!off} checked={!off?.quiet} onChange={(e) => set({ quiet: !e.target.checked })} />
        {t('schedulePage.whenNothingHasCome')}
      </label>
      <label className="check">
        <input type="checkbox" disabled={!off} checked={!off?.deadline} onChange={(e) => set({ deadline: !e.target.checked })} />
        {t('schedulePage.posterDeadlineAndDays')}
      </label>
      <p className="muted small">{t('schedulePage.shownAsBrowserNotifications')}</p>
    </fieldset>
  );
}
