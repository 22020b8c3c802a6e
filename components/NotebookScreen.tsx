import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { allMessages, type MessageKey } from '../lib/i18n';

// Pages opened now and then load on first use, keeping the panel's first paint small.
const InvitePage = lazy(() => Promise.all([import('./InvitePage'), allMessages()]).then(([m]) => ({ default: m.InvitePage })));
const SettingsPage = lazy(() => Promise.all([import('./SettingsPage'), allMessages()]).then(([m]) => ({ default: m.SettingsPage })));
const PosterPage = lazy(() => Promise.all([import('./PosterPage'), allMessages()]).then(([m]) => ({ default: m.PosterPage })));
const SchedulePage = lazy(() => Promise.all([import('./SchedulePage'), allMessages()]).then(([m]) => ({ default: m.SchedulePage })));
const SearchPage = lazy(() => Promise.all([import('./SearchPage'), allMessages()]).then(([m]) => ({ default: m.SearchPage })));
const HistoryPage = lazy(() => Promise.all([import('./HistoryPage'), allMessages()]).then(([m]) => ({ default: m.HistoryPage })));
import { lastExchangeByItem, lastExchangeItem, type Identity, type NotebookEntry } from '../lib/ext/storage';
import { claimedMemberIds, isShared } from '../lib/sync/sharing';
import { readMemberEntries } from '../lib/notebook';
import { markOpened, syncEntryTitle } from '../lib/ext/notebooks';
import { openNotebookSession, type NotebookSession } from '../lib/sync/local/notebook-session';
import { LAST_NOTEBOOK_KEY } from '../lib/sync/local/prefetch';
import { takePrefetch } from '../lib/ext/prefetch';
import type { StorageError } from '../lib/sync/local/persistence';
import { chooseClipTopic } from '../lib/notebook/clip-destination';
import { ClipBar } from './ClipBar';
import { SyncBar } from './SyncBar';
import { RotationChoice } from './RotationChoice';
import { useNotebookSync } from './use-notebook-sync';
import { useTopicChanges } from './use-topic-changes';
import { useStorageItem } from './use-storage-item';
import { LibrariesPage, TimeZoneList } from './LibrariesPage';
import { useClipQueue } from './use-clip-queue';
import { useImageQueue } from './use-image-queue';
import { ImagesContext } from './images-context';
import { PdfClipStatus } from './PdfClipStatus';
import { useHighlightIndex } from './use-highlight-index';
import { T } from './test-ids';
import { TopicList } from './TopicList';
import { TopicPage } from './TopicPage';
import { MeContext } from './me-context';
import { useNotebookSearch } from './use-notebook-search';
import { rememberDeadline } from '../lib/ext/rhythm';
import { useNotebook } from './use-notebook';
import type { HistoryVersion } from '../lib/notebook/history';
import type { HistoryKeeper } from '../lib/sync/local/history-keeper';
import { useT } from './i18n';

/** Which page of a notebook is showing. */
export type View =
  | { page: 'topics' }
  | { page: 'topic'; topicId: string; readClipId?: string }
  | { page: 'libraries' }
  | { page: 'search' }
  | { page: 'schedule' }
  | { page: 'invite' }
  | { page: 'settings' }
  | { page: 'poster' }
  | { page: 'history'; topicId?: string };

/** The section tabs; a tab is current on its own page and on the pages reached from it. */
const TABS: { page: 'topics' | 'search' | 'libraries' | 'poster' | 'settings'; pages: View['page'][]; testId: string; label: MessageKey }[] = [
  { page: 'topics', pages: ['topics', 'topic', 'schedule', 'history'], testId: T.navTopics, label: 'notebookScreen.topics' },
  { page: 'search', pages: ['search'], testId: T.navSearch, label: 'notebookScreen.search' },
  { page: 'libraries', pages: ['libraries'], testId: T.navLibraries, label: 'notebookScreen.ourLibraries' },
  { page: 'poster', pages: ['poster'], testId: T.navPoster, label: 'notebookScreen.poster' },
  { page: 'settings', pages: ['settings'], testId: T.navSettings, label: 'notebookScreen.settings' },
];

