/**
 * History on this computer (fake-indexeddb): versions kept in idle time and just before a
 * partner's change removes a lot, restored as a new change, and bounded in size.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addClip, initNotebook, noteBody, noteText, readTopics, registerClient, updatePartner } from '../../../../lib/notebook';
import { HistoryKeeper, keepVersion } from '../../../../lib/sync/local/history-keeper';
import { HistoryStore } from '../../../../lib/sync/local/history-store';
import { ANA, makeCaptured, makeDeps, makeDoc, prng } from '../../factories';

let n = 0;
const keepers: HistoryKeeper[] = [];
afterEach(async () => {
  await Promise.all(keepers.splice(0).map((k) => k.stop()));
});

function partners() {
  const a = makeDoc(1);
  const b = makeDoc(2);
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, u, 'peer'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, u, 'peer'));
  const deps = makeDeps('k');
  initNotebook(a, { info: { title: 'Ana & Batbayar', programmeName: 'ILN' }, exampleTopics: true }, deps);
  for (const t of readTopics(a)) {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(`What we found about ${t.title}.`)]);
    noteBody(a, t.id).insert(0, [p]);
  }
  updatePartner(a, 'person-ana', { name: 'Ana Kaladžija' });
  registerClient(a, 'person-ana');
  return { a, b, deps, id: `nb-${++n}` };
}

function keeper(doc: Y.Doc, notebookId: string, over: Partial<ConstructorParameters<typeof HistoryKeeper>[0]> = {}) {
  let t = Date.UTC(2026, 2, 2, 9);
  const k = new HistoryKeeper({ doc, notebookId, now: () => (t += 1000), idle: (fn) => fn(), firstCheckMs: 60_000, ...over });
  keepers.push(k);
  k.start();
  return k;
}

describe('the attack, on this computer: a partner erases every topic', () => {
  test('B keeps the version before the erasure, restores it, and A (who erased) gets the topics back', async () => {
    const { a, b, id } = partners();
    const titles = readTopics(b).map((t) => t.title);
    const told: string[] = [];
    const k = keeper(b, id, { onDeletionKept: (v) => told.push(`${v.reason} ${v.removed?.topics}`) });

    // A's panel (tampered, or broken) removes every topic and empties every note.
    a.transact(() => {
      for (const tid of [...a.getMap('topics').keys()]) {
        a.getMap('topics').delete(tid);
        const note = a.getXmlFragment(`note:${tid}`);
        note.delete(0, note.length);
      }
    });
    expect(readTopics(b)).toEqual([]);
    await k.settled();
    expect(told).toEqual(['before-deletion 7']);

    const [v] = await k.versions();
    expect(v).toMatchObject({ reason: 'before-deletion', removed: { topics: 7, fromPartner: true }, counts: { topics: 7 } });
    const past = await k.load(v!.id);
    expect(readTopics(past).map((t) => t.title)).toEqual(titles);
    expect(k.preview(past, { notebook: true })).toMatchObject({ topicsBack: 7, notes: 7 });
    const counts = await k.restore(past, { notebook: true });
    past.destroy();
    expect(counts.topicsBack).toBe(7);
    for (const doc of [a, b]) {
      expect(readTopics(doc).map((t) => t.title)).toEqual(titles);
      expect(noteText(doc, readTopics(doc)[3]!.id)).toBe(`What we found about ${titles[3]}.`);
    }
    // The erased state was kept too, before the restore: a restore can be undone.
    expect((await k.versions()).map((x) => x.reason)).toEqual(['before-restore', 'before-deletion']);
  });

  test('a partner deleting again and again gets one version per gap, not one per change', async () => {
    const { a, b, id } = partners();
    const k = keeper(b, id, { deletionGapMs: 30_000 });
    for (const tid of [...a.getMap('topics').keys()]) a.transact(() => a.getMap('topics').delete(tid));
    await k.settled();
    // The clock ticks a second per call: seven deletions well within 30 s.
    expect((await k.versions()).length).toBe(1);
  });

  test('typing and small edits from a partner keep no version', async () => {
    const { a, b, id } = partners();
    const k = keeper(b, id);
    const tid = readTopics(a)[0]!.id;
    noteBody(a, tid).delete(0, 1);
    addClip(a, { topicId: tid, captured: makeCaptured(), clippedBy: ANA }, makeDeps('c'));
    await k.settled();
    expect(await k.versions()).toEqual([]);
  });
});

describe('automatic versions and their cost', () => {
  test('the first look after opening keeps a version, later looks only when something changed and an hour passed', async () => {
    const { a, id } = partners();
    let now = Date.UTC(2026, 2, 2, 9);
    const k = new HistoryKeeper({ doc: a, notebookId: id, now: () => now, idle: (fn) => fn(), firstCheckMs: 1, checkEveryMs: 5, quietMs: 0 });
    keepers.push(k);
    k.start();
    await expect.poll(async () => (await k.versions()).length).toBe(1);
    now += 10 * 60_000;
    noteBody(a, readTopics(a)[0]!.id).delete(0, 1);
    await new Promise((r) => setTimeout(r, 50));
    await k.settled();
    expect((await k.versions()).length).toBe(1); // less than an hour later
    now += 60 * 60_000;
    await expect.poll(async () => (await k.versions()).length).toBe(2);
    now += 2 * 60 * 60_000;
    await new Promise((r) => setTimeout(r, 50));
    await k.settled();
    expect((await k.versions()).length).toBe(2); // nothing changed since
    const [latest] = await k.versions();
    const doc = await k.load(latest!.id);
    expect(readTopics(doc)).toHaveLength(7);
    doc.destroy();
  });

  test('an automatic version waits for a quiet moment: it never interrupts typing', async () => {
    const { a, id } = partners();
    const k = new HistoryKeeper({ doc: a, notebookId: id, idle: (fn) => fn(), firstCheckMs: 1, checkEveryMs: 1_000, quietMs: 150 });
    keepers.push(k);
    const tid = readTopics(a)[0]!.id;
    const typing = setInterval(() => noteBody(a, tid).insert(0, [new Y.XmlElement('paragraph')]), 20);
    await new Promise((r) => setTimeout(r, 50));
    k.start();
    await new Promise((r) => setTimeout(r, 400));
    await k.settled();
    expect(await k.versions()).toEqual([]);
    clearInterval(typing);
    await expect.poll(async () => (await k.versions()).length).toBe(1);
  });

  test('over its cap, History drops its oldest versions until it fits; the newest always stays', async () => {
    const { a, id } = partners();
    const rnd = prng(7);
    let now = Date.UTC(2026, 2, 2, 9);
    for (let i = 0; i < 6; i++) {
      // Large, then deleted: each version holds text the next one does not.
      const tid = readTopics(a)[0]!.id;
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`${i} ${i} ${i} ` + Array.from({ length: 20_000 }, () => 'abcdefghij'[Math.floor(rnd() * 10)]).join(''))]);
      a.transact(() => {
        noteBody(a, tid).delete(0, noteBody(a, tid).length);
        noteBody(a, tid).insert(0, [p]);
      });
      await keepVersion(a, id, 'auto', (now += 60_000));
    }
    const store = await HistoryStore.open(id);
    const before = await store.bytes();
    const dropped = await store.prune(now, { keepAllMs: 1e12, dailyUntilMs: 1e12, periodMs: 1e12, capBytes: before / 2 });
    const after = await store.list();
    expect(dropped).toBeGreaterThan(0);
    expect(after.reduce((s, v) => s + v.bytes, 0)).toBeLessThanOrEqual(before / 2);
    expect(after.at(-1)!.id).toBe(6);
    const doc = await store.load(6);
    expect(noteText(doc, readTopics(doc)[0]!.id)).toContain('5 5 5');
    doc.destroy();
    store.close();
  });

  test('thinning by the schedule merges dropped versions into the next: every kept version still reads as it was', async () => {
    const { a, id } = partners();
    const D = 86_400_000;
    const now = Date.UTC(2026, 5, 20, 12);
    const tid = readTopics(a)[0]!.id;
    const states = new Map<number, string>();
    // Two versions on each of five days, three weeks ago and later; each day's note differs.
    let n = 0;
    for (const day of [21, 20, 10, 9, 2]) {
      for (const hour of [9, 15]) {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(`Version ${++n}.`)]);
        a.transact(() => {
          noteBody(a, tid).delete(0, noteBody(a, tid).length);
          noteBody(a, tid).insert(0, [p]);
        });
        const v = await keepVersion(a, id, 'auto', now - day * D + hour * 3_600_000 - 12 * 3_600_000);
        states.set(v.id, noteText(a, tid));
      }
    }
    const store = await HistoryStore.open(id);
    expect(await store.prune(now)).toBeGreaterThan(0);
    const kept = await store.list();
    // The newest of each day within two weeks; the newest of each fortnight before that.
    expect(kept.length).toBeLessThan(10);
    expect(kept.at(-1)!.id).toBe(10);
    for (const v of kept) {
      const doc = await store.load(v.id);
      expect(noteText(doc, tid)).toBe(states.get(v.id));
      doc.destroy();
    }
    store.close();
  });
});
