/**
 * Journey: a programme runs two server processes behind one Redis (fan-out) and one PostgreSQL
 * (relay storage). Ana's browser uses process 1, Batbayar's process 2 (his invite names it, as an
 * organiser would hand out a region's address). They connect live, and when one is away the
 * other's work reaches them through the relay, written on one process and read on the other.
 *
 * Redis and PostgreSQL are Debian's (server/test/services.ts; `npm test` installs them). The live
 * part needs the private network namespace, like sync.spec.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { encodeInvite, parseInvite } from '../../lib/sync/keys/invite';
import { servicesUnavailable, startPostgres, startRedis, type Service } from '../../server/test/services';
import { launchPerson, screenshot, type Person } from './harness';
import { Panel } from './pages/panel';
import { startSyncServer, type SyncServer } from './sync-server';

const inNetns = process.env.PN_NETNS === '1';
const unavailable = servicesUnavailable();
if (unavailable) console.warn(`cluster.spec: skipped — ${unavailable}`);
if (!inNetns)
  console.warn('cluster.spec: skipped — run inside the private network namespace: unshare -n sh scripts/netns.sh npx vitest run -c vitest.e2e.config.ts');

/** The same invite, naming another server address (what an organiser gives a partner in another region). */
function inviteNaming(code: string, url: string): string {
  return encodeInvite({ ...parseInvite(code), signaling: [url] });
}

/** Open WebSocket connections of a server process, from its /healthz. */
async function connections(server: SyncServer): Promise<number> {
  const r = await fetch(`${server.url.replace(/^ws/, 'http')}/healthz`);
  return ((await r.json()) as { connections: number }).connections;
}

/** Waits until the panel says every change is on the sync server. */
async function allSent(p: Panel) {
  await expect.poll(() => p.by(T.relayStatus).textContent(), { timeout: 20_000 }).toMatch(/All your changes are on the sync server/);
}

/** Types `text` at the very end of the note and waits until the server has everything. */
async function writeAndSend(panel: Panel, text: string) {
  await panel.caretToEnd();
  await panel.page.keyboard.type(text);
  await allSent(panel);
}

/** A partner comes back: their browser starts again on `profile`, and the panel opens at "Library Spaces". */
async function comeBack(profile: string): Promise<[Person, Panel]> {
  const person = await launchPerson({ userDataDir: profile });
  const panel = new Panel(await person.openPanel());
  await panel.by(T.topicList).waitFor({ state: 'attached' });
  await panel.openTopic('Library Spaces');
  return [person, panel];
}

describe.skipIf(!!unavailable || !inNetns)('two server processes sharing Redis and PostgreSQL', () => {
  let redis: Service;
  let postgres: Service;
  let p1: SyncServer;
  let p2: SyncServer;
  let ana: Person;
  let bat: Person;
  let a: Panel;
  let b: Panel;
  const anaProfile = mkdtempSync(join(tmpdir(), 'pn-ana-'));
  const batProfile = mkdtempSync(join(tmpdir(), 'pn-bat-'));

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    const args = ['--store', 'postgres', '--database-url', postgres.url, '--redis-url', redis.url];
    p1 = await startSyncServer({ args });
    p2 = await startSyncServer({ args });
    expect(p1.url).not.toBe(p2.url);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([ana, bat].map((p) => p?.close()));
    await Promise.all([p1, p2].map((p) => p?.stop()));
    await Promise.all([redis, postgres].map((s) => s?.stop()));
  });

  test('Ana on process 1 and Batbayar on process 2 connect and edit live', async () => {
    ana = await launchPerson({ userDataDir: anaProfile });
    a = new Panel(await ana.openPanel());
    await a.welcome('Ana Kaladžija');
    await a.createNotebook('Ana & Batbayar');
    await a.setSyncServer(p1.url);
    const code = await a.inviteCode();
    expect(parseInvite(code).signaling).toEqual([new URL(p1.url).href]);
    expect(await connections(p2)).toBe(0);

    bat = await launchPerson({ userDataDir: batProfile });
    b = new Panel(await bat.openPanel());
    await b.welcome('Батбаяр Дорж');
    await b.joinWith(inviteNaming(code, p2.url));
    await expect.poll(() => b.topicTitles(), { timeout: 20_000 }).toHaveLength(7);
    // "Connected with" is a WebRTC connection: its offer and answer crossed from one process
    // to the other through Redis (neither process has both partners).
    await expect.poll(() => b.syncStatus(), { timeout: 30_000 }).toBe('Connected with Ana Kaladžija');
    await expect.poll(() => a.syncStatus(), { timeout: 30_000 }).toBe('Connected with Батбаяр Дорж');
    // Batbayar's browser talks to process 2 (signaling and relay), Ana's to process 1.
    expect(await connections(p2)).toBeGreaterThanOrEqual(2);

    await a.openTopic('Library Spaces');
    await b.openTopic('Library Spaces');
    await a.editor.click();
    await a.page.keyboard.type('Ana on process one. ');
    await expect.poll(() => b.noteText(), { timeout: 15_000 }).toContain('Ana on process one.');
    await b.caretToEnd();
    await b.page.keyboard.type('Batbayar on process two.');
    await expect.poll(() => a.noteText(), { timeout: 15_000 }).toContain('Batbayar on process two.');
    await screenshot(b.page, 'cluster-live');
    await allSent(a);
    await allSent(b);
  });

  test('Batbayar is away; Ana writes through process 1; he comes back on process 2 and gets it; then the other way round', async () => {
    await bat.close();
    await writeAndSend(a, ' Written while Batbayar was away.');
    await ana.close();

    // Only the shared PostgreSQL store can bring Ana's change to process 2: she is offline.
    [bat, b] = await comeBack(batProfile);
    await expect.poll(() => b.noteText(), { timeout: 30_000 }).toContain('Written while Batbayar was away.');
    expect(await b.syncStatus()).not.toMatch(/^Connected with/);
    await writeAndSend(b, ' Reply from process two.');
    await bat.close();

    [ana, a] = await comeBack(anaProfile);
    await expect.poll(() => a.noteText(), { timeout: 30_000 }).toContain('Reply from process two.');
    const text = await a.noteText();
    expect(text).toContain('Ana on process one.');
    expect(text).toContain('Batbayar on process two.');
    expect(text).toContain('Written while Batbayar was away.');
  });

  test('PostgreSQL holds only ciphertext: none of what they wrote', async () => {
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    try {
      const n = await db.query('SELECT count(*) AS n FROM relay_entries');
      expect(Number(n.rows[0].n)).toBeGreaterThan(0);
      const rows = await db.query("SELECT string_agg(encode(data, 'hex'), '') AS hex FROM relay_entries");
      const all = Buffer.from(String(rows.rows[0].hex), 'hex');
      for (const s of ['Ana on process one', 'Written while Batbayar', 'Reply from process two', 'Ana & Batbayar', 'Kaladžija', 'Library Spaces']) {
        expect(all.includes(Buffer.from(s)), s).toBe(false);
      }
    } finally {
      await db.end();
    }
  });
});
