import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
  addClip,
  addClipTags,
  addRotationRecord,
  addTopic,
  changedParts,
  classifyTransaction,
  noteBody,
  proposePosterTheme,
  registerClient,
  setInfo,
  setMemberEntry,
  setPosterText,
  subscribeChanges,
  subscribeTransactions,
  summarizeChange,
  themeTitleText,
  updatePartner,
  updateTopic,
  type DocChanges,
  type TransactionChanges,
} from '../../../lib/notebook';
import { proposeTheme } from '../../../lib/poster/draft';
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

describe('classifyTransaction: the one answer to "what did this transaction change"', () => {
  const classified = (doc: Y.Doc) => {
    const seen: TransactionChanges[] = [];
    subscribeTransactions(doc, (c) => seen.push(c));
    return seen;
  };
  const parts = (c: TransactionChanges) =>
    (['info', 'topics', 'clips', 'partners', 'poster', 'members', 'rotations'] as const).filter((k) => c[k]).concat(c.notes.size ? (['notes'] as never[]) : []);

  test('names the part of each change, and the ids below topics, clips and notes', () => {
    const doc = makeDoc();
    const deps = makeDeps();
    const topic = addTopic(doc, { title: 'Library Spaces' }, deps);
    const clip = addClip(doc, { topicId: topic, captured: makeCaptured(), clippedBy: ANA }, deps);
    const seen = classified(doc);
    setInfo(doc, { title: 'Our notebook' });
    updateTopic(doc, topic, { title: 'Spaces' });
    addClipTags(doc, clip, ['children']);
    updatePartner(doc, 'p-1', { name: 'Ana' });
    setPosterText(doc, 'title', 'Two libraries');
    proposePosterTheme(doc, proposeTheme({ id: 'th-1', title: 'Book clubs', proposedBy: ANA.id, from: { kind: 'topic', id: topic } }));
    themeTitleText(doc, 'th-1').insert(0, 'Adult ');
    setMemberEntry(doc, 'key-1', 'signed entry');
    addRotationRecord(doc, '2:key-1:abc', 'signed record');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('hello')]);
    noteBody(doc, topic).insert(0, [p]);
    expect(seen.map(parts)).toEqual([['info'], ['topics'], ['clips'], ['partners'], ['poster'], ['poster'], ['poster'], ['members'], ['rotations'], ['notes']]);
    expect([...seen[1]!.topicIds]).toEqual([topic]);
    expect([...seen[2]!.clipIds]).toEqual([clip]);
    expect([...seen[9]!.notes]).toEqual([topic]);
  });

  test('a keystroke in a note is a note change and nothing else', () => {
    const doc = makeDoc();
    const topic = addTopic(doc, { title: 'Library Spaces' }, makeDeps());
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('hello')]);
    noteBody(doc, topic).insert(0, [p]);
    const seen = classified(doc);
    (p.get(0) as Y.XmlText).insert(5, '!');
    expect(seen.map(parts)).toEqual([['notes']]);
    expect(seen[0]!.poster).toBe(false);
  });

  test('a remote update whose roots this doc has never seen is still classified by name', () => {
    const a = makeDoc();
    const deps = makeDeps();
    const topic = addTopic(a, { title: 'Library Spaces' }, deps);
    setPosterText(a, 'title', 'Two libraries');
    noteBody(a, topic).insert(0, [new Y.XmlText('hi')]);
    const b = makeDoc(2);
    const seen = classified(b);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'remote');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.poster).toBe(true);
    expect([...seen[0]!.topicIds]).toEqual([topic]);
    expect([...seen[0]!.notes]).toEqual([topic]);
  });

  test('every consumer reads the same classification: one object per transaction', () => {
    const doc = makeDoc();
    const deps = makeDeps();
    const topic = addTopic(doc, { title: 'Library Spaces' }, deps);
    const got: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => got.push(classifyTransaction(doc, tr), changedParts(doc, tr)));
    const clip = addClip(doc, { topicId: topic, captured: makeCaptured(), clippedBy: ANA }, deps);
    expect(got[0]).toBe(got[1]);
    expect((got[0] as TransactionChanges).clipIds).toEqual(new Set([clip]));
  });

  test('summarizeChange takes its topics from the classification: notes, and the topics of clips', () => {
    const a = makeDoc();
    const deps = makeDeps();
    const t1 = addTopic(a, { title: 'One' }, deps);
    const t2 = addTopic(a, { title: 'Two' }, deps);
    const b = makeDoc(2);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    registerClient(a, ANA.id);
    addClip(a, { topicId: t1, captured: makeCaptured(), clippedBy: ANA }, deps);
    noteBody(a, t2).insert(0, [new Y.XmlText('hi')]);
    let summary: ReturnType<typeof summarizeChange> | undefined;
    b.on('afterTransaction', (tr: Y.Transaction) => tr.origin === 'remote' && (summary = summarizeChange(b, tr)));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
    expect(summary!.people).toEqual([ANA.id]);
    expect(summary!.topics.sort()).toEqual([t1, t2].sort());
  });
});
