import * as Y from 'yjs';
import { expect, test, vi } from 'vitest';
import { addClip, initNotebook, noteBody, readTopics, registerClient, setInfo, updatePartner } from '../../../lib/notebook';
import { PROBLEMS_CHECK_MS, createSnapshotStore, takeSnapshot, type NotebookSnapshot } from '../../../lib/notebook/snapshot';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

function setup() {
  const doc = makeDoc();
  const deps = makeDeps();
  initNotebook(doc, { info: { title: 'T', programmeName: '' }, exampleTopics: true }, deps);
  const topic = readTopics(doc)[0]!;
  addClip(doc, { topicId: topic.id, captured: makeCaptured(), clippedBy: ANA }, deps);
  return { doc, deps, topic, store: createSnapshotStore(doc) };
}

/** A snapshot's data, with its lazy parts read (its functions differ between instances). */
function plain(snap: NotebookSnapshot) {
  const { info, topics, stats, clips, partners, problems } = snap;
  return { info, topics, stats, clips, partners, problems, tags: snap.tags(), byTopic: topics.map((t) => snap.clipsOf(t.id)) };
}

function type(doc: Y.Doc, topicId: string, text: string) {
  const frag = noteBody(doc, topicId);
  doc.transact(() => {
    if (!frag.length) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('')]);
      frag.insert(0, [p]);
    }
    const t = (frag.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    t.insert(t.length, text);
  }, 'local');
}

test('typing in a note rebuilds only that note’s count; the other parts are the same objects', () => {
  const { doc, topic, store } = setup();
  const before = store.getSnapshot();
  type(doc, topic.id, 'three little words');
  const after = store.getSnapshot();
  expect(after).not.toBe(before);
  expect(after.topics).toBe(before.topics);
  expect(after.clips).toBe(before.clips);
  expect(after.partners).toBe(before.partners);
  expect(after.info).toBe(before.info);
  expect(after.stats.get(topic.id)).toEqual({ clips: 1, noteWords: 3 });
  // The incremental snapshot equals a full one.
  expect(plain(after)).toEqual(plain(takeSnapshot(doc)));
});

test('changes to parts the panel does not show keep the very same snapshot', () => {
  const { doc, store } = setup();
  const before = store.getSnapshot();
  registerClient(doc, 'someone');
  expect(store.getSnapshot()).toBe(before);
});

test('clip, partner and info changes rebuild their parts and match a full snapshot', () => {
  const { doc, deps, topic, store } = setup();
  const before = store.getSnapshot();
  addClip(doc, { topicId: topic.id, captured: makeCaptured({ title: 'second' }), clippedBy: ANA }, deps);
  updatePartner(doc, 'p', { name: 'Batbayar' });
  setInfo(doc, { title: 'Renamed' });
  const after = store.getSnapshot();
  expect(after.clips).not.toBe(before.clips);
  expect(after.topics).toBe(before.topics);
  expect(after.stats.get(topic.id)!.clips).toBe(2);
  expect(plain(after)).toEqual(plain(takeSnapshot(doc)));
});

test('a change from a peer is picked up like a local one', () => {
  const { doc, topic, store } = setup();
  store.getSnapshot();
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  type(peer, topic.id, 'from far away');
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), 'remote');
  expect(store.getSnapshot().stats.get(topic.id)!.noteWords).toBe(3);
  expect(plain(store.getSnapshot())).toEqual(plain(takeSnapshot(doc)));
});

test('the topic list comes from counts: no clip is parsed until a topic page or the whole list asks', () => {
  const { doc, deps, topic } = setup();
  const other = readTopics(doc)[1]!;
  for (let i = 0; i < 5; i++) addClip(doc, { topicId: other.id, captured: makeCaptured({ title: `other ${i}` }), clippedBy: ANA }, deps);
  // A malformed entry from a peer: counted (it has a clip's fields) but skipped when read.
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    doc.getMap('clips').set('broken', m);
    m.set('captured', '{not json');
    m.set('topicId', other.id);
  });
  const parse = vi.spyOn(JSON, 'parse');
  const store = createSnapshotStore(doc);
  const snap = store.getSnapshot();
  expect(snap.stats.get(topic.id)!.clips).toBe(1);
  expect(snap.stats.get(other.id)!.clips).toBe(6);
  expect(parse).not.toHaveBeenCalled();
  expect(snap.clipsOf(topic.id).map((c) => c.captured.title)).toEqual([makeCaptured().title]);
  expect(parse.mock.calls.length).toBeLessThan(5); // that topic's one clip only
  expect(snap.clipsOf(other.id)).toHaveLength(5);
  expect(snap.clips).toHaveLength(6);
  expect(snap.clipsOf(topic.id)).toBe(snap.clipsOf(topic.id));
  parse.mockRestore();
});

test('a malformed clip from a peer is found in the background and shown, though nothing read it', () => {
  vi.useFakeTimers();
  try {
    const { doc, topic } = setup();
    const store = createSnapshotStore(doc);
    let notified = 0;
    store.subscribe(() => notified++);
    expect(store.getSnapshot().problems).toEqual([]);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    peer.transact(() => {
      const m = new Y.Map<unknown>();
      peer.getMap('clips').set('broken', m);
      m.set('captured', '{not json');
      m.set('topicId', topic.id);
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), 'remote');
    expect(store.getSnapshot().problems).toEqual([]); // counted, not yet read
    const before = notified;
    vi.advanceTimersByTime(PROBLEMS_CHECK_MS);
    expect(notified).toBeGreaterThan(before);
    expect(store.getSnapshot().problems).toEqual(['clips/broken']);
  } finally {
    vi.useRealTimers();
  }
});
