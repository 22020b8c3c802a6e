/**
 * Issue 12 point 5, attack 5: one member (or a bug) erases every topic, and it syncs. Before
 * History, the erased notes were garbage-collected on every replica, for good. These tests are
 * written as that attack.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { chainUpdate, compactOldest, docBeforeTransaction, mergeIntoNext, planRetention, versionDoc, type HistoryVersion } from '../../../lib/notebook/history';
import {
  addClip,
  citeClipInPoster,
  deleteClip,
  initNotebook,
  measureDeletion,
  noteBody,
  noteText,
  readClip,
  readClips,
  readInfo,
  readPoster,
  readProblems,
  readTopic,
  readTopics,
  restoreFromPast,
  setInfo,
  setPosterText,
} from '../../../lib/notebook';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

/** Two replicas that pass every update to each other at once (a live connection). */
function pair() {
  const a = makeDoc(1);
  const b = makeDoc(2);
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, u, 'peer'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, u, 'peer'));
  return { a, b };
}

function typeNote(doc: Y.Doc, topicId: string, text: string) {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  noteBody(doc, topicId).insert(0, [p]);
}

/** A hostile or broken panel: removes every topic and empties every note, in one change. */
function eraseEverything(doc: Y.Doc) {
  doc.transact(() => {
    const topics = doc.getMap('topics');
    for (const id of [...topics.keys()]) {
      topics.delete(id);
      const note = doc.getXmlFragment(`note:${id}`);
      note.delete(0, note.length);
    }
  });
}

function seeded() {
  const { a, b } = pair();
  const deps = makeDeps('t');
  initNotebook(a, { info: { title: 'Ana & Batbayar', programmeName: 'ILN' }, exampleTopics: true }, deps);
  const topics = readTopics(a);
  topics.forEach((t, i) => typeNote(a, t.id, `Note ${i}: our reading room has ${100 + i} seats and opens at eight.`));
  const clipId = addClip(a, { topicId: topics[2]!.id, captured: makeCaptured(), clippedBy: ANA }, deps);
  citeClipInPoster(a, clipId);
  setPosterText(a, 'title', 'Two libraries, one poster');
  return { a, b, topics, clipId, deps };
}

describe('the attack: a partner erases every topic', () => {
  test('today: once the erasure syncs, the notes are gone from both replicas (garbage-collected)', () => {
    const { a, b } = seeded();
    eraseEverything(a);
    expect(readTopics(b)).toEqual([]);
    // Not just hidden: the text is no longer anywhere in the document's state.
    const state = new TextDecoder().decode(Y.encodeStateAsUpdate(b));
    expect(state).not.toContain('reading room has 100 seats');
  });

  test('the version just before the erasure can be rebuilt while the change is applied, and restored as a new change that reaches the eraser', () => {
    const { a, b, topics, clipId } = seeded();
    let before: Y.Doc | undefined;
    b.on('afterTransaction', (tr: Y.Transaction) => {
      const d = measureDeletion(b, tr);
      if (d.topics > 0) before = docBeforeTransaction(b, tr);
    });
    eraseEverything(a);
    expect(readTopics(b)).toEqual([]);
    expect(before).toBeDefined();
    expect(readTopics(before!).map((t) => t.title)).toEqual(topics.map((t) => t.title));
    expect(noteText(before!, topics[0]!.id)).toBe('Note 0: our reading room has 100 seats and opens at eight.');

    const counts = restoreFromPast(b, before!, { notebook: true });
    expect(counts).toMatchObject({ topicsBack: 7, notes: 7 });
    // Restored on B, and (as a new change) synced back to A, the replica that erased it.
    for (const doc of [a, b]) {
      expect(readTopics(doc).map((t) => t.id)).toEqual(topics.map((t) => t.id));
      expect(noteText(doc, topics[3]!.id)).toBe('Note 3: our reading room has 103 seats and opens at eight.');
      expect(readClips(doc, { topicId: topics[2]!.id }).map((c) => c.id)).toEqual([clipId]);
      expect(readPoster(doc)?.sources.clipIds).toEqual([clipId]);
    }
  });

  test('a restore wins over the erasure on a replica that was offline during both', () => {
    const { a, topics } = seeded();
    const c = makeDoc(3);
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a));
    const sv = Y.encodeStateVector(c);
    const past = versionDoc([Y.encodeStateAsUpdate(a)]);
    eraseEverything(a);
    restoreFromPast(a, past, { notebook: true });
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a, sv));
    expect(readTopics(c).map((t) => t.id)).toEqual(topics.map((t) => t.id));
    expect(noteText(c, topics[6]!.id)).toContain('106 seats');
  });

  test('topics and clips that are gone are not reported as unreadable entries from a partner', () => {
    const { a, b, topics, clipId } = seeded();
    eraseEverything(a);
    a.transact(() => a.getMap('clips').delete(clipId));
    // The panel looks up what it had open, or what a change touched: gone is not malformed.
    for (const t of topics) expect(readTopic(b, t.id)).toBeUndefined();
    expect(readClip(b, clipId)).toBeUndefined();
    expect(readProblems(b)).toEqual([]);
  });
});

