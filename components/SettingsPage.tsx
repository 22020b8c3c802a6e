import { useEffect, useState } from 'react';
import { syncSettingsItem, DEFAULT_SIGNALING } from '../lib/ext/storage';
import { formatIceServers, parseIceServers, parseSignaling, testPeerConnection, testSignaling, type CheckResult } from '../lib/sync/connection-test';
import { HighlightSettings } from './HighlightSettings';
import { ImageSettings } from './ImageSettings';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';
import { ProgrammeSettingsForm } from './ProgrammeSettingsForm';
import { encodeSettingsCode, makeProgrammeSettings, settingsLink, SettingsCodeError, settingsCodeErrorText } from '../protocol/settings-code';
import { fill, useT } from './i18n';
import { LanguageSettings } from './LanguageSettings';

/** The placeholder of the STUN/TURN box: an example of the format, not words to translate. */
const ICE_EXAMPLE = 'stun:stun.example.org:3478\nturn:turn.example.org:3478 username password';

/** Connection settings: sync servers, STUN/TURN, the relay, and a test that says plainly what works. */
export function SettingsPage() {
  const t = useT();
  const settings = useStorageItem(syncSettingsItem);
  const [signaling, setSignaling] = useState('');
  const [ice, setIce] = useState('');
  const [relay, setRelay] = useState(true);
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState('');
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [testing, setTesting] = useState(false);
  useEffect(() => {
    if (!settings) return;
    setSignaling(settings.signaling.join('\n'));
    setIce(formatIceServers(settings.iceServers));
    setRelay(settings.relay);
  }, [settings]);
  if (!settings) return <p role="status">{t('settingsPage.loadingSettings')}</p>;
  const parsed = () => {
    const s = parseSignaling(signaling);
    const i = parseIceServers(ice);
    return { s, i, errors: [...s.errors, ...i.errors] };
  };
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading" tabIndex={-1}>
        {t('settingsPage.settings')}
      </h1>
      <LanguageSettings />
      {settings.programme && (
        <p data-testid={T.settingsProgramme}>{fill(t('settingsPage.youUseTheSettings'), { programme: <strong>{settings.programme}</strong> })}</p>
      )}
      <h2>{t('settingsPage.settingsFromYourProgramme')}</h2>
      <p className="small">{t('settingsPage.ifYourProgrammeSent')}</p>
      <ProgrammeSettingsForm idPrefix="settings" />
      <h2>{t('settingsPage.syncServers')}</h2>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const p = parsed();
          setErrors(p.errors);
          if (p.errors.length) return;
          // The programme's name stays only while its servers do.
          const sameServers = p.s.urls.join('\n') === settings.signaling.join('\n');
          await syncSettingsItem.setValue({ signaling: p.s.urls, iceServers: p.i.servers, relay, programme: sameServers ? settings.programme : undefined });
          setSaved(t('settingsPage.savedSyncReconnectsWith'));
        }}
      >
        <label htmlFor="set-signaling">{t('settingsPage.syncServersOnePer')}</label>
        <textarea
          id="set-signaling"
          rows={2}
          value={signaling}
          onChange={(e) => (setSignaling(e.target.value), setSaved(''))}
          data-testid={T.settingsSignaling}
          aria-describedby="set-signaling-hint"
        />
        <p id="set-signaling-hint" className="muted small">
          {t('settingsPage.yourProgrammeGivesYou', { address: DEFAULT_SIGNALING })}
        </p>
        <label htmlFor="set-ice">{t('settingsPage.stunTurnServersOptional')}</label>
        <textarea
          id="set-ice"
          rows={2}
          value={ice}
          placeholder={ICE_EXAMPLE}
          onChange={(e) => (setIce(e.target.value), setSaved(''))}
          data-testid={T.settingsIce}
          aria-describedby="set-ice-hint"
        />
        <p id="set-ice-hint" className="muted small">
          {t('settingsPage.neededOnlyWhenPartners')}
        </p>
        <label className="check">
          <input type="checkbox" checked={relay} onChange={(e) => (setRelay(e.target.checked), setSaved(''))} />
          {t('settingsPage.keepEncryptedChangesOn')}
        </label>
        {errors.length > 0 && (
          <ul className="error" role="alert">
            {errors.map((er) => (
              <li key={er}>{er}</li>
            ))}
          </ul>
        )}
        <div className="row wrap">
          <button type="submit" className="primary" data-testid={T.settingsSave}>
            {t('settingsPage.saveSettings')}
          </button>
          <button
            type="button"
            data-testid={T.testConnection}
            disabled={testing}
            onClick={async () => {
              const p = parsed();
              setErrors(p.errors);
              if (p.errors.length) return;
              setTesting(true);
              setResults(null);
              const out = await Promise.all([...p.s.urls.map((u) => testSignaling(u)), testPeerConnection(p.i.servers)]);
              setResults(out);
              setTesting(false);
            }}
          >
            {testing ? t('settingsPage.testing') : t('settingsPage.testConnection')}
          </button>
        </div>
        <p role="status" className="small">
          {saved}
        </p>
        {results && (
          <ul className="plain" data-testid={T.testResult} aria-label={t('settingsPage.connectionTestResults')}>
            {results.map((r) => (
              <li key={r.message} className={r.ok ? 'ok' : 'error'}>
                {r.ok ? '✓ ' : '✗ '}
                {r.message}
              </li>
            ))}
          </ul>
        )}
      </form>
      <h2>{t('settingsPage.whatTheSyncServer')}</h2>
      <div className="small" data-testid={T.serverSees}>
        <p>{t('settingsPage.theSyncServerCannot')}</p>
        <p>{t('settingsPage.itSeesOnly')}</p>
        <ul>
          <li>{t('settingsPage.yourInternetAddressAnd')}</li>
          <li>{t('settingsPage.aRoomNameMade')}</li>
          <li>{t('settingsPage.howMuchEncryptedData')}</li>
        </ul>
        <p>{t('settingsPage.itNeverSeesYour')}</p>
      </div>
      <MakeSettingsCode signaling={signaling} ice={ice} />
      <HighlightSettings />
      <ImageSettings />
    </section>
  );
}

