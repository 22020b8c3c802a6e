/**
 * Partners' clipped passages shown again on the pages they came from.
 *
 * - The panel keeps a small index (passage, context, clipper's name, comment; by page address)
 *   in extension storage, so it works while the panel is closed ({@link saveHighlightIndex}).
 * - The highlight script (entrypoints/highlights.ts) runs only on sites the person allowed: a
 *   content script registered for exactly those sites (their optional host permission), or, for
 *   one visit, on the page where the person clicked the toolbar icon (activeTab).
 * - The script asks the background for its own page's passages; the background answers only for
 *   addresses on the tab's own site, never with anything else from the notebook.
 */
import { browser, type Browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { HIGHLIGHT_NAME, passagesFor, siteOf, type HighlightIndex, type HighlightPassage } from '../clip/highlight-index';
import type { HighlightPassagesRequest, HighlightReportRequest } from './messages';

/** The person's choices about highlights. */
export interface HighlightSettings {
  /** Highlights at all (the switch in Settings). */
  enabled: boolean;
  /** Sites ("https://library.example.mn") where highlights show on every visit. */
  sites: string[];
  /** Sites where the person turned highlights off from the page; the toolbar icon does not show them there. */
  offSites: string[];
}

/** The person's highlight settings. */
export const highlightSettingsItem = storage.defineItem<HighlightSettings>('local:highlightSettings', { fallback: { enabled: true, sites: [], offSites: [] } });
/** Each notebook's passages by page (written by the panel that has the notebook open). */
export const highlightIndexItem = storage.defineItem<Record<string, HighlightIndex>>('local:highlightIndex', { fallback: {} });
/** Clips whose passage was not found on its page at the last visit (clip id → when, where). */
export const highlightMissesItem = storage.defineItem<Record<string, { at: number; url: string }>>('local:highlightMisses', { fallback: {} });

/** The id of the registered content script. */
const SCRIPT_ID = 'pn-highlights';
/** The built highlight script. */
const SCRIPT_FILE = '/highlights.js';
const HIGHLIGHT_CSS = `::highlight(${HIGHLIGHT_NAME}) { background-color: #ffe58a; color: inherit; text-decoration: underline 2px #b07d00; }`;

const readSettings = async (): Promise<HighlightSettings> => {
  const s = (await highlightSettingsItem.getValue()) as Partial<HighlightSettings> | undefined;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { enabled: s?.enabled !== false, sites: list(s?.sites), offSites: list(s?.offSites) };
};

function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return typeof navigator !== 'undefined' && navigator.locks ? (navigator.locks.request(name, fn) as Promise<T>) : fn();
}

// --- panel ------------------------------------------------------------------------------------

/** Stores one notebook's index (the panel calls this as clips change); unchanged indexes are not rewritten. */
export async function saveHighlightIndex(notebookId: string, index: HighlightIndex): Promise<void> {
  await withLock('pn-highlight-index', async () => {
    const all = await highlightIndexItem.getValue();
    if (JSON.stringify(all[notebookId] ?? {}) === JSON.stringify(index)) return;
    const next = { ...all };
    if (Object.keys(index).length) next[notebookId] = index;
    else delete next[notebookId];
    await highlightIndexItem.setValue(next);
  });
}

/** Forgets a notebook's passages (the notebook was deleted from this computer). */
export async function forgetHighlightIndex(notebookId: string): Promise<void> {
  await saveHighlightIndex(notebookId, {});
}

/**
 * "Show on the page": asks the browser for the person's permission to run on the clip's site (its
 * own prompt; must be called from a click), then shows highlights there on every visit.
 * Returns false when the person said no.
 */
export async function allowHighlightsOn(url: string): Promise<boolean> {
  const site = siteOf(url);
  if (!site) return false;
  const granted = await browser.permissions.request({ origins: [`${site}/*`] }).catch(() => false);
  if (!granted) return false;
  const s = await readSettings();
  await highlightSettingsItem.setValue({ ...s, enabled: true, sites: [...new Set([...s.sites, site])], offSites: s.offSites.filter((o) => o !== site) });
  await syncHighlightScripts();
  return true;
}

/** Opens a page in a new tab (after "Show on the page"). */
export async function openPage(url: string): Promise<void> {
  await browser.tabs.create({ url });
}

/** Stops highlights on a site (Settings, or "Turn off on this site" on the page). */
export async function removeHighlightSite(site: string): Promise<void> {
  const s = await readSettings();
  await highlightSettingsItem.setValue({ ...s, sites: s.sites.filter((o) => o !== site), offSites: [...new Set([...s.offSites, site])] });
  await syncHighlightScripts();
}

/** Turns highlights on or off everywhere. */
export async function setHighlightsEnabled(enabled: boolean): Promise<void> {
  await highlightSettingsItem.setValue({ ...(await readSettings()), enabled });
  await syncHighlightScripts();
}

// --- background -------------------------------------------------------------------------------

