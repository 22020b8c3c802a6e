/** The exchange recorder (what partners changed, when) and the secret a pre-invite notebook gets. */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { exchangeRecorder } from '../../../lib/ext/exchanges';
import { ensureNotebookSecret } from '../../../lib/ext/notebooks';
import { lastExchangeByItem, lastExchangeItem, notebooksItem, topicActivityItem, type NotebookEntry } from '../../../lib/ext/storage';

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.useRealTimers());

test('a burst of changes is written once, after the write interval, per notebook, partner and topic', async () => {
  vi.useFakeTimers();
  await lastExchangeItem.setValue({ other: 1 });
  const r = exchangeRecorder('nb', 2_000);
  r.record(10, ['ana'], ['t1']);
  r.record(20, ['bat'], ['t1', 't2']);
  await vi.advanceTimersByTimeAsync(1_999);
  expect(await lastExchangeItem.getValue()).toEqual({ other: 1 });
  await vi.advanceTimersByTimeAsync(1);
  await r.flush();
  expect(await lastExchangeItem.getValue()).toEqual({ other: 1, nb: 20 });
  expect(await lastExchangeByItem.getValue()).toEqual({ nb: { ana: 20, bat: 20 } });
  expect(await topicActivityItem.getValue()).toEqual({ nb: { t1: { at: 20, by: ['ana', 'bat'] }, t2: { at: 20, by: ['bat'] } } });
});

test('closing the notebook writes what was collected at once; a later burst keeps earlier partners', async () => {
  const r = exchangeRecorder('nb', 60_000);
  r.record(10, ['ana'], ['t1']);
  await r.flush();
  expect(await lastExchangeByItem.getValue()).toEqual({ nb: { ana: 10 } });
  r.record(30, ['bat'], []);
  await r.flush();
  r.stop();
  expect(await lastExchangeByItem.getValue()).toEqual({ nb: { ana: 10, bat: 30 } });
  expect(await topicActivityItem.getValue()).toEqual({ nb: { t1: { at: 10, by: ['ana'] } } });
});

test('a notebook made before invites gets a secret once; one it already has is kept', async () => {
  const old: NotebookEntry = { id: 'old', title: 'Old', createdAt: 1, lastOpenedAt: 1, secret: '' };
  await notebooksItem.setValue([old]);
  const first = await ensureNotebookSecret(old);
  expect(first).toMatch(/^[0-9a-f]{64}$/);
  expect((await notebooksItem.getValue())[0]!.secret).toBe(first);
  // A second panel still holding the old entry gets the same secret, not a new one.
  expect(await ensureNotebookSecret(old)).toBe(first);
  expect(await ensureNotebookSecret({ ...old, secret: 'ab'.repeat(32) })).toBe('ab'.repeat(32));
});
