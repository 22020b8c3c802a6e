import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { addClip, addClipTags, addTopic, deleteClip, noteBody, updateTopic } from '../../../lib/notebook';
import { createNotebookSearch, type IdleScheduler } from '../../../lib/search/notebook-index';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

/** Runs scheduled work only when the test says so, with a budget of `perSlice` items. */
function manualIdle() {
  const pending: ((timeLeft: () => number) => void)[] = [];
  const idle: IdleScheduler = (work) => {
    pending.push(work);
    return () => pending.splice(pending.indexOf(work), 1);
  };
  return {
    idle,
    runOne: () => pending.shift()?.(() => 0),
    runAll: () => {
      while (pending.length) pending.shift()!(() => 0);
    },
  };
}

function writeNote(doc: Y.Doc, topicId: string, text: string) {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  noteBody(doc, topicId).insert(noteBody(doc, topicId).length, [p]);
}

function seeded(clips: number) {
  const doc = makeDoc();
  const deps = makeDeps();
  const topic = addTopic(doc, { title: 'Library Spaces' }, deps);
  writeNote(doc, topic, 'Batbayar described the yurt branch.');
  for (let i = 0; i < clips; i++)
    addClip(
      doc,
      { topicId: topic, captured: makeCaptured({ title: `Clip ${i}`, text: i === 7 ? 'felt and wood craftspeople' : 'opening hours' }), clippedBy: ANA },
      deps,
    );
  return { doc, deps, topic };
}

test('the first build runs in slices with progress, then everything is searchable', () => {
  const { doc } = seeded(20);
  const m = manualIdle();
  // Each item takes 2 ms on this clock; a slice with no idle time left stops after about 8 ms.
  let now = 0;
  const s = createNotebookSearch(doc, m.idle, () => (now += 2));
  expect(s.progress()).toMatchObject({ done: 0, total: 21, ready: false });
  m.runOne();
  expect(s.progress()).toMatchObject({ done: 4, ready: false });
  m.runAll();
  expect(s.progress()).toMatchObject({ done: 21, total: 21, ready: true });
  expect(s.index.search('craftspeople')).toHaveLength(1);
  expect(s.index.search('yurt')[0]).toMatchObject({ type: 'note' });
});

test('after the build only what changed is re-indexed: tags, deletions, notes, topic titles', () => {
  const { doc, deps, topic } = seeded(3);
  const m = manualIdle();
  const s = createNotebookSearch(doc, m.idle);
  m.runAll();
  const [first] = s.index.search('', {});
  const clipId = first!.type === 'clip' ? first!.clipId : '';
  let notified = 0;
  s.subscribe(() => notified++);

  addClipTags(doc, clipId, ['reading rooms']);
  writeNote(doc, topic, 'A ger-shaped reading corner.');
  m.runAll();
  expect(s.index.search('', { tag: 'reading rooms' })).toHaveLength(1);
  expect(s.index.search('corner')).toHaveLength(1);
  expect(notified).toBeGreaterThan(0);

  updateTopic(doc, topic, { title: 'Spaces we love' });
  m.runAll();
  expect(s.index.search('love')[0]).toMatchObject({ type: 'note', topicId: topic });

  deleteClip(doc, clipId, deps);
  m.runAll();
  expect(s.index.search('', { tag: 'reading rooms' })).toHaveLength(0);
  expect(s.index.size.clips).toBe(2);
  s.dispose();
});

test('an empty notebook is ready at once', () => {
  const s = createNotebookSearch(new Y.Doc(), manualIdle().idle);
  expect(s.progress()).toMatchObject({ ready: true, total: 0 });
});
