import { useId } from 'react';
import { LANGUAGE_NAMES, LOCALES, parseChoice, type LanguageChoice } from '../lib/i18n';
import { languageItem } from '../lib/ext/storage';
import { localeFor, saveLanguageChoice } from '../lib/ext/language';
import { useT } from './i18n';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';

/** Settings → Language: each language in its own name, or the browser's. Applies at once. */
export function LanguageSettings() {
  const t = useT();
  const id = useId();
  const stored = useStorageItem(languageItem);
  const choice = parseChoice(stored);
  return (
    <div className="language-settings">
      <label htmlFor={id}>{t('languageSettings.language')}</label>
      <select
        id={id}
        data-testid={T.settingsLanguage}
        value={choice}
        disabled={stored === undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => void saveLanguageChoice(parseChoice(e.target.value) as LanguageChoice)}
      >
        <option value="browser">{t('languageSettings.browserDefault', { language: LANGUAGE_NAMES[localeFor('browser')] })}</option>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="muted small">
        {t('languageSettings.hint')}
      </p>
    </div>
  );
}
