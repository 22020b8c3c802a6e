/**
 * The highlight index an open notebook keeps in extension storage (lib/ext/highlight-keeper.ts):
 * read once a few seconds after opening, then only for the clips a change touched.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { keepHighlightIndex } from '../../../lib/ext/highlight-keeper';
import { highlightIndexItem } from '../../../lib/ext/highlights';
import { addClip, addTopic, deleteClip, setClipComment } from '../../../lib/notebook';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

const NB = 'nb-highlights';
const URL_A = 'https://library.example.mn/news/reading-club';

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function notebook() {
  const doc = makeDoc();
  const deps = makeDeps();
  const topicId = addTopic(doc, { title: 'Reading clubs' }, deps);
  const quote = (exact: string, url = URL_A) =>
    addClip(doc, { topicId, captured: makeCaptured({ kind: 'selection', url, anchor: { exact, prefix: 'before ', suffix: ' after' } }), clippedBy: ANA }, deps);
  return { doc, deps, topicId, quote };
}

const stored = async () => (await highlightIndexItem.getValue())[NB];

test('after opening, the selection clips are read in slices and saved by page; page clips are left out', async () => {
  const { doc, deps, topicId, quote } = notebook();
  for (let i = 0; i < 90; i++) quote(`passage number ${i}`, `https://library.example.mn/news/${i % 3}`);
  addClip(doc, { topicId, captured: makeCaptured({ kind: 'page' }), clippedBy: ANA }, deps);
  const stop = keepHighlightIndex(doc, NB);
  await vi.advanceTimersByTimeAsync(2900);
  expect(await stored()).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1000);
  const index = (await stored())!;
  const passages = Object.values(index).flat();
  expect(Object.keys(index)).toHaveLength(3);
  expect(passages).toHaveLength(90);
  expect(passages[0]).toMatchObject({ exact: 'passage number 0', prefix: 'before ', suffix: ' after', by: ANA.name });
  stop();
});

test('a comment, a new passage and a deletion are saved once the burst settles; stop() ends it', async () => {
  const { doc, deps, quote } = notebook();
  const first = quote('reading clubs for adults');
  const stop = keepHighlightIndex(doc, NB);
  await vi.advanceTimersByTimeAsync(4000);
  setClipComment(doc, first, 'We could try this in Zagreb');
  const second = quote('a quiet room for teenagers');
  await vi.advanceTimersByTimeAsync(600);
  let passages = Object.values((await stored())!).flat();
  expect(passages.map((p) => [p.exact, p.comment])).toEqual([
    ['reading clubs for adults', 'We could try this in Zagreb'],
    ['a quiet room for teenagers', undefined],
  ]);
  deleteClip(doc, second, deps);
  await vi.advanceTimersByTimeAsync(600);
  passages = Object.values((await stored())!).flat();
  expect(passages.map((p) => p.exact)).toEqual(['reading clubs for adults']);

  stop();
  quote('after the panel closed');
  await vi.advanceTimersByTimeAsync(5000);
  expect(Object.values((await stored())!).flat()).toHaveLength(1);
});
