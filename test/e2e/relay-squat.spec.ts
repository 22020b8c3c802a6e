/**
 * Journey: someone without the invite learns the name of a notebook's relay mailbox (from a log,
 * from watching the network) and claims it on the server before Ana's first upload, hoping to
 * lock her out of the relay. The server creates a mailbox only for the write token it is named
 * after (issue 12, point 3), so Ana's notebook still reaches Batbayar, who is never online with
 * her. Two browser profiles, the real server process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { T } from '../../components/test-ids';
import { deriveKeys } from '../../lib/sync/keys/derive';
import { parseInvite } from '../../lib/sync/keys/invite';
import { encodeClientMessage } from '../../protocol/relay';
import { launchPerson } from './harness';
import { Panel } from './pages/panel';
import { startSyncServer, type SyncServer } from './sync-server';

let server: SyncServer;
const dataDir = mkdtempSync(join(tmpdir(), 'pn-squat-e2e-'));

beforeAll(async () => {
  server = await startSyncServer({ dataDir });
});
afterAll(async () => {
  await server?.stop();
});

/** The attacker claims `rooms` with a token of its own; resolves with the server's replies. */
function squat(rooms: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url}/relay`);
    const replies: string[] = [];
    ws.on('open', () => rooms.forEach((room, id) => ws.send(encodeClientMessage({ type: 'claim', id, room, writeToken: 'the-attackers-own-token' }))));
    ws.on('message', (d) => {
      replies.push(String(d));
      if (replies.length === rooms.length) {
        ws.close();
        resolve(replies);
      }
    });
    ws.on('error', reject);
  });
}

test('a mailbox name claimed first by someone without the invite does not lock the partners out of the relay', async () => {
  const note = 'Visit plan for the Leipzig branch library';
  const ana = await launchPerson();
  const a = new Panel(await ana.openPanel());
  await a.welcome('Ana Kaladžija');
  await a.createNotebook('Ana & Batbayar');
  // The server goes into the invite; the relay stays off until the attacker has struck.
  await a.setSyncServer(server.url, { relay: false });
  const code = await a.inviteCode();

  // The attacker knows the mailbox names (the relay's, and the signaling topic that was the
  // relay's mailbox before) and claims both before Ana's notebook first talks to the relay.
  const keys = await deriveKeys(parseInvite(code).secret);
  const replies = await squat([keys.relayRoom, keys.roomName]);
  expect(replies.join('\n')).toContain('"type":"error"');

  await a.setSyncServer(server.url, { relay: true });
  await a.openTopic('Library Spaces');
  await a.editor.click();
  await a.page.keyboard.type(note);
  await expect.poll(() => a.by(T.relayStatus).textContent(), { timeout: 20_000 }).toMatch(/All your changes are on the sync server/);
  await ana.close();

  const bat = await launchPerson();
  const b = new Panel(await bat.openPanel());
  await b.welcome('Батбаяр Дорж');
  await b.joinWith(code);
  await b.openTopic('Library Spaces');
  await expect.poll(() => b.noteText(), { timeout: 20_000 }).toBe(note);
  await bat.close();
});
