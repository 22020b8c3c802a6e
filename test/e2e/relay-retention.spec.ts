/**
 * Journey: half a year after the partners last opened their notebook, the relay server's
 * retention deleted its room. Ana comes back first, her notebook creates the room again and she
 * writes more than Batbayar had ever read there. Batbayar, returning later with a cursor into
 * the deleted room, still gets every line (issue 12, point 4). Two browser profiles, the real
 * server process, restarted with retention in between.
 */
import { mkdtempSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { launchPerson, screenshot } from './harness';
import { Panel } from './pages/panel';
import { startSyncServer, type SyncServer } from './sync-server';

let server: SyncServer;
const dataDir = mkdtempSync(join(tmpdir(), 'pn-retention-e2e-'));
const anaProfile = mkdtempSync(join(tmpdir(), 'pn-ana-'));
const batProfile = mkdtempSync(join(tmpdir(), 'pn-bat-'));
let port = 0;

beforeAll(async () => {
  server = await startSyncServer({ dataDir });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.stop();
});

/** Every file under the data directory. */
function files(dir = dataDir): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

/** Highest seq in the relay's room logs (server/storage.ts record layout). */
async function relayHead(): Promise<number> {
  let head = 0;
  for (const f of files().filter((p) => p.endsWith('/log'))) {
    const buf = await readFile(f);
    for (let off = 0; off + 8 <= buf.length; off += 8 + buf.readUInt32BE(off)) {
      head = Math.max(head, buf.readUInt32BE(off + 8 + 1) * 2 ** 32 + buf.readUInt32BE(off + 8 + 5));
    }
  }
  return head;
}

async function allSent(p: Panel) {
  await expect.poll(() => p.by(T.relayStatus).textContent(), { timeout: 20_000 }).toMatch(/All your changes are on the sync server/);
}

test('the relay deleted the room and Ana recreated it past Batbayar’s cursor: Batbayar still gets every line', async () => {
  const lines = ['Spring: our reading clubs'];
  let ana = await launchPerson({ userDataDir: anaProfile });
  let a = new Panel(await ana.openPanel());
  await a.welcome('Ana Kaladžija');
  await a.createNotebook('Ana & Batbayar');
  await a.setSyncServer(server.url);
  // The invite makes the notebook shared: only then does it go to the relay.
  const code = await a.inviteCode();
  await a.openTopic('Library Spaces');
  await a.editor.click();
  await a.page.keyboard.type(lines[0]!);
  await allSent(a);
  await ana.close();

  let bat = await launchPerson({ userDataDir: batProfile });
  let b = new Panel(await bat.openPanel());
  await b.welcome('Батбаяр Дорж');
  await b.joinWith(code);
  await b.openTopic('Library Spaces');
  await expect.poll(() => b.noteText(), { timeout: 20_000 }).toBe(lines[0]);
  await allSent(b);
  await bat.close();
  // Batbayar has read the room up to here.
  const batCursor = await relayHead();
  expect(batCursor).toBeGreaterThan(0);

  // Six months pass; the server restarts with 180-day retention and deletes the idle room.
  await server.stop();
  const then = new Date(Date.now() - 200 * 86_400_000);
  for (const f of files()) utimesSync(f, then, then);
  server = await startSyncServer({ dataDir, port, args: ['--retention-days', '180'] });
  expect(files().filter((p) => p.endsWith('/log'))).toEqual([]);

  // Ana comes back first; her notebook creates the room again. She writes line after line
  // until the new room is longer than what Batbayar read of the old one.
  ana = await launchPerson({ userDataDir: anaProfile });
  a = new Panel(await ana.openPanel());
  await a.openTopic('Library Spaces');
  await expect.poll(() => a.noteText(), { timeout: 20_000 }).toBe(lines[0]);
  for (let i = 1; (await relayHead()) <= batCursor + 1 && i < 40; i++) {
    lines.push(`Autumn idea ${i}`);
    await a.caretToEnd();
    await a.page.keyboard.press('Enter');
    await a.page.keyboard.type(lines[i]!);
    await allSent(a);
  }
  expect(await relayHead()).toBeGreaterThan(batCursor + 1);
  await ana.close();

  bat = await launchPerson({ userDataDir: batProfile });
  b = new Panel(await bat.openPanel());
  await b.openTopic('Library Spaces');
  await expect.poll(() => b.noteText(), { timeout: 20_000 }).toBe(lines.join('\n'));
  await screenshot(b.page, 'relay-retention-converged');
  await bat.close();
});