describe('a restore while a partner is offline and editing', () => {
  test("both replicas end up equal, whatever order the changes arrive in; the partner's new topic stays", () => {
    for (const order of ['a-first', 'b-first'] as const) {
      const { a, topics } = seeded();
      const b = makeDoc(7);
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
      const past = versionDoc([Y.encodeStateAsUpdate(a)]);
      eraseEverything(a);
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a)); // B saw the erasure, then went offline
      const svA = Y.encodeStateVector(a);
      const svB = Y.encodeStateVector(b);
      restoreFromPast(a, past, { notebook: true });
      const own = makeDeps('own');
      initNotebook(b, { info: { title: 'Ana & Batbayar', programmeName: 'ILN' }, exampleTopics: false }, own);
      b.transact(() =>
        b.getMap('topics').set(
          'b-topic',
          new Y.Map([
            ['title', 'Book clubs'],
            ['order', 99],
            ['kind', 'own'],
          ]),
        ),
      );
      const fromA = Y.encodeStateAsUpdate(a, svB);
      const fromB = Y.encodeStateAsUpdate(b, svA);
      if (order === 'a-first') {
        Y.applyUpdate(b, fromA);
        Y.applyUpdate(a, fromB);
      } else {
        Y.applyUpdate(a, fromB);
        Y.applyUpdate(b, fromA);
      }
      const view = (d: Y.Doc) => JSON.stringify({ t: readTopics(d), n: topics.map((t) => noteText(d, t.id)) });
      expect(view(a)).toBe(view(b));
      expect(readTopics(a).map((t) => t.title)).toEqual([...topics.map((t) => t.title), 'Book clubs']);
    }
  });
});

describe('measureDeletion', () => {
  test('counts removed topics, removed or deleted clips and removed note text, not what a transaction added and removed itself', () => {
    const { a, b, topics, clipId, deps } = seeded();
    const seen: ReturnType<typeof measureDeletion>[] = [];
    b.on('afterTransaction', (tr: Y.Transaction) => seen.push(measureDeletion(b, tr)));
    deleteClip(a, clipId, deps);
    expect(seen.at(-1)).toEqual({ topics: 0, clips: 1, noteChars: 0 });
    a.transact(() => noteBody(a, topics[0]!.id).delete(0, 1));
    expect(seen.at(-1)!.noteChars).toBe('Note 0: our reading room has 100 seats and opens at eight.'.length);
    a.transact(() => a.getMap('topics').delete(topics[1]!.id));
    expect(seen.at(-1)!.topics).toBe(1);
    a.transact(() => {
      typeNote(a, topics[2]!.id, 'pasted and removed at once');
      noteBody(a, topics[2]!.id).delete(0, 1);
    });
    expect(seen.at(-1)).toEqual({ topics: 0, clips: 0, noteChars: 0 });
  });
});

describe('restoring one topic', () => {
  test('puts back its fields, note and clips with the same ids, and keeps what was added since', () => {
    const { a, topics, clipId, deps } = seeded();
    const t = topics[2]!;
    const past = versionDoc([Y.encodeStateAsUpdate(a)]);
    // Since then: the note was rewritten, the clip deleted, a new clip added, the title changed.
    a.transact(() => noteBody(a, t.id).delete(0, 1));
    typeNote(a, t.id, 'Short.');
    deleteClip(a, clipId, deps);
    const newer = addClip(a, { topicId: t.id, captured: makeCaptured({ url: 'https://example.org/new', title: 'New' }), clippedBy: ANA }, deps);
    const topic = a.getMap('topics').get(t.id);
    if (topic instanceof Y.Map) topic.set('title', 'Renamed');
    setInfo(a, { title: 'Changed title' });

    const dry = restoreFromPast(a, past, { topicId: t.id }, { dry: true });
    expect(dry).toEqual({ topicsBack: 0, topicsChanged: 1, notes: 1, clips: 1, other: 0 });
    expect(readTopics(a).find((x) => x.id === t.id)!.title).toBe('Renamed'); // a dry run writes nothing

    restoreFromPast(a, past, { topicId: t.id });
    expect(readTopics(a).find((x) => x.id === t.id)!.title).toBe(t.title);
    expect(noteText(a, t.id)).toBe('Note 2: our reading room has 102 seats and opens at eight.');
    expect(
      readClips(a, { topicId: t.id })
        .map((c) => c.id)
        .sort(),
    ).toEqual([clipId, newer].sort());
    // Only that topic: the notebook's title stays as it is now.
    expect(readInfo(a).title).toBe('Changed title');
  });

  test('refuses a topic the version does not have, writing nothing', () => {
    const { a } = seeded();
    const past = versionDoc([Y.encodeStateAsUpdate(a)]);
    expect(() => restoreFromPast(a, past, { topicId: 'no-such-topic' })).toThrow(/not in this version/);
  });
});

