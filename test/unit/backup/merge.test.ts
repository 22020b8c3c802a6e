import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { BackupError, decodeBackup, encodeBackup } from '../../../lib/backup/format';
import { describeAdded, mergeBackupInto } from '../../../lib/backup/restore';
import { MIGRATIONS, addTopic, deleteClip, migrate, noteText, readClips, readInfo, readTopics, setClipComment, setInfo } from '../../../lib/notebook';
import { makeDoc } from '../factories';
import { readAll, seedNotebook, writeNote } from './seed';

const backupOf = async (doc: Y.Doc) => decodeBackup(await encodeBackup({ doc, notebookId: 'nb-1', exportedAt: 1, appVersion: 't' }));

test('merging a backup into the same notebook keeps every edit made after the backup', async () => {
  const { doc, spaces, deps } = seedNotebook();
  const backup = await backupOf(doc);

  // Work done after the backup: a new topic, more note text, a comment, a rename, a deleted clip.
  const later = addTopic(doc, { title: 'Written after the backup', prompt: '', kind: 'own' }, deps);
  writeNote(doc, spaces, ['Added later.']);
  const clip = readClips(doc)[0]!;
  setClipComment(doc, clip.id, 'Changed after the backup');
  setInfo(doc, { title: 'Ana, Batbayar & Lin' });
  deleteClip(doc, clip.id, deps);
  const edited = readAll(doc);

  const result = mergeBackupInto(doc, backup);
  expect(readAll(doc)).toEqual(edited);
  expect(readTopics(doc).some((t) => t.id === later)).toBe(true);
  expect(noteText(doc, spaces)).toBe('Our reading room has 120 seats.\nBatbayar: theirs opens at 8.\nAdded later.');
  expect(readInfo(doc).title).toBe('Ana, Batbayar & Lin');
  expect(readClips(doc)).toHaveLength(0); // deleted after the backup: stays deleted
  expect(result.changed).toBe(false);
  expect(describeAdded(result)).toMatch(/Nothing was missing/);
});

test('merging brings back what a copy of the notebook lost, and keeps what it has', async () => {
  const { doc } = seedNotebook();
  const backup = await backupOf(doc);
  // A copy of the same notebook that lost its topics and clips, but has work of its own.
  const lean = makeDoc(3);
  const info = readAll(doc).info;
  migrate(lean);
  setInfo(lean, info);
  addTopic(lean, { title: 'Only on this computer', prompt: '', kind: 'own' }, { newId: () => 'mine', now: () => 5 });

  const result = mergeBackupInto(lean, backup);
  expect(result.changed).toBe(true);
  expect(readTopics(lean).map((t) => t.title)).toContain('Only on this computer');
  expect(readTopics(lean)).toHaveLength(readTopics(doc).length + 1);
  expect(readAll(lean).clips).toEqual(readAll(doc).clips);
  expect(describeAdded(result)).toBe('The backup brought back 8 topics, 2 notes, 1 clip and 2 partner profiles. Nothing that was already here was removed.');
});

test('a merge whose result this build cannot read is refused before the notebook is touched', async () => {
  const { doc } = seedNotebook();
  const newer = makeDoc(5);
  Y.applyUpdate(newer, Y.encodeStateAsUpdate(doc));
  migrate(newer, [...MIGRATIONS, { to: 99, name: 'future', run() {} }]);
  const target = seedNotebook(1).doc;
  const before = Y.encodeStateAsUpdate(target);
  let updates = 0;
  target.on('update', () => updates++);
  expect(() => mergeBackupInto(target, { state: Y.encodeStateAsUpdate(newer) })).toThrow(BackupError);
  expect(() => mergeBackupInto(target, { state: Uint8Array.from([1, 2, 3, 250, 99]) })).toThrow(/cannot be read/);
  expect(updates).toBe(0);
  expect(Y.encodeStateAsUpdate(target)).toEqual(before);
});
