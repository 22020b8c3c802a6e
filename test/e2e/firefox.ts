/**
 * Launches Debian's firefox-esr, headless, driven by puppeteer-core over WebDriver BiDi, and
 * installs the *built* Firefox extension (`.output/firefox-mv3`) into a fresh profile: one
 * profile per simulated person. Playwright's Firefox needs Mozilla's patched build and geckodriver
 * is not packaged in Debian, so BiDi straight into the stock browser is the way that works here.
 *
 * Like the Chromium harness, the panel page (`sidepanel.html`, the sidebar's page) is opened in a
 * tab: a headless browser shows no sidebar, and it is the same page with the same APIs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { RESULTS_DIR, openTab } from './harness';

/** The unpacked Firefox build that `npx wxt build -b firefox --mv3` produced. */
export const FIREFOX_EXTENSION_DIR = resolve(process.env.PN_FIREFOX_EXTENSION_DIR ?? '.output/firefox-mv3');
/** Debian's Firefox ESR (scripts/ensure-chromium.mjs installs it when missing). */
export const FIREFOX = process.env.PN_FIREFOX ?? '/usr/bin/firefox-esr';
/** The add-on id from wxt.config.ts (browser_specific_settings.gecko.id). */
export const ADDON_ID = 'partner-notebook@example.org';
/**
 * The extension's moz-extension:// host. Firefox picks a random one per profile unless the
 * `extensions.webextensions.uuids` pref names it before the add-on is installed.
 */
export const EXTENSION_UUID = '0d8a3c5e-7b1f-4c2a-9e6d-51f0a2b4c713';

/**
 * Preferences that keep Firefox from contacting anything but the test's own servers: no
 * telemetry, studies, remote settings, safe-browsing lists, captive-portal or connectivity
 * checks, push, updates (of Firefox, add-ons or search engines), DNS-over-HTTPS or speculative
 * connections. puppeteer-core adds its own list on top (first-run pages, session restore…).
 */
export const QUIET_PREFS: Record<string, string | number | boolean> = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'app.update.service.enabled': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'nimbus.rollouts.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.updatePing.enabled': false,
  'toolkit.telemetry.shutdownPingSender.enabled': false,
  'toolkit.telemetry.newProfilePing.enabled': false,
  'toolkit.telemetry.bhrPing.enabled': false,
  'toolkit.telemetry.firstShutdownPing.enabled': false,
  'toolkit.coverage.opt-out': true,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.topsites': false,
  'browser.newtabpage.activity-stream.showSponsored': false,
  'browser.newtabpage.activity-stream.showSponsoredTopSites': false,
  'browser.topsites.contile.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  // This exact value makes Remote Settings skip all its fetches (with MOZ_DISABLE_NONLOCAL_CONNECTIONS
  // below; release builds ignore any other server override).
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'security.remote_settings.crlite_filters.enabled': false,
  'security.OCSP.enabled': 0,
  'dom.push.enabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'extensions.update.enabled': false,
  'extensions.update.autoUpdateDefault': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.blocklist.enabled': false,
  'browser.search.update': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'geo.provider.network.url': '',
  'browser.discovery.enabled': false,
  'browser.translations.enable': false,
  'browser.ml.enable': false,
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-gmpopenh264.enabled': false,
  'media.gmp-widevinecdm.enabled': false,
  'identity.fxaccounts.enabled': false,
  'browser.contentblocking.report.monitor.enabled': false,
  'browser.urlbar.quicksuggest.enabled': false,
  // WebRTC: offer plain host addresses (mDNS names would need resolving across browsers); the
  // tests run in a private network namespace with iceServers: [] anyway.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
};

