import { useDeferredValue, useMemo, useState } from 'react';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import type { ClipKind } from '../lib/notebook/types';
import { markMatches, queryTerms, type HighlightPart, type SearchFilters, type SearchResult } from '../lib/search/index';
import type { NotebookSearch } from '../lib/search/notebook-index';
import { dayEnd, dayStart } from '../lib/topics/date-input';
import { timeAgo } from './ClipCard';
import { pageLabel, pageOfSnippet } from '../lib/clip/pdf';
import { DateField } from './DateField';
import { SelectField, type SelectOption } from './SelectField';
import { T } from './test-ids';
import { myTimeZone } from './TopicList';
import { useSearchProgress } from './use-notebook-search';
import { useT } from './i18n';
import type { MessageKey } from '../lib/i18n';

const KINDS: ClipKind[] = ['page', 'selection', 'link', 'image', 'pdf'];
const SHOWN = 50;

/** Highlighted text as React text and <mark>s: never HTML, clipped text cannot inject markup. */
function Parts({ parts }: { parts: HighlightPart[] }) {
  return <>{parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

/**
 * Search across the notebook: clip titles, text, comments and tags and every topic's note, ranked,
 * with filters. An empty box with a filter lists the matching clips, newest first.
 */
export function SearchPage(props: {
  search: NotebookSearch | null;
  snap: NotebookSnapshot;
  onOpenClip(topicId: string, clipId: string): void;
  onOpenTopic(topicId: string): void;
}) {
  const t = useT();
  const { snap, search } = props;
  const progress = useSearchProgress(search);
  const [query, setQuery] = useState('');
  const [topicId, setTopicId] = useState('');
  const [tag, setTag] = useState('');
  const [personId, setPersonId] = useState('');
  const [kind, setKind] = useState<string>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [showFilters, setShowFilters] = useState(false);
  // Typing stays responsive in a big notebook: results follow a moment later.
  const q = useDeferredValue(query);
  const tz = myTimeZone();

  const tags = useMemo(() => [...new Set(snap.clips.flatMap((c) => c.tags))].sort(), [snap.clips]);
  const people = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of snap.clips) if (!m.has(c.clippedBy.id)) m.set(c.clippedBy.id, c.clippedBy.name);
    return [...m].sort((a, b) => a[1].localeCompare(b[1]));
  }, [snap.clips]);
  const topicOptions = snap.topics.map((tp) => ({ value: tp.id, label: tp.title + (tp.archived ? t('searchPage.archived') : '') }));
  const personOptions = people.map(([id, name]) => ({ value: id, label: name }));
  const kindOptions = KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }));
  const filters: SearchFilters = {
    ...(topicId && { topicId }),
    ...(tag && { tag }),
    ...(personId && { personId }),
    ...(kind && { kind: kind as ClipKind }),
    ...(dayStart(from, tz) !== undefined && { from: dayStart(from, tz) }),
    ...(dayEnd(to, tz) !== undefined && { to: dayEnd(to, tz) }),
  };
  const filtering = Object.keys(filters).length > 0;
  const active = q.trim() !== '' || filtering;
  const results = useMemo(
    () => (search && active ? search.index.search(q, filters) : []),
    // The index changes in place; `progress.version` says when.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [search, q, JSON.stringify(filters), progress.version, active],
  );
  const topicTitle = (id: string) => snap.topics.find((t) => t.id === id)?.title ?? 'a removed topic';
  const clipById = useMemo(() => new Map(snap.clips.map((c) => [c.id, c])), [snap.clips]);
  const typed = queryTerms(q);
  // The four drop-down filters: each starts with "any" (the value '') and lists what the notebook holds.
  const selects: { id: string; label: MessageKey; any: MessageKey; testId: string; value: string; set(v: string): void; options: SelectOption[] }[] = [
    { id: 'f-topic', label: 'searchPage.topic', any: 'searchPage.allTopics', testId: T.searchTopic, value: topicId, set: setTopicId, options: topicOptions },
    {
      id: 'f-tag',
      label: 'searchPage.tag',
      any: 'searchPage.anyTag',
      testId: T.searchTag,
      value: tag,
      set: setTag,
      options: tags.map((g) => ({ value: g, label: g })),
    },
    {
      id: 'f-person',
      label: 'searchPage.clippedBy',
      any: 'searchPage.anyone',
      testId: T.searchPerson,
      value: personId,
      set: setPersonId,
      options: personOptions,
    },
    { id: 'f-kind', label: 'searchPage.kind', any: 'searchPage.allKinds', testId: T.searchKind, value: kind, set: setKind, options: kindOptions },
  ];
  const percent = progress.total ? Math.floor((progress.done / progress.total) * 100) : 0;

  return (
    <section aria-labelledby="search-heading">
      <h1 id="search-heading" tabIndex={-1}>
        {t('searchPage.search')}
      </h1>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="search-box" className="sr-only">
          {t('searchPage.searchClipsAndNotes')}
        </label>
        <input
          id="search-box"
          type="search"
          data-testid={T.searchBox}
          value={query}
          placeholder={t('searchPage.searchClipsCommentsTags')}
          onChange={(e) => setQuery(e.target.value)}
          autoFocus
        />
        <details className="filters" open={showFilters} onToggle={(e) => setShowFilters(e.currentTarget.open)}>
          <summary>
            {t('searchPage.filters')}
            {filtering ? ` (${Object.keys(filters).length})` : ''}
          </summary>
          <div className="filter-grid">
            {selects.map((f) => (
              <div key={f.id}>
                <SelectField id={f.id} label={t(f.label)} emptyLabel={t(f.any)} testId={f.testId} value={f.value} onChange={f.set} options={f.options} />
              </div>
            ))}
            <DateField id="f-from" label={t('searchPage.clippedFrom')} value={from} onChange={setFrom} />
            <DateField id="f-to" label={t('searchPage.clippedUntil')} value={to} onChange={setTo} />
          </div>
          {filtering && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setTopicId('');
                setTag('');
                setPersonId('');
                setKind('');
                setFrom('');
                setTo('');
              }}
            >
              {t('searchPage.clearFilters')}
            </button>
          )}
          {filtering && (tag || personId || kind || from || to) && <p className="muted small">{t('searchPage.tagPersonKindAnd')}</p>}
        </details>
      </form>
      {!progress.ready && (
        <div className="search-progress" role="status" data-testid={T.searchProgress}>
          {t('searchPage.preparingSearch', { percent })}
          <progress max={progress.total || 1} value={progress.done} aria-label={t('searchPage.preparingSearch2')} />
        </div>
      )}
      <p className="sr-only" role="status" aria-live="polite">
        {active ? t('searchPage.results', { count: results.length }) : ''}
      </p>
      {active && results.length === 0 && progress.ready && <p className="muted">{t('searchPage.nothingFoundTryFewer')}</p>}
      {!active && <p className="muted">{t('searchPage.typeAWordOr')}</p>}
      <ol className="results" data-testid={T.searchResults}>
        {results.slice(0, SHOWN).map((r) => (
          <li key={r.type === 'clip' ? `c${r.clipId}` : `n${r.topicId}`}>
            <Result
              result={r}
              search={search!}
              clip={r.type === 'clip' ? clipById.get(r.clipId) : undefined}
              topicTitle={topicTitle(r.topicId)}
              typed={typed}
              onOpen={() => (r.type === 'clip' ? props.onOpenClip(r.topicId, r.clipId) : props.onOpenTopic(r.topicId))}
            />
          </li>
        ))}
      </ol>
      {results.length > SHOWN && <p className="muted small">{t('searchPage.showingTheBest', { shown: SHOWN, count: results.length })}</p>}
    </section>
  );
}

