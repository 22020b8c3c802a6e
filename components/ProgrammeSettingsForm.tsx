import { useEffect, useRef, useState } from 'react';
import { syncSettingsItem } from '../lib/ext/storage';
import {
  parseSettingsCode,
  settingsChanges,
  SettingsCodeError,
  settingsCodeErrorText,
  type ProgrammeSettings,
  type SettingsChange,
} from '../protocol/settings-code';
import { FormError } from './FormError';
import { T } from './test-ids';
import { fill, useT } from './i18n';

/**
 * "Settings code from your programme": paste once, see what would change, then apply. Nothing
 * changes before the person agrees: the code came from outside (an email, a web page).
 */
export function ProgrammeSettingsForm(props: { idPrefix: string; onApplied?(): void }) {
  const t = useT();
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
      return setError(e instanceof SettingsCodeError ? settingsCodeErrorText(e, t) : t('programmeSettingsForm.thisSettingsCodeCannot'));
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
    setDone(next.programme ? t('programmeSettingsForm.doneYouNowUse', { programme: next.programme }) : t('programmeSettingsForm.doneYouNowUse2'));
    inputRef.current?.focus();
    props.onApplied?.();
  };

  return (
    <div className="programme-settings">
      <label htmlFor={inputId}>{t('programmeSettingsForm.settingsCodeOrLink')}</label>
      <textarea
        id={inputId}
        ref={inputRef}
        rows={2}
        value={text}
        placeholder={t('programmeSettingsForm.pns')}
        data-testid={T.settingsCodeInput}
        aria-invalid={!!error}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => (setText(e.target.value), setError(''), setPreview(null), setDone(''))}
      />
      <FormError message={error} id={errorId} testId={T.settingsCodeError} />
      {!preview && (
        <button type="button" data-testid={T.settingsCodeCheck} onClick={() => void check()}>
          {t('programmeSettingsForm.checkTheCode')}
        </button>
      )}
      {preview && (
        <div
          className="card"
          ref={previewRef}
          tabIndex={-1}
          data-testid={T.settingsCodePreview}
          role="group"
          aria-label={t('programmeSettingsForm.whatThisCodeChanges')}
        >
          {preview.next.programme && <p>{fill(t('programmeSettingsForm.from'), { programme: <strong>{preview.next.programme}</strong> })}</p>}
          {preview.changes.length === 0 ? (
            <p>{t('programmeSettingsForm.youAlreadyUseThese')}</p>
          ) : (
            <>
              <p>{t('programmeSettingsForm.thisChanges')}</p>
              <ul>
                {preview.changes.map((c) => (
                  <li key={c.what}>
                    <strong>{c.what}:</strong> {c.from || t('programmeSettingsForm.none')} → {c.to || t('programmeSettingsForm.none')}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="muted small">{t('programmeSettingsForm.notebooksYouJoinedWith')}</p>
          <div className="row wrap">
            <button type="button" className="primary" data-testid={T.settingsCodeApply} onClick={() => void apply(preview.next)}>
              {t('programmeSettingsForm.useTheseSettings')}
            </button>
            <button type="button" onClick={() => (setPreview(null), inputRef.current?.focus())}>
              {t('programmeSettingsForm.cancel')}
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
