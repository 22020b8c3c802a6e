import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
  BACKUP_FORMAT_VERSION,
  BackupError,
  MAX_BACKUP_BYTES,
  STATE_LINE_CHARS,
  backupFileName,
  checkBackupSize,
  decodeBackup,
  encodeBackup,
  type BackupErrorCode,
} from '../../../lib/backup/format';
import { mergeBackupInto } from '../../../lib/backup/restore';
import { MIGRATIONS, SCHEMA_VERSION, addTopic, migrate } from '../../../lib/notebook';
import { makeDoc } from '../factories';
import { readAll, seedNotebook } from './seed';

const EXPORTED_AT = Date.UTC(2026, 4, 12, 14, 30);
const SECRET = 'ab'.repeat(32);
const enc = new TextEncoder();
const dec = new TextDecoder();

const backupOf = (doc: Y.Doc, over: Partial<Parameters<typeof encodeBackup>[0]> = {}) =>
  encodeBackup({ doc, notebookId: 'nb-ana-bat', exportedAt: EXPORTED_AT, appVersion: '0.1.0', ...over });

/** Runs `decodeBackup` and returns the BackupError it throws. */
async function failure(bytes: Uint8Array, opts?: { maxBytes?: number }): Promise<BackupError> {
  try {
    await decodeBackup(bytes, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(BackupError);
    return e as BackupError;
  }
  throw new Error('decodeBackup accepted a bad file');
}

async function expectFailure(bytes: Uint8Array, code: BackupErrorCode, message: RegExp, opts?: { maxBytes?: number }) {
  const err = await failure(bytes, opts);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
}

async function sha256Hex(data: Uint8Array) {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A well-formed container around any state bytes (correct length and checksum). */
async function containerWith(state: Uint8Array): Promise<Uint8Array> {
  const file = JSON.parse(dec.decode(await backupOf(seedNotebook().doc)));
  let s = '';
  for (const b of state) s += String.fromCharCode(b);
  file.state = [btoa(s)];
  file.manifest.state.bytes = state.length;
  file.manifest.state.sha256 = await sha256Hex(state);
  return enc.encode(JSON.stringify(file, null, 2));
}

const DAMAGED = /damaged.*cut off or changed.*another copy/s;
const NOT_A_BACKUP = /not a Partner Notebook backup.*Download backup/s;
const NOT_A_NOTEBOOK = /notebook inside cannot be read/;

describe('round trip', () => {
  test('a seeded notebook survives backup → restore into a fresh doc, reader for reader', async () => {
    const { doc } = seedNotebook();
    const bytes = await backupOf(doc);
    const backup = await decodeBackup(bytes);
    expect(backup).toMatchObject({
      formatVersion: BACKUP_FORMAT_VERSION,
      notebookId: 'nb-ana-bat',
      title: 'Ana & Batbayar',
      schemaVersion: SCHEMA_VERSION,
      exportedAt: EXPORTED_AT,
      appVersion: '0.1.0',
      counts: { topics: 8, notes: 2, clips: 1, partners: 2 },
      rejoin: undefined,
      fileBytes: bytes.length,
    });
    const fresh = makeDoc(99);
    mergeBackupInto(fresh, backup);
    expect(readAll(fresh)).toEqual(readAll(doc));
    // Byte for byte the same history, so partners' replicas merge with it as with the original.
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(doc));
  });

  test('the file is JSON that starts with its signature, with a readable copy a person can use', async () => {
    const { doc, own } = seedNotebook();
    const text = dec.decode(await backupOf(doc));
    expect(text.startsWith('{\n  "format": "partner-notebook-backup",\n  "formatVersion": 1,')).toBe(true);
    const file = JSON.parse(text);
    expect(Object.keys(file)).toEqual(['format', 'formatVersion', 'about', 'manifest', 'readable', 'state']);
    expect(file.about).toMatch(/Restore from a backup file/);
    expect(file.about).not.toMatch(/secret/);
    expect(file.manifest).toMatchObject({
      app: 'Partner Notebook',
      notebookId: 'nb-ana-bat',
      title: 'Ana & Batbayar',
      exportedAt: '2026-05-12T14:30:00.000Z',
      schemaVersion: SCHEMA_VERSION,
      includesInviteSecret: false,
      counts: { topics: 8, notes: 2, clips: 1, partners: 2 },
      state: { encoding: 'yjs-update-v1' },
    });
    expect(file.manifest.state.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.state.every((l: string) => l.length <= STATE_LINE_CHARS)).toBe(true);

    const r = file.readable;
    expect(r.info).toMatchObject({ title: 'Ana & Batbayar', programmeName: 'ILN spring round', programmeStart: '2026-03-02T00:00:00.000Z' });
    expect(r.partners.map((p: { name: string }) => p.name)).toEqual(['Ana Kaladžija', 'Батбаяр Дорж']);
    const spaces = r.topics.find((t: { title: string }) => t.title === 'Library Spaces');
    expect(spaces.note).toBe('Our reading room has 120 seats.\n\nBatbayar: theirs opens at 8.');
    expect(r.topics.find((t: { id: string }) => t.id === own).note).toBe('## Routes\n\n- **Tuesdays** in Songinokhairkhan');
    expect(r.clips).toHaveLength(2);
    expect(r.clips.find((c: { title: string }) => c.title === 'Reading club for adults')).toMatchObject({
      topic: 'Library Spaces',
      tags: ['events'],
      comment: 'Like ours',
      clippedBy: 'Батбаяр Дорж',
    });
    expect(r.clips.find((c: { title: string }) => c.title === 'Old bus timetable').deleted).toBe(true);
    // Metadata only: the page captures stay in the state.
    expect(text).not.toContain('<p>Our monthly reading club');
    expect(r.poster.title).toBeTruthy();
  });

  test('the invite secret is in the file only when asked for, with its own check', async () => {
    const { doc } = seedNotebook();
    const without = dec.decode(await backupOf(doc, { secretHex: undefined }));
    expect(without).not.toContain('"rejoin"');
    const bytes = await backupOf(doc, { secretHex: SECRET, signaling: ['wss://sync.example.org'], secretEpoch: 3 });
    const text = dec.decode(bytes);
    expect(JSON.parse(text).manifest.includesInviteSecret).toBe(true);
    expect(JSON.parse(text).about).toMatch(/invite secret.*as safe as a password/);
    expect((await decodeBackup(bytes)).rejoin).toEqual({ secretHex: SECRET, signaling: ['wss://sync.example.org'], secretEpoch: 3 });
    // One changed digit in the secret would make a rejoin fail silently later: refuse now.
    await expectFailure(enc.encode(text.replace(SECRET, `ac${SECRET.slice(2)}`)), 'damaged', DAMAGED);
  });

  test('a file re-indented in an editor, with a BOM and Windows line ends, still restores', async () => {
    const { doc } = seedNotebook();
    const tabbed = JSON.stringify(JSON.parse(dec.decode(await backupOf(doc))), null, '\t');
    const backup = await decodeBackup(enc.encode(`\uFEFF${tabbed.replace(/\n/g, '\r\n')}`));
    expect(backup.title).toBe('Ana & Batbayar');
  });

  test('a change in the readable copy does not matter: restores use only the verified state', async () => {
    const { doc } = seedNotebook();
    const text = dec.decode(await backupOf(doc));
    const backup = await decodeBackup(enc.encode(text.replace('Our reading room has 120 seats.', 'Our reading room has 999 seats.')));
    const fresh = makeDoc(7);
    mergeBackupInto(fresh, backup);
    expect(readAll(fresh)).toEqual(readAll(doc));
  });

  test('file names keep the title (any script) and drop characters no disk allows', () => {
    expect(backupFileName('Ana & Batbayar', EXPORTED_AT)).toBe('Ana & Batbayar backup 2026-05-12.json');
    expect(backupFileName('Сарајево / Улаанбаатар: 2026?', EXPORTED_AT)).toBe('Сарајево Улаанбаатар 2026 backup 2026-05-12.json');
    expect(backupFileName('..', EXPORTED_AT)).toBe('Notebook backup 2026-05-12.json');
  });
});

describe('files that cannot be restored say why', () => {
  test('an empty file', async () => {
    await expectFailure(new Uint8Array(0), 'empty', /empty.*Choose the backup file again/);
  });

  test('random bytes, a PDF, a picture, some other JSON', async () => {
    const random = new Uint8Array(4096);
    crypto.getRandomValues(random);
    await expectFailure(random, 'not-a-backup', NOT_A_BACKUP);
    await expectFailure(enc.encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), 'not-a-backup', NOT_A_BACKUP);
    await expectFailure(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'not-a-backup', NOT_A_BACKUP);
    await expectFailure(enc.encode('{"name": "partner-notebook", "version": "0.1.0"}'), 'not-a-backup', NOT_A_BACKUP);
    await expectFailure(enc.encode('# Ana & Batbayar\n\nOur poster'), 'not-a-backup', NOT_A_BACKUP);
  });

  test('a file cut off anywhere', async () => {
    const bytes = await backupOf(seedNotebook().doc);
    const points = [1, 12, 30, 60, 200, 2000, Math.floor(bytes.length / 2), bytes.length - 600, bytes.length - 2];
    for (const n of points) {
      const err = await failure(bytes.subarray(0, n));
      expect([n, err.code]).toEqual([n, 'damaged']);
      expect(err.message).toMatch(DAMAGED);
    }
  });

  test('one changed byte in the state fails the checksum', async () => {
    const bytes = await backupOf(seedNotebook().doc);
    const text = dec.decode(bytes);
    const at = text.indexOf('"state": [') + 40;
    const flipped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const err = await failure(enc.encode(flipped));
    expect(err.code).toBe('damaged');
    expect(String((err.cause as Error).message)).toBe('checksum');
    // A flipped bit that breaks the JSON or the base64 is damage too.
    const raw = bytes.slice();
    raw[text.indexOf('"state": [') + 40] = 0x00;
    await expectFailure(raw, 'damaged', DAMAGED);
  });

  test('a newer container version asks to update the extension', async () => {
    const text = dec.decode(await backupOf(seedNotebook().doc));
    const err = await failure(enc.encode(text.replace('"formatVersion": 1', '"formatVersion": 2')));
    expect(err.code).toBe('future-version');
    expect(err.message).toBe('This backup was made by a newer Partner Notebook. Update the extension, then restore the file again.');
    // Even when the rest of a newer file is laid out differently.
    await expectFailure(
      enc.encode('{"format":"partner-notebook-backup","formatVersion":7,"chunks":'),
      'future-version',
      /newer Partner Notebook.*Update the extension/,
    );
  });

  test('a notebook of a newer schema version asks to update the extension', async () => {
    const doc = seedNotebook().doc;
    migrate(doc, [...MIGRATIONS, { to: SCHEMA_VERSION + 1, name: 'from the future', run() {} }]);
    const bytes = await backupOf(doc);
    await expectFailure(
      bytes,
      'future-version',
      new RegExp(`newer Partner Notebook \\(format ${SCHEMA_VERSION + 1}; this one reads up to ${SCHEMA_VERSION}\\).*Update the extension`),
    );
    // The manifest may claim an older version; the state itself is what counts.
    const lying = dec.decode(bytes).replace(`"schemaVersion": ${SCHEMA_VERSION + 1}`, `"schemaVersion": ${SCHEMA_VERSION}`);
    await expectFailure(enc.encode(lying), 'future-version', /Update the extension/);
  });

  test('a sound container around something that is not a notebook', async () => {
    const garbage = new Uint8Array(3000);
    crypto.getRandomValues(garbage);
    await expectFailure(await containerWith(garbage), 'not-a-notebook', NOT_A_NOTEBOOK);
    // Valid Yjs, but an empty document or some other application's.
    await expectFailure(await containerWith(Y.encodeStateAsUpdate(new Y.Doc())), 'not-a-notebook', NOT_A_NOTEBOOK);
    const other = new Y.Doc();
    other.getText('content').insert(0, 'a Google-Docs-like editor');
    await expectFailure(await containerWith(Y.encodeStateAsUpdate(other)), 'not-a-notebook', NOT_A_NOTEBOOK);
    // Only the changes since some point: refers to a history it does not contain.
    const { doc } = seedNotebook();
    const sv = Y.encodeStateVector(doc);
    addTopic(doc, { title: 'Later', prompt: '', kind: 'own' }, { newId: () => 'later', now: () => 1 });
    await expectFailure(await containerWith(Y.encodeStateAsUpdate(doc, sv)), 'not-a-notebook', NOT_A_NOTEBOOK);
  });

  test('a file over the size bound is refused before it is read', async () => {
    const bytes = await backupOf(seedNotebook().doc);
    await expectFailure(bytes, 'too-large', /larger than 0 MB/, { maxBytes: 1000 });
    expect(() => checkBackupSize(MAX_BACKUP_BYTES + 1)).toThrow(/larger than 200 MB.*right file/);
    expect(() => checkBackupSize(0)).toThrow(BackupError);
    expect(() => checkBackupSize(MAX_BACKUP_BYTES)).not.toThrow();
    // The real bound, with a real (zero-filled, so cheap) buffer.
    await expectFailure(new Uint8Array(MAX_BACKUP_BYTES + 1), 'too-large', /larger than 200 MB/);
  });

  test('a notebook too large for one file is refused when backing up, not when restoring', async () => {
    await expect(backupOf(seedNotebook().doc, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'too-large',
      message: expect.stringMatching(/too large for one backup file/),
    });
  });
});
