import { useState } from 'react';
import { PERSON_COLORS, suggestColor } from '../lib/notebook/people';
import { FormError } from './FormError';
import { TextField } from './TextField';
import { T } from './test-ids';
import { ProgrammeSettingsForm } from './ProgrammeSettingsForm';
import { useT } from './i18n';
import { LanguageSettings } from './LanguageSettings';

/** First run: the person's name and colour, shown to partners next to everything they write. */
export function Welcome(props: { onDone(name: string, color: string): void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [color, setColor] = useState(() => suggestColor([]));
  const [error, setError] = useState('');
  const [showCode, setShowCode] = useState(false);
  return (
    <main className="page">
      <h1>{t('welcome.welcomeToPartnerNotebook')}</h1>
      <p>{t('welcome.aSharedNotebookFor')}</p>
      {/* Before anything else: someone whose browser speaks another language can pick theirs. */}
      <LanguageSettings />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return setError(t('welcome.pleaseTypeYourName'));
          props.onDone(name.trim(), color);
        }}
      >
        <TextField
          id="welcome-name"
          label={t('welcome.yourName')}
          testId={T.welcomeName}
          value={name}
          maxLength={80}
          autoComplete="name"
          invalid={!!error}
          describedBy={error ? 'welcome-error' : undefined}
          onChange={(v) => (setName(v), setError(''))}
          autoFocus
        />
        <FormError message={error} id="welcome-error" />
        <fieldset className="colors">
          <legend>{t('welcome.yourColourForYour')}</legend>
          {PERSON_COLORS.map((c, i) => (
            <label key={c} className="swatch" style={{ background: c }}>
              <input type="radio" name="color" value={c} checked={color === c} onChange={() => setColor(c)} />
              <span className="sr-only">
                {t('welcome.colour')} {i + 1}
              </span>
            </label>
          ))}
        </fieldset>
        <p className="preview">
          {t('welcome.partnersWillSee')}{' '}
          <span className="name-chip" style={{ background: color }}>
            {name.trim() || t('welcome.yourName')}
          </span>
        </p>
        <button type="submit" className="primary" data-testid={T.welcomeContinue}>
          {t('welcome.continue')}
        </button>
      </form>
      {/* Offered here too: a programme's participants set the server before their first notebook. */}
      <button type="button" className="link-button" aria-expanded={showCode} data-testid={T.welcomeSettingsCode} onClick={() => setShowCode(!showCode)}>
        {t('welcome.myProgrammeGaveMe')}
      </button>
      {showCode && <ProgrammeSettingsForm idPrefix="welcome" />}
    </main>
  );
}