/** One simulated person in Firefox: a profile with the extension installed. */
export interface FirefoxPerson {
  browser: Browser;
  /** Opens the panel page in a new tab, narrow like the sidebar. */
  openPanel(width?: number): Promise<Page>;
  /** Opens a web page in a new tab. */
  open(url: string): Promise<Page>;
  /** Reloads an extension page and waits until its new document has loaded. */
  reloadPanel(page: Page): Promise<void>;
  /**
   * Presses the main button ("Add"/"Allow") of the add-on permission doorhanger Firefox shows
   * after the extension asks for more permissions, as a person would; returns its text.
   */
  acceptPermissionPrompt(): Promise<string>;
  close(): Promise<void>;
}

/** Starts Firefox for one person and installs the built extension. Fails loudly when Firefox is missing. */
export async function launchFirefoxPerson(): Promise<FirefoxPerson> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pn-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    protocol: 'webDriverBiDi',
    userDataDir,
    // Firefox 153 refuses WebDriver navigation to moz-extension:// pages, and chrome-scope
    // scripts (to press the permission doorhanger), without system access.
    args: ['--remote-allow-system-access'],
    // Firefox's own test switch: refuses connections to anything but this machine, and lets the
    // Remote Settings override above take effect on a release (ESR) build.
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    extraPrefsFirefox: { ...QUIET_PREFS, 'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }) },
  });
  // BiDi webExtension.install: a temporary add-on, like about:debugging's "Load Temporary Add-on".
  const id = await browser.installExtension(FIREFOX_EXTENSION_DIR);
  if (id !== ADDON_ID) throw new Error(`Firefox installed the extension as ${id}, expected ${ADDON_ID}`);

  const bidi = (browser as unknown as { connection: unknown }).connection as { send(method: string, params: object): Promise<{ result: any }> };
  /** Evaluates in the browser window's own (chrome) document: the toolbar, doorhangers. */
  const inBrowserWindow = async <R>(expression: string): Promise<R> => {
    const { result: tree } = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const win = (tree.contexts as { context: string; url: string }[]).find((c) => c.url === 'chrome://browser/content/browser.xhtml');
    if (!win) throw new Error('no Firefox browser window');
    const { result } = await bidi.send('script.evaluate', { expression, target: { context: win.context }, awaitPromise: true });
    if (result.type === 'exception') throw new Error(`in the browser window: ${result.exceptionDetails.text}`);
    return result.result.value as R;
  };

  return {
    browser,
    async openPanel(width = 400) {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 800 });
      page.on('pageerror', (e) => console.error(`[firefox panel error] ${(e as Error).message}`));
      // Firefox never reports this navigation as finished over BiDi (the tab moves into the
      // extension process), so do not wait for it: wait for the panel's document instead.
      page.goto(`moz-extension://${EXTENSION_UUID}/sidepanel.html`).catch(() => {});
      await page.waitForFunction(() => location.protocol === 'moz-extension:' && document.readyState === 'complete' && !!document.querySelector('main'), {
        timeout: 20_000,
      });
      return page;
    },
    open: (url: string) => openTab(() => browser.newPage(), url),
    async reloadPanel(page: Page) {
      await page.evaluate(() => ((window as unknown as { __beforeReload: boolean }).__beforeReload = true));
      await page.evaluate(() => setTimeout(() => location.reload(), 0));
      await page.waitForFunction(
        () => !(window as unknown as { __beforeReload?: boolean }).__beforeReload && document.readyState === 'complete' && !!document.querySelector('main'),
        { timeout: 20_000 },
      );
    },
    async acceptPermissionPrompt() {
      return inBrowserWindow<string>(`(async () => {
        for (let i = 0; i < 100; i++) {
          const n = PopupNotifications.panel.state === 'open' && document.getElementById('addon-webext-permissions-notification');
          if (n && n.button) {
            const text = n.textContent.replace(/\\s+/g, ' ').trim();
            n.button.click();
            return text;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('Firefox showed no add-on permission prompt within 10 s');
      })()`);
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of a Firefox page under test-results/ and returns its path. */
export async function firefoxScreenshot(page: Page, name: string): Promise<string> {
  const path = join(RESULTS_DIR, `${name}.png`) as `${string}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
