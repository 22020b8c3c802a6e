import { useEffect, useRef, useState } from 'react';
import { syncSettingsItem } from '../lib/ext/storage';
import { parseSettingsCode, settingsChanges, SettingsCodeError, type ProgrammeSettings, type SettingsChange } from '../protocol/settings-code';
import { T } from './test-ids';

/**
 * "Settings code from your programme": paste once, see what would change, then apply. Nothing
 * changes before the person agrees: the code came from outside (an email, a web page).
 */
export function ProgrammeSettingsForm(props: { idPrefix: string; onApplied?(): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [preview, setPreview] = useState<{ next: ProgrammeSettings; changes: SettingsChange[] } | null>(null);
  const [done, setDone] = useState('');
  const previewRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  // The "Check the code" button gives way to the preview: move keyboard focus there, not to the page.
  useEffect(() => void (preview && previewRef.current?.focus()), [preview]);
  const inputId = `${props.idPrefix}-settings-code`;
  const errorId = `${props.idPrefix}-settings-code-error`;

  const check = async () => {
    setDone('');
    setPreview(null);
    let next: ProgrammeSettings;
    try {
      next = parseSettingsCode(text);
    } catch (e) {
      return setError(e instanceof SettingsCodeError ? e.message : 'This settings code cannot be read. Ask your programme to send it again.');
    }
    setError('');
    const current = await syncSettingsItem.getValue();
    setPreview({ next, changes: settingsChanges(current, next) });
  };

  const apply = async (next: ProgrammeSettings) => {
    const current = await syncSettingsItem.getValue();
    await syncSettingsItem.setValue({ ...current, signaling: next.signaling, iceServers: next.iceServers, programme: next.programme });
    setPreview(null);
    setText('');
    setDone(next.programme ? `Done. You now use the settings of ${next.programme}.` : 'Done. You now use your programme’s settings.');
    inputRef.current?.focus();
    props.onApplied?.();
  };

  return (
    <div className="programme-settings">
      <label htmlFor={inputId}>Settings code or link from your programme</label>
      <textarea
        id={inputId}
        ref={inputRef}
        rows={2}
        value={text}
        placeholder="PNS1-…"
        data-testid={T.settingsCodeInput}
        aria-invalid={!!error}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => (setText(e.target.value), setError(''), setPreview(null), setDone(''))}
      />
      {error && (
        <p id={errorId} className="error" role="alert" data-testid={T.settingsCodeError}>
          {error}
        </p>
      )}
      {!preview && (
        <button type="button" data-testid={T.settingsCodeCheck} onClick={() => void check()}>
          Check the code
        </button>
      )}
      {preview && (
        <div className="card" ref={previewRef} tabIndex={-1} data-testid={T.settingsCodePreview} role="group" aria-label="What this code changes">
          {preview.next.programme && <p>From: <strong>{preview.next.programme}</strong></p>}
          {preview.changes.length === 0 ? (
            <p>You already use these settings.</p>
          ) : (
            <>
              <p>This changes:</p>
              <ul>
                {preview.changes.map((c) => (
                  <li key={c.what}>
                    <strong>{c.what}:</strong> {c.from || 'none'} → {c.to || 'none'}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="muted small">Notebooks you joined with an invite keep the server named in that invite.</p>
          <div className="row wrap">
            <button type="button" className="primary" data-testid={T.settingsCodeApply} onClick={() => void apply(preview.next)}>
              Use these settings
            </button>
            <button type="button" onClick={() => (setPreview(null), inputRef.current?.focus())}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <p role="status" className="small" data-testid={T.settingsCodeDone}>
        {done}
      </p>
    </div>
  );
}
