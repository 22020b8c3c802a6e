import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { HistoryVersion } from '../lib/notebook/history';
import { noteText, readClips, readTopics, type RestoreCounts, type RestoreScope } from '../lib/notebook';
import type { HistoryKeeper } from '../lib/sync/history-keeper';
import type { Topic } from '../lib/notebook/types';
import { ConfirmDialog } from './ConfirmDialog';
import { formatBytes } from './download';
import { T } from './test-ids';

const WHEN = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const when = (ms: number) => WHEN.format(ms);

/** Why a version was kept, in words. */
function reasonText(v: HistoryVersion): string {
  switch (v.reason) {
    case 'auto':
      return 'Saved automatically';
    case 'before-restore':
      return 'Before a restore from History';
    case 'before-merge':
      return 'Before a backup was merged in';
    case 'before-rotation':
      return 'Before a new invite was made';
    case 'before-deletion':
      if (!v.removed?.fromPartner) return 'Before a change on this computer removed a lot';
      return v.by ? `Before a change from ${v.by} removed a lot` : 'Before a change from a partner removed a lot';
  }
}

/** What a large deletion removed, as a short list. */
function removedText(r: NonNullable<HistoryVersion['removed']>): string {
  const parts: string[] = [];
  if (r.topics) parts.push(r.topics === 1 ? '1 topic' : `${r.topics} topics`);
  if (r.clips) parts.push(r.clips === 1 ? '1 clip' : `${r.clips} clips`);
  if (r.noteChars) parts.push(`${r.noteChars.toLocaleString()} characters of notes`);
  return `Removed: ${parts.join(' · ')}`;
}

function countsText(c: HistoryVersion['counts']): string {
  return `${c.topics === 1 ? '1 topic' : `${c.topics.toLocaleString()} topics`} · ${c.clips === 1 ? '1 clip' : `${c.clips.toLocaleString()} clips`} · ${c.noteWords === 1 ? '1 word' : `${c.noteWords.toLocaleString()} words`} of notes`;
}

/** What a restore will do, in a sentence or two for the confirmation. */
function restoreText(c: RestoreCounts): string {
  const lines: string[] = [];
  if (c.topicsBack) lines.push(c.topicsBack === 1 ? '1 topic comes back.' : `${c.topicsBack} topics come back.`);
  if (c.topicsChanged) lines.push(c.topicsChanged === 1 ? '1 topic gets its earlier title, prompt or dates.' : `${c.topicsChanged} topics get their earlier titles, prompts or dates.`);
  if (c.notes) lines.push(c.notes === 1 ? '1 note goes back to its earlier text.' : `${c.notes} notes go back to their earlier text.`);
  if (c.clips) lines.push(c.clips === 1 ? '1 clip comes back or changes back.' : `${c.clips} clips come back or change back.`);
  if (c.other) lines.push('The notebook’s details, profiles or poster go back too.');
  if (!lines.length) return 'This version is the same as the notebook now. Nothing would change.';
  lines.push('Topics and clips added since then stay.');
  lines.push('The notebook as it is now is kept in History first, and your partners get the restored version when you next sync.');
  return lines.join(' ');
}

const nothingChanges = (c: RestoreCounts) => !c.topicsBack && !c.topicsChanged && !c.notes && !c.clips && !c.other;

