import { expect, test } from 'vitest';
import * as Y from 'yjs';
import '../../../lib/notebook/yjs-binary-views';

test('binary values are read as views of the update they came in, with the right bytes', () => {
  const a = new Y.Doc();
  const bodies = [new Uint8Array([1, 2, 3]), new Uint8Array(300).map((_, i) => i % 251), new Uint8Array(0)];
  bodies.forEach((b, i) => a.getMap('clips').set(`c${i}`, b));
  const update = Y.encodeStateAsUpdate(a);
  const b = new Y.Doc();
  Y.applyUpdate(b, update);
  bodies.forEach((body, i) => {
    const got = b.getMap('clips').get(`c${i}`) as Uint8Array;
    expect([...got]).toEqual([...body]);
    expect(got.buffer).toBe(update.buffer); // no copy
  });
  // And they encode again like any other value.
  const c = new Y.Doc();
  Y.applyUpdate(c, Y.encodeStateAsUpdate(b));
  expect([...(c.getMap('clips').get('c1') as Uint8Array)]).toEqual([...bodies[1]!]);
});

test('an update cut inside a binary value is refused, not read past its end', () => {
  const a = new Y.Doc();
  a.getMap('clips').set('c', new Uint8Array(1000).fill(7));
  const update = Y.encodeStateAsUpdate(a);
  // A view into a larger buffer: the bytes after the cut exist, but are not this update's.
  const padded = new Uint8Array(update.length + 2000);
  padded.set(update);
  const cut = padded.subarray(0, update.length - 600);
  expect(() => Y.applyUpdate(new Y.Doc(), cut)).toThrow();
});
