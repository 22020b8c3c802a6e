import { highlightSettingsItem, removeHighlightSite, setHighlightsEnabled } from '../lib/ext/highlights';
import { T } from './test-ids';
import { useStorageItem } from './use-storage-item';

/** Settings for partners' highlights on web pages: on or off everywhere, and the sites allowed. */
export function HighlightSettings() {
  const s = useStorageItem(highlightSettingsItem);
  if (!s) return null;
  const sites = Array.isArray(s.sites) ? s.sites : [];
  return (
    <section aria-labelledby="highlight-settings-heading" data-testid={T.highlightSettings}>
      <h2 id="highlight-settings-heading">Highlights on web pages</h2>
      <label className="row">
        <input type="checkbox" checked={s.enabled !== false} onChange={(e) => void setHighlightsEnabled(e.target.checked)} data-testid={T.highlightEnabled} />
        Show the passages we clipped on the pages they come from
      </label>
      <p className="small muted">
        Highlights show on sites you allowed with “Show on the page” on a quote, and on any page where you click the Partner Notebook icon. The page itself cannot
        read your notebook, names or comments.
      </p>
      {sites.length > 0 ? (
        <ul className="plain" aria-label="Sites with highlights">
          {sites.map((site) => (
            <li key={site} className="row">
              <span className="grow">{site.replace(/^https?:\/\//, '')}</span>
              <button type="button" onClick={() => void removeHighlightSite(site)} aria-label={`Stop highlights on ${site}`}>
                Stop
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="small">No site shows highlights on every visit yet.</p>
      )}
    </section>
  );
}