function Result(props: {
  result: SearchResult;
  search: NotebookSearch;
  clip: NotebookSnapshot['clips'][number] | undefined;
  topicTitle: string;
  typed: string[];
  onOpen(): void;
}) {
  const t = useT();
  const { result: r, clip } = props;
  const snippets = r.terms.length ? props.search.index.snippets(r, { maxSnippets: 2, context: 50 }) : [];
  const terms = r.terms.length ? r.terms : props.typed;
  const title = r.type === 'clip' ? (clip?.captured.title ?? 'Clip') : `Notes: ${props.topicTitle}`;
  return (
    <button type="button" className="result" data-testid={T.searchResult} data-result-type={r.type} onClick={props.onOpen}>
      <span className="result-title">
        <Parts parts={markMatches(title, terms)} />
      </span>
      <span className="muted small result-meta">
        {r.type === 'clip' && clip
          ? t('searchPage.pInTopictitleName', {
              p0: t(`kind.${clip.captured.kind}`),
              topicTitle: props.topicTitle,
              name: clip.clippedBy.name,
              p3: timeAgo(clip.clippedAt),
            })
          : t('searchPage.ourNotesOnThis')}
      </span>
      {clip && clip.tags.length > 0 && (
        <span className="result-tags small">
          {clip.tags.map((tag) => (
            <span key={tag} className="badge">
              <Parts parts={markMatches(tag, terms)} />
            </span>
          ))}
        </span>
      )}
      {snippets.map((parts, i) => {
        // A PDF's snippets say which page they are on, to find and cite them.
        const page = clip?.captured.kind === 'pdf' ? pageOfSnippet(clip.captured, parts.map((p) => p.text).join('')) : undefined;
        return (
          <span key={i} className="snippet small">
            {page !== undefined && <strong className="snippet-page">{pageLabel(page)} </strong>}
            <Parts parts={parts} />
          </span>
        );
      })}
    </button>
  );
}