describe('the chain of versions', () => {
  function history() {
    const { a, topics, deps } = seeded();
    const states: string[] = [];
    const updates: Uint8Array[] = [];
    let sv: Uint8Array | undefined;
    const keep = () => {
      updates.push(chainUpdate(a, sv));
      sv = Y.encodeStateVector(a);
      states.push(JSON.stringify({ t: readTopics(a), n: topics.map((t) => noteText(a, t.id)) }));
    };
    keep();
    typeNote(a, topics[0]!.id, 'Second paragraph, typed later.');
    keep();
    a.transact(() => noteBody(a, topics[0]!.id).delete(0, 2));
    typeNote(a, topics[0]!.id, 'All rewritten.');
    keep();
    eraseEverything(a);
    keep();
    void deps;
    const read = (u: Uint8Array[]) => {
      const d = versionDoc(u);
      return JSON.stringify({ t: readTopics(d), n: topics.map((t) => noteText(d, t.id)) });
    };
    return { updates, states, read };
  }

  test('version k is the first k+1 parts applied', () => {
    const { updates, states, read } = history();
    for (let k = 0; k < updates.length; k++) expect(read(updates.slice(0, k + 1))).toBe(states[k]);
  });

  test('dropping a version from the middle or the oldest end leaves every other version as it was', () => {
    const { updates, states, read } = history();
    const merged = [updates[0]!, mergeIntoNext(updates[1]!, updates[2]!), updates[3]!];
    expect(read(merged.slice(0, 2))).toBe(states[2]);
    expect(read(merged)).toBe(states[3]);
    const compacted = [compactOldest(merged[0]!, merged[1]!), merged[2]!];
    expect(read(compacted.slice(0, 1))).toBe(states[2]);
    expect(read(compacted)).toBe(states[3]);
    // Compacting frees what the dropped version had and the next one no longer has.
    expect(compacted[0]!.byteLength).toBeLessThan(merged[0]!.byteLength + merged[1]!.byteLength);
  });
});

describe('planRetention', () => {
  const H = 3_600_000;
  const D = 24 * H;
  const now = Date.UTC(2026, 5, 1, 12);
  const v = (id: number, at: number, reason: HistoryVersion['reason'] = 'auto'): HistoryVersion => ({
    id,
    at,
    reason,
    counts: { topics: 0, clips: 0, noteWords: 0 },
    bytes: 10,
  });

  test('keeps everything for a day, the newest of each day for two weeks, the newest of each fortnight after', () => {
    const versions: HistoryVersion[] = [];
    let id = 0;
    // Hourly versions over 40 days.
    for (let at = now - 40 * D; at <= now; at += H) versions.push(v(++id, at));
    const drop = planRetention(versions, now);
    const kept = versions.filter((x) => !drop.has(x.id));
    expect(kept.filter((x) => now - x.at < D)).toHaveLength(24); // the last day: all of them
    const days = kept.filter((x) => now - x.at >= D && now - x.at < 14 * D);
    expect(new Set(days.map((x) => Math.floor(x.at / D))).size).toBe(days.length); // one per day
    expect(days.length).toBeGreaterThanOrEqual(12);
    const older = kept.filter((x) => now - x.at >= 14 * D);
    expect(older.length).toBeGreaterThanOrEqual(2);
    expect(older.length).toBeLessThanOrEqual(3);
    expect(kept.at(-1)!.id).toBe(id);
  });

  test('the version taken before a deletion outlives the later ones of its day that show the damage', () => {
    const day = now - 3 * D - (now % D);
    const versions = [v(1, day + 9 * H), v(2, day + 10 * H, 'before-deletion'), v(3, day + 11 * H), v(4, day + 12 * H), v(5, now)];
    const drop = planRetention(versions, now);
    expect([...drop].sort()).toEqual([1, 3]);
  });
});
