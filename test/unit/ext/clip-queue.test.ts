import { beforeEach, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { clipQueueItem, drainQueue, enqueueClip, MAX_QUEUED } from '../../../lib/ext/clip-queue';
import type { QueuedClip } from '../../../lib/ext/messages';
import { makeCaptured } from '../factories';

beforeEach(() => fakeBrowser.reset());

const item = (id: string, over: Partial<QueuedClip> = {}): QueuedClip => ({ id, captured: makeCaptured({ title: id }), clippedAt: 1, via: 'menu', ...over });

test('queued clips are handed over once and removed only after the notebook holds them', async () => {
  await enqueueClip(item('a'));
  await enqueueClip(item('b', { notebookId: 'other' }));
  await enqueueClip({ ...item('link'), captured: { kind: 'link', url: 'https://x.org/', linkUrl: 'https://x.org/', title: 'A link', text: 'A link' } });
  const taken: string[] = [];
  let durableCalls = 0;
  const n = await drainQueue(
    (c) => (c.notebookId === 'other' ? false : (taken.push(c.captured.title), true)),
    async () => void durableCalls++,
  );
  expect(n).toBe(2);
  expect(taken).toEqual(['a', 'A link']);
  expect(durableCalls).toBe(1);
  expect((await clipQueueItem.getValue()).map((c) => c.id)).toEqual(['b']);
});

test('malformed queue entries are dropped, not handed over', async () => {
  await clipQueueItem.setValue([{ id: 'bad', captured: { kind: 'virus' }, clippedAt: 1, via: 'menu' } as unknown as QueuedClip, item('ok')]);
  const taken: string[] = [];
  await drainQueue((c) => (taken.push(c.id), true));
  expect(taken).toEqual(['ok']);
  expect(await clipQueueItem.getValue()).toEqual([]);
});

test('a full queue refuses more clips with a message', async () => {
  await clipQueueItem.setValue(Array.from({ length: MAX_QUEUED }, (_, i) => item(`c${i}`)));
  await expect(enqueueClip(item('one-more'))).rejects.toThrow(/Open the Partner Notebook panel/);
});