/** For organisers: turns the servers above into one code to send to every participant. */
function MakeSettingsCode(props: { signaling: string; ice: string }) {
  const t = useT();
  const [name, setName] = useState('');
  const [made, setMade] = useState<{ code: string; link: string } | null>(null);
  const [error, setError] = useState('');
  const [copied, setCopied] = useState('');
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(t('settingsPage.copiedSendItTo'));
    } catch {
      setCopied(t('settingsPage.copyingIsNotAllowed'));
    }
  };
  return (
    <details className="make-settings-code">
      <summary>{t('settingsPage.makeASettingsCode')}</summary>
      <p className="small">{t('settingsPage.forOrganisersTheCode')}</p>
      <label htmlFor="make-code-name">{t('settingsPage.programmeNameOptional')}</label>
      <input
        id="make-code-name"
        value={name}
        maxLength={80}
        data-testid={T.makeSettingsCodeName}
        onChange={(e) => (setName(e.target.value), setMade(null))}
        placeholder={t('settingsPage.eGIln')}
      />
      <button
        type="button"
        data-testid={T.makeSettingsCode}
        onClick={() => {
          setCopied('');
          const s = parseSignaling(props.signaling);
          const i = parseIceServers(props.ice);
          const problems = [...s.errors, ...i.errors];
          if (problems.length) return (setMade(null), setError(problems.join(' ')));
          try {
            const settings = makeProgrammeSettings({
              programme: name,
              signaling: s.urls,
              iceServers: i.servers.map((x) => ({ urls: String(x.urls), username: x.username, credential: x.credential })),
            });
            setError('');
            setMade({ code: encodeSettingsCode(settings), link: settingsLink(settings) });
          } catch (e) {
            setMade(null);
            setError(e instanceof SettingsCodeError ? settingsCodeErrorText(e, t) : String(e));
          }
        }}
      >
        {t('settingsPage.makeTheCode')}
      </button>
      {error && (
        <p className="error" role="alert" data-testid={T.makeSettingsCodeError}>
          {error}
        </p>
      )}
      {made && (
        <>
          <label htmlFor="made-code">{t('settingsPage.settingsCode')}</label>
          <textarea id="made-code" readOnly rows={3} value={made.code} data-testid={T.madeSettingsCode} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy(made.code)}>
            {t('settingsPage.copyTheCode')}
          </button>
          <label htmlFor="made-link">{t('settingsPage.settingsLink')}</label>
          <textarea id="made-link" readOnly rows={3} value={made.link} data-testid={T.madeSettingsLink} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy(made.link)}>
            {t('settingsPage.copyTheLink')}
          </button>
          <p role="status" className="small">
            {copied}
          </p>
        </>
      )}
    </details>
  );
}
