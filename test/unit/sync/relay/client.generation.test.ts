/**
 * Room generations (issue 12, point 4): a relay room deleted by retention and created again, a
 * relay restored from an older backup, and a relay that serves entries somewhere other than
 * where they were stored. The returning partner must converge or be told, never silently miss
 * changes.
 */
import { promises as fsp, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { roomDirName } from '../../../../server/relay-storage';
import { encodeRecord } from '../../../../server/room-log';
import { encryptUpdate } from '../../../../lib/sync/keys/derive';
import { RelayClient as RawRelay } from '../../../../server/test/helpers';
import { keysFor, parseLog, Partner, relayTestBed, TestRelay, waitFor } from './test-helpers';

const { relay, partner, syncedPair } = relayTestBed();

/** Every file under the room directories, dated `days` ago: the rooms look idle that long. */
async function age(r: TestRelay, days: number): Promise<void> {
  const then = new Date(Date.now() - days * 86_400_000);
  for (const f of await r.files()) utimesSync(f.file, then, then);
}

describe('RelayClient: room generations', () => {
  it('retention deletes the room, a partner creates it again and it grows past the returning cursor: the returning partner still gets everything', async () => {
    const { r, a, b } = await syncedPair(21);
    for (let i = 0; i < 4; i++) {
      a.doc.getMap('notes').set(`before-${i}`, `A's note ${i}`);
      await a.client!.flush(10_000);
    }
    await waitFor(() => b.doc.getMap('notes').size === 4, "B to receive A's notes");
    await b.client!.flush(10_000);
    const bCursor = b.stores.cursor;
    expect(bCursor).toBeGreaterThanOrEqual(4);
    await b.disconnect();
    await a.disconnect();

    // Half a year without anyone opening the notebook: retention deletes the room.
    await r.stop();
    await age(r, 200);
    const r2 = await relay(r.dataDir, { retentionDays: 180 });
    expect(await r2.logBytes()).toBe(0);

    // A wrote offline meanwhile, comes back first and creates the room again; it keeps writing
    // until the new room is longer than B's old cursor.
    a.doc.getMap('notes').set('while-away', 'written while the room was gone');
    await a.sync(r2);
    for (let i = 0; i < bCursor + 1; i++) {
      a.doc.getMap('notes').set(`after-${i}`, `A's later note ${i}`);
      await a.client!.flush(10_000);
    }
    expect(a.client!.appliedSeq).toBeGreaterThan(bCursor);

    await b.sync(r2);
    expect(b.doc.getMap('notes').get('while-away')).toBe('written while the room was gone');
    expect(b.view()).toBe(a.view());
    expect(b.errors).toEqual([]);
  });

  it('a relay restored from an older backup is noticed and reported; the partner uploads again and a newcomer gets everything', async () => {
    const keys = await keysFor(22);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    a.doc.getMap('notes').set('early', 'in the backup');
    await a.sync(r);
    const backup = await r.backUp();
    for (let i = 0; i < 3; i++) {
      a.doc.getMap('notes').set(`late-${i}`, `after the backup ${i}`);
      await a.client!.flush(10_000);
    }
    await a.disconnect();

    await r.restore(backup);
    await r.start();

    await a.sync(r);
    expect(a.errors.map((e) => e.code)).toEqual(['rolled-back']);
    const c = partner(new Partner('C', keys));
    await c.sync(r);
    expect(c.view()).toBe(a.view());
    expect(c.doc.getMap('notes').get('late-2')).toBe('after the backup 2');
  });

  it("a backup restored as is, then grown past a returning partner's cursor by the other partner: noticed, and the partner converges", async () => {
    const { r, a, b } = await syncedPair(28, (a) => a.doc.getMap('notes').set('early', 'in the backup'));
    const backup = await r.backUp();
    for (let i = 0; i < 3; i++) {
      b.doc.getMap('notes').set(`lost-${i}`, `B after the backup ${i}`);
      await b.client!.flush(10_000);
    }
    await waitFor(() => a.doc.getMap('notes').size === 4, "A to read B's notes");
    await a.client!.flush(10_000);
    const bCursor = b.stores.cursor;
    await a.disconnect();
    await b.disconnect();

    // Restored as is: same generation, fewer entries.
    await r.restore(backup);
    await r.start();

    // A comes back first (and notices, its cursor being above the head), then writes until the
    // room is past B's cursor again: the seqs B already read now hold other entries.
    await a.sync(r);
    for (let i = 0; a.client!.appliedSeq <= bCursor + 1; i++) {
      a.doc.getMap('notes').set(`again-${i}`, `A after the restore ${i}`);
      await a.client!.flush(10_000);
    }
    await b.sync(r);
    expect(b.view()).toBe(a.view());
    expect(b.errors.map((e) => e.code)).toEqual(['rolled-back']);
  });

  it('a backup restored the way server/README.md says (generations removed): a partner returning after the room grew again still converges', async () => {
    const { r, a, b } = await syncedPair(26, (a) => a.doc.getMap('notes').set('early', 'in the backup'));
    const backup = await r.backUp();
    for (let i = 0; i < 3; i++) {
      a.doc.getMap('notes').set(`lost-${i}`, `after the backup ${i}`);
      await a.client!.flush(10_000);
    }
    await waitFor(() => b.doc.getMap('notes').size === 4, 'B to read everything');
    await b.client!.flush(10_000);
    const bCursor = b.stores.cursor;
    await b.disconnect();
    await a.disconnect();

    await r.restore(backup);
    // The documented step: sed -i 's/,"generation":"[0-9a-f]*"//' <data-dir>/rooms/*/meta.json
    for (const f of (await r.files()).filter((x) => path.basename(x.file) === 'meta.json')) {
      await fsp.writeFile(f.file, f.bytes.toString('utf8').replace(/,"generation":"[0-9a-f]*"/, ''));
    }
    await r.start();

    await a.sync(r);
    for (let i = 0; (a.client!.appliedSeq ?? 0) <= bCursor; i++) {
      a.doc.getMap('notes').set(`again-${i}`, `after the restore ${i}`);
      await a.client!.flush(10_000);
    }
    await b.sync(r);
    expect(b.view()).toBe(a.view());
  });

  it('a relay that serves entries at other seqs than they were stored at is caught: they are skipped and reported', async () => {
    const keys = await keysFor(23);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    await a.sync(r);
    for (const k of ['k1', 'k2', 'k3']) {
      a.doc.getMap('notes').set(k, `note ${k}`);
      await a.client!.flush(10_000);
    }
    await a.disconnect();
    await r.stop();
    // Swap the payloads of the last two entries, with valid CRCs: only the encryption can tell.
    const logFile = (await r.files()).find((f) => path.basename(f.file) === 'log')!.file;
    const records = parseLog(await fsp.readFile(logFile));
    expect(records.length).toBe(3);
    const [, second, third] = records;
    [second!.payload, third!.payload] = [third!.payload, second!.payload];
    await fsp.writeFile(logFile, Buffer.concat(records.map((x) => encodeRecord(x.kind, x.seq, x.payload))));
    await r.start();

    const c = partner(new Partner('C', keys));
    const cc = await c.sync(r);
    expect(cc.stats.entriesRejected).toBe(2);
    expect(c.errors.map((e) => e.code)).toEqual(['unreadable-entry', 'unreadable-entry']);
    expect(c.doc.getMap('notes').get('k1')).toBe('note k1');
  });

  it('an entry of an earlier generation replayed into the room created again is skipped and reported', async () => {
    const keys = await keysFor(24);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    a.doc.getMap('notes').set('old', 'from the first room');
    await a.sync(r);
    await a.disconnect();
    await r.stop();
    const logFile = (await r.files()).find((f) => path.basename(f.file) === 'log')!.file;
    const [oldEntry] = parseLog(await fsp.readFile(logFile));
    await fsp.rm(path.join(r.dataDir, 'rooms'), { recursive: true, force: true });
    await r.start();

    const b = partner(new Partner('B', keys));
    b.doc.getMap('notes').set('new', 'in the second room');
    await b.sync(r);
    // The server (it knows the write token) slips the old entry in at the next seq.
    const raw = await RawRelay.connect(`ws://127.0.0.1:${r.port}`);
    expect(await raw.request({ type: 'append', room: keys.relayRoom, entries: [oldEntry!.payload], writeToken: keys.writeToken })).toMatchObject({
      type: 'ack',
    });
    await raw.close();

    const c = partner(new Partner('C', keys));
    const cc = await c.sync(r);
    expect(cc.stats.entriesRejected).toBe(1);
    expect(c.doc.getMap('notes').get('new')).toBe('in the second room');
  });

  it('reads what partners left in the room of relay protocol 1 once, and uploads it to the new room', async () => {
    const keys = await keysFor(25);
    const r = await relay();
    await r.stop();
    // A room as protocol version 1 wrote it: named `roomName`, entries bound to that name only.
    const old = new Y.Doc();
    old.getMap('notes').set('legacy', 'written before the server update');
    const dir = path.join(r.dataDir, 'rooms', roomDirName(keys.roomName));
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(path.join(dir, 'log'), encodeRecord('update', 1, await encryptUpdate(keys, Y.encodeStateAsUpdate(old))));
    await fsp.writeFile(path.join(dir, 'meta.json'), JSON.stringify({ format: 1, credential: null, compactedUpTo: 0, createdAt: 0 }));
    await r.start();

    const b = partner(new Partner('B', keys));
    await b.sync(r);
    expect(b.doc.getMap('notes').get('legacy')).toBe('written before the server update');
    expect(b.stores.legacy).toBeNull();
    await b.disconnect();
    const fetched = (await b.connect(r)).stats.entriesFetched;
    await b.client!.flush(10_000);
    expect(fetched).toBe(0);

    // A newcomer that reads only the new room gets it too.
    const c = partner(new Partner('C', keys));
    c.stores.legacy = null;
    await c.sync(r);
    expect(c.doc.getMap('notes').get('legacy')).toBe('written before the server update');
  });
});

describe('RelayClient: a server of relay protocol 1', () => {
  it('is told apart from a broken one: the person reads that the server needs an update', async () => {
    const { WebSocketServer } = await import('ws');
    const keys = await keysFor(27);
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((ok) => wss.once('listening', ok));
    // What a version-1 server answers to hello: no generation.
    wss.on('connection', (sock) =>
      sock.on('message', (d) => {
        const m = JSON.parse(String(d)) as { id: number; room: string };
        sock.send(JSON.stringify({ type: 'welcome', id: m.id, room: m.room, version: 1, head: 0, snapshotSeq: 0, claimed: false, canWrite: true }));
      }),
    );
    const c = partner(new Partner('C', keys));
    try {
      await c.connect({ url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/relay` } as TestRelay);
      await waitFor(() => c.errors.length > 0, 'an error', 5_000);
      expect(c.errors[0]!.code).toBe('unsupported-server');
    } finally {
      await c.disconnect();
      await new Promise((ok) => wss.close(ok));
    }
  });
});
