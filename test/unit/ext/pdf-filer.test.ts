/**
 * Filing queued PDFs into an open notebook (lib/ext/pdf-filer.ts): the reading itself is pdf.js in
 * the browser (test/e2e/pdf-clipping.spec.ts); here a reader stands in for it, so what is checked
 * is the queue: where each PDF lands, when it leaves the queue, and what the person is told.
 */
import { beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PdfClipError } from '../../../lib/clip/pdf';
import { clipNoticesItem } from '../../../lib/ext/clip-queue';
import type { PendingPdf } from '../../../lib/ext/messages';
import { savePdfLink, startPdfFiler, type FiledPdf, type PdfFilerEvents } from '../../../lib/ext/pdf-filer';
import { enqueuePdf, readPdfQueue } from '../../../lib/ext/pdf-queue';
import { addTopic, clipIds, readClip } from '../../../lib/notebook';
import { ANA, makeCaptured, makeDeps, makeDoc } from '../factories';

const NB = 'nb-pdf';
beforeEach(() => fakeBrowser.reset());

const pending = (id: string, over: Partial<PendingPdf> = {}): PendingPdf => ({
  id,
  url: `https://library.example.hr/${id}.pdf`,
  title: `Report ${id}`,
  clippedAt: 5,
  via: 'menu',
  notebookId: NB,
  ...over,
});

function setup() {
  const doc = makeDoc();
  const deps = makeDeps();
  const open = addTopic(doc, { title: 'Open now' }, deps);
  const other = addTopic(doc, { title: 'Chosen at clipping' }, deps);
  const seen = { filed: [] as FiledPdf[], blocked: [] as PendingPdf[][], working: [] as (string | undefined)[] };
  const events: PdfFilerEvents = { onFiled: (d) => seen.filed.push(d), onBlocked: (b) => seen.blocked.push(b), onWorking: (w) => seen.working.push(w?.title) };
  let stored = 0;
  const durable = vi.fn(async () => void (stored = clipIds(doc).length));
  return { doc, open, other, seen, events, durable, storedClips: () => stored };
}

test('files each queued PDF in its chosen topic (else the open one), and takes it off the queue only once stored', async () => {
  const s = setup();
  await enqueuePdf(pending('a', { topicId: s.other }));
  await enqueuePdf(pending('b'));
  await enqueuePdf(pending('c', { notebookId: 'another-notebook' }));
  let queueWhenStored: string[] = [];
  const durable = async () => {
    queueWhenStored = (await readPdfQueue()).map((p) => p.id);
    await s.durable();
  };
  const read = vi.fn(async (p: PendingPdf) => makeCaptured({ kind: 'pdf', url: p.url, title: p.title!, pdf: { pageCount: 12, pageStarts: [0] } }));
  const filer = startPdfFiler({ doc: s.doc, notebookId: NB, me: ANA, where: () => ({ openTopicId: s.open }), durable, read }, s.events);
  await vi.waitFor(() => expect(s.seen.filed).toHaveLength(2));
  expect(s.seen.filed.map((f) => [f.title, f.topicId, f.pages])).toEqual([
    ['Report a', s.other, 12],
    ['Report b', s.open, 12],
  ]);
  const clips = clipIds(s.doc).map((id) => readClip(s.doc, id)!);
  expect(clips.map((c) => [c.captured.kind, c.topicId, c.clippedBy.name])).toEqual([
    ['pdf', s.other, ANA.name],
    ['pdf', s.open, ANA.name],
  ]);
  // While 'b' was being made durable it was still queued; afterwards only the other notebook's PDF is left.
  expect(queueWhenStored).toContain('b');
  expect((await readPdfQueue()).map((p) => p.id)).toEqual(['c']);
  expect(read).toHaveBeenCalledTimes(2);
  expect(s.seen.working.at(-1)).toBeUndefined();
  filer.stop();
});

test('a PDF whose site needs permission waits and is listed; a damaged one becomes a notice offering its link', async () => {
  const s = setup();
  await enqueuePdf(pending('locked'));
  await enqueuePdf(pending('broken'));
  const read = vi.fn(async (p: PendingPdf) => {
    if (p.id === 'locked') throw new PdfClipError('needs permission', 'no-access');
    throw new Error('bad xref table');
  });
  const filer = startPdfFiler({ doc: s.doc, notebookId: NB, me: ANA, where: () => ({}), durable: s.durable, read }, s.events);
  await vi.waitFor(async () => expect((await clipNoticesItem.getValue()).length).toBe(1));
  await vi.waitFor(() => expect(s.seen.blocked.at(-1)?.map((p) => p.id)).toEqual(['locked']));
  const [notice] = await clipNoticesItem.getValue();
  expect(notice!.message).toContain('bad xref table');
  expect(notice).toMatchObject({ url: 'https://library.example.hr/broken.pdf', title: 'Report broken' });
  expect((await readPdfQueue()).map((p) => [p.id, p.needsPermission])).toEqual([['locked', true]]);
  expect(clipIds(s.doc)).toEqual([]);
  filer.stop();
});

test('“Save the link instead” keeps a link clip in the PDF’s topic and then forgets the PDF', async () => {
  const s = setup();
  const p = pending('linkonly', { topicId: s.other, needsPermission: true });
  await enqueuePdf(p);
  savePdfLink({ doc: s.doc, me: ANA, where: () => ({ openTopicId: s.open }), durable: s.durable }, p);
  const [clip] = clipIds(s.doc).map((id) => readClip(s.doc, id)!);
  expect(clip).toMatchObject({ topicId: s.other, captured: { kind: 'link', url: p.url, title: 'Report linkonly' } });
  await vi.waitFor(async () => expect(await readPdfQueue()).toEqual([]));
  expect(s.storedClips()).toBe(1);
});
