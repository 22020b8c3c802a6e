/**
 * Sync for the notebook a panel shows (lib/ext/panel-sync.ts): the order of its steps, what the
 * person is told, and that nothing runs on after the panel moves on. Real sync between two browsers
 * is test/e2e/sync.spec.ts; here the start of sync is a stand-in that records what it was given.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import * as Y from 'yjs';
import { runPanelSync, type PanelSyncEvents, type PanelSyncOptions } from '../../../lib/ext/panel-sync';
import { notebooksItem, type NotebookEntry } from '../../../lib/ext/storage';
import type { NotebookSync, NotebookSyncOptions } from '../../../lib/sync/notebook-sync';
import { makeDoc } from '../factories';

beforeEach(() => fakeBrowser.reset());

const entry: NotebookEntry = { id: 'nb-sync', title: 'Reading rooms', createdAt: 1, lastOpenedAt: 1, signaling: ['ws://127.0.0.1:4444'] };
const settings = { signaling: ['ws://127.0.0.1:9999'], iceServers: [], relay: [] } as unknown as PanelSyncOptions['settings'];

function setup(over: Partial<PanelSyncOptions> = {}) {
  let releaseHistory = () => {};
  const history = new Promise<undefined>((ok) => (releaseHistory = () => ok(undefined)));
  const imagesDoc = new Y.Doc();
  const images = { doc: imagesDoc, persistence: {}, ready: Promise.resolve() };
  const session = { doc: makeDoc(), persistence: {}, history, images: vi.fn(() => images) } as unknown as PanelSyncOptions['session'];
  const fake = { stop: vi.fn(async () => {}), addImages: vi.fn(async () => {}), live: {}, setPaused: vi.fn() } as unknown as NotebookSync;
  let given: NotebookSyncOptions | undefined;
  const start = vi.fn(async (o: NotebookSyncOptions) => ((given = o), fake));
  const seen = { sync: [] as NotebookSync[], problems: [] as [string, boolean][], live: [] as unknown[] };
  const events: PanelSyncEvents = {
    onSync: (s) => seen.sync.push(s),
    onLive: (s) => seen.live.push(s),
    onRelay: () => {},
    onProblem: (m, c) => seen.problems.push([m, c]),
    onChoice: () => {},
    onNotice: () => {},
  };
  const opts: PanelSyncOptions = {
    session,
    entry,
    me: { id: 'person-ana', name: 'Ana' } as PanelSyncOptions['me'],
    settings,
    paused: false,
    start,
    idle: async () => {},
    delays: { images: 10, move: 10 },
    ...over,
  };
  return { opts, events, seen, start, fake, images, session, releaseHistory, given: () => given! };
}

test('gives a notebook without a secret one, waits for History, then starts with the notebook’s own servers', async () => {
  await notebooksItem.setValue([entry]);
  const s = setup();
  const stop = runPanelSync(s.opts, s.events);
  await new Promise((r) => setTimeout(r, 30));
  expect(s.start).not.toHaveBeenCalled();
  const stored = (await notebooksItem.getValue())[0]!.secret!;
  expect(stored).toMatch(/^[0-9a-f]{64}$/);
  s.releaseHistory();
  await vi.waitFor(() => expect(s.seen.sync).toEqual([s.fake]));
  expect(Buffer.from(s.given().secret).toString('hex')).toBe(stored);
  expect(s.given().settings.signaling).toEqual(['ws://127.0.0.1:4444']);
  expect(s.given().paused).toBe(false);
  // The images doc follows a few seconds later.
  await vi.waitFor(() => expect(s.fake.addImages).toHaveBeenCalledWith(s.images));
  stop();
  expect(s.fake.stop).toHaveBeenCalled();
});

test('problems are reported in words, and "cannot reach the server" is marked as such', async () => {
  const s = setup({ entry: { ...entry, secret: 'ab'.repeat(32) } });
  s.releaseHistory();
  const stop = runPanelSync(s.opts, s.events);
  await vi.waitFor(() => expect(s.start).toHaveBeenCalled());
  s.given().onError!('The sync server cannot be reached.', 'unreachable');
  s.given().onError!('The relay refused this notebook.', 'forbidden');
  expect(s.seen.problems).toEqual([
    ['The sync server cannot be reached.', true],
    ['The relay refused this notebook.', false],
  ]);
  stop();
  // After the panel moved on nothing more is reported.
  s.given().onError!('late', 'unreachable');
  s.given().onLive!({} as never);
  expect(s.seen.problems).toHaveLength(2);
  expect(s.seen.live).toHaveLength(0);
});

test('a sync that could not start says why; one that starts after the panel moved on is stopped at once', async () => {
  const failing = setup({ entry: { ...entry, secret: 'ab'.repeat(32) }, start: async () => Promise.reject(new Error('no crypto here')) });
  failing.releaseHistory();
  runPanelSync(failing.opts, failing.events);
  await vi.waitFor(() => expect(failing.seen.problems).toHaveLength(1));
  expect(failing.seen.problems[0]![0]).toContain('no crypto here');

  let finish: (() => void) | undefined;
  const late = setup({ entry: { ...entry, secret: 'ab'.repeat(32) } });
  late.opts.start = (o) => new Promise((ok) => (finish = () => ok(late.start(o) as never)));
  late.releaseHistory();
  const stop = runPanelSync(late.opts, late.events);
  await vi.waitFor(() => expect(finish).toBeDefined());
  stop();
  finish!();
  await vi.waitFor(() => expect(late.fake.stop).toHaveBeenCalled());
  expect(late.seen.sync).toEqual([]);
  await new Promise((r) => setTimeout(r, 30));
  expect(late.fake.addImages).not.toHaveBeenCalled();
});