/**
 * Registers the highlight script for exactly the allowed sites whose permission is still granted
 * (the person can withdraw it in the browser's settings), or unregisters it.
 */
export function syncHighlightScripts(): Promise<void> {
  // The panel and the background may both sync at once: one registration at a time.
  return withLock('pn-highlight-scripts', syncNow);
}

async function syncNow(): Promise<void> {
  const s = await readSettings();
  const granted = new Set((await browser.permissions.getAll()).origins ?? []);
  const matches = s.enabled ? s.sites.map((o) => `${o}/*`).filter((m) => granted.has(m)) : [];
  const scripting = browser.scripting;
  const existing = await scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] }).catch(() => []);
  if (!matches.length) {
    if (existing.length) await scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
    return;
  }
  const script = { id: SCRIPT_ID, matches, js: [SCRIPT_FILE], runAt: 'document_idle' as const, allFrames: false, persistAcrossSessions: true };
  if (existing.length) await scripting.updateContentScripts([script]);
  else await scripting.registerContentScripts([script]);
}

// Tabs where the person clicked the icon: highlights may show there for this visit.
const visitTabs = new Map<number, string>();

/** The toolbar icon was clicked on `tab` (activeTab granted): show the page's highlights for this visit. */
export async function showHighlightsInTab(tab: Browser.tabs.Tab): Promise<void> {
  const site = siteOf(tab.url);
  if (tab.id === undefined || !site) return;
  const s = await readSettings();
  if (!s.enabled || s.offSites.includes(site)) return;
  const passages = passagesFor(Object.values(await highlightIndexItem.getValue()), [tab.url!]);
  if (!passages.length) return; // nothing clipped from here: nothing runs in the page
  visitTabs.set(tab.id, site);
  await browser.scripting.executeScript({ target: { tabId: tab.id }, files: [SCRIPT_FILE] }).catch(() => visitTabs.delete(tab.id!));
}

/** The background's answer to the highlight script. */
export type HighlightAnswer = { passages: HighlightPassage[] } | { off: true };

/** Answers the highlight script: the passages of its page, if the person allows highlights there. */
export async function answerHighlightRequest(req: HighlightPassagesRequest, sender: Browser.runtime.MessageSender): Promise<HighlightAnswer> {
  const site = siteOf(sender.url);
  const tabId = sender.tab?.id;
  if (!site || tabId === undefined || sender.id !== browser.runtime.id) return { off: true };
  const s = await readSettings();
  const allowed = s.enabled && !s.offSites.includes(site) && (s.sites.includes(site) || visitTabs.get(tabId) === site);
  if (!allowed) return { off: true };
  // Only addresses on the tab's own site: a page cannot name another page's address (a false
  // canonical link) to learn what was clipped there.
  const urls = [sender.url!, ...req.urls].filter((u) => siteOf(u) === site);
  const passages = passagesFor(Object.values(await highlightIndexItem.getValue()), urls);
  if (passages.length) {
    // A user style sheet: it is not in document.styleSheets, so the page cannot read it either.
    await browser.scripting.insertCSS({ target: { tabId, frameIds: [sender.frameId ?? 0] }, css: HIGHLIGHT_CSS }).catch(() => {});
  }
  return { passages };
}

/** Notes which of a page's passages could not be found (the panel says so on their clips). */
export async function recordHighlightReport(req: HighlightReportRequest, sender: Browser.runtime.MessageSender): Promise<void> {
  if (!sender.url || sender.id !== browser.runtime.id) return;
  await withLock('pn-highlight-misses', async () => {
    const misses = { ...(await highlightMissesItem.getValue()) };
    for (const id of req.placed) delete misses[id];
    for (const id of req.missed) misses[id] = { at: Date.now(), url: sender.url! };
    const entries = Object.entries(misses)
      .sort((a, b) => b[1].at - a[1].at)
      .slice(0, 500);
    await highlightMissesItem.setValue(Object.fromEntries(entries));
  });
}

/** "Turn off on this site" from the page itself. */
export async function turnOffFromPage(sender: Browser.runtime.MessageSender): Promise<void> {
  const site = siteOf(sender.url);
  if (site && sender.id === browser.runtime.id) await removeHighlightSite(site);
}

// --- highlight script ---------------------------------------------------------------------------

/** Asks the background for this page's passages (from the highlight script). */
export async function askForPassages(urls: string[]): Promise<HighlightAnswer> {
  const out = (await browser.runtime.sendMessage({ type: 'highlight-passages', urls })) as HighlightAnswer | undefined;
  return out ?? { off: true };
}

/** Tells the background which passages were placed (from the highlight script). */
export async function reportPlacement(placed: string[], missed: string[]): Promise<void> {
  await browser.runtime.sendMessage({ type: 'highlight-report', placed, missed });
}

/** Turns highlights off for this page's site (from the highlight script). */
export async function turnOffHere(): Promise<void> {
  await browser.runtime.sendMessage({ type: 'highlight-site-off' });
}