/** One topic of a past version, read-only: its note as text and its clips' titles. */
function PastTopic(props: { doc: Y.Doc; topic: Topic }) {
  const paragraphs = noteText(props.doc, props.topic.id).split('\n').filter(Boolean);
  const clips = readClips(props.doc, { topicId: props.topic.id });
  return (
    <div className="card" data-testid={T.historyPastTopic}>
      <h3>{props.topic.title}</h3>
      {props.topic.prompt && <p className="prompt">{props.topic.prompt}</p>}
      <h4>Note</h4>
      <div className="past-note" data-testid={T.historyPastNote}>
        {paragraphs.length ? paragraphs.map((p, i) => <p key={i}>{p}</p>) : <p className="muted">The note was empty.</p>}
      </div>
      <h4>Clips ({clips.length})</h4>
      {clips.length ? (
        <ul className="plain small">
          {clips.slice(0, 50).map((c) => (
            <li key={c.id}>{c.captured.title}</li>
          ))}
          {clips.length > 50 && <li className="muted">and {clips.length - 50} more</li>}
        </ul>
      ) : (
        <p className="muted small">No clips.</p>
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
        <p role="status">Opening History…</p>
        <button type="button" onClick={props.onBack}>
          Back
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
      setStatus({
        kind: 'ok',
        text: back
          ? `Restored from the version of ${when(open.v.at)}. Your partners get it when you next sync. The notebook as it was just before is kept in History.`
          : 'Nothing needed restoring: the notebook already matches this version.',
      });
    } catch (e) {
      setStatus({ kind: 'error', text: `Could not restore: ${(e as Error).message}` });
    }
  };

  const statusLine = status && (
    <p role={status.kind === 'error' ? 'alert' : 'status'} className={status.kind === 'error' ? 'error' : status.kind === 'ok' ? 'ok' : 'muted'} data-testid={T.historyStatus} aria-busy={status.kind === 'busy'}>
      {status.text}
    </p>
  );

  if (open) {
    const topics = readTopics(open.doc);
    const focus = shownTopic !== undefined ? topics.find((t) => t.id === shownTopic) : undefined;
    return (
      <section aria-labelledby="history-heading" data-testid={T.historyPast}>
        <button type="button" className="link-button" data-testid={T.historyBack} onClick={() => (setOpen(null), setStatus(null))}>
          ← All versions
        </button>
        <h1 id="history-heading" ref={heading} tabIndex={-1}>
          Version of {when(open.v.at)}
        </h1>
        <p className="muted">
          {reasonText(open.v)}. {countsText(open.v.counts)}.
        </p>
        <p className="small">This is how the notebook was then. Looking changes nothing.</p>
        {statusLine}
        {shownTopic !== undefined && !focus && <p className="alert">This topic is not in this version. Choose an older version, or look at the whole notebook below.</p>}
        {focus && (
          <>
            <PastTopic doc={open.doc} topic={focus} />
            <div className="row wrap">
              <button type="button" className="primary" data-testid={T.historyRestoreTopic} onClick={() => askRestore({ topicId: focus.id }, `Restore “${focus.title}”?`)}>
                Restore this topic
              </button>
              <button type="button" onClick={() => setShownTopic(undefined)}>
                Show all topics of this version
              </button>
            </div>
          </>
        )}
        {!focus && (
          <>
            <h2>Topics in this version</h2>
            {topics.length === 0 && <p className="muted">This version has no topics.</p>}
            <ul className="plain">
              {topics.map((t) => (
                <li key={t.id} className="row history-topic">
                  <span className="grow">
                    {t.title}
                    {t.archived && <span className="badge"> archived</span>}
                  </span>
                  <button type="button" className="small-button" aria-label={`Look at “${t.title}” in this version`} onClick={() => setShownTopic(t.id)}>
                    Look
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="row wrap history-actions">
          <button type="button" className={focus ? undefined : 'primary'} data-testid={T.historyRestoreNotebook} onClick={() => askRestore({ notebook: true }, 'Restore the whole notebook?')}>
            Restore the whole notebook
          </button>
        </div>
        {confirm && (
          <ConfirmDialog
            title={confirm.title}
            body={`From the version of ${when(open.v.at)}: ${restoreText(confirm.counts)}`}
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
        ← Back
      </button>
      <h1 id="history-heading" ref={heading} tabIndex={-1}>
        History
      </h1>
      <p>Earlier versions of this notebook, kept on this computer. Open one to look at it, then bring back a topic or the whole notebook.</p>
      {size && (
        <p className="muted small" data-testid={T.historySize}>
          History uses {formatBytes(size.bytes)} on this computer (at most {formatBytes(size.capBytes)}). It keeps every version of the last day, one a day for two weeks, then one every two weeks.
        </p>
      )}
      {statusLine}
      {keeper.lastError && (
        <p role="alert" className="error">
          History could not keep a version: {keeper.lastError} The notebook itself is saved as usual.
        </p>
      )}
      {versions === null && <p role="status">Reading History…</p>}
      {versions?.length === 0 && <p className="muted">No versions yet. The first one is kept a few seconds after the notebook opens, then about once an hour while you work, and always just before a large deletion.</p>}
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
                  aria-label={`Open the version of ${when(v.at)}`}
                  disabled={loading !== null}
                  onClick={() => void openVersion(v)}
                >
                  {loading?.id === v.id ? 'Opening…' : 'Open'}
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
          Opening the version of {when(loading.at)}…
        </p>
      )}
    </section>
  );
}
