import * as Y from 'yjs';
import { describe, expect, test, vi } from 'vitest';
import { addClip, addTopic, noteBody, posterStore, setPosterText } from '../../../lib/notebook';
import * as outline from '../../../lib/notebook/poster/outline';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

describe('posterStore: the poster is re-read only when the poster changed', () => {
  function setup() {
    const doc = makeDoc();
    const deps = makeDeps();
    const topic = addTopic(doc, { title: 'Library Spaces' }, deps);
    setPosterText(doc, 'title', 'Two libraries');
    const text = new Y.XmlText('hello');
    noteBody(doc, topic).insert(0, [text]);
    const store = posterStore(doc);
    const notified = vi.fn();
    store.subscribe(notified);
    return { doc, deps, topic, text, store, notified };
  }

  test('a keystroke in a note neither notifies nor re-reads the poster', () => {
    const { text, store, notified } = setup();
    const before = store.get();
    const reads = vi.spyOn(outline, 'readPoster');
    text.insert(5, ' world');
    text.insert(11, '!');
    expect(notified).not.toHaveBeenCalled();
    expect(store.get()).toBe(before);
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
  });

  test('a new clip does not re-read the poster either', () => {
    const { doc, deps, topic, store, notified } = setup();
    const before = store.get();
    addClip(doc, { topicId: topic, captured: makeCaptured(), clippedBy: ANA }, deps);
    expect(notified).not.toHaveBeenCalled();
    expect(store.get()).toBe(before);
  });

  test('an edit of the poster, here or from a partner, notifies once and gives a new snapshot', () => {
    const { doc, store, notified } = setup();
    const before = store.get();
    setPosterText(doc, 'title', 'Two libraries, one programme');
    expect(notified).toHaveBeenCalledTimes(1);
    const after = store.get();
    expect(after).not.toBe(before);
    expect(after.outline?.title).toBe('Two libraries, one programme');

    const partner = makeDoc(2);
    Y.applyUpdate(partner, Y.encodeStateAsUpdate(doc));
    setPosterText(partner, 'subtitle', 'From Sarajevo and Ulaanbaatar');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(partner, Y.encodeStateVector(doc)), 'remote');
    expect(notified).toHaveBeenCalledTimes(2);
    expect(store.get().outline?.subtitle).toBe('From Sarajevo and Ulaanbaatar');
  });
});
