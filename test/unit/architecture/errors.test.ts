/**
 * One base for errors written for the person (protocol/user-error.ts): every such error class is a
 * UserFacingError, keeps its name (the panel and logs tell them apart by it), its message and its
 * cause; the coded ones carry their code. A class that stops extending the base fails here.
 */
import { expect, test } from 'vitest';
import { BackupError } from '../../../lib/backup/format';
import { PdfClipError } from '../../../lib/clip/pdf';
import { JoinError } from '../../../lib/ext/notebooks';
import { PosterFontError } from '../../../lib/ext/poster-fonts';
import { NotebookError } from '../../../lib/notebook/parse';
import { DecryptError } from '../../../lib/sync/keys/derive';
import { InviteError } from '../../../lib/sync/keys/invite';
import { RotationError } from '../../../lib/sync/keys/rotation';
import { HistoryError } from '../../../lib/sync/local/history-store';
import { StorageError } from '../../../lib/sync/local/persistence';
import { RelayError } from '../../../lib/sync/relay/errors';
import { ScheduleError } from '../../../lib/topics/schedule';
import { TimeZoneError } from '../../../lib/topics/time-zone';
import { SettingsCodeError } from '../../../protocol/settings-code';
import { CodedUserError, UserFacingError } from '../../../protocol/user-error';

const cause = new Error('underlying');
const said = 'Something went wrong. Try again.';

test('every error written for the person is a UserFacingError with its own name, message and cause', () => {
  const made: [string, Error][] = [
    ['NotebookError', new NotebookError(said, { cause })],
    ['ScheduleError', new ScheduleError(said, { cause })],
    ['JoinError', new JoinError(said, { cause })],
    ['RotationError', new RotationError(said, { cause })],
    ['HistoryError', new HistoryError(said, { cause })],
    ['PosterFontError', new PosterFontError(said, { cause })],
    ['DecryptError', new DecryptError(said, { cause })],
    ['PdfClipError', new PdfClipError(said, 'damaged', { cause })],
    ['TimeZoneError', new TimeZoneError('Mars/Olympus', { cause })],
  ];
  for (const [name, e] of made) {
    expect(e, name).toBeInstanceOf(UserFacingError);
    expect(e.name).toBe(name);
    expect(e.cause).toBe(cause);
    if (name !== 'TimeZoneError') expect(e.message).toBe(said);
  }
  expect(new TimeZoneError('Mars/Olympus').message).toContain('Mars/Olympus');
  expect(new PdfClipError(said, 'password').reason).toBe('password');
});

test('the coded ones carry their machine-readable code as well', () => {
  const made: [string, CodedUserError<string>, string][] = [
    ['InviteError', new InviteError('not-an-invite', said), 'not-an-invite'],
    ['BackupError', new BackupError('empty', said), 'empty'],
    ['SettingsCodeError', new SettingsCodeError('empty', said), 'empty'],
    ['StorageError', new StorageError('quota', said, { cause }), 'quota'],
    ['RelayError', new RelayError('forbidden', { cause }), 'forbidden'],
  ];
  for (const [name, e, code] of made) {
    expect(e, name).toBeInstanceOf(CodedUserError);
    expect(e, name).toBeInstanceOf(UserFacingError);
    expect(e.name).toBe(name);
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(10);
  }
  // The relay's standard wording unless a message is given.
  expect(new RelayError('forbidden').message).not.toBe(said);
  expect(new RelayError('forbidden', { message: said }).message).toBe(said);
});