/** Opens a notebook from storage and shows it; storage failures are explained, never a blank panel. */
export function NotebookScreen(props: { entry: NotebookEntry; notebooks: NotebookEntry[]; me: Identity; onSwitch(id: string): void; onManage(): void }) {
  const t = useT();
  const [session, setSession] = useState<NotebookSession | null>(null);
  const [error, setError] = useState<StorageError | Error | null>(null);
  const [writeError, setWriteError] = useState<StorageError | null>(null);
  const id = props.entry.id;

  useEffect(() => {
    let live = true;
    setSession(null);
    setError(null);
    performance.mark('pn:open');
    const s = openNotebookSession(id, { journal: localStorage, onStorageError: (e) => live && setWriteError(e), prefetched: takePrefetch(id), history: true });
    localStorage.setItem(LAST_NOTEBOOK_KEY, id);
    s.ready.then(
      () => {
        performance.mark('pn:ready');
        if (!live) return;
        setSession(s);
        void markOpened(id);
      },
      (e: Error) => live && setError(e),
    );
    // pagehide is the last event that reliably runs when the panel closes or reloads.
    const flush = () => s.persistence.flush();
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      live = false;
      removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      void s.close();
    };
  }, [id]);

  const header = <NotebookHeader current={id} notebooks={props.notebooks} onSwitch={props.onSwitch} onManage={props.onManage} />;
  if (error) {
    return (
      <>
        {header}
        <main className="page">
          <div className="alert" role="alert" data-testid={T.storageError}>
            <h1>{t('notebookScreen.thisNotebookCannotBe')}</h1>
            <p>{error.message}</p>
            <button type="button" className="primary" onClick={() => location.reload()}>
              {t('notebookScreen.tryAgain')}
            </button>
          </div>
        </main>
      </>
    );
  }
  if (!session) {
    return (
      <>
        {header}
        <main className="page" aria-busy="true">
          <p role="status">{t('notebookScreen.opening', { title: props.entry.title })}</p>
        </main>
      </>
    );
  }
  return (
    <>
      {header}
      {writeError && (
        <div className="alert" role="alert" data-testid={T.storageError}>
          {writeError.message}
        </div>
      )}
      <OpenNotebook session={session} me={props.me} entry={props.entry} />
    </>
  );
}

