/**
 * Journey: partners who are never online at the same time still get each other's work, through
 * the encrypted relay of the real server process, which is restarted in between. The server's
 * files never contain what they wrote.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';
import { startStaticServer } from './static-server';
import { startSyncServer, type SyncServer } from './sync-server';

let server: SyncServer;
let site: Awaited<ReturnType<typeof startStaticServer>>;
const dataDir = mkdtempSync(join(tmpdir(), 'pn-relay-e2e-'));
const anaProfile = mkdtempSync(join(tmpdir(), 'pn-ana-'));
let port = 0;
let code = '';
const secrets = ['Relay note from Ana in Sarajevo', 'Reply from Batbayar in Ulaanbaatar'];

beforeAll(async () => {
  site = await startStaticServer();
  server = await startSyncServer({ dataDir });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await site?.close();
  await server?.stop();
});

/** Waits until the panel says every change is on the sync server. */
async function allSent(p: Panel) {
  await expect.poll(() => p.by(T.relayStatus).textContent(), { timeout: 20_000 }).toMatch(/All your changes are on the sync server/);
}

/** Asserts the status never showed a live connection with a partner. */
function neverConnected(p: Panel) {
  const seen: string[] = [];
  const timer = setInterval(
    () =>
      void p.syncStatus().then(
        (s) => seen.push(s),
        () => {},
      ),
    100,
  );
  return () => {
    clearInterval(timer);
    expect(seen.filter((s) => s.startsWith('Connected with'))).toEqual([]);
  };
}

test('A writes and clips, then closes; the server restarts; B, never online with A, gets it all; B replies; A gets the reply', async () => {
  // Ana, in the morning in Sarajevo.
  let ana: Person = await launchPerson({ userDataDir: anaProfile });
  const a = new Panel(await ana.openPanel());
  await a.welcome('Ana Kaladžija');
  await a.createNotebook('Ana & Batbayar');
  await a.setSyncServer(server.url);
  await a.openTopic('Library Spaces');
  await a.editor.click();
  await a.page.keyboard.type(secrets[0]!);
  const lib = await ana.context.newPage();
  await lib.goto(`${site.url}/e2e/library-page.html`);
  await ana.clickToolbarButton(lib);
  await a.by(T.clipPage).click();
  await expect.poll(() => a.clipTitles(), { timeout: 15_000 }).toContain("New Children's Reading Room Opens");
  // The relay line shows once the notebook is shared (an invite was shown).
  code = await a.inviteCode();
  await allSent(a);
  await ana.close();

  // The server restarts (an update, a reboot) between the two partners' days.
  await server.stop();
  server = await startSyncServer({ dataDir, port });

  // Batbayar, that evening in Ulaanbaatar: Ana's browser is closed.
  const bat = await launchPerson();
  const b = new Panel(await bat.openPanel());
  await b.welcome('Батбаяр Дорж');
  const checkB = neverConnected(b);
  await b.joinWith(code);
  await expect.poll(() => b.topicTitles(), { timeout: 20_000 }).toHaveLength(7);
  await b.openTopic('Library Spaces');
  await expect.poll(() => b.noteText(), { timeout: 20_000 }).toBe(secrets[0]);
  await expect.poll(() => b.clipTitles(), { timeout: 20_000 }).toContain("New Children's Reading Room Opens");
  await b.caretToEnd();
  await b.page.keyboard.press('Enter');
  await b.page.keyboard.type(secrets[1]!);
  await allSent(b);
  checkB();
  await bat.close();

  // Ana opens the panel the next morning.
  ana = await launchPerson({ userDataDir: anaProfile });
  const a2 = new Panel(await ana.openPanel());
  const checkA = neverConnected(a2);
  await a2.by(T.topicList).waitFor({ state: 'attached' });
  await expect.poll(() => a2.by(T.topicChanged).first().textContent(), { timeout: 20_000 }).toContain('New from Батбаяр Дорж');
  await expect.poll(() => a2.by(T.lastExchange).textContent(), { timeout: 20_000 }).toContain('Last exchange with Батбаяр Дорж: just now');
  await screenshot(a2.page, 'relay-topic-changed');
  await a2.openTopic('Library Spaces');
  await expect.poll(() => a2.noteText(), { timeout: 20_000 }).toBe(`${secrets[0]}\n${secrets[1]}`);
  checkA();
  await ana.close();
});

test('the server’s data directory holds none of what the partners wrote or clipped', () => {
  const files: string[] = [];
  const walk = (d: string) => readdirSync(d).forEach((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : files.push(join(d, f))));
  walk(dataDir);
  expect(files.length).toBeGreaterThan(0);
  const all = Buffer.concat(files.map((f) => readFileSync(f)));
  for (const s of [...secrets, "New Children's Reading Room Opens", 'Ana & Batbayar', 'Kaladžija', 'Library Spaces']) {
    expect(all.includes(Buffer.from(s)), s).toBe(false);
  }
});
