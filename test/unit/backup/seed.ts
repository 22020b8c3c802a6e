/** A seeded notebook for backup tests: info, topics with notes, clips, partners and a poster. */
import * as Y from 'yjs';
import {
  addClip,
  addTopic,
  deleteClip,
  initNotebook,
  initPoster,
  noteBody,
  noteText,
  readClips,
  readInfo,
  readPartners,
  readPoster,
  readRotationRecords,
  readTopics,
  addRotationRecord,
  updatePartner,
} from '../../../lib/notebook';
import { ANA, BATBAYAR, makeCaptured, makeDeps, makeDoc } from '../factories';
import { seededOutline } from '../poster/fixtures';

/** Writes rich text into a topic's note the way Tiptap stores it. */
export function writeNote(doc: Y.Doc, topicId: string, paragraphs: string[]) {
  doc.transact(() => {
    const body = noteBody(doc, topicId);
    body.insert(
      body.length,
      paragraphs.map((t) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(t)]);
        return p;
      }),
    );
  });
}

/** A notebook with everything a backup must keep. Returns the doc and its topic ids. */
export function seedNotebook(clientID = 1) {
  const doc = makeDoc(clientID);
  const deps = makeDeps();
  initNotebook(doc, { info: { title: 'Ana & Batbayar', programmeName: 'ILN spring round', programmeStart: Date.UTC(2026, 2, 2) }, exampleTopics: true }, deps);
  const own = addTopic(doc, { title: 'Mobile libraries', prompt: 'Ger district book bus', kind: 'own' }, deps);
  const spaces = readTopics(doc).find((t) => t.title === 'Library Spaces')!.id;
  writeNote(doc, spaces, ['Our reading room has 120 seats.', 'Batbayar: theirs opens at 8.']);
  // Formatting, a list and a heading, so the Markdown copy has something to show.
  doc.transact(() => {
    const body = noteBody(doc, own);
    const h = new Y.XmlElement('heading');
    h.setAttribute('level', 2 as never);
    h.insert(0, [new Y.XmlText('Routes')]);
    const list = new Y.XmlElement('bulletList');
    const li = new Y.XmlElement('listItem');
    const p = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    t.insert(0, 'Tuesdays', { bold: true });
    t.insert(8, ' in Songinokhairkhan', { bold: null });
    p.insert(0, [t]);
    li.insert(0, [p]);
    list.insert(0, [li]);
    body.insert(0, [h, list]);
  });
  updatePartner(doc, ANA.id, {
    name: ANA.name,
    color: '#1f77b4',
    country: 'Bosnia and Herzegovina',
    libraryName: 'Sarajevo City Library',
    facts: { staff: 42 },
  });
  updatePartner(doc, BATBAYAR.id, { name: BATBAYAR.name, color: '#d62728', timeZone: 'Asia/Ulaanbaatar', facts: { founded: 1921 } });
  addClip(doc, { topicId: spaces, captured: makeCaptured(), clippedBy: BATBAYAR, tags: ['events'], comment: 'Like ours' }, deps);
  const gone = addClip(doc, { topicId: own, captured: makeCaptured({ title: 'Old bus timetable' }), clippedBy: ANA }, deps);
  deleteClip(doc, gone, deps);
  initPoster(doc, seededOutline());
  // A new-invite record at epoch 2 (its content is not checked here; lib/sync/keys/rotation.ts verifies it).
  addRotationRecord(doc, '2:AAAAAAAAAAAAAAAAAAAAAA:0011223344556677', '{}');
  return { doc, spaces, own, deps };
}

/** Everything the panel reads from a notebook, for comparing two docs. */
export function readAll(doc: Y.Doc) {
  const topics = readTopics(doc);
  return {
    info: readInfo(doc),
    topics,
    notes: Object.fromEntries(topics.map((t) => [t.id, noteText(doc, t.id)])),
    clips: readClips(doc, { includeDeleted: true }),
    partners: readPartners(doc),
    poster: readPoster(doc),
    rotations: readRotationRecords(doc),
  };
}
