import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { HistoryVersion } from '../lib/notebook/history';
import { noteText, readClips, readTopics, type RestoreCounts, type RestoreScope } from '../lib/notebook';
import type { HistoryKeeper } from '../lib/sync/local/history-keeper';
import type { Topic } from '../lib/notebook/types';
import { ConfirmDialog } from './ConfirmDialog';
import { formatBytes } from './download';
import { T } from './test-ids';
import { useT } from './i18n';
import { date, t } from '../lib/i18n';

const when = (ms: number) => date(ms, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** Why a version was kept, in words. */
function reasonText(v: HistoryVersion): string {
  switch (v.reason) {
    case 'auto':
      return t('historyPage.savedAutomatically');
    case 'before-restore':
      return t('historyPage.beforeARestoreFrom');
    case 'before-merge':
      return t('historyPage.beforeABackupWas');
    case 'before-rotation':
      return t('historyPage.beforeANewInvite');
    case 'before-deletion':
      if (!v.removed?.fromPartner) return t('historyPage.beforeAChangeOn');
      return v.by ? t('historyPage.beforeAChangeFrom', { by: v.by }) : t('historyPage.beforeAChangeFrom2');
  }
}

/** What a large deletion removed, as a short list. */
function removedText(r: NonNullable<HistoryVersion['removed']>): string {
  const parts: string[] = [];
  if (r.topics) parts.push(t('historyPage.nTopics', { count: r.topics }));
  if (r.clips) parts.push(t('historyPage.nClips', { count: r.clips }));
  if (r.noteChars) parts.push(t('historyPage.nCharsOfNotes', { count: r.noteChars }));
  return t('historyPage.removed', { list: parts.join(' · ') });
}

function countsText(c: HistoryVersion['counts']): string {
  return `${t('historyPage.nTopics', { count: c.topics })} · ${t('historyPage.nClips', { count: c.clips })} · ${t('historyPage.nWordsOfNotes', { count: c.noteWords })}`;
}

/** What a restore will do, in a sentence or two for the confirmation. */
function restoreText(c: RestoreCounts): string {
  const lines: string[] = [];
  if (c.topicsBack) lines.push(t('historyPage.topicsComeBack', { count: c.topicsBack }));
  if (c.topicsChanged) lines.push(t('historyPage.topicsGetEarlier', { count: c.topicsChanged }));
  if (c.notes) lines.push(t('historyPage.notesGoBack', { count: c.notes }));
  if (c.clips) lines.push(t('historyPage.clipsComeBack', { count: c.clips }));
  if (c.other) lines.push(t('historyPage.theNotebookSDetails'));
  if (!lines.length) return t('historyPage.thisVersionIsThe');
  lines.push(t('historyPage.topicsAndClipsAdded'));
  lines.push(t('historyPage.theNotebookAsIt'));
  return lines.join(' ');
}

const nothingChanges = (c: RestoreCounts) => !c.topicsBack && !c.topicsChanged && !c.notes && !c.clips && !c.other;

/** One topic of a past version, read-only: its note as text and its clips' titles. */
function PastTopic(props: { doc: Y.Doc; topic: Topic }) {
  const t = useT();
  const paragraphs = noteText(props.doc, props.topic.id).split('\n').filter(Boolean);
  const clips = readClips(props.doc, { topicId: props.topic.id });
  return (
    <div className="card" data-testid={T.historyPastTopic}>
      <h3>{props.topic.title}</h3>
      {props.topic.prompt && <p className="prompt">{props.topic.prompt}</p>}
      <h4>{t('historyPage.note')}</h4>
      <div className="past-note" data-testid={T.historyPastNote}>
        {paragraphs.length ? paragraphs.map((p, i) => <p key={i}>{p}</p>) : <p className="muted">{t('historyPage.theNoteWasEmpty')}</p>}
      </div>
      <h4>{t('historyPage.clips', { count: clips.length })}</h4>
      {clips.length ? (
        <ul className="plain small">
          {clips.slice(0, 50).map((c) => (
            <li key={c.id}>{c.captured.title}</li>
          ))}
          {clips.length > 50 && <li className="muted">{t('historyPage.andMore', { count: clips.length - 50 })}</li>}
        </ul>
      ) : (
        <p className="muted small">{t('historyPage.noClips')}</p>
      )}
    </div>
  );
}

/**
 * History: the kept versions of the notebook, newest first. Open one to look at it (read-only),
 * then restore one topic or the whole notebook as a new change. With `topicId` (from a topic
 * page) a version opens on that topic.
 */
export function HistoryPage(props: { keeper: HistoryKeeper | undefined; topicId?: string; onBack(): void }) {
  const t = useT();
  const { keeper } = props;
  const [versions, setVersions] = useState<HistoryVersion[] | null>(null);
  const [size, setSize] = useState<{ bytes: number; capBytes: number } | null>(null);
  const [open, setOpen] = useState<{ v: HistoryVersion; doc: Y.Doc } | null>(null);
  const [loading, setLoading] = useState<HistoryVersion | null>(null);
  const [shownTopic, setShownTopic] = useState<string | undefined>(props.topicId);
  const [confirm, setConfirm] = useState<{ scope: RestoreScope; counts: RestoreCounts; title: string } | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error' | 'busy'; text: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!keeper) return;
    let live = true;
    const load = () =>
      void Promise.all([keeper.versions(), keeper.size()]).then(
        ([v, s]) => live && (setVersions(v), setSize(s)),
        (e: Error) => live && setStatus({ kind: 'error', text: e.message }),
      );
    load();
    const off = keeper.subscribe(load);
    return () => {
      live = false;
      off();
    };
  }, [keeper]);
  useEffect(() => () => open?.doc.destroy(), [open]);
  useEffect(() => heading.current?.focus(), [open?.v.id]);

  if (!keeper) {
    return (
      <section aria-busy="true">
        <p role="status">{t('historyPage.openingHistory')}</p>
        <button type="button" onClick={props.onBack}>
          {t('historyPage.back')}
        </button>
      </section>
    );
  }

  const openVersion = async (v: HistoryVersion) => {
    setLoading(v);
    setStatus(null);
    try {
      const doc = await keeper.load(v.id);
      setShownTopic(props.topicId);
      setOpen({ v, doc });
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    } finally {
      setLoading(null);
    }
  };

  const askRestore = (scope: RestoreScope, title: string) => {
    if (!open) return;
    try {
      const counts = keeper.preview(open.doc, scope);
      setStatus(null);
      setConfirm({ scope, counts, title });
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    }
  };

  const doRestore = async () => {
    if (!open || !confirm) return;
    const { scope } = confirm;
    setConfirm(null);
    setStatus({ kind: 'busy', text: 'Restoring…' });
    try {
      const c = await keeper.restore(open.doc, scope);
      const back = c.topicsBack + c.topicsChanged + c.notes + c.clips + c.other;
      setStatus({ kind: 'ok', text: back ? t('historyPage.restoredFromTheVersion', { p0: when(open.v.at) }) : t('historyPage.nothingNeededRestoringThe') });
    } catch (e) {
      setStatus({ kind: 'error', text: t('historyPage.couldNotRestoreMessage', { message: (e as Error).message }) });
    }
  };

  const statusLine = status && (
    <p
      role={status.kind === 'error' ? 'alert' : 'status'}
      className={status.kind === 'error' ? 'error' : status.kind === 'ok' ? 'ok' : 'muted'}
      data-testid={T.historyStatus}
      aria-busy={status.kind === 'busy'}
    >
      {status.text}
    </p>
  );

  if (open) {
    const topics = readTopics(open.doc);
    const focus = shownTopic !== undefined ? topics.find((t) => t.id === shownTopic) : undefined;
    return (
      <section aria-labelledby="history-heading" data-testid={T.historyPast}>
        <button type="button" className="link-button" data-testid={T.historyBack} onClick={() => (setOpen(null), setStatus(null))}>
          {t('historyPage.allVersions')}
        </button>
        <h1 id="history-heading" ref={heading} tabIndex={-1}>
          {t('historyPage.versionOf', { when: when(open.v.at) })}
        </h1>
        <p className="muted">
          {reasonText(open.v)}. {countsText(open.v.counts)}.
        </p>
        <p className="small">{t('historyPage.thisIsHowThe')}</p>
        {statusLine}
        {shownTopic !== undefined && !focus && <p className="alert">{t('historyPage.thisTopicIsNot')}</p>}
        {focus && (
          <>
            <PastTopic doc={open.doc} topic={focus} />
            <div className="row wrap">
              <button
                type="button"
                className="primary"
                data-testid={T.historyRestoreTopic}
                onClick={() => askRestore({ topicId: focus.id }, t('historyPage.restoreTitle', { title: focus.title }))}
              >
                {t('historyPage.restoreThisTopic')}
              </button>
              <button type="button" onClick={() => setShownTopic(undefined)}>
                {t('historyPage.showAllTopicsOf')}
              </button>
            </div>
          </>
        )}
        {!focus && (
          <>
            <h2>{t('historyPage.topicsInThisVersion')}</h2>
            {topics.length === 0 && <p className="muted">{t('historyPage.thisVersionHasNo')}</p>}
            <ul className="plain">
              {topics.map((tp) => (
                <li key={tp.id} className="row history-topic">
                  <span className="grow">
                    {tp.title}
                    {tp.archived && <span className="badge"> {t('historyPage.archived')}</span>}
                  </span>
                  <button
                    type="button"
                    className="small-button"
                    aria-label={t('historyPage.lookAtTitleIn', { title: tp.title })}
                    onClick={() => setShownTopic(tp.id)}
                  >
                    {t('historyPage.look')}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="row wrap history-actions">
          <button
            type="button"
            className={focus ? undefined : 'primary'}
            data-testid={T.historyRestoreNotebook}
            onClick={() => askRestore({ notebook: true }, t('historyPage.restoreTheWholeNotebook2'))}
          >
            {t('historyPage.restoreTheWholeNotebook')}
          </button>
        </div>
        {confirm && (
          <ConfirmDialog
            title={confirm.title}
            body={t('historyPage.fromTheVersionOf', { p0: when(open.v.at), p1: restoreText(confirm.counts) })}
            confirmLabel={nothingChanges(confirm.counts) ? 'Close' : 'Restore'}
            onConfirm={() => (nothingChanges(confirm.counts) ? setConfirm(null) : void doRestore())}
            onCancel={() => setConfirm(null)}
          />
        )}
      </section>
    );
  }

  return (
    <section aria-labelledby="history-heading">
      <button type="button" className="link-button" data-testid={T.historyBack} onClick={props.onBack}>
        {t('historyPage.back2')}
      </button>
      <h1 id="history-heading" ref={heading} tabIndex={-1}>
        {t('historyPage.history')}
      </h1>
      <p>{t('historyPage.earlierVersionsOfThis')}</p>
      {size && (
        <p className="muted small" data-testid={T.historySize}>
          {t('historyPage.historyUses', { size: formatBytes(size.bytes), cap: formatBytes(size.capBytes) })}
        </p>
      )}
      {statusLine}
      {keeper.lastError && (
        <p role="alert" className="error">
          {t('historyPage.historyCouldNotKeep')} {keeper.lastError} {t('historyPage.theNotebookItselfIs')}
        </p>
      )}
      {versions === null && <p role="status">{t('historyPage.readingHistory')}</p>}
      {versions?.length === 0 && <p className="muted">{t('historyPage.noVersionsYetThe')}</p>}
      {versions && versions.length > 0 && (
        <ol className="plain history-list">
          {versions.map((v) => (
            <li key={v.id} className="card" data-testid={T.historyVersion}>
              <div className="row wrap">
                <span className="grow">
                  <strong>{when(v.at)}</strong>
                  <br />
                  {reasonText(v)}
                </span>
                <button
                  type="button"
                  className="small-button"
                  data-testid={T.historyOpenVersion}
                  aria-label={t('historyPage.openTheVersionOf', { p0: when(v.at) })}
                  disabled={loading !== null}
                  onClick={() => void openVersion(v)}
                >
                  {loading?.id === v.id ? t('historyPage.opening') : t('historyPage.open')}
                </button>
              </div>
              {v.removed && <p className="small danger-text">{removedText(v.removed)}</p>}
              <p className="muted small">{countsText(v.counts)}</p>
            </li>
          ))}
        </ol>
      )}
      {loading && (
        <p role="status" aria-busy="true">
          {t('historyPage.openingTheVersionOf', { when: when(loading.at) })}
        </p>
      )}
    </section>
  );
}
