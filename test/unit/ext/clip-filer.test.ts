/**
 * Filing clips queued from the menu or the shortcut into an open notebook (lib/ext/clip-filer.ts):
 * which topic each lands in, the id it keeps, and which stay queued. The queue itself is
 * test/unit/ext/clip-queue.test.ts; the whole journey is test/e2e/clipping.spec.ts.
 */
import { beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startClipFiler, type ArrivedClip } from '../../../lib/ext/clip-filer';
import { clipQueueItem, enqueueClip } from '../../../lib/ext/clip-queue';
import type { QueuedClip } from '../../../lib/ext/messages';
import { addTopic, readClip, readTopics, updateTopic } from '../../../lib/notebook';
import { UNSORTED_TOPIC } from '../../../lib/notebook/clip-destination';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

const NB = 'nb-clips';
beforeEach(() => fakeBrowser.reset());

const item = (id: string, over: Partial<QueuedClip> = {}): QueuedClip => ({
  id,
  captured: makeCaptured({ title: `Page ${id}` }),
  clippedAt: Date.UTC(2026, 2, 1),
  via: 'menu',
  ...over,
});

function start(doc = makeDoc(), where = {}) {
  const deps = makeDeps('filed');
  const arrived: ArrivedClip[] = [];
  const durable = vi.fn(async () => {});
  const stop = startClipFiler({ doc, notebookId: NB, me: ANA, where: () => where, durable, deps }, (c) => arrived.push(c));
  return { doc, arrived, durable, stop };
}

const queued = async () => (await clipQueueItem.getValue()).map((c) => c.id);

test('files each clip in the topic chosen when it was taken, else the open one; keeps the queue id; leaves other notebooks’ clips', async () => {
  const doc = makeDoc();
  const deps = makeDeps('topic');
  const open = addTopic(doc, { title: 'Open now' }, deps);
  const chosen = addTopic(doc, { title: 'Chosen when clipped' }, deps);
  const archived = addTopic(doc, { title: 'Archived since' }, deps);
  updateTopic(doc, archived, { archived: true });
  await enqueueClip(item('q-1', { topicId: chosen, notebookId: NB }));
  await enqueueClip(item('q-2', { topicId: archived }));
  await enqueueClip(item('q-3', { notebookId: 'another-notebook' }));
  const s = start(doc, { openTopicId: open });
  await vi.waitFor(() => expect(s.arrived).toHaveLength(2));
  expect(s.arrived.map((a) => [a.clipId, a.topicTitle, a.title])).toEqual([
    ['q-1', 'Chosen when clipped', 'Page q-1'],
    ['q-2', 'Open now', 'Page q-2'],
  ]);
  expect(readClip(doc, 'q-1')).toMatchObject({ topicId: chosen, clippedBy: { id: ANA.id, name: ANA.name }, clippedAt: Date.UTC(2026, 2, 1) });
  await vi.waitFor(async () => expect(await queued()).toEqual(['q-3']));
  expect(s.durable).toHaveBeenCalled();
  s.stop();
});

test('a notebook without topics gets one for the clip, and a clip whose id is taken gets a new one', async () => {
  const doc = makeDoc();
  const s = start(doc);
  await enqueueClip(item('q-1'));
  await vi.waitFor(() => expect(s.arrived).toHaveLength(1));
  expect(readTopics(doc).map((t) => t.title)).toEqual([UNSORTED_TOPIC]);
  // The same queue id again (e.g. a second computer filed it from a synced queue): never overwritten.
  const first = readClip(doc, 'q-1')!;
  await enqueueClip(item('q-1', { captured: makeCaptured({ title: 'Another page' }) }));
  await vi.waitFor(() => expect(s.arrived).toHaveLength(2));
  expect(s.arrived[1]!.clipId).not.toBe('q-1');
  expect(readClip(doc, 'q-1')).toEqual(first);
  expect(readClip(doc, s.arrived[1]!.clipId)?.captured.title).toBe('Another page');
  s.stop();
});

test('after stopping, clips arriving stay queued', async () => {
  const doc = makeDoc();
  addTopic(doc, { title: 'Only topic' }, makeDeps('topic'));
  const s = start(doc);
  s.stop();
  await enqueueClip(item('late'));
  await new Promise((r) => setTimeout(r, 50));
  expect(s.arrived).toEqual([]);
  expect(await queued()).toEqual(['late']);
  expect(readClip(doc, 'late')).toBeUndefined();
});
