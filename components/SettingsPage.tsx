import { useEffect, useState } from 'react';
import { syncSettingsItem, DEFAULT_SIGNALING } from '../lib/ext/storage';
import { formatIceServers, parseIceServers, parseSignaling, testPeerConnection, testSignaling, type CheckResult } from '../lib/sync/connection-test';
import { HighlightSettings } from './HighlightSettings';
import { ImageSettings } from './ImageSettings';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';
import { ProgrammeSettingsForm } from './ProgrammeSettingsForm';
import { encodeSettingsCode, makeProgrammeSettings, settingsLink, SettingsCodeError } from '../protocol/settings-code';

/** Connection settings: sync servers, STUN/TURN, the relay, and a test that says plainly what works. */
export function SettingsPage() {
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
  if (!settings) return <p role="status">Loading settings…</p>;
  const parsed = () => {
    const s = parseSignaling(signaling);
    const i = parseIceServers(ice);
    return { s, i, errors: [...s.errors, ...i.errors] };
  };
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading" tabIndex={-1}>
        Settings
      </h1>
      {settings.programme && (
        <p data-testid={T.settingsProgramme}>
          You use the settings of <strong>{settings.programme}</strong>.
        </p>
      )}
      <h2>Settings from your programme</h2>
      <p className="small">If your programme sent you a settings code, paste it here once. It sets the sync server for you.</p>
      <ProgrammeSettingsForm idPrefix="settings" />
      <h2>Sync servers</h2>
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
          setSaved('Saved. Sync reconnects with the new settings.');
        }}
      >
        <label htmlFor="set-signaling">Sync servers (one per line)</label>
        <textarea id="set-signaling" rows={2} value={signaling} onChange={(e) => (setSignaling(e.target.value), setSaved(''))} data-testid={T.settingsSignaling} aria-describedby="set-signaling-hint" />
        <p id="set-signaling-hint" className="muted small">
          Your programme gives you this address (wss://…), or a settings code to paste above. On your own computer, npm start runs one at {DEFAULT_SIGNALING}.
        </p>
        <label htmlFor="set-ice">STUN/TURN servers (optional, one per line)</label>
        <textarea id="set-ice" rows={2} value={ice} placeholder="stun:stun.example.org:3478&#10;turn:turn.example.org:3478 username password" onChange={(e) => (setIce(e.target.value), setSaved(''))} data-testid={T.settingsIce} aria-describedby="set-ice-hint" />
        <p id="set-ice-hint" className="muted small">Needed only when partners’ networks block direct connections.</p>
        <label className="check">
          <input type="checkbox" checked={relay} onChange={(e) => (setRelay(e.target.checked), setSaved(''))} />
          Keep encrypted changes on the sync server, so partners who are never online at the same time still get them
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
            Save settings
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
            {testing ? 'Testing…' : 'Test connection'}
          </button>
        </div>
        <p role="status" className="small">
          {saved}
        </p>
        {results && (
          <ul className="plain" data-testid={T.testResult} aria-label="Connection test results">
            {results.map((r) => (
              <li key={r.message} className={r.ok ? 'ok' : 'error'}>
                {r.ok ? '✓ ' : '✗ '}
                {r.message}
              </li>
            ))}
          </ul>
        )}
      </form>
      <h2>What the sync server sees</h2>
      <div className="small" data-testid={T.serverSees}>
        <p>The sync server cannot read your notebook. Everything it passes on or keeps is encrypted on your computer first.</p>
        <p>It sees only:</p>
        <ul>
          <li>your internet address and when you are online;</li>
          <li>a room name made from your notebook’s secret key (not its title);</li>
          <li>how much encrypted data you send, and when.</li>
        </ul>
        <p>It never sees your notes, clips, names, the notebook’s title or the invite code.</p>
      </div>
      <MakeSettingsCode signaling={signaling} ice={ice} />
      <HighlightSettings />
      <ImageSettings />
    </section>
  );
}

/** For organisers: turns the servers above into one code to send to every participant. */
function MakeSettingsCode(props: { signaling: string; ice: string }) {
  const [name, setName] = useState('');
  const [made, setMade] = useState<{ code: string; link: string } | null>(null);
  const [error, setError] = useState('');
  const [copied, setCopied] = useState('');
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied. Send it to your participants by email.');
    } catch {
      setCopied('Copying is not allowed here: select the text and copy it with Ctrl+C.');
    }
  };
  return (
    <details className="make-settings-code">
      <summary>Make a settings code for my programme</summary>
      <p className="small">For organisers. The code holds the sync servers and STUN/TURN servers above. Participants paste it once.</p>
      <label htmlFor="make-code-name">Programme name (optional)</label>
      <input id="make-code-name" value={name} maxLength={80} data-testid={T.makeSettingsCodeName} onChange={(e) => (setName(e.target.value), setMade(null))} placeholder="e.g. ILN 2026" />
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
            setError(e instanceof SettingsCodeError ? e.message : String(e));
          }
        }}
      >
        Make the code
      </button>
      {error && (
        <p className="error" role="alert" data-testid={T.makeSettingsCodeError}>
          {error}
        </p>
      )}
      {made && (
        <>
          <label htmlFor="made-code">Settings code</label>
          <textarea id="made-code" readOnly rows={3} value={made.code} data-testid={T.madeSettingsCode} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy(made.code)}>
            Copy the code
          </button>
          <label htmlFor="made-link">Settings link</label>
          <textarea id="made-link" readOnly rows={3} value={made.link} data-testid={T.madeSettingsLink} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy(made.link)}>
            Copy the link
          </button>
          <p role="status" className="small">
            {copied}
          </p>
        </>
      )}
    </details>
  );
}
