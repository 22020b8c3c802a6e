import { highlightSettingsItem, removeHighlightSite, setHighlightsEnabled } from '../lib/ext/highlights';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';
import { useT } from './i18n';

/** Settings for partners' highlights on web pages: on or off everywhere, and the sites allowed. */
export function HighlightSettings() {
  const t = useT();
  const s = useStorageItem(highlightSettingsItem);
  if (!s) return null;
  const sites = Array.isArray(s.sites) ? s.sites : [];
  return (
    <section aria-labelledby="highlight-settings-heading" data-testid={T.highlightSettings}>
      <h2 id="highlight-settings-heading">{t('highlightSettings.highlightsOnWebPages')}</h2>
      <label className="row">
        <input type="checkbox" checked={s.enabled !== false} onChange={(e) => void setHighlightsEnabled(e.target.checked)} data-testid={T.highlightEnabled} />
        {t('highlightSettings.showThePassagesWe')}
      </label>
      <p className="small muted">{t('highlightSettings.highlightsShowOnSites')}</p>
      {sites.length > 0 ? (
        <ul className="plain" aria-label={t('highlightSettings.sitesWithHighlights')}>
          {sites.map((site) => (
            <li key={site} className="row">
              <span className="grow">{site.replace(/^https?:\/\//, '')}</span>
              <button type="button" onClick={() => void removeHighlightSite(site)} aria-label={t('highlightSettings.stopHighlightsOnSite', { site: site })}>
                {t('highlightSettings.stop')}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="small">{t('highlightSettings.noSiteShowsHighlights')}</p>
      )}
    </section>
  );
}
