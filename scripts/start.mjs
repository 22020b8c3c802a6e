// `npm start`: builds the extension, starts the local sync server, and opens Chromium with the
// extension loaded. Without a display it prints where the unpacked extension is and how to load it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const ext = resolve(root, '.output/chrome-mv3');
const port = process.env.PORT ?? '4444';

console.log('Building the extension for Chrome and Firefox…');
for (const args of [['build'], ['build', '-b', 'firefox', '--mv3']]) {
  const r = spawnSync(resolve(root, 'node_modules/.bin/wxt'), args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log(`Starting the sync server on 127.0.0.1:${port}…`);
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', port], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const listening = new Promise((ok) => {
  server.stdout.on('data', (b) => {
    const text = String(b);
    const m = /listening (ws:\/\/\S+)/.exec(text);
    if (m) ok(m[1]);
    if (process.env.PN_VERBOSE) process.stdout.write(text);
  });
});
server.on('exit', (code) => {
  console.log(`The sync server stopped (exit code ${code}).`);
  process.exit(code ?? 1);
});
const url = await listening;

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
console.log(`
Partner Notebook is built.
  Sync server:           ${url}   (health: http://127.0.0.1:${port}/healthz)
  Chrome extension:      ${ext}
  Firefox extension:     ${resolve(root, '.output/firefox-mv3')}
`);
if (chromium && hasDisplay) {
  const profile = resolve(root, '.data/chromium-profile');
  mkdirSync(profile, { recursive: true });
  console.log('Opening Chromium with the extension loaded. Click the Partner Notebook icon to open the side panel.');
  spawn(chromium, [`--user-data-dir=${profile}`, `--load-extension=${ext}`, `--disable-extensions-except=${ext}`, '--no-first-run'], {
    stdio: 'ignore',
    detached: true,
  }).unref();
} else {
  console.log(`No display here, so no browser was opened. To load the extension by hand:
  Chrome/Chromium/Edge: open chrome://extensions, switch on "Developer mode", click "Load unpacked"
                        and choose ${ext}
  Firefox:              open about:debugging#/runtime/this-firefox, click "Load Temporary Add-on…"
                        and choose ${resolve(root, '.output/firefox-mv3/manifest.json')}
`);
}
console.log('The sync server keeps running; press Ctrl+C to stop it.');
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill('SIGTERM'));