function OpenNotebook({ session, me, entry }: { session: NotebookSession; me: Identity; entry: NotebookEntry }) {
  const t = useT();
  const snap = useNotebook(session.doc);
  const [view, setView] = useState<View>({ page: 'topics' });
  const syncView = useNotebookSync(session, entry, me);
  const lastExchangeBy = useStorageItem(lastExchangeByItem);
  const lastExchange = useStorageItem(lastExchangeItem);
  const shared = isShared({
    sharedAt: entry.sharedAt,
    meId: me.id,
    // Read on each render: the doc changes re-render this component, and the map is small.
    memberIds: claimedMemberIds(readMemberEntries(session.doc)),
    livePartners: syncView.live?.partners.length ?? 0,
    exchanged: lastExchange?.[session.id] !== undefined,
  });
  const [recentTopicId, setRecentTopicId] = useState<string | undefined>();
  const openTopicId = view.page === 'topic' ? view.topicId : undefined;
  useEffect(() => void (openTopicId && setRecentTopicId(openTopicId)), [openTopicId]);
  const topicChanges = useTopicChanges(session.id, snap.partners, openTopicId);
  // Partners see which topic this person has open.
  useEffect(() => syncView.sync?.live.setTopic(openTopicId), [syncView.sync, openTopicId]);
  const durable = useCallback(() => session.persistence.confirm(), [session]);
  const arrived = useClipQueue(session.doc, session.id, me, { openTopicId, recentTopicId }, durable);
  useImageQueue(session, arrived.map((a) => a.clipId).join());
  const imagesAccess = useMemo(() => ({ doc: session.doc, images: () => session.images() }), [session]);
  useHighlightIndex(session.doc, session.id);
  const defaultTopic = chooseClipTopic(snap.topics, { openTopicId, recentTopicId }, Date.now());
  const main = useRef<HTMLElement>(null);
  const search = useNotebookSearch(session.doc);
  const historyKeeper = useHistoryKeeper(session);
  const erased = useLargeDeletion(historyKeeper);
  const [erasedSeen, setErasedSeen] = useState<number | undefined>();
  // The background's reminders cannot open the doc: give them the deadline.
  useEffect(() => void rememberDeadline(session.id, snap.info.posterDeadline), [session.id, snap.info.posterDeadline]);
  useEffect(() => {
    if (snap.info.title) void syncEntryTitle(session.id, snap.info.title);
  }, [session.id, snap.info.title]);
  return (
    <>
      <nav className="tabs" aria-label={t('notebookScreen.notebookSections')}>
        {TABS.map((tab) => (
          <button
            key={tab.page}
            type="button"
            data-testid={tab.testId}
            aria-current={tab.pages.includes(view.page) ? 'page' : undefined}
            onClick={() => setView({ page: tab.page })}
          >
            {t(tab.label)}
          </button>
        ))}
      </nav>
      <SyncBar
        view={syncView}
        topics={snap.topics}
        partners={snap.partners}
        lastExchange={lastExchangeBy?.[session.id] ?? {}}
        meId={me.id}
        shared={shared}
        onInvite={() => setView({ page: 'invite' })}
      />
      {syncView.notice && (
        <div className="alert row" role="status" data-testid={T.rotationNotice}>
          <p className="grow">{syncView.notice}</p>
          <button type="button" className="small-button" onClick={syncView.dismissNotice} aria-label={t('notebookScreen.hideThisMessage')}>
            {t('notebookScreen.ok')}
          </button>
        </div>
      )}
      {syncView.choice && <RotationChoice choice={syncView.choice} onChoose={syncView.choose} onLater={syncView.dismissChoice} />}
      <ClipBar
        doc={session.doc}
        notebookId={session.id}
        topics={snap.topics}
        defaultTopicId={defaultTopic?.id}
        arrived={arrived}
        onOpenTopic={(topicId) => setView({ page: 'topic', topicId })}
      />
      <PdfClipStatus
        doc={session.doc}
        notebookId={session.id}
        me={me}
        where={{ openTopicId, recentTopicId }}
        durable={durable}
        onOpenTopic={(topicId) => setView({ page: 'topic', topicId })}
      />
      {session.newerFormat !== undefined && (
        <p className="alert" role="status">
          {t('notebookScreen.thisNotebookHasChanges')}
        </p>
      )}
      {erased && erased.id !== erasedSeen && view.page !== 'history' && (
        <div className="alert" role="alert" data-testid={T.historyAlert}>
          <p>
            {erased.by ? t('notebookScreen.aChangeFromBy', { by: erased.by }) : t('notebookScreen.aChangeFromA')} {t('notebookScreen.theNotebookAsIt')}
          </p>
          <div className="row wrap">
            <button type="button" className="primary" data-testid={T.historyAlertOpen} onClick={() => (setErasedSeen(erased.id), setView({ page: 'history' }))}>
              {t('notebookScreen.openHistory')}
            </button>
            <button type="button" onClick={() => setErasedSeen(erased.id)}>
              {t('notebookScreen.dismiss')}
            </button>
          </div>
        </div>
      )}
      {snap.problems.length > 0 && (
        <p className="alert" role="status">
          {t('notebookScreen.receivedFromAPartner', { count: snap.problems.length })}
        </p>
      )}
      <MeContext.Provider value={me}>
        <ImagesContext.Provider value={imagesAccess}>
          <main className="page" ref={main}>
            <Suspense fallback={<p role="status">{t('notebookScreen.loading')}</p>}>
              {view.page === 'topics' && (
                <TopicList
                  doc={session.doc}
                  snap={snap}
                  changes={topicChanges}
                  onOpen={(topicId) => setView({ page: 'topic', topicId })}
                  onSchedule={() => setView({ page: 'schedule' })}
                  onHistory={() => setView({ page: 'history' })}
                />
              )}
              {view.page === 'history' && (
                <HistoryPage
                  keeper={historyKeeper}
                  topicId={view.topicId}
                  onBack={() => setView(view.topicId ? { page: 'topic', topicId: view.topicId } : { page: 'topics' })}
                />
              )}
              {view.page === 'schedule' && <SchedulePage doc={session.doc} snap={snap} onBack={() => setView({ page: 'topics' })} />}
              {view.page === 'search' && (
                <SearchPage
                  search={search}
                  snap={snap}
                  onOpenClip={(topicId, readClipId) => setView({ page: 'topic', topicId, readClipId })}
                  onOpenTopic={(topicId) => setView({ page: 'topic', topicId })}
                />
              )}
              {view.page === 'topic' && (
                <TopicPage
                  doc={session.doc}
                  snap={snap}
                  topicId={view.topicId}
                  readClipId={view.readClipId}
                  onBack={() => setView({ page: 'topics' })}
                  onHistory={() => setView({ page: 'history', topicId: view.topicId })}
                  collab={syncView.sync ? { awareness: syncView.sync.live.awareness, user: { id: me.id, name: me.name, color: me.color } } : undefined}
                />
              )}
              {view.page === 'invite' && (
                <InvitePage entry={entry} title={snap.info.title} doc={session.doc} me={me} onClose={() => setView({ page: 'topics' })} />
              )}
              {view.page === 'settings' && <SettingsPage />}
              {view.page === 'poster' && <PosterPage doc={session.doc} snap={snap} />}
              {view.page === 'libraries' && <LibrariesPage doc={session.doc} snap={snap} meId={me.id} />}
              <FocusHeading page={view.page} main={main} />
            </Suspense>
          </main>
        </ImagesContext.Provider>
      </MeContext.Provider>
      <TimeZoneList />
    </>
  );
}

