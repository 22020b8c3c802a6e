import { appendFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { roomDirName } from '../relay-storage.ts';
import { encodeRecord } from '../room-log.ts';
import { randomBytesOf, RelayClient, roomOf, spawnServer, tempDir, TestClient, type ChildServer } from './helpers.ts';
import { appendBurstThenKill, expectBurstSurvived } from './killed-burst.ts';

// Child processes: the real entry point, killed the hard way.
let children: ChildServer[] = [];
afterEach(() => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  children = [];
});

async function spawn(dataDir: string): Promise<ChildServer> {
  // A generous rate limit: this test pipelines hundreds of appends on purpose.
  const c = await spawnServer(['--data-dir', dataDir, '--rate', '100000', '--burst', '100000']);
  children.push(c);
  return c;
}

const TOKEN = 'durable-token';
const ROOM = roomOf(TOKEN);

describe('durability of the relay log (child process)', () => {
  it('keeps every acknowledged entry with its seq across SIGKILL mid-burst, and truncates a torn tail', async () => {
    const dataDir = tempDir();
    const first = await spawn(dataDir);
    const writer = await RelayClient.connect(first.url);

    const burst = await appendBurstThenKill(writer, first, { room: ROOM, writeToken: TOKEN, total: 3000, strict: true });
    expect(await first.exited).toBe('SIGKILL');
    writer.raw.ws.terminate();

    // Simulate a torn final write on top of whatever the kill left: a record header that
    // promises more bytes than follow it.
    const logPath = path.join(dataDir, 'rooms', roomDirName(ROOM), 'log');
    const sizeAfterKill = statSync(logPath).size;
    const torn = encodeRecord('update', 999_999, randomBytesOf(500)).subarray(0, 200);
    appendFileSync(logPath, torn);

    const second = await spawn(dataDir);
    const reader = await RelayClient.connect(second.url);
    const stored = await reader.fetchAll(ROOM);
    expectBurstSurvived(stored, burst);
    // The torn record was cut off on open: the file is back to exactly the valid records
    // (17 bytes of framing each), whether or not the kill itself also tore one.
    expect(statSync(logPath).size).toBe(stored.reduce((n, e) => n + 17 + e.data.length, 0));
    expect(statSync(logPath).size).toBeLessThanOrEqual(sizeAfterKill);
    expect(second.stdout()).toContain('"msg":"truncated torn tail of room log"');

    const next = await reader.request({ type: 'append', room: ROOM, entries: [new Uint8Array([1, 2, 3])], writeToken: TOKEN });
    expect(next).toMatchObject({ type: 'ack', seqs: [stored.length + 1] });
    // The server really stores what it is given: the last record's payload is those bytes.
    expect([...readFileSync(logPath).subarray(-3)]).toEqual([1, 2, 3]);
    await reader.close();

    // SIGTERM: clients see 1001, the process exits 0, and the port line was the only non-JSON output.
    const sig = await TestClient.connect(second.url);
    second.proc.kill('SIGTERM');
    expect((await sig.closed).code).toBe(1001);
    expect(await second.exited).toBe(0);
    const nonJson = second
      .stdout()
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('{'));
    expect(nonJson).toEqual([`listening ${second.url}`]);
    expect(second.stdout()).not.toContain(ROOM);
  }, 60_000);
});
