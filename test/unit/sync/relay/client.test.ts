import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeRecord } from '../../../../server/room-log';
import { RELAY_ERROR_CODES } from '../../../../protocol/relay';
import { describeRelayError, RELAY_ORIGIN, UNREADABLE_ENTRY_MESSAGE, type RelayProblemCode } from '../../../../lib/sync/relay/client';
import { splitUpdate } from '../../../../lib/sync/relay/split';
import { keysFor, parseLog, Partner, prng, relayTestBed, TestRelay, viewOf, waitFor } from './test-helpers';

const { relay, partner, syncedPair } = relayTestBed();

async function roomLogPath(r: TestRelay): Promise<string> {
  const logs = (await r.files()).filter((f) => path.basename(f.file) === 'log');
  expect(logs).toHaveLength(1);
  return logs[0]!.file;
}

describe('RelayClient: partners who are never online together', () => {
  it('A writes and leaves; after a server restart B catches up, writes, leaves; A returns and fetches only B’s entries', async () => {
    const keys = await keysFor(1);
    const r1 = await relay();
    const a = partner(new Partner('A', keys));
    a.doc.getMap('notes').set('welcome', 'Reading club for adults in Leipzig');
    a.doc.getText('text').insert(0, 'Minutes of our first call.');
    await a.sync(r1);
    a.doc.getMap('notes').set('later', 'Typed while online'); // a live change
    await a.client!.flush(10_000);
    const aFirst = await a.disconnect();
    expect(aFirst.stats.entriesAppended).toBeGreaterThanOrEqual(2);
    await r1.stop();

    const r2 = await relay(r1.dataDir); // same data, new process, new port
    const b = partner(new Partner('B', keys));
    await b.sync(r2);
    expect(b.view()).toBe(a.view());
    b.doc.getMap('notes').set('reply', 'Our library tried this in Porto Alegre');
    await b.client!.flush(10_000);
    b.doc.getText('text').insert(0, '[B] ');
    const bClient = await b.disconnect();
    // B fetched A's entries and sent back only its own two changes, not A's content.
    expect(bClient.stats.entriesAppended).toBe(2);

    const aAgain = await a.sync(r2);
    expect(a.view()).toBe(b.view());
    expect(a.doc.getMap('notes').get('reply')).toBe('Our library tried this in Porto Alegre');
    // From its saved cursor A fetched exactly B's entries, and had nothing to upload.
    expect(aAgain.stats.entriesFetched).toBe(bClient.stats.entriesAppended);
    expect(aAgain.stats.entriesAppended).toBe(0);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('uploads edits made while the server was down once it is back, and pushes live changes between connected partners', async () => {
    const { r, a, b } = await syncedPair(2);

    // Live: B's change reaches A by push, without A asking.
    b.doc.getMap('notes').set('live', 'pushed');
    await b.client!.flush(10_000);
    await waitFor(() => a.doc.getMap('notes').get('live') === 'pushed', 'the push to reach A');
    expect(a.client!.stats.entriesPushed).toBeGreaterThan(0);
    expect(a.client!.status.lastExchangeAt).toBeTypeOf('number');
    expect(a.client!.status.state).toBe('online');

    a.doc.getText('text').insert(0, 'draft agenda: budgets, volunteers');
    await a.client!.flush(10_000);
    await waitFor(() => b.doc.getText('text').toString().startsWith('draft'), 'the text to reach B');

    await r.stop();
    await waitFor(() => a.client!.status.state === 'offline', 'A to notice');
    // Offline edits, including a pure deletion (it does not advance the state vector).
    a.doc.getMap('notes').set('offline', 'written on the train');
    a.doc.getText('text').delete(0, 'draft '.length);
    await waitFor(() => a.client!.status.pendingUploads === 2, 'pending count');
    expect(a.client!.status.message).toMatch(/cannot be reached/);

    await r.start();
    await a.client!.flush(15_000);
    await b.client!.flush(15_000);
    await waitFor(() => b.view() === a.view(), 'B to get the offline edits');
    expect(b.doc.getText('text').toString()).toBe('agenda: budgets, volunteers');
    expect(a.client!.status.pendingUploads).toBe(0);
  });

  it('uploads changes made while no relay client ran, including deletions only', async () => {
    const keys = await keysFor(3);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    a.doc.getMap('notes').set('keep', 'k');
    a.doc.getMap('notes').set('drop', 'd');
    await a.sync(r);
    await a.disconnect();
    a.doc.getMap('notes').delete('drop'); // while the panel ran without the relay

    const again = await a.sync(r);
    expect(again.stats.entriesAppended).toBe(1);
    const b = partner(new Partner('B', keys));
    await b.sync(r);
    expect(b.doc.getMap('notes').toJSON()).toEqual({ keep: 'k' });

    // Nothing new: a third start uploads nothing.
    await a.disconnect();
    expect((await a.sync(r)).stats.entriesAppended).toBe(0);
  });

  it('applies fetched entries with RELAY_ORIGIN and does not send them back', async () => {
    const keys = await keysFor(4);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    a.doc.getMap('notes').set('x', 1);
    await a.sync(r);
    const b = partner(new Partner('B', keys));
    const origins: unknown[] = [];
    b.doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    const bc = await b.sync(r);
    expect(origins).toEqual([RELAY_ORIGIN]);
    expect(bc.stats.entriesAppended).toBe(0);
    expect(bc.status.pendingUploads).toBe(0);
  });

  it('re-uploads everything when the room was deleted on the server (retention) and recreated', async () => {
    const keys = await keysFor(5);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    a.doc.getMap('notes').set('n', 'kept on A');
    await a.sync(r);
    await a.disconnect();
    expect(a.stores.cursor).toBeGreaterThan(0);
    await r.stop();
    await fsp.rm(path.join(r.dataDir, 'rooms'), { recursive: true, force: true });
    await r.start();

    const again = await a.sync(r);
    expect(again.stats.entriesAppended).toBeGreaterThan(0);
    const b = partner(new Partner('B', keys));
    await b.sync(r);
    expect(b.doc.getMap('notes').get('n')).toBe('kept on A');
  });
});

describe('RelayClient: untrusted relay content and credentials', () => {
  it('a client with another key decrypts nothing: its doc stays empty and every entry is reported', async () => {
    const keys = await keysFor(6);
    const other = await keysFor(7);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    a.doc.getMap('notes').set('secret', 'budget figures');
    await a.sync(r);
    a.doc.getMap('notes').set('more', 'names of volunteers');
    await a.client!.flush(10_000);
    const entries = a.client!.stats.entriesAppended;

    // Same mailbox, other key: what a relay mixing up notebooks would deliver.
    const mixed = partner(new Partner('mixed', { ...keys, relayKey: other.relayKey }));
    const c = await mixed.sync(r);
    expect(mixed.view()).toBe(viewOf(new Y.Doc()));
    expect(c.stats.entriesRejected).toBe(entries);
    expect(c.stats.entriesApplied).toBe(0);
    expect(mixed.errors).toHaveLength(entries);
    for (const e of mixed.errors) {
      expect(e.code).toBe('unreadable-entry');
      expect(e.message).toBe('A change from the relay could not be read: it was damaged or made with a different invite. Your notebook is unchanged.');
    }
    expect(mixed.stores.cursor).toBe(entries); // skipped for good, not fetched forever

    // A wholly different secret is a different mailbox: nothing arrives at all.
    const stranger = partner(new Partner('stranger', other));
    const s = await stranger.sync(r);
    expect(s.stats.entriesFetched).toBe(0);
    expect(stranger.view()).toBe(viewOf(new Y.Doc()));
  });

  it('an entry larger than a relay may store is skipped unread and reported, and the rest applies', async () => {
    const { keys, r, a, b } = await syncedPair(9);
    a.doc.getMap('notes').set('big', 'x'.repeat(300_000));
    await a.client!.flush(10_000);
    // From another partner: Yjs cannot apply A's later changes without A's big one.
    b.doc.getMap('notes').set('small', 'a short note');
    await b.client!.flush(10_000);
    // A reader that expects entries of at most 256 KiB: to it, this relay serves oversized ones
    // (what a hostile or broken server could do).
    const c = partner(new Partner('C', keys, { maxEntryBytes: 256 * 1024 }));
    const cc = await c.sync(r);
    expect(cc.stats.entriesRejected).toBe(1);
    expect(c.doc.getMap('notes').has('big')).toBe(false);
    expect(c.doc.getMap('notes').get('small')).toBe('a short note');
    expect(c.errors.map((e) => e.code)).toEqual(['unreadable-entry']);
  });

  it('a frame larger than any honest reply is not even parsed', async () => {
    const keys = await keysFor(10);
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((ok) => wss.once('listening', ok));
    // A server that pushes 400 KB at once to a client expecting at most 64 KiB snapshots.
    const data = Buffer.alloc(400_000, 7).toString('base64');
    wss.on('connection', (sock) => sock.send(JSON.stringify({ type: 'push', room: keys.roomName, entries: [{ seq: 1, kind: 'update', data }] })));
    const c = partner(new Partner('C', keys, { maxSnapshotBytes: 64 * 1024, maxEntryBytes: 16 * 1024 }));
    try {
      await c.connect({ url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/relay` } as TestRelay);
      await waitFor(() => c.errors.length > 0, 'an error', 5_000);
      expect(c.errors[0]!.code).toBe('bad-reply');
      expect(c.client!.stats.entriesPushed).toBe(0);
    } finally {
      await c.disconnect();
      await new Promise((ok) => wss.close(ok));
    }
  });

  it('rejects a stored entry with one flipped ciphertext byte and still applies the others', async () => {
    const { keys, r, a, b } = await syncedPair(8);
    for (const k of ['a1', 'a2', 'a3']) {
      a.doc.getMap('notes').set(k, `from A: ${k}`);
      await a.client!.flush(10_000);
    }
    await b.client!.flush(10_000);
    for (const k of ['b1', 'b2']) {
      b.doc.getMap('notes').set(k, `from B: ${k}`);
      await b.client!.flush(10_000);
    }
    await a.disconnect();
    await b.disconnect();
    await r.stop();

    // Flip one ciphertext byte of entry 2 (A's "a2") and keep the record's CRC valid, so the
    // server serves it as stored: only the encryption can notice.
    const logPath = await roomLogPath(r);
    const records = parseLog(await fsp.readFile(logPath));
    expect(records.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5]);
    records[1]!.payload[20]! ^= 0x01;
    await fsp.writeFile(logPath, Buffer.concat(records.map((x) => encodeRecord(x.kind, x.seq, x.payload))));
    await r.start();

    const c = partner(new Partner('C', keys));
    const cc = await c.sync(r);
    expect(cc.stats.entriesRejected).toBe(1);
    expect(c.errors.map((e) => e.message)).toEqual([UNREADABLE_ENTRY_MESSAGE]);
    const notes = c.doc.getMap('notes');
    expect(notes.get('a1')).toBe('from A: a1');
    expect(notes.get('a2')).toBeUndefined();
    // B's changes do not depend on a2 and apply. A's later a3 does depend on it (Yjs applies
    // one author's changes in order) and waits, parked inside Yjs, for a2 to arrive another way.
    expect(notes.get('b1')).toBe('from B: b1');
    expect(notes.get('b2')).toBe('from B: b2');
    expect(notes.get('a3')).toBeUndefined();
    expect(c.stores.cursor).toBe(5);

    // When A comes back it compacts (forced by a low threshold): its snapshot heals the
    // damage for everyone who arrives later.
    await a.sync(r, { compactAfterEntries: 1 });
    expect(a.client!.stats.compactions).toBe(1);
    const d = partner(new Partner('D', keys));
    await d.sync(r);
    expect(d.view()).toBe(a.view());
    expect(d.errors).toEqual([]);
  });

  it('refuses to write with a wrong write token, says so in words a librarian understands, and keeps reading', async () => {
    const keys = await keysFor(9);
    const other = await keysFor(10);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    a.doc.getMap('notes').set('owner', 'A');
    await a.sync(r);

    const w = partner(new Partner('W', { ...keys, writeToken: other.writeToken }));
    w.doc.getMap('notes').set('intruder', 'should not be stored');
    const wc = await w.sync(r);
    expect(wc.status.state).toBe('error');
    expect(wc.status.message).toBe(describeRelayError('forbidden'));
    expect(w.errors.map((e) => e.code)).toContain('forbidden');
    expect(wc.stats.entriesAppended).toBe(0);
    expect(w.doc.getMap('notes').get('owner')).toBe('A'); // reading still works
    a.doc.getMap('notes').set('live', 'still arrives');
    await a.client!.flush(10_000);
    await waitFor(() => w.doc.getMap('notes').get('live') === 'still arrives', 'the push to reach W');

    const fresh = partner(new Partner('F', keys));
    await fresh.sync(r);
    expect(fresh.doc.getMap('notes').get('intruder')).toBeUndefined();
  });

  it('stores nothing readable: no known plaintext string appears in any file of the data directory', async () => {
    const keys = await keysFor(11);
    const r = await relay();
    const secrets = ['Reading club for adults', 'Porto Alegre', 'budget 4,500 EUR', 'volunteer: Marta Gonçalves'];
    const a = partner(new Partner('A', keys));
    // Key names long enough that random ciphertext cannot contain them by chance (a 2-byte
    // name turns up in a few KB of random bytes every few dozen runs).
    a.doc.getMap('notes').set('note-key-one', secrets[0]!);
    a.doc.getText('text').insert(0, secrets[1]!);
    await a.sync(r);
    a.doc.getMap('clips').set('clip-key-one', `${secrets[2]} — ${'context '.repeat(50)}`);
    a.doc.getMap('notes').set('note-key-two', secrets[3]!);
    await a.sync(r, { compactAfterEntries: 1 });
    await a.disconnect();

    const files = await r.files();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const { file, bytes } of files) {
      for (const text of [...secrets, 'note-key-one', 'clip-key-one', 'clips']) {
        for (const enc of ['utf8', 'utf16le', 'base64'] as const) {
          const needle = enc === 'base64' ? Buffer.from(Buffer.from(text).toString('base64').slice(0, 12)) : Buffer.from(text, enc);
          expect(bytes.includes(needle), `${text} (${enc}) in ${path.relative(r.dataDir, file)}`).toBe(false);
        }
      }
      expect(bytes.includes(Buffer.from(keys.roomName))).toBe(false);
      expect(bytes.includes(Buffer.from(keys.relayRoom))).toBe(false);
      expect(bytes.includes(Buffer.from(keys.writeToken))).toBe(false);
    }
  });
});

describe('RelayClient: size', () => {
  it('compacts a long log: a fresh partner receives everything, and storage tracks the notebook, not its history', async () => {
    const keys = await keysFor(12);
    const r = await relay();
    const a = partner(new Partner('A', keys, { compactAfterEntries: 40 }));
    await a.sync(r);
    const text = a.doc.getText('text');
    const rand = prng(12);
    for (let i = 0; i < 150; i++) {
      // Typing and erasing: a long history of a short text.
      if (text.length > 200 && rand() < 0.5) text.delete(Math.floor(rand() * (text.length - 50)), 40);
      else text.insert(Math.floor(rand() * text.length), `note ${i}: ${'x'.repeat(30)} `);
      a.doc.getMap('notes').set(`k${i % 10}`, i);
      await a.client!.flush(10_000);
    }
    const ac = a.client!;
    expect(ac.stats.compactions).toBeGreaterThanOrEqual(3);

    const b = partner(new Partner('B', keys));
    const bc = await b.sync(r);
    expect(b.view()).toBe(a.view());
    const stored = await r.logBytes();
    const docBytes = Y.encodeStateAsUpdate(a.doc).length;
    console.log(
      `[relay compaction] history sent: ${ac.stats.bytesSent} B in ${ac.stats.entriesAppended} entries; ` +
        `stored after compaction: ${stored} B; doc encoded: ${docBytes} B; fresh client fetched ${bc.stats.entriesFetched} entries`,
    );
    expect(bc.stats.entriesFetched).toBeLessThanOrEqual(41);
    // The snapshot (about one encoded doc) plus at most 40 small entries.
    expect(stored).toBeLessThan(docBytes + 40 * 400 + 1024);
    expect(stored).toBeLessThan(ac.stats.bytesSent / 3);
  });

  it('a 5 MB notebook reaches a fresh partner completely, split into entries under the 1 MiB limit', async () => {
    const keys = await keysFor(13);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    const rand = prng(13);
    const chunk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('');
    a.doc.getText('text').insert(0, chunk(2_000_000) + '😀🙂'.repeat(1000)); // one 2 MB item: cut inside
    for (let i = 0; i < 60; i++) a.doc.getMap('clips').set(`clip-${i}`, chunk(50_000));
    const docBytes = Y.encodeStateAsUpdate(a.doc).length;
    expect(docBytes).toBeGreaterThan(5_000_000);

    const ac = await a.sync(r);
    expect(ac.stats.compactions).toBe(0);
    expect(ac.stats.entriesAppended).toBeGreaterThanOrEqual(5);
    const records = parseLog(await fsp.readFile(await roomLogPath(r)));
    expect(Math.max(...records.map((x) => x.payload.length))).toBeLessThanOrEqual(1024 * 1024);

    const b = partner(new Partner('B', keys));
    const bc = await b.sync(r);
    expect(b.doc.getText('text').toString()).toBe(a.doc.getText('text').toString());
    expect(b.view()).toBe(a.view());
    expect(bc.stats.entriesRejected).toBe(0);
    console.log(
      `[relay 5 MB] doc ${docBytes} B → ${ac.stats.entriesAppended} entries, ${ac.stats.bytesSent} B sent; fresh client fetched ${bc.stats.bytesReceived} B`,
    );
  });

  it('a single value larger than an entry goes up as a compaction snapshot', async () => {
    const keys = await keysFor(14);
    const r = await relay();
    const a = partner(new Partner('A', keys));
    await a.sync(r);
    const big = 'p'.repeat(1_500_000); // one Y.Map value: Yjs cannot split it
    a.doc.getMap('clips').set('huge-pdf-text', big);
    a.doc.getMap('notes').set('small', 'and a small note');
    const ac = await a.sync(r);
    expect(ac.stats.compactions).toBe(1);
    const b = partner(new Partner('B', keys));
    await b.sync(r);
    expect(b.doc.getMap('clips').get('huge-pdf-text')).toBe(big);
    expect(b.view()).toBe(a.view());
  });
});

describe('splitUpdate', () => {
  it('cuts updates into pieces under the limit that rebuild the same document in any order', () => {
    const rand = prng(99);
    for (let round = 0; round < 5; round++) {
      const doc = new Y.Doc();
      const text = doc.getText('text');
      const map = doc.getMap('clips');
      const arr = doc.getArray<unknown>('list');
      for (let i = 0; i < 60; i++) {
        const x = rand();
        if (x < 0.4) text.insert(Math.floor(rand() * (text.length + 1)), 'é😀abc'.repeat(1 + Math.floor(rand() * 400)));
        else if (x < 0.55 && text.length > 10) text.delete(Math.floor(rand() * (text.length - 5)), 1 + Math.floor(rand() * 5));
        else if (x < 0.8) map.set(`k${Math.floor(rand() * 20)}`, 'v'.repeat(Math.floor(rand() * 3000)));
        else if (x < 0.9)
          arr.insert(
            0,
            Array.from({ length: 200 }, (_, j) => ({ j, s: 'z'.repeat(j % 30) })),
          );
        else map.delete(`k${Math.floor(rand() * 20)}`);
      }
      const update = Y.encodeStateAsUpdate(doc);
      for (const max of [600, 4000, 50_000]) {
        const pieces = splitUpdate(update, max);
        for (const p of pieces) expect(p.length).toBeLessThanOrEqual(Math.max(max, 3100)); // map values ≤ 3000 chars are atomic
        const inOrder = new Y.Doc();
        for (const p of pieces) Y.applyUpdate(inOrder, p);
        const shuffled = new Y.Doc();
        for (const p of [...pieces].sort(() => rand() - 0.5)) Y.applyUpdate(shuffled, p);
        for (const d of [inOrder, shuffled]) {
          expect(Buffer.from(Y.encodeStateAsUpdate(d)).equals(Buffer.from(update))).toBe(true);
          expect(d.getText('text').toString()).toBe(text.toString());
        }
      }
    }
  });

  it('returns a small update unchanged', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('a', 1);
    const u = Y.encodeStateAsUpdate(doc);
    expect(splitUpdate(u, 1000)).toEqual([u]);
  });
});

describe('describeRelayError', () => {
  it('has a distinct, actionable message for every server and client code', () => {
    const codes: RelayProblemCode[] = [...RELAY_ERROR_CODES, 'unreadable-entry', 'unsupported-server', 'unreachable', 'notebook-too-large', 'bad-reply'];
    const messages = codes.map(describeRelayError);
    expect(new Set(messages).size).toBe(codes.length);
    for (const m of messages) expect(m.length).toBeGreaterThan(40);
    expect(describeRelayError('unreadable-entry')).toBe(UNREADABLE_ENTRY_MESSAGE);
    expect(describeRelayError('room-full')).toMatch(/tries again/);
  });
});
