/**
 * Filing captured images into an open notebook (lib/ext/image-filer.ts). The capture itself runs
 * in the page's tab (test/e2e/offline-images.spec.ts); here the queue is filled directly, so what is
 * checked is where images land, under which name, and when they leave the queue.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { sha256Hex } from '../../../lib/clip/images';
import { fileWaitingImages } from '../../../lib/ext/image-filer';
import { putPendingImages, readPendingImages, removePendingImages } from '../../../lib/ext/image-queue';
import { addClip, addTopic, readClipImages } from '../../../lib/notebook';
import { imageSizes, readImage } from '../../../lib/notebook/image-doc';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

const NB = 'nb-images';
const png = new Uint8Array(readFileSync(new URL('../../e2e/fixtures/images/visits-chart.png', import.meta.url)));
const other = new Uint8Array(readFileSync(new URL('../../e2e/fixtures/images/pixel.png', import.meta.url)));
const img = (url: string, bytes: Uint8Array, hash = 'f'.repeat(64)) => ({ url, hash, type: 'image/png' as const, width: 10, height: 10, bytes });

function setup() {
  const doc = makeDoc();
  const deps = makeDeps('clip');
  const topicId = addTopic(doc, { title: 'Reading rooms' }, deps);
  const clipId = addClip(doc, { topicId, captured: makeCaptured(), clippedBy: ANA }, deps);
  const steps: string[] = [];
  const imagesDoc = new Y.Doc();
  const images = { doc: imagesDoc, ready: Promise.resolve(), persistence: { confirm: vi.fn(async () => void steps.push('images stored')) } };
  const session = {
    id: NB,
    doc,
    persistence: { confirm: vi.fn(async () => void steps.push('notebook stored')) },
    images: () => images,
  } as unknown as Parameters<typeof fileWaitingImages>[0];
  return { doc, clipId, imagesDoc, session, steps };
}

async function clearQueue() {
  await removePendingImages((await readPendingImages()).map((p) => p.clipId));
}

test('files a present clip’s images under their own hash (never the page’s), once each, and only then takes them off the queue', async () => {
  await clearQueue();
  const s = setup();
  const realHash = await sha256Hex(png);
  // The page claims a hash of its own; two addresses show the same picture.
  await putPendingImages({
    clipId: s.clipId,
    notebookId: NB,
    at: Date.now(),
    images: [img('https://library.example.hr/chart.png', png), img('https://library.example.hr/chart-copy.png', png)],
    skipped: { 'too-large': 1 },
  });
  await putPendingImages({ clipId: 'not-here-yet', notebookId: NB, at: Date.now(), images: [img('https://library.example.hr/x.png', other)], skipped: {} });
  await putPendingImages({
    clipId: 'elsewhere',
    notebookId: 'another-notebook',
    at: Date.now(),
    images: [img('https://library.example.hr/y.png', other)],
    skipped: {},
  });

  let queuedWhenStored: string[] = [];
  s.session.persistence.confirm = vi.fn(async () => {
    queuedWhenStored = (await readPendingImages()).map((p) => p.clipId);
  });
  await fileWaitingImages(s.session);

  expect(readImage(s.imagesDoc, 'f'.repeat(64))).toBeUndefined();
  expect(readImage(s.imagesDoc, realHash)?.bytes).toEqual(png);
  expect([...imageSizes(s.imagesDoc).keys()]).toEqual([realHash]);
  const refs = readClipImages(s.doc, s.clipId)!;
  expect(refs.refs).toEqual({ 'https://library.example.hr/chart.png': realHash, 'https://library.example.hr/chart-copy.png': realHash });
  expect(refs.skipped).toEqual({ 'too-large': 1 });
  // Still queued while being made durable; afterwards only the clip not here yet and the other notebook's wait.
  expect(queuedWhenStored).toContain(s.clipId);
  expect((await readPendingImages()).map((p) => p.clipId).sort()).toEqual(['elsewhere', 'not-here-yet']);
});

test('nothing is written once the panel has moved on, and the images keep waiting', async () => {
  await clearQueue();
  const s = setup();
  await putPendingImages({ clipId: s.clipId, notebookId: NB, at: Date.now(), images: [img('https://library.example.hr/chart.png', png)], skipped: {} });
  await fileWaitingImages(s.session, () => false);
  expect(imageSizes(s.imagesDoc).size).toBe(0);
  expect(readClipImages(s.doc, s.clipId)).toBeUndefined();
  expect((await readPendingImages()).map((p) => p.clipId)).toEqual([s.clipId]);
});

test('when storing fails the images stay queued for the next try', async () => {
  await clearQueue();
  const s = setup();
  await putPendingImages({ clipId: s.clipId, notebookId: NB, at: Date.now(), images: [img('https://library.example.hr/chart.png', png)], skipped: {} });
  s.session.persistence.confirm = vi.fn(async () => {
    throw new Error('quota');
  });
  await expect(fileWaitingImages(s.session)).rejects.toThrow('quota');
  expect((await readPendingImages()).map((p) => p.clipId)).toEqual([s.clipId]);
});
