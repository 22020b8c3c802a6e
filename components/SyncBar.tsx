import type { PartnerProfile, Topic } from '../lib/notebook/types';
import { currentLocale } from '../lib/i18n';
import { syncPausedItem } from '../lib/ext/storage';
import { timeAgo } from './ClipCard';
import { T } from './test-ids';
import type { SyncView } from './use-notebook-sync';
import { useT } from './i18n';
import { list, type Translate } from '../lib/i18n';
import { relayErrorText } from '../lib/sync/relay/errors';

const DOT: Record<string, string> = { connected: '#15803d', searching: '#a16207', offline: '#57606a', paused: '#57606a', error: '#b42318', local: '#57606a' };

function localTimeIn(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    return new Date().toLocaleTimeString(currentLocale(), { timeZone: tz, hour: '2-digit', minute: '2-digit' });
  } catch {
    return undefined;
  }
}

/** Who is here, in which topic, their local time, and how sync is doing — in plain words. */
export function SyncBar(props: {
  view: SyncView;
  topics: Topic[];
  partners: PartnerProfile[];
  lastExchange: Record<string, number>;
  meId: string;
  /** Whether partners exist (lib/sync/sharing.ts): before that, connection problems are not shown. */
  shared: boolean;
  onInvite(): void;
}) {
  const t = useT();
  const { live, relay, paused, problemIsConnection } = props.view;
  // Not shared yet: whether a server answers changes nothing for the person, so say what is true
  // and what to do next (pausing still says "Sync paused", which they chose).
  const local = !props.shared && live?.state !== 'paused';
  const state = local ? 'local' : (live?.state ?? 'searching');
  const message = local ? t('sync.notShared') : live ? liveMessage(live, t) : t('syncBar.startingSync');
  const problem = local && problemIsConnection ? null : props.view.problem;
  const others = props.partners.filter((p) => p.id !== props.meId);
  return (
    <div className="sync-bar">
      <div className="row wrap">
        <span className="grow small" role="status" aria-live="polite" data-testid={T.syncStatus}>
          <span className="dot" style={{ background: DOT[state] }} aria-hidden="true" /> {message}
        </span>
        <button type="button" className="small-button" data-testid={T.pauseSync} aria-pressed={paused} onClick={() => void syncPausedItem.setValue(!paused)}>
          {paused ? t('syncBar.resumeSync') : t('syncBar.workOffline')}
        </button>
        <button type="button" className="small-button" data-testid={T.invitePartners} onClick={props.onInvite}>
          {t('syncBar.invitePartners')}
        </button>
      </div>
      {live && live.partners.length > 0 && (
        <ul className="presence" data-testid={T.presence} aria-label={t('syncBar.partnersHereNow')}>
          {live.partners.map((p) => {
            const topic = props.topics.find((t) => t.id === p.topicId);
            const profile = props.partners.find((x) => x.id === p.id);
            const time = localTimeIn(profile?.timeZone);
            return (
              <li key={p.id}>
                <span className="name-chip" style={{ background: p.color }}>
                  {p.name}
                </span>{' '}
                <span className="small muted">
                  {topic ? t('syncBar.inTitle', { title: topic.title }) : t('syncBar.lookingAround')}
                  {time ? t('syncBar.timeThere', { time: time }) : ''}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {others.length > 0 && (
        <p className="small muted" data-testid={T.lastExchange}>
          {others
            .map((p) => {
              const at = props.lastExchange[p.id];
              return t('syncBar.lastExchangeWithP', { p0: p.name || 'a partner', p1: at ? timeAgo(at) : 'not yet' });
            })
            .join(' · ')}
        </p>
      )}
      {/* When the server is unreachable the status line already says so: no second, vaguer line. */}
      {/* Not shared yet: "on the sync server, for partners" would contradict "Only on this computer". */}
      {relay && !paused && !local && !(state === 'error' && relay.state !== 'online') && <RelayLine relay={relay} />}
      {problem && (
        <p className="small error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The live-sync status in the panel's language (lib/sync gives the state, the panel the words). */
function liveMessage(live: NonNullable<SyncView['live']>, t: Translate): string {
  switch (live.state) {
    case 'paused':
      return t('sync.paused');
    case 'offline':
      return t('sync.offline');
    case 'connected':
      return t('sync.connectedWith', { names: list(live.partners.map((p) => p.name)) });
    case 'searching':
      return t('sync.searching');
    default:
      return t('sync.cannotReach', { servers: live.servers?.join(', ') || t('sync.noneSet') });
  }
}

/** What the relay is doing, for partners who are never online at the same time. */
function RelayLine({ relay }: { relay: NonNullable<SyncView['relay']> }) {
  const t = useT();
  if (relay.state === 'error')
    return <p className="small error">{relay.code ? relayErrorText(relay.code, t) : (relay.message ?? t('syncBar.theSyncServerRefused'))}</p>;
  const text =
    relay.state === 'online'
      ? relay.pendingUploads
        ? t('syncBar.sendingPendinguploadsPTo', { count: relay.pendingUploads })
        : t('syncBar.allYourChangesAre')
      : relay.state === 'connecting'
        ? t('syncBar.connectingToTheSync')
        : t('syncBar.theSyncServerCannot');
  return (
    <p className="small muted" data-testid={T.relayStatus}>
      {text}
    </p>
  );
}
