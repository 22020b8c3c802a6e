/**
 * Randomised convergence: 3–5 replicas make random notebook operations concurrently while their
 * updates are dropped, duplicated and reordered; after a final full exchange all replicas must be
 * equal. Seeds that ever failed are pinned in PINNED (none yet). The 1,000-seed run is
 * `PN_FUZZ_SEEDS=1000 npx vitest run test/unit/notebook/schema.concurrent.test.ts`.
 */
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import {
  addClip,
  addClipTags,
  addTopic,
  deleteClip,
  initNotebook,
  moveClip,
  moveTopic,
  noteBody,
  readClips,
  readTopics,
  removeClipTag,
  restoreClip,
  setClipComment,
  setInfo,
  updatePartner,
  updateTopic,
} from '../../../lib/notebook';
import { makeCaptured, makeDeps, prng } from '../factories';
import { notebookView } from '../notebook-view';

const PINNED: number[] = [];
const COUNT = Number(process.env.PN_FUZZ_SEEDS ?? 40);

function run(seed: number) {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
  const n = 3 + Math.floor(rand() * 3);
  const origin = new Y.Doc();
  origin.clientID = 1;
  initNotebook(origin, { info: { title: 'Seed', programmeName: '' }, exampleTopics: true }, makeDeps('o'));
  const docs = Array.from({ length: n }, (_, i) => {
    const d = new Y.Doc();
    d.clientID = 100 + i;
    Y.applyUpdate(d, Y.encodeStateAsUpdate(origin));
    return d;
  });
  const deps = docs.map((_, i) => makeDeps(`r${i}`));
  // Each replica's outgoing updates, delivered to others later in random order, sometimes twice, sometimes dropped.
  const inbox: { to: number; update: Uint8Array }[] = [];
  docs.forEach((d, i) =>
    d.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === 'net') return;
      docs.forEach((_, j) => j !== i && inbox.push({ to: j, update: u }));
    }),
  );
  const ops = 30 + Math.floor(rand() * 40);
  for (let k = 0; k < ops; k++) {
    const i = Math.floor(rand() * n);
    const d = docs[i]!;
    const topics = readTopics(d);
    const clips = readClips(d, { includeDeleted: true });
    const t = pick(topics);
    const c = pick(clips);
    const r = rand();
    try {
      if (r < 0.12) addTopic(d, { title: `T${seed}-${k}` }, deps[i]!);
      else if (r < 0.2 && t) updateTopic(d, t.id, { title: `${t.title}!`, archived: rand() < 0.2 });
      else if (r < 0.28 && t) moveTopic(d, t.id, Math.floor(rand() * topics.length));
      else if (r < 0.4 && t) addClip(d, { topicId: t.id, captured: makeCaptured({ title: `c${k}` }), clippedBy: { id: `p${i}`, name: `P${i}` } }, deps[i]!);
      else if (r < 0.46 && c && t) moveClip(d, c.id, t.id);
      else if (r < 0.52 && c) addClipTags(d, c.id, [`tag${Math.floor(rand() * 4)}`]);
      else if (r < 0.56 && c && c.tags[0]) removeClipTag(d, c.id, c.tags[0]);
      else if (r < 0.6 && c) setClipComment(d, c.id, `comment ${k}`);
      else if (r < 0.64 && c) {
        if (c.deletedAt) restoreClip(d, c.id);
        else deleteClip(d, c.id, deps[i]!);
      } else if (r < 0.72) updatePartner(d, `p${Math.floor(rand() * 3)}`, { name: `Name${k}`, city: `City${i}`, facts: { staff: k } });
      else if (r < 0.76) setInfo(d, { title: `Title ${k}` });
      else if (t) {
        // Concurrent typing in a note: insert or delete in the first paragraph.
        const frag = noteBody(d, t.id);
        d.transact(() => {
          let p = frag.get(0) as Y.XmlElement | undefined;
          if (!p) {
            p = new Y.XmlElement('paragraph');
            p.insert(0, [new Y.XmlText('')]);
            frag.insert(0, [p]);
          }
          const text = p.get(0) as Y.XmlText;
          if (rand() < 0.7 || text.length === 0) text.insert(Math.floor(rand() * (text.length + 1)), `w${i}${k} `);
          else text.delete(Math.floor(rand() * text.length), 1);
        }, 'local');
      }
    } catch {
      // A mutation may refuse (e.g. a topic another replica archived is still fine, a clip gone): that is allowed.
    }
    // Deliver some pending messages: random order, duplicates, drops.
    while (inbox.length && rand() < 0.6) {
      const m = inbox.splice(Math.floor(rand() * inbox.length), 1)[0]!;
      const roll = rand();
      if (roll < 0.1) continue; // dropped
      Y.applyUpdate(docs[m.to]!, m.update, 'net');
      if (roll > 0.9) Y.applyUpdate(docs[m.to]!, m.update, 'net'); // duplicated
    }
  }
  // Final anti-entropy (what a reconnect does): everyone exchanges state vectors and diffs.
  for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'net');
  const views = docs.map((d) => notebookView(d));
  return views.every((v) => v === views[0]);
}

test(`notebook operations converge across 3–5 replicas with drops, duplicates and reordering (${COUNT} seeds + pinned)`, () => {
  const failed: number[] = [];
  for (const seed of [...PINNED, ...Array.from({ length: COUNT }, (_, i) => 1000 + i)]) if (!run(seed)) failed.push(seed);
  expect(failed).toEqual([]);
});
