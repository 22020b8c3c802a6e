import { useState } from 'react';
import { currentLocale } from '../lib/i18n';
import type * as Y from 'yjs';
import { addNotice, clipNoticesItem, dismissNotice, enqueueClip } from '../lib/ext/clip-queue';
import type { ClipOutcome } from '../lib/ext/messages';
import { clipPageFromPanel, requestPageAccess } from '../lib/ext/panel-clip';
import { randomId } from '../lib/notebook/people';
import type { Topic } from '../lib/notebook/types';
import { SelectField } from './SelectField';
import { T } from './test-ids';
import type { ArrivedClip } from './use-clip-queue';
import { useStorageItem } from './use-storage-item';
import { fill, useT } from './i18n';

/**
 * "Clip this page" into a chosen topic, the result in words, and any problems with clips taken
 * while the panel was closed (each with the offer to save the link instead).
 */
export function ClipBar(props: {
  doc: Y.Doc;
  notebookId: string;
  topics: Topic[];
  defaultTopicId: string | undefined;
  arrived: ArrivedClip[];
  onOpenTopic(id: string): void;
}) {
  const t = useT();
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Extract<ClipOutcome, { ok: false }> | null>(null);
  const notices = useStorageItem(clipNoticesItem) ?? [];
  const live = props.topics.filter((t) => !t.archived);
  const topicId = chosen && live.some((t) => t.id === chosen) ? chosen : props.defaultTopicId;
  const last = props.arrived.at(-1);

  const saveLink = async (url: string, title: string | undefined, noticeId?: string) => {
    await enqueueClip({
      id: randomId(),
      captured: { kind: 'link', url, linkUrl: url, title: title || url, text: title },
      clippedAt: Date.now(),
      via: 'panel',
      notebookId: props.notebookId,
      topicId,
    });
    if (noticeId) await dismissNotice(noticeId);
    setFailure(null);
  };

  const clip = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const out = await clipPageFromPanel(props.notebookId, topicId);
      if (!out.ok) setFailure(out);
    } catch (e) {
      const f = { ok: false as const, reason: 'failed' as const, message: t('clipBar.thePageCouldNot', { message: (e as Error).message }) };
      setFailure(f);
      await addNotice({ id: randomId(), at: Date.now(), message: f.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="clip-bar">
      <div className="row">
        <button
          type="button"
          className="primary"
          // Not `disabled` while busy: disabling the focused button would drop keyboard focus.
          disabled={!live.length}
          aria-disabled={busy || undefined}
          data-testid={T.clipPage}
          onClick={() => void (busy || clip())}
        >
          {busy ? t('clipBar.clipping') : t('clipBar.clipThisPage')}
        </button>
        <SelectField
          id="clip-topic"
          label={t('clipBar.topicForNewClips')}
          hideLabel
          ariaLabel={t('clipBar.topicForNewClips')}
          className="grow"
          value={topicId ?? ''}
          onChange={setChosen}
          testId={T.clipTopic}
          options={live.map((tp) => ({ value: tp.id, label: t('clipBar.into', { title: tp.title }) }))}
        />
      </div>
      <div role="status" aria-live="polite" data-testid={T.clipStatus} className="small">
        {busy && t('clipBar.readingThePage')}
        {!busy && last && !failure && (
          <>
            {fill(t('clipBar.clipped', { title: last.title }), {
              topic: (
                <button type="button" className="link-button" onClick={() => props.onOpenTopic(last.topicId)}>
                  {last.topicTitle}
                </button>
              ),
            })}
          </>
        )}
      </div>
      {failure && (
        <div className="alert" role="alert" data-testid={T.clipNotice}>
          <p>{failure.message}</p>
          {failure.reason === 'no-access' && (
            <button
              type="button"
              data-testid={T.allowPageAccess}
              // The request must be the first call in the click: Firefox refuses it after an await.
              onClick={() => void requestPageAccess().then((granted) => (granted ? clip() : undefined))}
            >
              {t('clipBar.allowPartnerNotebookTo')}
            </button>
          )}
          {failure.reason !== 'no-access' && failure.url && (
            <button type="button" onClick={() => void saveLink(failure.url!, failure.title)} data-testid={T.saveLinkInstead}>
              {t('clipBar.saveTheLink', { title: failure.title || failure.url })}
            </button>
          )}
          {failure.reason === 'restricted' && !failure.url && <LinkForm onSave={(url, title) => saveLink(url, title)} />}
        </div>
      )}
      {notices.map((n) => (
        <div key={n.id} className="alert" role="alert" data-testid={T.clipNotice}>
          <p>
            {t('clipBar.aClipFrom', { time: new Date(n.at).toLocaleTimeString(currentLocale(), { hour: '2-digit', minute: '2-digit' }), message: n.message })}
          </p>
          <div className="row wrap">
            {n.url && (
              <button type="button" onClick={() => void saveLink(n.url!, n.title, n.id)} data-testid={T.saveLinkInstead}>
                {t('clipBar.saveTheLinkInstead')}
              </button>
            )}
            <button type="button" onClick={() => void dismissNotice(n.id)}>
              {t('clipBar.dismiss')}
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}

/** Save a link by hand when the browser does not tell the extension the page's address. */
function LinkForm(props: { onSave(url: string, title: string): Promise<void> }) {
  const t = useT();
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState('');
  return (
    // noValidate: our own message is clearer than the browser's bubble, and screen readers hear it.
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        let u: URL;
        try {
          u = new URL(url.trim());
        } catch {
          return setError(t('clipBar.pasteTheWholeAddress'));
        }
        if (u.protocol !== 'https:' && u.protocol !== 'http:') return setError(t('clipBar.onlyWebAddressesHttps'));
        await props.onSave(u.href, title.trim());
      }}
    >
      <p className="small">{t('clipBar.youCanStillSave')}</p>
      <label htmlFor="manual-link-url">{t('clipBar.pageAddress')}</label>
      <input
        id="manual-link-url"
        type="url"
        value={url}
        placeholder={t('clipBar.https')}
        onChange={(e) => (setUrl(e.target.value), setError(''))}
        aria-invalid={!!error}
      />
      <label htmlFor="manual-link-title">{t('clipBar.titleOptional')}</label>
      <input id="manual-link-title" value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <button type="submit" data-testid={T.saveLinkInstead}>
        {t('clipBar.saveTheLink2')}
      </button>
    </form>
  );
}
