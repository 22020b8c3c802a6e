import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { addClip, addClipTags, addTopic, noteBody, subscribeChanges, updateTopic, type DocChanges } from '../../../lib/notebook';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

test('subscribeChanges names the clips, topics and notes a transaction touched, local or remote', () => {
  const doc = makeDoc();
  const deps = makeDeps();
  const seen: DocChanges[] = [];
  subscribeChanges(doc, (c) => seen.push(c));
  const topic = addTopic(doc, { title: 'Library Spaces' }, deps);
  const clip = addClip(doc, { topicId: topic, captured: makeCaptured(), clippedBy: ANA }, deps);
  addClipTags(doc, clip, ['children']);
  updateTopic(doc, topic, { title: 'Spaces' });
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText('hello')]);
  noteBody(doc, topic).insert(0, [p]);
  (p.get(0) as Y.XmlText).insert(5, ' world');
  expect(seen.map((c) => [[...c.clips], [...c.topics], [...c.notes]])).toEqual([
    [[], [topic], []],
    [[clip], [], []],
    [[clip], [], []],
    [[], [topic], []],
    [[], [], [topic]],
    [[], [], [topic]],
  ]);

  const other = makeDoc(2);
  const remote: DocChanges[] = [];
  subscribeChanges(other, (c) => remote.push(c));
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc), 'remote');
  expect(remote).toHaveLength(1);
  expect([...remote[0]!.clips, ...remote[0]!.topics, ...remote[0]!.notes]).toEqual([clip, topic, topic]);
});