/** The latest version History kept because a partner's change removed a lot (to offer it). */
function useLargeDeletion(keeper: HistoryKeeper | undefined): HistoryVersion | undefined {
  const [v, setV] = useState<HistoryVersion | undefined>();
  useEffect(() => {
    if (!keeper) return;
    return keeper.subscribe(() => {
      const d = keeper.lastDeletionKept;
      if (d?.removed?.fromPartner) setV(d);
    });
  }, [keeper]);
  return v;
}

/** The open notebook's History, once its code has loaded. */
function useHistoryKeeper(session: NotebookSession): HistoryKeeper | undefined {
  const [keeper, setKeeper] = useState<HistoryKeeper | undefined>();
  useEffect(() => {
    let live = true;
    void session.history?.then((k) => live && setKeeper(k));
    return () => void (live = false);
  }, [session]);
  return keeper;
}

function NotebookHeader(props: { current: string; notebooks: NotebookEntry[]; onSwitch(id: string): void; onManage(): void }) {
  const t = useT();
  return (
    <header className="bar">
      <label htmlFor="switcher" className="sr-only">
        {t('notebookScreen.notebook')}
      </label>
      <select id="switcher" data-testid={T.notebookSwitcher} value={props.current} onChange={(e) => props.onSwitch(e.target.value)}>
        {props.notebooks.map((n) => (
          <option key={n.id} value={n.id}>
            {n.title || t('notebookScreen.untitledNotebook')}
          </option>
        ))}
      </select>
      <button type="button" data-testid={T.manageNotebooks} onClick={props.onManage} aria-label={t('notebookScreen.manageNotebooksNewRename')}>
        {t('notebookScreen.notebooks')}
      </button>
    </header>
  );
}

/**
 * Moves focus to the heading of the page just shown, so keyboard and screen-reader users start
 * there. Inside the Suspense boundary: a page that loads on first use (Poster, Search…) commits
 * this effect only once its heading exists.
 */
function FocusHeading(props: { page: View['page']; main: RefObject<HTMLElement | null> }) {
  const { page, main } = props;
  useEffect(() => {
    if (page !== 'topic') main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [page, main]);
  return null;
}
