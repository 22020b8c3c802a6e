import { useEffect, useState } from 'react';
import { syncSettingsItem, DEFAULT_SIGNALING } from '../lib/ext/storage';
import { formatIceServers, parseIceServers, parseSignaling, testPeerConnection, testSignaling, type CheckResult } from '../lib/sync/connection-test';
import { HighlightSettings } from './HighlightSettings';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';

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
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const p = parsed();
          setErrors(p.errors);
          if (p.errors.length) return;
          await syncSettingsItem.setValue({ signaling: p.s.urls, iceServers: p.i.servers, relay });
          setSaved('Saved. Sync reconnects with the new settings.');
        }}
      >
        <label htmlFor="set-signaling">Sync servers (one per line)</label>
        <textarea id="set-signaling" rows={2} value={signaling} onChange={(e) => (setSignaling(e.target.value), setSaved(''))} data-testid={T.settingsSignaling} aria-describedby="set-signaling-hint" />
        <p id="set-signaling-hint" className="muted small">
          Your programme or library gives you this address (wss://…). On your own computer `npm start` runs one at {DEFAULT_SIGNALING}.
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
      <HighlightSettings />
    </section>
  );
}
